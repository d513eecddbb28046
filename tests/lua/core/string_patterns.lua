-- Lua patterns in detail: every character class and its complement over all 256 bytes,
-- sets with ranges/classes/negation, quantifiers, back-references, %b, %f and every
-- pattern error.

-- each class: how many bytes match, their sum, and the printable ones
for _, cl in ipairs{"a", "c", "d", "g", "l", "p", "s", "u", "w", "x", "z"} do
  for _, c in ipairs{cl, cl:upper()} do
    local count, sum, shown = 0, 0, ""
    for b = 0, 255 do
      local ch = string.char(b)
      if ch:find("^%" .. c .. "$") then
        count, sum = count + 1, sum + b
        if b > 32 and b < 127 and count <= 40 then shown = shown .. ch end
      end
    end
    print(c, count, sum, shown)
    -- expect: a\t52\t4862\tABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmn
    -- expect: A\t204\t27778\t!"#$%&'
    -- expect: c\t33\t623\t
    -- expect: C\t223\t32017\t!"#$%&'()*+,-./0123456789:;<=>?@ABCDEFG
    -- expect: d\t10\t525\t0123456789
    -- expect: D\t246\t32115\t!"#$%&'
    -- expect: g\t94\t7473\t!"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGH
    -- expect: G\t162\t25167\t
    -- expect: l\t26\t2847\tabcdefghijklmnopqrstuvwxyz
    -- expect: L\t230\t29793\t!"#$%&'
    -- expect: p\t32\t2086\t!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~
    -- expect: P\t224\t30554\t0123456
    -- expect: s\t6\t87\t
    -- expect: S\t250\t32553\t!"#$%&'()*+,-
    -- expect: u\t26\t2015\tABCDEFGHIJKLMNOPQRSTUVWXYZ
    -- expect: U\t230\t30625\t!"#$%&'
    -- expect: w\t62\t5387\t0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcd
    -- expect: W\t194\t27253\t!"#$%&'
    -- expect: x\t22\t1527\t0123456789ABCDEFabcdef
    -- expect: X\t234\t31113\t!"#$%&'
    -- expect: z\t1\t0\t
    -- expect: Z\t255\t32640\t!"#$%&'(
  end
end

-- escaped non-alphanumerics stand for themselves
print(("a.b"):find("%."), ("a%b"):find("%%"), ("(x)"):match("%((.)%)"), ("a]b"):find("%]"), ("1+1"):match("%d%+%d"))  -- expect: 2\t2\tx\t2\t1+1

-- sets
print(("hello123"):match("[a-z]+"), ("hello123"):match("[%d]+"), ("x-y"):match("[a%-]"), ("x-y"):match("[-]"))  -- expect: hello\t123\t-\t-
print(("abc]"):match("[]]"), ("abc]"):match("[^]]+"), ("a^b"):match("[b^]+"), ("a-z"):match("[z-]+"))  -- expect: ]\tabc\t^b\t-z
print(("ABCdef"):match("[^%l]+"), ("ABCdef"):match("[%u%d]+"), ("a1_B"):match("[_%w]+"))  -- expect: ABC\tABC\ta1_B
print(("za"):match("[a-]"), ("-"):match("[a-]"), ("b"):match("[a-c]"), ("c"):match("[c-a]"), ("%"):match("[%%]"))  -- expect: a\t-\tb\tnil\t%
print(("hello world"):match("[^ ]+$"), ("tab\there"):match("[\t]"), ("é"):match("[\128-\255]+") == "é")  -- expect: world\t\t\ttrue
print(("[x]"):match("[[]"), ("a.b"):match("[.]"), ("a*b"):match("[*]"), ("^"):match("[%^]"), ("^"):match("[x^]"))  -- expect: [\t.\t*\t^\t^

-- quantifiers
print(("aaab"):match("a*"), ("aaab"):match("a+"), ("aaab"):match("a-"), ("aaab"):match("a-b"), ("aaab"):match("a?"))  -- expect: aaa\taaa\t\taaab\ta
print(("b"):match("a*b"), ("b"):match("a+b"), ("b"):match("a?b"), ("ab"):match("a?b"), ("aab"):match("a?b"))  -- expect: b\tnil\tb\tab\tab
print(("<a><b>"):match("<.*>"), ("<a><b>"):match("<.->"), ("abc"):match(".-"), ("abc"):match(".-$"))  -- expect: <a><b>\t<a>\t\tabc
print(("xAAy"):match("x(A*)y"), ("xy"):match("x(A*)y"), ("xy"):match("x(A-)y"), ("xAy"):match("x(A?)y"))  -- expect: AA\t\t\tA
print(("aaa"):match("^(a*)(a)$"), ("aaa"):match("^(a-)(a+)$"), ("a+"):match("a+"), ("a*"):match("a%*"))  -- expect: aa\t\ta\ta*
print(("  x  "):match("^%s*(.-)%s*$"), ("abc"):match("[abc]*"), ("123abc"):match("^%d+"))  -- expect: x\tabc\t123

-- back-references
print(("abcabc"):match("(abc)%1"), ("xyzzy"):match("(z)%1"), ('say "hi" now'):match('(["\'])(.-)%1'))  -- expect: abc\tz\t"\thi
print(("abab"):find("(a)(b)%1%2"), ("aa"):match("(a)%1"), ("ab"):match("(a)%1"), ("abcd"):match("()b%1"))  -- expect: 1\ta\tnil\tnil
print(string.gsub("hello world", "(o)", "[%1]"), ("aXbXc"):match("(X).*%1"))  -- expect: hell[o] w[o]rld\tX

-- %b
print(("(foo(bar))baz"):match("%b()"), ("[a[b]c]"):match("%b[]"), ("x(y"):match("%b()"), ("if a then b end"):match("%bie"))  -- expect: (foo(bar))\t[a[b]c]\tnil\tif a the
print(("((a)"):match("%b()"), ("{}"):match("%b{}"), ("a)b(c)"):find("%b()"), ("<<>>"):match("%b<>"), ("ab"):match("%baa"))  -- expect: (a)\t{}\t4\t<<>>\tnil
print(("xyzx"):match("%bxx"), ("f(a, g(b), c)"):match("%w+(%b())"))  -- expect: xyzx\t(a, g(b), c)

-- %f frontier
print(("THE (quick) fox"):gsub("%f[%a]%a+", "W"))  -- expect: W (W) W\t3
print(("hello world"):find("%f[%w]%w+", 2), ("abc"):find("%f[%a]"), ("abc"):find("%f[%A]"), ("abc"):find("%f[^%z]"))  -- expect: 7\t1\t4\t1\t0
print(("aaa bbb"):match("%f[%S].-%f[%s]"), ("key1=val"):match("%f[%d]%d"), ("\0a"):find("%f[a]"))  -- expect: nil\t1\t2\t1
print(("THE (quick) fox"):find("%f[%l]"), ("x"):find("%f[%z]"))  -- expect: 6\t2\t1

-- position captures
print(("hello"):match("()"), ("hello"):match("()", 3), ("hello"):match("h()e()l"), ("hello"):match("()$"))  -- expect: 1\t3\t2\t6
print(("abc"):gsub("()", "%1"), ("abc"):find("()(b)()"))  -- expect: 1a2b3c4\t2\t2\t2\tb\t3

-- pattern errors
local function try(p, s) local ok, e = pcall(string.find, s or "abc", p); print(p, ok, e) end
-- expect: %\tfalse\tmalformed pattern (ends with '%')
-- expect: abc%\tfalse\tmalformed pattern (ends with '%')
-- expect: [a\tfalse\tmalformed pattern (missing ']')
-- expect: [\tfalse\tmalformed pattern (missing ']')
-- expect: []\tfalse\tmalformed pattern (missing ']')
-- expect: [^]\tfalse\tmalformed pattern (missing ']')
-- expect: []]]\ttrue\tnil
-- expect: [^\tfalse\tmalformed pattern (missing ']')
-- expect: [a%\tfalse\tmalformed pattern (missing ']')
-- expect: [a%]\tfalse\tmalformed pattern (missing ']')
-- expect: (\tfalse\tunfinished capture
-- expect: (()\tfalse\tunfinished capture
-- expect: )\ttrue\tnil
-- expect: a)\ttrue\tnil
-- expect: %1\tfalse\tinvalid capture index %1
-- expect: (a)%2\tfalse\tinvalid capture index %2
-- expect: (a%1)\tfalse\tinvalid capture index %1
-- expect: %0\tfalse\tinvalid capture index %0
-- expect: %b\tfalse\tmalformed pattern (missing arguments to '%b')
-- expect: %ba\tfalse\tmalformed pattern (missing arguments to '%b')
-- expect: %f\tfalse\tmissing '[' after '%f' in pattern
-- expect: %fa\tfalse\tmissing '[' after '%f' in pattern
-- expect: %f[a\tfalse\tmalformed pattern (missing ']')
-- expect: %g%\tfalse\tmalformed pattern (ends with '%')
-- expect: a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?\tfalse\tpattern too complex
-- expect: (a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)\tfalse\ttoo many captures
-- expect: ()()()()()()()()()()()()()()()()()()()()()()()()()()()()()()()()()\tfalse\ttoo many captures
-- expect: (((((((((((((((((((((((((((((((((\tfalse\ttoo many captures
try("%")
try("abc%")
try("[a")
try("[")
try("[]")
try("[^]")
try("[]]]")
try("[^")
try("[a%")
try("[a%]")
try("(")
try("(()")
try(")")
try("a)")
try("%1")
try("(a)%2")
try("(a%1)")
try("%0")
try("%b")
try("%ba")
try("%f")
try("%fa")
try("%f[a")
try("%g%")
try(("a?"):rep(300), ("a"):rep(300))
try(("(a)"):rep(33), ("a"):rep(33))
try(("()"):rep(32) .. "()")
try(string.rep("(", 33))
print(pcall(string.find, ("a"):rep(199), ("a?"):rep(199)))  -- expect: true\t1\t199
print(pcall(string.match, ("a"):rep(20), ("a-"):rep(20) .. "$"))  -- expect: true\taaaaaaaaaaaaaaaaaaaa
print(pcall(string.match, "x", ("()"):rep(32)))  -- expect: true\t1\t1\t1\t1\t1\t1\t1\t1\t1\t1\t1\t1\t1\t1\t1\t1\t1\t1\t1\t1\t1\t1\t1\t1\t1\t1\t1\t1\t1\t1\t1\t1

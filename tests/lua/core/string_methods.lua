-- String functions through method syntax, string.format basics, the string metatable, and
-- messages checked with find (moved from the wishlist once the string library existed).

print(("x"):upper(), ("ABC"):lower(), ("abc"):len(), ("ab"):rep(3, "-"))  -- expect: X\tabc\t3\tab-ab-ab
print(("hello"):sub(2, 3), ("hello"):sub(-3), ("hello"):sub(0), ("hello"):sub(10))  -- expect: el\tllo\thello\t
print(("hello"):byte(1, -1))  -- expect: 104\t101\t108\t108\t111
print(string.char(72, 105), ("\u{20AC}"):byte(1, -1))  -- expect: Hi\t226\t130\t172
print(("hello world"):find("o w"), ("hello"):find("l+"), ("a.b"):find(".", 1, true))  -- expect: 5\t3\t2\t2
print(("key=value"):match("(%w+)=(%w+)"), ("  trim  "):match("^%s*(.-)%s*$"))  -- expect: key\ttrim
print(("hello"):gsub("l", "L"), ("abc"):gsub("%w", "%0%0"), ("x y z"):gsub("%s", "", 1))  -- expect: heLLo\taabbcc\txy z\t1
print(("abc"):reverse(), #("abc"):rep(1000), ("a,b,,c"):gsub(",", ";"))  -- expect: cba\t3000\ta;b;;c\t3
local words = {}
for w in ("one two  three"):gmatch("%a+") do words[#words + 1] = w end
print(#words, words[3])  -- expect: 3\tthree

print(string.format("%d %5d %-5d| %05d", 42, 42, 42, 42))  -- expect: 42    42 42   | 00042
print(string.format("%.3f %e %g %g %g", 3.14159, 12345.678, 0.0001, 1e20, 100))  -- expect: 3.142 1.234568e+04 0.0001 1e+20 100
print(string.format("%x %X %o %c %q", 255, 255, 8, 65, "a\tb\"c"))  -- expect: ff FF 10 A "a\9b\"c"
print(string.format("%s %s %s %10.3s|", nil, true, {} ~= nil, "abcdef"))  -- expect: nil true true        abc|
print(string.format("%a %a", 1.0, 0.5))  -- expect: 0x1p+0 0x1p-1
print(string.format("%5.1f|%-8.2f|%+d", 3.14159, 2.5, 7))  -- expect:   3.1|2.50    |+7
print(pcall(string.format, "%d", 1.5))  -- expect: false\tbad argument #2 to 'string.format' (number has no integer representation)
print(pcall(string.rep))  -- expect: false\tbad argument #1 to 'string.rep' (string expected, got no value)


-- the string metatable
print(getmetatable("").__index == string, ("x").len == string.len)  -- expect: true\ttrue

-- parser nesting limits: the message mentions an overflow or "too many"
local deep = "x = " .. ("("):rep(300)
local _, msg = load(deep)
print(msg:find("overflow") ~= nil or msg:find("too many") ~= nil)  -- expect: true
local _, msg2 = load(("do "):rep(300))
print(msg2:find("overflow") ~= nil or msg2:find("too many") ~= nil)  -- expect: true
local function deep_recursion() return 1 + deep_recursion() end
local _, msg3 = pcall(deep_recursion)
print(msg3:find("stack overflow") ~= nil)  -- expect: true

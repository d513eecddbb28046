-- string.find and string.match: init (positive, negative, zero, past the end), plain
-- searches, anchors, captures and position captures, special characters.

print(("hello world"):find("o w"), ("hello"):find("l+"), ("a.b"):find(".", 1, true))  -- expect: 5\t3\t2\t2
print(("hello"):find("l"), ("hello"):find("l", 4), ("hello"):find("l", -1), ("hello"):find("xyz"))  -- expect: 3\t4\tnil\tnil
print(("hello"):find(""), ("hello"):find("", 10), ("hello"):find("", 6), ("hello"):find("", -10))  -- expect: 1\tnil\t6\t1\t0
print(("hello"):find("h", 0), ("hello"):find("o", -1), ("hello"):find("h", -100), (""):find(""))  -- expect: 1\t5\t1\t1\t0
print((""):find("", 1), (""):find("", 2), (""):find("a"), ("abc"):find("c", 3))  -- expect: 1\tnil\tnil\t3\t3
print(("a+b"):find("+", 1, true), ("a+b"):find("a+", 1, true), ("a+b"):find("%+"), ("a.b"):find("."))  -- expect: 2\t1\t2\t1\t1
print(("a^b"):find("^", 1, true), ("a$b"):find("$", 1, true), ("ab"):find("b", 1, false), ("x"):find("x", 1, nil))  -- expect: 2\t2\t2\t1\t1
print(("aaa"):find("a", 2, true), ("aaa"):find("aa", 2, true), ("aaa"):find("aaaa", 1, true), ("abc"):find("bc", 3, true))  -- expect: 2\t2\tnil\tnil
print(("hello"):find("(l)(l)"), ("hello"):find("()ll()"), ("hello"):find("h(.-)o"))  -- expect: 3\t3\t1\t5\tell
print(("x = 10"):find("(%w+)%s*=%s*(%w+)"))  -- expect: 1\t6\tx\t10
print(string.find("abc\0def", "\0"), string.find("abc\0def", "%z"), string.find("abc\0def", "[\0]"))  -- expect: 4\t4\t4\t4
print(string.find("a\0b\0c", "b\0c"), string.find("a\0b", "\0", 1, true), string.find(12345, 34))  -- expect: 3\t2\t3\t4
print(string.find("abc", "b", 1.0), pcall(string.find, "abc", "b", 1.5))  -- expect: 2\tfalse\tbad argument #3 to 'string.find' (number has no integer representation)
print(pcall(string.find, "abc"))  -- expect: false\tbad argument #2 to 'string.find' (string expected, got no value)
print(pcall(string.find, nil, "x"))  -- expect: false\tbad argument #1 to 'string.find' (string expected, got nil)
print(pcall(string.find, "abc", {}))  -- expect: false\tbad argument #2 to 'string.find' (string expected, got table)

-- anchors
print(("hello"):find("^h"), ("hello"):find("^e"), ("hello"):find("^e", 2), ("hello"):find("o$"))  -- expect: 1\tnil\t2\t5\t5
print(("hello"):find("l$"), ("hello$"):find("o$"), ("a$b"):find("$b"), ("hello"):find("^hello$"))  -- expect: nil\tnil\t2\t1\t5
print(("^abc"):find("^^a"), ("abc"):find("a^"), ("hello"):match("^(h)(e)"), ("hello"):match(".-$"))  -- expect: 1\tnil\th\thello
print(("aaa"):find("^a", 2), ("baaa"):find("^a", 2), ("abc"):find("$"), ("abc"):find("^$"), (""):find("^$"))  -- expect: 2\t2\t4\tnil\t1\t0

-- match
print(("key=value"):match("(%w+)=(%w+)"), ("  trim  "):match("^%s*(.-)%s*$"))  -- expect: key\ttrim
print(("hello"):match("l+"), ("hello"):match("xyz"), ("hello"):match(""), ("hello"):match("()"))  -- expect: ll\tnil\t\t1
print(("hello"):match("()ll()"), ("hello"):match("(h)(e)(l)(l)(o)"))  -- expect: 3\th\te\tl\tl\to
print(("hello"):match(".", 2), ("hello"):match(".", -2), ("hello"):match(".", 10), ("hello"):match("", 6))  -- expect: e\tl\tnil\t
print(("hello"):match("(h)()"), ("hello"):match("((l)(l))"), ("abc"):match("((a)(b))(c)"))  -- expect: h\tll\tab\ta\tb\tc
print(string.match("2024-01-15", "(%d+)-(%d+)-(%d+)"))  -- expect: 2024\t01\t15
print(string.match("  x", "^%s*()"), string.match("abc", "()", 4), string.match("abc", "()", 5))  -- expect: 3\t4\tnil
print(string.match("[[nested]]", "%[(%b[])%]"), string.match("f(a(b)c)d", "%b()"))  -- expect: [nested]\t(a(b)c)
print(string.match("hello world", "%f[%w]%w+", 2), string.match("THE (quick) fox", "%f[%a]%a+%f[%A]"))  -- expect: world\tTHE
print(pcall(string.match, "abc", "(()"))  -- expect: false\tunfinished capture
print(pcall(string.match))  -- expect: false\tbad argument #1 to 'string.match' (string expected, got no value)
print(pcall(string.match, "abc", "%"))  -- expect: false\tmalformed pattern (ends with '%')

-- many captures and results
print(string.match(("abcdefghijklmnopqrstuvwxyzABCDEF"), ("(.)"):rep(32)))  -- expect: a\tb\tc\td\te\tf\tg\th\ti\tj\tk\tl\tm\tn\to\tp\tq\tr\ts\tt\tu\tv\tw\tx\ty\tz\tA\tB\tC\tD\tE\tF
print(pcall(string.match, ("a"):rep(33), ("(.)"):rep(33)))  -- expect: false\ttoo many captures
print(select("#", string.find(("a"):rep(32), ("(a)"):rep(32))))  -- expect: 34

-- long subjects
local long = ("x"):rep(10000) .. "needle" .. ("y"):rep(10000)
print(long:find("needle"), long:find("needle", 1, true), long:find("ne+dle"), #long:match("y+"))  -- expect: 10001\t10001\t10001\t10000
print(long:find("x*n"), long:find(".-needle"), long:match("(x+)n"):len())  -- expect: 1\t1\t10000

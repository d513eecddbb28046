-- The simple string functions: len, sub, upper, lower, rep, reverse, byte, char, dump,
-- the string metatable and argument conversions (numbers as strings, integer arguments).

print(string.len(""), string.len("abc"), ("a\0b"):len(), #"\0\0\0")  -- expect: 0\t3\t3\t3
print(string.len(123), string.len(-1.5))  -- expect: 3\t4
print(pcall(string.len))  -- expect: false\tbad argument #1 to 'string.len' (string expected, got no value)
print(pcall(string.len, {}))  -- expect: false\tbad argument #1 to 'string.len' (string expected, got table)

-- sub: every index rule
local s = "hello"
print(s:sub(2, 3), s:sub(-3), s:sub(0), s:sub(10), s:sub(2), s:sub(-100, 2))  -- expect: el\tllo\thello\t\tello\the
print(s:sub(3, 2) == "", s:sub(-2, -1), s:sub(1, -1), s:sub(1, -6) == "", s:sub(0, 0) == "")  -- expect: true\tlo\thello\ttrue\ttrue
print(s:sub((-9223372036854775807 - 1), 9223372036854775807), s:sub(9223372036854775807), s:sub(5, 5), s:sub(6, 6) == "")  -- expect: hello\t\to\ttrue
print(s:sub(-5, -5), s:sub(-6, 1), s:sub(2, 100), s:sub(2.0, 3.0))  -- expect: h\th\tello\tel
print(pcall(string.sub, s, 1.5))  -- expect: false\tbad argument #2 to 'string.sub' (number has no integer representation)
print(pcall(string.sub, s))  -- expect: false\tbad argument #2 to 'string.sub' (number expected, got no value)
print(pcall(string.sub, s, "x"))  -- expect: false\tbad argument #2 to 'string.sub' (number expected, got string)
print(pcall(string.sub, s, "2"), ("hello"):sub("2", "3"))  -- expect: true\tel
print(pcall(string.sub, s, 1, 2.5))  -- expect: false\tbad argument #3 to 'string.sub' (number has no integer representation)
print(("\0a\0b"):sub(2, 3) == "a\0")  -- expect: true

-- upper / lower / reverse (bytes, C locale)
print(string.upper("abc XYZ 123 é"), string.lower("ABC xyz 123 É"))  -- expect: ABC XYZ 123 é\tabc xyz 123 É
print(("MiXeD"):upper(), ("MiXeD"):lower(), (""):upper() == "")  -- expect: MIXED\tmixed\ttrue
print(string.reverse("abc"), string.reverse(""), string.reverse("a"), string.reverse(12.5))  -- expect: cba\t\ta\t5.21
print(("a\0b"):reverse() == "b\0a", ("\1\2\3"):reverse():byte(1, -1))  -- expect: true\t3\t2\t1
print(pcall(string.upper))  -- expect: false\tbad argument #1 to 'string.upper' (string expected, got no value)
print(pcall(string.reverse, nil))  -- expect: false\tbad argument #1 to 'string.reverse' (string expected, got nil)

-- rep
print(string.rep("ab", 3), string.rep("ab", 3, ","), string.rep("x", 0), string.rep("x", -1))  -- expect: ababab\tab,ab,ab\t\t
print(string.rep("x", 1, ","), string.rep("", 5), string.rep("", 5, "-"), string.rep("ab", 2, ""))  -- expect: x\t\t----\tabab
print(#string.rep("abc", 1000), #string.rep("a", 100, "bb"), string.rep(7, 3), string.rep("x", 2.0))  -- expect: 3000\t298\t777\txx
print(pcall(string.rep, "x", 2.5))  -- expect: false\tbad argument #2 to 'string.rep' (number has no integer representation)
print(pcall(string.rep, "x"))  -- expect: false\tbad argument #2 to 'string.rep' (number expected, got no value)
print(pcall(string.rep))  -- expect: false\tbad argument #1 to 'string.rep' (string expected, got no value)
print(pcall(string.rep, "x", 1 << 40))  -- expect: false\tresulting string too large
print(pcall(string.rep, "xx", (1 << 30)))  -- expect: false\tresulting string too large
print(pcall(string.rep, "", 1 << 40, "a"))  -- expect: false\tresulting string too large
print(string.rep("", 1000) == "", string.rep("x", (-9223372036854775807 - 1)) == "")  -- expect: true\ttrue

-- byte
print(string.byte("A"), string.byte("ABC", 2), string.byte("ABC", -1), string.byte("ABC", 1, 3))  -- expect: 65\t66\t67\t65\t66\t67
print(string.byte("ABC", 0, 10))  -- expect: 65\t66\t67
print(string.byte("ABC", 4), string.byte("", 1), string.byte("ABC", 3, 2))  -- expect: nil\tnil
print(select("#", string.byte("ABC", 4)), select("#", string.byte("")), select("#", string.byte("ABC", -10, -4)))  -- expect: 0\t0\t0
print(string.byte("ABC", -2, -1))  -- expect: 66\t67
print(string.byte("\0\255"), string.byte("\0\255", 2))  -- expect: 0\t255
print(pcall(string.byte, "abc", {}))  -- expect: false\tbad argument #2 to 'string.byte' (number expected, got table)
print(pcall(string.byte, "abc", 1, 2.5))  -- expect: false\tbad argument #3 to 'string.byte' (number has no integer representation)
print(("hello"):byte(1, -1))  -- expect: 104\t101\t108\t108\t111
print(pcall(string.byte, ("x"):rep(1000000), 1, -1))  -- expect: false\tstack overflow (string slice too long)
print(select("#", string.byte(("x"):rep(100000), 1, -1)))  -- expect: 100000

-- char
print(string.char(72, 105), string.char() == "", string.char(0):len(), string.char(255):byte())  -- expect: Hi\ttrue\t1\t255
print(string.char("65", 66.0))  -- expect: AB
print(pcall(string.char, 256))  -- expect: false\tbad argument #1 to 'string.char' (value out of range)
print(pcall(string.char, 65, -1))  -- expect: false\tbad argument #2 to 'string.char' (value out of range)
print(pcall(string.char, 65, "x"))  -- expect: false\tbad argument #2 to 'string.char' (number expected, got string)
print(pcall(string.char, 65, 1.5))  -- expect: false\tbad argument #2 to 'string.char' (number has no integer representation)
print(pcall(string.char, 65, nil))  -- expect: false\tbad argument #2 to 'string.char' (number expected, got nil)
local bytes = ""
for i = 0, 255 do bytes = bytes .. string.char(i) end
print(#bytes, bytes:byte(1), bytes:byte(256), bytes:byte(128))  -- expect: 256\t0\t255\t127

-- dump: rivet has no binary chunk format
print(pcall(string.dump, string.len))  -- expect: false\tunable to dump given function
print(pcall(string.dump))  -- expect: false\tbad argument #1 to 'string.dump' (function expected, got no value)
print(pcall(string.dump, 1))  -- expect: false\tbad argument #1 to 'string.dump' (function expected, got number)

-- the string metatable
print(getmetatable("").__index == string, ("x").len == string.len, type(getmetatable("abc")))  -- expect: true\ttrue\ttable
print(("abc"):upper(), ("%d"):format(5), ("x"):rep(3))  -- expect: ABC\t5\txxx
local n = 10
print(("n=" .. n):len(), ("abc"):byte(-1))  -- expect: 4\t99
print(pcall(function() return ("abc"):nosuch() end))  -- expect: false\tstring_basic.lua:77: attempt to call a nil value (method 'nosuch')
print(pcall(function() local t = "abc"; return t.x.y end))  -- expect: false\tstring_basic.lua:78: attempt to index a nil value (field 'x')
print(("abc").foo, ("abc")[1])  -- expect: nil\tnil

-- functions called with a wrong self report "calling 'x' on bad self"
print(pcall(function() return ("x").upper({}) end))  -- expect: false\tstring_basic.lua:82: bad argument #1 to 'upper' (string expected, got table)
print(pcall(function() local t = {up = string.upper}; return t:up() end))  -- expect: false\tstring_basic.lua:83: calling 'up' on bad self (string expected, got table)

-- numbers are accepted where strings are expected
print(string.upper(1e100), string.len(2^63), string.sub(12345, 2, 3), string.byte(9))  -- expect: 1E+100\t19\t23\t57
print(string.rep(1.5, 2, 0))  -- expect: 1.501.5

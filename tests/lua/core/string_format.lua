-- string.format: %q literals (strings, integers, floats, nil, booleans) that read back,
-- %s with __tostring and precision, %c, %p, %%, argument errors and spec errors.

print(string.format("%d %5d %-5d| %05d", 42, 42, 42, 42))  -- expect: 42    42 42   | 00042
print(string.format("%.3f %e %g %g %g", 3.14159, 12345.678, 0.0001, 1e20, 100))  -- expect: 3.142 1.234568e+04 0.0001 1e+20 100
print(string.format("%x %X %o %c %q", 255, 255, 8, 65, "a\tb\"c"))  -- expect: ff FF 10 A "a\9b\"c"
print(string.format("%s %s %s %10.3s|", nil, true, {} ~= nil, "abcdef"))  -- expect: nil true true        abc|
print(string.format("%a %a", 1.0, 0.5))  -- expect: 0x1p+0 0x1p-1
print(string.format("%5.1f|%-8.2f|%+d", 3.14159, 2.5, 7))  -- expect:   3.1|2.50    |+7
print(string.format("no conversions"), string.format(""), string.format("%%"), string.format("100%% %s", "x"))  -- expect: no conversions\t\t%\t100% x
print(string.format("%s-%s", 1, 2.0), string.format("%d", "0x10"), string.format("%.2f", "1.005"), string.format("%x", 3.0))  -- expect: 1-2.0\t16\t1.00\t3
print(string.format("%5s|%-5s|%.1s|%.0s|", "ab", "ab", "ab", "ab"))  -- expect:    ab|ab   |a||
print(string.format("[%10s][%-10s]", "hello", "hello"))  -- expect: [     hello][hello     ]
print(string.format("%s", ("x"):rep(200)) == ("x"):rep(200), #string.format("%5s", ("x"):rep(200)), #string.format("%.99s", ("x"):rep(200)))  -- expect: true\t200\t99
print(string.format("%-3c|%3c|%c", 65, 66, 67), string.format("%c", 0) == "\0", string.format("%c", 256 + 65))  -- expect: A  |  B|C\ttrue\tA
print(string.format("%s %s", 1, 2, 3), select("#", string.format("%s", "a")))  -- expect: 1 2\t1

-- %s uses __tostring and __name
local obj = setmetatable({}, {__tostring = function() return "OBJ" end})
print(string.format("%s|%5s|%-5s|%.2s", obj, obj, obj, obj))  -- expect: OBJ|  OBJ|OBJ  |OB
local named = setmetatable({}, {__name = "MyType"})
print(string.format("%s", named):match("^MyType: ") ~= nil)  -- expect: true
print(pcall(string.format, "%s", setmetatable({}, {__tostring = function() return 1 end})))  -- expect: true\t1
print(pcall(string.format, "%s", setmetatable({}, {__tostring = function() return {} end})))  -- expect: false\t'__tostring' must return a string
print(string.format("%s", setmetatable({}, {__tostring = function() return "a\0b" end})) == "a\0b")  -- expect: true
print(pcall(string.format, "%10s", "a\0b"))  -- expect: false\tbad argument #2 to 'string.format' (string contains zeros)

-- %q
print(string.format("%q", "hello"))  -- expect: "hello"
print(string.format("%q", 'a "quoted" \\ string'))  -- expect: "a \"quoted\" \\ string"
print(string.format("%q", "line1\nline2"))
-- expect: "line1\
-- expect: line2"
print((string.format("%q", "\0\1\0011\r\t\127\200\255x"):gsub("[\128-\255]", function(c) return "<" .. c:byte() .. ">" end)))  -- expect: "\0\1\0011\13\9\127<200><255>x"
print(string.format("%q", "\0009"), string.format("%q", "\0a"), string.format("%q", "\31" .. "0"))  -- expect: "\0009"\t"\0a"\t"\0310"
print(string.format("%q", 42), string.format("%q", -42), string.format("%q", 0))  -- expect: 42\t-42\t0
print(string.format("%q", -9223372036854775807 - 1), string.format("%q", 9223372036854775807))  -- expect: 0x8000000000000000\t9223372036854775807
print(string.format("%q", 1.0), string.format("%q", -0.0), string.format("%q", 0.1), string.format("%q", 1.5))  -- expect: 0x1p+0\t-0x0p+0\t0x1.999999999999ap-4\t0x1.8p+0
print(string.format("%q", 1/0), string.format("%q", -1/0), string.format("%q", 0/0))  -- expect: 1e9999\t-1e9999\t(0/0)
print(string.format("%q", 2^63), string.format("%q", 5e-324), string.format("%q", 1e100))  -- expect: 0x1p+63\t0x0.0000000000001p-1022\t0x1.249ad2594c37dp+332
print(string.format("%q", nil), string.format("%q", true), string.format("%q", false))  -- expect: nil\ttrue\tfalse
print(string.format("%q|%q", "a", "b"))  -- expect: "a"|"b"
for _, v in ipairs{"x\ny", "\0\1\2", "tab\there", "\\", "é", 1, -7, 2^53, 0.1, 1/3, -1e-300, 1e308, -9223372036854775807 - 1} do
  local back = load("return " .. string.format("%q", v))()
  print(back == v, math == nil or math.type(back) == math.type(v))
  -- expect: true\ttrue
  -- expect: true\ttrue
  -- expect: true\ttrue
  -- expect: true\ttrue
  -- expect: true\ttrue
  -- expect: true\ttrue
  -- expect: true\ttrue
  -- expect: true\ttrue
  -- expect: true\ttrue
  -- expect: true\ttrue
  -- expect: true\ttrue
  -- expect: true\ttrue
  -- expect: true\ttrue
end
print(load("return " .. string.format("%q", 1/0))() == 1/0, load("return " .. string.format("%q", 0/0))() ~= load("return " .. string.format("%q", 0/0))())  -- expect: true\ttrue
print(pcall(string.format, "%q", {}))  -- expect: false\tbad argument #2 to 'string.format' (value has no literal form)
print(pcall(string.format, "%q", print))  -- expect: false\tbad argument #2 to 'string.format' (value has no literal form)
print(pcall(string.format, "%q"))  -- expect: false\tbad argument #2 to 'string.format' (no value)
print(pcall(string.format, "%10q", "x"))  -- expect: false\tspecifier '%q' cannot have modifiers
print(pcall(string.format, "%-q", "x"))  -- expect: false\tspecifier '%q' cannot have modifiers
print(pcall(string.format, "%.3q", "x"))  -- expect: false\tspecifier '%q' cannot have modifiers

-- %p: addresses of objects, "(null)" for other values
local t = {}
print(string.format("%p", t) == string.format("%p", t), string.format("%p", t) ~= string.format("%p", {}))  -- expect: true\ttrue
print(string.format("%p", t):match("^0x%x+$") ~= nil, string.format("%p", print):match("^0x%x+$") ~= nil)  -- expect: true\ttrue
print(string.format("%p|%p|%p|%10p|%-10p|", 1, nil, true, 2.5, false))  -- expect: (null)|(null)|(null)|    (null)|(null)    |
print(pcall(string.format, "%.3p", t))  -- expect: false\tinvalid conversion specification: '%.3p'
print(pcall(string.format, "%#p", t))  -- expect: false\tinvalid conversion specification: '%#p'

-- integer arguments
print(string.format("%d", 3.0), string.format("%d", "10"), string.format("%x", -1), string.format("%5.2d", 3))  -- expect: 3\t10\tffffffffffffffff\t   03
print(pcall(string.format, "%d", 3.5))  -- expect: false\tbad argument #2 to 'string.format' (number has no integer representation)
print(pcall(string.format, "%d", "3.5"))  -- expect: false\tbad argument #2 to 'string.format' (number has no integer representation)
print(pcall(string.format, "%d", "x"))  -- expect: false\tbad argument #2 to 'string.format' (number expected, got string)
print(pcall(string.format, "%d", 2^63))  -- expect: false\tbad argument #2 to 'string.format' (number has no integer representation)
print(pcall(string.format, "%c", 1.5))  -- expect: false\tbad argument #2 to 'string.format' (number has no integer representation)
print(pcall(string.format, "%x", {}))  -- expect: false\tbad argument #2 to 'string.format' (number expected, got table)
print(pcall(string.format, "%f", "x"))  -- expect: false\tbad argument #2 to 'string.format' (number expected, got string)
print(pcall(string.format, "%f", nil))  -- expect: false\tbad argument #2 to 'string.format' (number expected, got nil)
print(pcall(string.format, "%a", "x"))  -- expect: false\tbad argument #2 to 'string.format' (number expected, got string)
print(string.format("%f", "1e2"), string.format("%g", 10), string.format("%.3f", 1), string.format("%5.1f", "2"))  -- expect: 100.000000\t10\t1.000\t  2.0

-- argument count and spec errors
print(pcall(string.format))  -- expect: false\tbad argument #1 to 'string.format' (string expected, got no value)
print(pcall(string.format, {}))  -- expect: false\tbad argument #1 to 'string.format' (string expected, got table)
print(pcall(string.format, "%d"))  -- expect: false\tbad argument #2 to 'string.format' (no value)
print(pcall(string.format, "%d %d", 1))  -- expect: false\tbad argument #3 to 'string.format' (no value)
print(pcall(string.format, "%"))  -- expect: false\tbad argument #2 to 'string.format' (no value)
print(pcall(string.format, "%", 1))  -- expect: false\tinvalid conversion '%' to 'format'
print(pcall(string.format, "abc%"))  -- expect: false\tbad argument #2 to 'string.format' (no value)
print(pcall(string.format, "%y", 1))  -- expect: false\tinvalid conversion '%y' to 'format'
print(pcall(string.format, "%lld", 1))  -- expect: false\tinvalid conversion '%l' to 'format'
print(pcall(string.format, "%hd", 1))  -- expect: false\tinvalid conversion '%h' to 'format'
print(pcall(string.format, "%n", 1))  -- expect: false\tinvalid conversion '%n' to 'format'
print(pcall(string.format, "%F", 1))  -- expect: false\tinvalid conversion '%F' to 'format'
print(pcall(string.format, "%5", 1))  -- expect: false\tinvalid conversion '%5' to 'format'
print(pcall(string.format, "%100d", 1))  -- expect: false\tinvalid conversion specification: '%100d'
print(pcall(string.format, "%1.100f", 1))  -- expect: false\tinvalid conversion specification: '%1.100f'
print(pcall(string.format, "%0123456789012345678901d", 1))  -- expect: false\tinvalid format (too long)
print(pcall(string.format, "%01234567890123456789d", 1))  -- expect: false\tinvalid conversion specification: '%01234567890123456789d'
print(pcall(string.format, "%-----------------------d", 1))  -- expect: false\tinvalid format (too long)
print(pcall(string.format, "%---------d", 1))  -- expect: true\t1
print(pcall(string.format, "%.d", 0), string.format("%.f", 2.5), string.format("%.e", 2.5), string.format("%#.g", 2))  -- expect: true\t2\t2e+00\t2.
print(pcall(string.format, "% s", "x"))  -- expect: false\tinvalid conversion specification: '% s'
print(pcall(string.format, "%+s", "x"))  -- expect: false\tinvalid conversion specification: '%+s'
print(pcall(string.format, "%0s", "x"))  -- expect: false\tinvalid conversion specification: '%0s'
print(pcall(string.format, "%+c", 65))  -- expect: false\tinvalid conversion specification: '%+c'
print(pcall(string.format, "%.1c", 65))  -- expect: false\tinvalid conversion specification: '%.1c'
print(pcall(string.format, "%+u", 1))  -- expect: false\tinvalid conversion specification: '%+u'
print(pcall(string.format, "%#u", 1))  -- expect: false\tinvalid conversion specification: '%#u'
print(pcall(string.format, "% x", 1))  -- expect: false\tinvalid conversion specification: '% x'
print(pcall(string.format, "%+o", 1))  -- expect: false\tinvalid conversion specification: '%+o'
print(pcall(function() return ("%d"):format("x") end))  -- expect: false\tstring_format.lua:119: bad argument #1 to 'format' (number expected, got string)
print(pcall(function() return string.format("%d", {}) end))  -- expect: false\tstring_format.lua:120: bad argument #2 to 'format' (number expected, got table)
print((select(2, pcall(string.format, "%5\200", 1)):gsub("[\128-\255]", "<?>")))  -- expect: invalid conversion '%5<?>' to 'format'

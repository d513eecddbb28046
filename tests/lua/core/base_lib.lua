-- Base library functions available to core scripts: print, type, tostring, tonumber,
-- rawequal/rawlen/rawget/rawset, select, _G and _VERSION, with their argument errors.

print()  -- expect:
print(nil)  -- expect: nil
print(1, "two", nil, true)  -- expect: 1\ttwo\tnil\ttrue
print(_VERSION, _G._G == _G, _G.print == print)  -- expect: Lua 5.4\ttrue\ttrue

print(type(nil), type(true), type(0), type(""), type({}), type(print), type(type))  -- expect: nil\tboolean\tnumber\tstring\ttable\tfunction\tfunction
print(type(coroutine.create(print)), type(1.5), type(type(nil)))  -- expect: thread\tnumber\tstring
print(pcall(type))  -- expect: false\tbad argument #1 to 'type' (value expected)

-- tostring of numbers: integers plainly, floats with %.14g and a ".0" when integral
print(tostring(0), tostring(-0), tostring(0.0), tostring(-0.0), tostring(100.0), tostring(1e14), tostring(1e15))  -- expect: 0\t0\t0.0\t-0.0\t100.0\t1e+14\t1e+15
print(tostring(3.14159265358979), tostring(2^63), tostring(-2^63), tostring(1/3))  -- expect: 3.1415926535898\t9.2233720368548e+18\t-9.2233720368548e+18\t0.33333333333333
print(tostring(123456789012), tostring(12345678901234567), tostring(0.1 + 0.2))  -- expect: 123456789012\t12345678901234567\t0.3
print(1e300 * 1e10, -1e300 * 1e10, tostring(0/0) == tostring(0/0))  -- expect: inf\t-inf\ttrue

-- tonumber
print(tonumber(10), tonumber(1.5), tonumber("0x1F"), tonumber("1e-2"), tonumber(".5"), tonumber("5."))  -- expect: 10\t1.5\t31\t0.01\t0.5\t5.0
print(tonumber("  0x10  "), tonumber("\t12\n"), tonumber("1 0"), tonumber("0x1.8"), tonumber("-0x10"))  -- expect: 16\t12\tnil\t1.5\t-16
print(tonumber(nil), tonumber(true), tonumber({}), tonumber("abc"), tonumber(""))  -- expect: nil\tnil\tnil\tnil\tnil
print(tonumber("7fffffffffffffff", 16), tonumber("ffffffffffffffff", 16), tonumber("-ff", 16), tonumber("Z", 36))  -- expect: 9223372036854775807\t-1\t-255\t35
print(tonumber("111", 2), tonumber("12", 2), tonumber(" 11 ", 2), tonumber("1.0", 10), tonumber("", 10))  -- expect: 7\tnil\t3\tnil\tnil
print(pcall(tonumber))  -- expect: false\tbad argument #1 to 'tonumber' (value expected)
print(pcall(tonumber, "10", 1))  -- expect: false\tbad argument #2 to 'tonumber' (base out of range)
print(pcall(tonumber, "10", 37))  -- expect: false\tbad argument #2 to 'tonumber' (base out of range)
print(pcall(tonumber, 10, 16))  -- expect: false\tbad argument #1 to 'tonumber' (string expected, got number)
print(tonumber("9223372036854775807"), tonumber("9223372036854775808"), tonumber("-9223372036854775808"))  -- expect: 9223372036854775807\t9.2233720368548e+18\t-9223372036854775808
print(tonumber("1e500"), tonumber("-1e500"), tonumber("0x"), tonumber("1e+"))  -- expect: inf\t-inf\tnil\tnil

-- raw functions
print(rawequal("a", "a"), rawequal({}, {}), rawequal(1, 1.0), rawequal(0, -0))  -- expect: true\tfalse\ttrue\ttrue
print(pcall(rawequal, 1))  -- expect: false\tbad argument #2 to 'rawequal' (value expected)
print(rawlen({1, 2, 3}), rawlen(""), pcall(rawlen, nil))  -- expect: 3\t0\tfalse\tbad argument #1 to 'rawlen' (table or string expected, got nil)
local t = rawset({}, "k", "v")
print(rawget(t, "k"), rawget(t, "missing"))  -- expect: v\tnil
print(pcall(rawset, {}, 0/0, 1))  -- expect: false\ttable index is NaN

-- select with negative and out-of-range indices
print(select("#"), select("#", nil), select(1, nil, 2))  -- expect: 0\t1\tnil\t2
print(select(2.0, "a", "b"))  -- expect: b
print(pcall(select, 1.5, "a"))  -- expect: false\tbad argument #1 to 'select' (number has no integer representation)

-- print uses __tostring and __name
print(setmetatable({}, {__tostring = function() return "custom!" end}))  -- expect: custom!
print(pcall(print, setmetatable({}, {__tostring = function() return nil end})))  -- expect: false\t'__tostring' must return a string

-- next/pairs/ipairs argument errors
print(pcall(next))  -- expect: false\tbad argument #1 to 'next' (table expected, got no value)
print(pcall(next, 1))  -- expect: false\tbad argument #1 to 'next' (table expected, got number)
print(select("#", ipairs(nil)), pcall(function() for i in ipairs(nil) do end end))  -- expect: 3\tfalse\tattempt to index a nil value

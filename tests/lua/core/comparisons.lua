-- Comparison: exact integer/float comparison (no rounding through doubles), string
-- ordering, equality across types, and the errors of ordering incompatible values.

-- integers and floats compare by mathematical value
print(2^53 == 2^53 + 1, 9007199254740992 == 9007199254740993, 2^53 == 9007199254740993)  -- expect: true\tfalse\tfalse
print(9223372036854775807 + 0.0 == 2^63, 9223372036854775807 == 2^63, 9223372036854775807 < 2^63)  -- expect: true\tfalse\ttrue
print(-9223372036854775807 - 1 == -2^63, -9223372036854775807 - 1 < -2^63, -9223372036854775807 - 1 <= -2^63)  -- expect: true\tfalse\ttrue
print(9007199254740993 < 9007199254740992.0, 9007199254740993 > 9007199254740992.0)  -- expect: false\ttrue
print(1 < 1.5, 2 > 1.5, 1 <= 1.0, 1 >= 1.0, -1 < -0.5)  -- expect: true\ttrue\ttrue\ttrue\ttrue
print(1 < 1/0, -1/0 < -9223372036854775807, 9223372036854775807 < 1/0)  -- expect: true\ttrue\ttrue
local nan = 0/0
print(1 < nan, 1 > nan, 1 <= nan, nan <= 1, nan == 1, 9223372036854775807 < nan)  -- expect: false\tfalse\tfalse\tfalse\tfalse\tfalse
print(0.0 == -0.0, 0 == -0.0, 1/0 == 1/0, -1/0 < 1/0)  -- expect: true\ttrue\ttrue\ttrue

-- strings compare byte-wise; numbers and strings are never equal
print("a" < "b", "a" < "ab", "" < "a", "Z" < "a", "abc" <= "abc", "b" > "abc")  -- expect: true\ttrue\ttrue\ttrue\ttrue\ttrue
print("10" < "9", 10 < 9, "10" == 10, 1 == "1", "1" ~= 1)  -- expect: true\tfalse\tfalse\tfalse\ttrue
print("a\0b" < "a\0c", "a\0" > "a", "\255" > "a")  -- expect: true\ttrue\ttrue

-- equality of other types is identity
local t1, t2 = {}, {}
local f = function() end
print(t1 == t1, t1 == t2, f == f, print == print, true == true, nil == false)  -- expect: true\tfalse\ttrue\ttrue\ttrue\tfalse
print(t1 ~= t2, not (t1 == t2), rawequal(t1, t1), rawequal(t1, t2), rawequal(1, 1.0), rawequal("a", "a"))  -- expect: true\ttrue\ttrue\tfalse\ttrue\ttrue

-- ordering errors name both types
print(pcall(function() return {} < {} end))  -- expect: false\tcomparisons.lua:27: attempt to compare two table values
print(pcall(function() return 1 < nil end))  -- expect: false\tcomparisons.lua:28: attempt to compare number with nil
print(pcall(function() return nil > 1 end))  -- expect: false\tcomparisons.lua:29: attempt to compare number with nil
print(pcall(function() return 1 < "2" end))  -- expect: false\tcomparisons.lua:30: attempt to compare number with string
print(pcall(function() return "2" >= 1 end))  -- expect: false\tcomparisons.lua:31: attempt to compare number with string
print(pcall(function() return true <= false end))  -- expect: false\tcomparisons.lua:32: attempt to compare two boolean values
print(pcall(function() return print < print end))  -- expect: false\tcomparisons.lua:33: attempt to compare two function values
print(pcall(function() return {} <= 1 end))  -- expect: false\tcomparisons.lua:34: attempt to compare table with number
local a, b = {}, nil
print(pcall(function() return a < b end))  -- expect: false\tcomparisons.lua:36: attempt to compare table with nil

-- Numbers: integer and float subtypes, / always float, // and % floor semantics with
-- negative and float operands, division by zero, ^ always float, integer wrap-around,
-- string -> number coercion in arithmetic, number -> string in concatenation, and the
-- error messages of failed arithmetic.

-- subtypes show in tostring: floats always print with a dot or exponent
print(1, 1.0, 3 / 1, 6 / 2, 2^2, 7 // 2, 7.0 // 2, 7 // 2.0)  -- expect: 1\t1.0\t3.0\t3.0\t4.0\t3\t3.0\t3.0
print(tostring(3 / 1), tostring(10 // 3), tostring(10.5 // 3))  -- expect: 3.0\t3\t3.0
print(1 == 1.0, 0 == -0, 0.0 == -0.0, 3 % 1, 3.5 % 1)  -- expect: true\ttrue\ttrue\t0\t0.5
print(1 + 2, 1 + 2.0, 2 * 3, 2 * 3.0, 5 - 7, 5 - 7.5)  -- expect: 3\t3.0\t6\t6.0\t-2\t-2.5

-- floor division and modulo round towards minus infinity
print(-7 // 2, -7 % 2, 7 // -2, 7 % -2, -7 // -2, -7 % -2)  -- expect: -4\t1\t-4\t-1\t3\t-1
print(-7.0 // 2, -7.0 % 2, 7 % -2.5, -7 % 2.5, 5.5 % -2, -0.5 // 1)  -- expect: -4.0\t1.0\t-0.5\t0.5\t-0.5\t-1.0
print(3 // 0.0, -3 // 0.0, 0 // 0.0 ~= 0 // 0.0, 3 % -0.0 ~= 3 % -0.0)  -- expect: inf\t-inf\ttrue\ttrue
print(5 % 3.0, -5 % 3.0, 5.25 % 0.5, 1e308 % 3)  -- expect: 2.0\t1.0\t0.25\t2.0
print(3 % (1/0), -3 % (1/0), 3 % -(1/0), -3 % -(1/0))  -- expect: 3.0\tinf\t-inf\t-3.0
print((-9223372036854775807 - 1) // -1, (-9223372036854775807 - 1) % -1)  -- expect: -9223372036854775808\t0

-- division by zero
print(1 / 0, -1 / 0, 0 / 0 ~= 0 / 0, 1 / -0.0, 1 / (0 * -1))  -- expect: inf\t-inf\ttrue\t-inf\tinf
print(pcall(function() return 1 // 0 end))  -- expect: false\tarithmetic.lua:22: attempt to divide by zero
print(pcall(function() return 1 % 0 end))  -- expect: false\tarithmetic.lua:23: attempt to perform 'n%0'
local zero = 0
print(pcall(function() return 10 // zero end))  -- expect: false\tarithmetic.lua:25: attempt to divide by zero
print(pcall(function() return 10 % zero end))  -- expect: false\tarithmetic.lua:26: attempt to perform 'n%0'
print(1 // 0.0, 1 % 0.0 ~= 1 % 0.0, 1.0 // 0)  -- expect: inf\ttrue\tinf

-- exponentiation always gives a float
print(2^0, 2^10, 2^0.5 == 2^0.5, (-8)^(1/3) ~= (-8)^(1/3), 0^0, 10^-1)  -- expect: 1.0\t1024.0\ttrue\ttrue\t1.0\t0.1

-- integer arithmetic wraps around
print(9223372036854775807 + 1, -9223372036854775807 - 2, 9223372036854775807 * 2)  -- expect: -9223372036854775808\t9223372036854775807\t-2
print(-(-9223372036854775807 - 1), 4611686018427387904 * 4)  -- expect: -9223372036854775808\t0
print(9223372036854775807 + 1.0, 9223372036854775807 + 0.0 == 2^63)  -- expect: 9.2233720368548e+18\ttrue

-- strings are converted to numbers by arithmetic
print("10" + 1, "10" * "2", "0x10" * 1, "1e1" + 0, " 3 " - 1, "3.0" + 1)  -- expect: 11\t20\t16\t10.0\t2\t4.0
print(-"2", -"2.5", "7" // 2, "7" % "4", "2" ^ 3, "9" / "3")  -- expect: -2\t-2.5\t3\t3\t8.0\t3.0
print(pcall(function() return 10 .. "" + 1 end))  -- expect: false\tarithmetic.lua:40: attempt to add a 'string' with a 'number'
print(pcall(function() return "abc" + 1 end))  -- expect: false\tarithmetic.lua:41: attempt to add a 'string' with a 'number'
print(pcall(function() return {} + 1 end))  -- expect: false\tarithmetic.lua:42: attempt to perform arithmetic on a table value
print(pcall(function() return 1 - nil end))  -- expect: false\tarithmetic.lua:43: attempt to perform arithmetic on a nil value
print(pcall(function() return -{} end))  -- expect: false\tarithmetic.lua:44: attempt to perform arithmetic on a table value
print(pcall(function() return "1" + "x" end))  -- expect: false\tarithmetic.lua:45: attempt to add a 'string' with a 'string'

-- numbers are converted to strings by concatenation
print(1 .. "", 1.5 .. "", -0.0 .. "", 2^63 .. "", 10 // 1 .. "", 1e100 .. "")  -- expect: 1\t1.5\t-0.0\t9.2233720368548e+18\t10\t1e+100
print(1 .. 2, 0x10 .. "", 1/0 .. "", -1/0 .. "")  -- expect: 12\t16\tinf\t-inf
print(pcall(function() return "a" .. nil end))  -- expect: false\tarithmetic.lua:50: attempt to concatenate a nil value
print(pcall(function() return "a" .. true end))  -- expect: false\tarithmetic.lua:51: attempt to concatenate a boolean value
print(pcall(function() return {} .. "a" end))  -- expect: false\tarithmetic.lua:52: attempt to concatenate a table value

-- bitwise operators: integers, floats with exact integer values, no strings
print(5 & 3, 5 | 3, 5 ~ 3, ~5, 1 << 4, 256 >> 4)  -- expect: 1\t7\t6\t-6\t16\t16
print(-1 >> 1, -1 >> 63, 1 << 64, 1 << -1, 2 >> -1, -1 << 70)  -- expect: 9223372036854775807\t1\t0\t0\t4\t0
print(3.0 & 1, 2^53 | 0, 0xFF ~ 0xF0, "" .. (7 & 2.0))  -- expect: 1\t9007199254740992\t15\t2
print(pcall(function() return 1.5 & 1 end))  -- expect: false\tarithmetic.lua:58: number has no integer representation
print(pcall(function() return 2^63 | 0 end))  -- expect: false\tarithmetic.lua:59: number has no integer representation
print(pcall(function() return "3" & 1 end))  -- expect: false\tarithmetic.lua:60: attempt to perform bitwise operation on a string value (constant '3')
print(pcall(function() return {} | 1 end))  -- expect: false\tarithmetic.lua:61: attempt to perform bitwise operation on a table value
print(pcall(function() return ~nil end))  -- expect: false\tarithmetic.lua:62: attempt to perform bitwise operation on a nil value

-- float values that are integral convert back for table keys and bitwise, not for display
local t = {}
t[1.0] = "one"; t[2] = "two"
print(t[1], t[2.0], #t, t[2^53] == nil)  -- expect: one\ttwo\t2\ttrue

-- NaN is not equal to itself and cannot be a table key
local nan = 0 / 0
print(nan == nan, nan ~= nan, nan < nan, nan >= nan, t[nan])  -- expect: false\ttrue\tfalse\tfalse\tnil
print(pcall(function() t[nan] = 1 end))  -- expect: false\tarithmetic.lua:72: table index is NaN
print(pcall(function() t[nil] = 1 end))  -- expect: false\tarithmetic.lua:73: table index is nil

-- The math library: integer/float subtypes, rounding, fmod, modf, min/max, conversions.
-- Expected values from lua5.4 (5.4.4).

print(math.maxinteger, math.mininteger, math.maxinteger + 1 == math.mininteger)  -- expect: 9223372036854775807\t-9223372036854775808\ttrue
print(math.type(1), math.type(1.0), math.type("1"), math.type(nil), pcall(math.type))  -- expect: integer\tfloat\tnil\tnil\tfalse\tbad argument #1 to 'math.type' (value expected)
print(math.maxinteger + 0.0 == 2^63, math.maxinteger + 0.0, math.mininteger + 0.0 == -2^63)  -- expect: true\t9.2233720368548e+18\ttrue
print(math.floor(3.7), math.ceil(3.2), math.floor(-3.5), math.ceil(-3.5), math.type(math.floor(3.7)))  -- expect: 3\t4\t-4\t-3\tinteger
print(math.floor(2^62) == 2^62, math.type(math.floor(1e100)), math.floor(1e100), math.ceil(-1e100))  -- expect: true\tfloat\t1e+100\t-1e+100
print(math.floor(5), math.ceil(-5), math.floor("3.7"), math.floor(-0.0), math.ceil(-0.5), math.floor(math.huge))  -- expect: 5\t-5\t3\t0\t0\tinf
print(pcall(math.floor, "x"))  -- expect: false\tbad argument #1 to 'math.floor' (number expected, got string)
print(math.fmod(7, 3), math.fmod(-7, 3), math.fmod(7, -3), math.fmod(7.5, 2))  -- expect: 1\t-1\t1\t1.5
print(math.fmod(-6, 4), math.fmod(6, -4), math.fmod(math.mininteger, -1), math.fmod(-6.0, 4))  -- expect: -2\t2\t0\t-2.0
print(pcall(math.fmod, 1, 0))  -- expect: false\tbad argument #2 to 'math.fmod' (zero)
print(math.fmod(1, 0.0) ~= math.fmod(1, 0.0), math.fmod(1.0, 0) ~= math.fmod(1.0, 0), math.fmod(5, math.huge))  -- expect: true\ttrue\t5.0
print(math.modf(3.5))  -- expect: 3\t0.5
print(math.modf(-3.5))  -- expect: -3\t-0.5
print(math.modf(4))  -- expect: 4\t0.0
print(math.modf(math.huge))  -- expect: inf\t0.0
print(math.modf(-math.huge))  -- expect: -inf\t0.0
print(math.modf(1e300))  -- expect: 1e+300\t0.0
print(math.type(math.modf(3.5)), math.modf(2^53))  -- expect: integer\t9007199254740992\t0.0
print(math.tointeger(3.0), math.tointeger(3.5), math.tointeger("8"), math.tointeger(2^63), math.tointeger({}))  -- expect: 3\tnil\t8\tnil\tnil
print(math.tointeger(" 0x10 "), math.tointeger("1e2"), math.tointeger(-0.0), pcall(math.tointeger))  -- expect: 16\t100\t0\tfalse\tbad argument #1 to 'math.tointeger' (value expected)
print(math.ult(1, -1), math.ult(-1, 1), math.ult(2, 3), math.abs(math.mininteger), math.abs(-0.0))  -- expect: true\tfalse\ttrue\t-9223372036854775808\t0.0
print(math.abs(-5), math.abs(5.5), math.abs("-3"), math.type(math.abs(-5)))  -- expect: 5\t5.5\t3.0\tinteger
print(math.huge, -math.huge, math.pi, math.huge > math.maxinteger)  -- expect: inf\t-inf\t3.1415926535898\ttrue
print(math.max(1, 2.5, -1), math.min(3, 1, 2), math.type(math.max(1, 2)), pcall(math.max))  -- expect: 2.5\t1\tinteger\tfalse\tbad argument #1 to 'math.max' (value expected)
print(math.max(1, 2.0), math.max(2.0, 1), math.max(2, 2.0), math.min(2.0, 2), math.min(-0.0, 0))  -- expect: 2.0\t2.0\t2\t2.0\t-0.0
print(pcall(math.min, 1, "x"))  -- expect: false\tattempt to compare string with number
print(pcall(math.max, 1, nil))  -- expect: false\tattempt to compare number with nil
print(math.sqrt(16), math.exp(0), math.log(1), math.log(8, 2), math.log(100, 10), math.log(27, 3))  -- expect: 4.0\t1.0\t0.0\t3.0\t2.0\t3.0
print(math.log(0), math.log(2^60, 2), math.log(1000, 10), math.exp(1))  -- expect: -inf\t60.0\t3.0\t2.718281828459
print(math.sin(0), math.cos(0), math.tan(0), math.asin(1), math.acos(1))  -- expect: 0.0\t1.0\t0.0\t1.5707963267949\t0.0
print(math.atan(1, 0), math.atan(-0.0, -1), math.atan(1), math.atan(0, -1), math.atan(1, 1))  -- expect: 1.5707963267949\t-3.1415926535898\t0.78539816339745\t3.1415926535898\t0.78539816339745
print(math.sqrt(2), math.sin(math.pi / 6), math.cos(math.pi / 3))  -- expect: 1.4142135623731\t0.5\t0.5
print(3 % math.huge, -3 % math.huge, 3 // math.huge, -3 // math.huge)  -- expect: 3.0\tinf\t0.0\t-0.0
print(pcall(math.ult, 1.5, 2))  -- expect: false\tbad argument #1 to 'math.ult' (number has no integer representation)
print(pcall(math.sqrt))  -- expect: false\tbad argument #1 to 'math.sqrt' (number expected, got no value)
for i = math.maxinteger - 2, math.maxinteger do io.write(i, " ") end print()  -- expect: 9223372036854775805 9223372036854775806 9223372036854775807 
print(string.format("%.17g", 0.1), string.format("%.0f", 0.5), string.format("%.0f", 1.5))  -- expect: 0.10000000000000001\t0\t2

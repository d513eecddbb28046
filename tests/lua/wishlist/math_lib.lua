-- Wishlist (needs the math library): math.type, integer limits, conversions, floor/ceil,
-- fmod, tointeger, ult, abs, huge, pi, min/max, and integer/float results.

print(math.maxinteger, math.mininteger, math.maxinteger + 1 == math.mininteger)  -- expect: 9223372036854775807\t-9223372036854775808\ttrue
print(math.type(1), math.type(1.0), math.type("1"), math.type(nil))  -- expect: integer\tfloat\tnil\tnil
print(math.maxinteger + 0.0 == 2^63, math.maxinteger + 0.0, math.mininteger + 0.0 == -2^63)  -- expect: true\t9.2233720368548e+18\ttrue
print(math.floor(3.7), math.ceil(3.2), math.floor(-3.5), math.ceil(-3.5), math.type(math.floor(3.7)))  -- expect: 3\t4\t-4\t-3\tinteger
print(math.floor(2^62) == 2^62, math.type(math.floor(1e100)))  -- expect: true\tfloat
print(math.fmod(7, 3), math.fmod(-7, 3), math.fmod(7, -3), math.fmod(7.5, 2))  -- expect: 1\t-1\t1\t1.5
print(pcall(math.fmod, 1, 0))  -- expect: false\tbad argument #2 to 'math.fmod' (zero)
print(math.fmod(1, 0.0) ~= math.fmod(1, 0.0))  -- expect: true
print(math.tointeger(3.0), math.tointeger(3.5), math.tointeger("8"), math.tointeger(2^63))  -- expect: 3\tnil\t8\tnil
print(math.ult(1, -1), math.ult(-1, 1), math.abs(math.mininteger), math.abs(-0.0))  -- expect: true\tfalse\t-9223372036854775808\t0.0
print(math.huge, -math.huge, math.pi)  -- expect: inf\t-inf\t3.1415926535898
print(math.max(1, 2.5, -1), math.min(3, 1, 2), math.type(math.max(1, 2)), pcall(math.max))  -- expect: 2.5\t1\tinteger\tfalse\tbad argument #1 to 'math.max' (value expected)
print(math.sqrt(16), math.exp(0), math.log(1), math.log(8, 2), math.log(100, 10))  -- expect: 4.0\t1.0\t0.0\t3.0\t2.0
print(3 % math.huge, -3 % math.huge, 3 // math.huge, -3 // math.huge)  -- expect: 3.0\tinf\t0.0\t-0.0
print(string.format("%.17g", 0.1), string.format("%.0f", 0.5), string.format("%.0f", 1.5))  -- expect: 0.10000000000000001\t0\t2
for i = math.maxinteger - 2, math.maxinteger do io.write(i, " ") end print()  -- expect: 9223372036854775805 9223372036854775806 9223372036854775807 

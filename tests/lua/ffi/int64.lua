-- 64-bit integer arithmetic and comparisons on cdata, with LuaJIT 2.1's rules: when an
-- operand is a boxed C number, both are converted to int64_t (uint64_t if either is a
-- uint64_t) and the result is boxed. Each expectation is what LuaJIT prints.
local ffi = require("ffi")
local rivet = _VERSION == "Lua 5.4"

-- int64 op number -> int64; floats are truncated first.
print(1LL + 1, 1LL + 1.5, 1LL * 2.9, 10LL - 20, 2 * 3LL) -- expect: 2LL\t2LL\t2LL\t-10LL\t6LL
-- Any uint64_t operand makes the result unsigned.
print(1ULL - 2, -1LL + 0ULL, 1LL == 1ULL, 5ULL * 2LL) -- expect: 18446744073709551615ULL\t18446744073709551615ULL\ttrue\t10ULL
-- Other boxed numbers compute in int64_t too (even doubles, truncated).
print(ffi.new("int", 5) + 1, ffi.new("double", 1.5) + 1, ffi.new("float", 2.5) * 2) -- expect: 6LL\t2LL\t4LL
print(ffi.new("uint8_t", 255) + 1, ffi.new("int8_t", -1) * ffi.new("uint64_t", 1), ffi.new("bool", true) + 1) -- expect: 256LL\t18446744073709551615ULL\t2LL
-- Overflow wraps.
print(9223372036854775807LL + 1, 2LL ^ 63, 3LL ^ 40, -(-9223372036854775807LL - 1)) -- expect: -9223372036854775808LL\t-9223372036854775808LL\t-6289078614652622815LL\t-9223372036854775808LL
-- Division and modulo truncate, as in C; a zero divisor gives LuaJIT's values.
print(5LL / 2, -10LL / 3, 10ULL / 3, -7LL % 3, 7LL % -3, -7ULL % 3) -- expect: 2LL\t-3LL\t3ULL\t-1LL\t1LL\t0ULL
print(5LL / 0, -5LL / 0, 5ULL / 0, 5LL % 0) -- expect: -9223372036854775808LL\t-9223372036854775808LL\t9223372036854775808ULL\t-9223372036854775808LL
-- ^ is an integer power; negative exponents give 0 except for 1 and -1.
print(2LL ^ 10, 0LL ^ 0, (-2LL) ^ 3, 2LL ^ -1, 1LL ^ -5, (-1LL) ^ -3, 2ULL ^ 64) -- expect: 1024LL\t1LL\t-8LL\t0LL\t1LL\t-1LL\t0ULL
print(-1ULL, -0LL, -(2LL)) -- expect: 18446744073709551615ULL\t0LL\t-2LL
-- Out-of-range floats convert as x86-64's cvttsd2si does.
print(1LL + 1e30, 1LL + 0 / 0) -- expect: -9223372036854775807LL\t-9223372036854775807LL

-- Comparisons: in int64_t or uint64_t as well, so -1 < 0ULL is false.
print(1LL < 2, 2.5 > 2LL, 1LL < 1.5, 1LL <= 1.5, -1LL < 1ULL, 0ULL - 1 > 0) -- expect: true\tfalse\tfalse\ttrue\tfalse\ttrue
-- == between a cdata and a number compares values; other types are never equal.
print(1LL == 1, 1 == 1LL, 1LL == 1.5, 1LL ~= 2, ffi.new("int", 1) == 1, 1LL == "1", 1LL == true, 1LL == nil) -- expect: true\ttrue\ttrue\ttrue\ttrue\tfalse\tfalse\tfalse
-- A NULL pointer equals nil.
local null, p = ffi.new("void *"), ffi.new("int[1]")
print(null == nil, nil == null, null ~= nil, p == nil, ffi.cast("int *", p) ~= nil) -- expect: true\ttrue\tfalse\tfalse\ttrue
-- A cdata as table key is the object, not its value.
local t = { [1] = "one" }
local k = 1LL
t[k] = "boxed"
print(t[1], t[k], t[1LL]) -- expect: one\tboxed\tnil

-- tostring, tonumber.
print(tostring(-1LL), tostring(ffi.new("uint64_t", 5)), tostring(ffi.new("int64_t", -5))) -- expect: -1LL\t5ULL\t-5LL
print(tonumber(1LL), tonumber(-1LL), tonumber(0xffffffffffffffffULL), tonumber(ffi.new("int64_t", 5))) -- expect: 1\t-1\t1.844674407371e+19\t5
-- tonumber keeps every int64_t exactly (a Lua 5.4 integer); LuaJIT gives a double.
-- luajit: 9.007199254741e+15\tnumber
print(tonumber(2 ^ 53 + 1LL), rivet and math.type(tonumber(2 ^ 53 + 1LL)) or "number") -- expect: 9007199254740993\tinteger
-- string.format's integer conversions take the 64 bits of int64_t and uint64_t cdata.
print(string.format("%d %x %i %u", 5LL, -1LL, 0xffffffffffffffffULL, -1LL)) -- expect: 5 ffffffffffffffff -1 18446744073709551615
-- A uint64_t past 2^63 becomes a float (no Lua integer holds it).
print(tonumber(0x8000000000000000ULL) == 2 ^ 63) -- expect: true

-- No arithmetic on complex numbers or with strings, as in LuaJIT (int64_t is called by its
-- C name, `long long`, in rivet's messages).
-- luajit: false\tint64.lua:52: attempt to perform arithmetic on 'complex' and 'number'
print(pcall(function() return 2i + 1 end)) -- expect: false\tint64.lua:52: attempt to perform arithmetic on 'complex double' and 'number'
-- luajit: false\tint64.lua:54: attempt to perform arithmetic on 'int64_t' and 'string'
print(pcall(function() return 1LL + "2" end)) -- expect: false\tint64.lua:54: attempt to perform arithmetic on 'long long' and 'string'

if rivet then
  -- Lua 5.4 operators (LuaJIT's parser does not know them: compiled at run time): // floors
  -- and raises Lua's error on zero, the bitwise operators work on 64 bits.
  local f = load("local a, b = ... return a // b, a & 0xff, a | 1, a ~ -1, ~a, a << 60, a >> 1")
  -- luajit: (skip)
  print(f(-7LL, 2)) -- expect: -4LL\t249LL\t-7LL\t6LL\t6LL\t-8070450532247928832LL\t9223372036854775804LL
  -- luajit: (skip)
  print(pcall(f, 1LL, 0)) -- expect: false\t[string "local a, b = ... return a // b, a & 0xff, a |..."]:1: attempt to perform 'n//0'
end

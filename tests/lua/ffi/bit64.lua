-- The bit library on 64-bit cdata, as LuaJIT 2.1's: a cdata argument makes the operation
-- 64-bit with a boxed result (uint64_t if an argument is one, else int64_t). Each
-- expectation is what LuaJIT prints.
local ffi = require("ffi")

print(bit.band(1LL, 3), bit.band(-1ULL, 1), bit.bor(1, 2LL), bit.bxor(3ULL, 1LL, 7)) -- expect: 1LL\t1ULL\t3LL\t5ULL
-- Every integer cdata counts, and numbers are converted to 64 bits (not cut to 32).
print(bit.band(ffi.new("int", 3), 1), bit.band(-1, 0xffffffffffLL), bit.band(2 ^ 40, 0xffffffffffffLL)) -- expect: 1LL\t1099511627775LL\t1099511627776LL
print(bit.bnot(0ULL), bit.bnot(0LL), bit.bswap(1LL)) -- expect: 18446744073709551615ULL\t-1LL\t72057594037927936LL
-- Shifts and rotations take their count modulo 64; arshift is arithmetic even on uint64_t.
print(bit.lshift(1LL, 40), bit.rshift(-1LL, 60), bit.arshift(-1LL, 60), bit.rol(1LL, 65), bit.ror(1ULL, 1)) -- expect: 1099511627776LL\t15LL\t-1LL\t2LL\t9223372036854775808ULL
print(bit.arshift(-256LL, 4), bit.rshift(-256ULL, 4), bit.arshift(-256ULL, 4)) -- expect: -16LL\t1152921504606846960ULL\t18446744073709551600ULL
-- Only the first argument decides: a cdata count still gives a 32-bit result.
print(bit.lshift(1, 40LL), bit.lshift(1LL, 40LL)) -- expect: 256\t1099511627776LL
-- tobit always gives a number (the low 32 bits).
print(bit.tobit(1LL), bit.tobit(0x100000001LL), bit.tobit(ffi.new("uint64_t", 5))) -- expect: 1\t1\t5
-- tohex: 16 digits by default for a 64-bit value.
print(bit.tohex(1LL), bit.tohex(-1LL), bit.tohex(0x123ULL, 4), bit.tohex(0x1234ULL, -8), bit.tohex(255, 4LL)) -- expect: 0000000000000001\tffffffffffffffff\t0123\t00001234\t00ff
print(bit.tohex(1LL, 17), bit.tohex(0x123ULL, -20), bit.tohex(1LL, 0) == "") -- expect: 00000000000000001\t00000000000000000123\ttrue
-- Strings still convert; other values are errors (LuaJIT's fast functions have no name).
-- luajit: 1LL\tfalse\tbad argument #2 to '?' (number expected, got table)
print(bit.band(1LL, "3"), pcall(bit.band, 1LL, {})) -- expect: 1LL\tfalse\tbad argument #2 to 'bit.band' (number expected, got table)

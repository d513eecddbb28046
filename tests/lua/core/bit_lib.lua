-- The bit module (LuaJIT BitOp): a global and a module, 32-bit signed results.
print(bit.tobit(0xffffffff), bit.tobit(2^32 + 1), bit.tobit(2.5), bit.tobit(3.5))
-- expect: -1\t1\t2\t4
print(bit.tohex(255), bit.tohex(-1, -4), bit.tohex(0x12345678, 2))
-- expect: 000000ff\tFFFF\t78
print(bit.band(0xff, 0x0f, 0x3), bit.bor(1, 2, 4, 8), bit.bxor(5, 3), bit.bnot(0))
-- expect: 3\t15\t6\t-1
print(bit.lshift(1, 31), bit.rshift(-1, 28), bit.arshift(-256, 4), bit.lshift(1, 33))
-- expect: -2147483648\t15\t-16\t2
print(bit.rol(0x12345678, 8) == 0x34567812, bit.ror(0x12345678, 8) == 0x78123456, bit.bswap(0x12345678) == 0x78563412)
-- expect: true\ttrue\ttrue
print(math.type(bit.tobit(1.0)), math.type(bit.band("3", 1)))
-- expect: integer\tinteger
print(require("bit") == bit)
-- expect: true
print(pcall(bit.band))
-- expect: false\tbad argument #1 to 'bit.band' (number expected, got no value)
print(pcall(bit.lshift, 1, {}))
-- expect: false\tbad argument #2 to 'bit.lshift' (number expected, got table)
bit.tobit("x")
-- error: bad argument #1 to 'tobit' (number expected, got string)

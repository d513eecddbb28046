-- string.pack, string.unpack and string.packsize: every option, endianness, alignment,
-- sizes 1-16, strings, padding, positions and every error.

local function hex(s) return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end)) end
local mininteger, maxinteger = -9223372036854775807 - 1, 9223372036854775807

-- integers of every size and endianness
print(hex(string.pack("b", -1)), hex(string.pack("B", 255)), hex(string.pack("h", -2)), hex(string.pack("H", 65535)))  -- expect: ff\tff\tfeff\tffff
print(hex(string.pack("<i4", 1)), hex(string.pack(">i4", 1)), hex(string.pack("=i4", 1)), hex(string.pack("i", -1)))  -- expect: 01000000\t00000001\t01000000\tffffffff
print(hex(string.pack("<l", 1)), hex(string.pack("<L", 1)), hex(string.pack("<j", -1)), hex(string.pack("<J", 1)), hex(string.pack("<T", 1)))  -- expect: 0100000000000000\t0100000000000000\tffffffffffffffff\t0100000000000000\t0100000000000000
print(hex(string.pack("<i3", -2)), hex(string.pack(">I3", 0x123456)), hex(string.pack("<i1", 127)), hex(string.pack("<I2", 513)))  -- expect: feffff\t123456\t7f\t0102
print(hex(string.pack("<i16", -1)), hex(string.pack(">i16", 1)), hex(string.pack("<I9", 1)), hex(string.pack(">i12", -2)))  -- expect: ffffffffffffffffffffffffffffffff\t00000000000000000000000000000001\t010000000000000000\tfffffffffffffffffffffffe
print(hex(string.pack("<j", mininteger)), hex(string.pack("<j", maxinteger)), hex(string.pack(">J", -1)))  -- expect: 0000000000000080\tffffffffffffff7f\tffffffffffffffff
print(hex(string.pack("<i7", -(1 << 55))), hex(string.pack("<i7", (1 << 55) - 1)), hex(string.pack("<I7", (1 << 56) - 1)))  -- expect: 00000000000080\tffffffffffff7f\tffffffffffffff
print(hex(string.pack("i", 3.0)), hex(string.pack("i", "7")), hex(string.pack("<i2 >i2", 1, 1)))  -- expect: 03000000\t07000000\t01000001
for size = 1, 16 do
  local v = size < 8 and (1 << (8 * size - 1)) - 1 or maxinteger
  local packed = string.pack("<i" .. size, v)
  local back, pos = string.unpack("<i" .. size, packed)
  local nback = string.unpack("<i" .. size, string.pack("<i" .. size, -v))
  local uback = string.unpack(">I" .. size, string.pack(">I" .. size, 5))
  print(size, #packed, back == v, nback == -v, uback, pos, string.packsize("i" .. size))
  -- expect: 1\t1\ttrue\ttrue\t5\t2\t1
  -- expect: 2\t2\ttrue\ttrue\t5\t3\t2
  -- expect: 3\t3\ttrue\ttrue\t5\t4\t3
  -- expect: 4\t4\ttrue\ttrue\t5\t5\t4
  -- expect: 5\t5\ttrue\ttrue\t5\t6\t5
  -- expect: 6\t6\ttrue\ttrue\t5\t7\t6
  -- expect: 7\t7\ttrue\ttrue\t5\t8\t7
  -- expect: 8\t8\ttrue\ttrue\t5\t9\t8
  -- expect: 9\t9\ttrue\ttrue\t5\t10\t9
  -- expect: 10\t10\ttrue\ttrue\t5\t11\t10
  -- expect: 11\t11\ttrue\ttrue\t5\t12\t11
  -- expect: 12\t12\ttrue\ttrue\t5\t13\t12
  -- expect: 13\t13\ttrue\ttrue\t5\t14\t13
  -- expect: 14\t14\ttrue\ttrue\t5\t15\t14
  -- expect: 15\t15\ttrue\ttrue\t5\t16\t15
  -- expect: 16\t16\ttrue\ttrue\t5\t17\t16
end

-- floats
print(hex(string.pack("<f", 1.5)), hex(string.pack(">f", -2)), hex(string.pack("<d", 1.5)), hex(string.pack(">n", 0.1)))  -- expect: 0000c03f\tc0000000\t000000000000f83f\t3fb999999999999a
print(string.unpack("<f", string.pack("<f", 0.1)), string.unpack("<d", string.pack("<d", 0.1)), string.unpack(">n", string.pack(">n", -1/0)))  -- expect: 0.10000000149012\t0.1\t-inf\t9
print(string.unpack("f", string.pack("f", 1e300)), string.unpack("d", string.pack("d", 5)), string.unpack("n", string.pack("n", 3)))  -- expect: inf\t5.0\t3.0\t9
print(hex(string.pack("<d", 0/0)):sub(13), string.unpack("d", string.pack("d", 0/0)) ~= string.unpack("d", string.pack("d", 0/0)))  -- expect: f8ff\ttrue
print(hex(string.pack("f", "2.5")), pcall(string.pack, "f", "x"))  -- expect: 00002040\tfalse\tbad argument #2 to 'string.pack' (number expected, got string)

-- strings
print(hex(string.pack("z", "abc")), hex(string.pack("s1", "abc")), hex(string.pack(">s2", "abc")), hex(string.pack("<s", "ab")))  -- expect: 61626300\t03616263\t0003616263\t02000000000000006162
print(hex(string.pack("c5", "abc")), hex(string.pack("c3", "abc")), hex(string.pack("c0", "")), hex(string.pack("c2", 12)))  -- expect: 6162630000\t616263\t\t3132
print(string.unpack("z", "abc\0def\0"), string.unpack("zz", "abc\0def\0"), string.unpack("s1", "\3abcd"))  -- expect: abc\tabc\tabc\t5
print(string.unpack("c3", "abcdef"), string.unpack("c3c3", "abcdef"), string.unpack("c0", "abc"))  -- expect: abc\tabc\t\t1
print(string.unpack("s1", string.pack("s1", "")), string.unpack(">s4", string.pack(">s4", "hello")), string.unpack("s16", string.pack("s16", "x")))  -- expect: \thello\tx\t18
print(#string.pack("s", ("x"):rep(1000)), string.unpack("s", string.pack("s", ("x"):rep(1000))):len())  -- expect: 1008\t1000
print(string.unpack("z", "\0"), string.unpack("z", "abc\0", 2), hex(string.pack("zB", "", 7)))  -- expect: \tbc\t0007

-- padding and alignment
print(hex(string.pack("bxh", 1, 2)), hex(string.pack("!bh", 1, 2)), hex(string.pack("!4 b i", 1, 2)), hex(string.pack("!2 b i8", 1, 2)))  -- expect: 01000200\t01000200\t0100000002000000\t01000200000000000000
print(hex(string.pack("!8 b d", 1, 0)), hex(string.pack("!bXi", 1)), hex(string.pack("!4 bXi8", 1)), hex(string.pack("bXh", 1)))  -- expect: 01000000000000000000000000000000\t01000000\t01000000\t01
print(hex(string.pack("!bXhb", 1, 2)), hex(string.pack("!b Xd b", 1, 2)), hex(string.pack("!8 b i16", 1, 2)))  -- expect: 010002\t010000000000000002\t010000000000000002000000000000000000000000000000
print(string.packsize("!bh"), string.packsize("!4 bi8"), string.packsize("!bd"), string.packsize("!2bd"), string.packsize("bXd"))  -- expect: 4\t12\t16\t10\t1
print(string.packsize("!8 b Xi16"), string.packsize("!16 b Xi16"), string.packsize("x"), string.packsize("xxxx"), string.packsize(""))  -- expect: 8\t16\t1\t4\t0
print(string.packsize("i"), string.packsize("l"), string.packsize("j"), string.packsize("T"), string.packsize("f"), string.packsize("d"), string.packsize("n"))  -- expect: 4\t8\t8\t8\t4\t8\t8
print(string.packsize("c10"), string.packsize("<>=! "), string.packsize("!1 b i"), string.packsize("bhij"), string.packsize("!bhij"))  -- expect: 10\t0\t5\t15\t16
print(string.unpack("!4 b i", string.pack("!4 b i", 7, 9)))  -- expect: 7\t9\t9
print(string.unpack("bxh", string.pack("bxh", 1, 2)))  -- expect: 1\t2\t5
print(string.unpack("!bXi b", string.pack("!bXi b", 1, 2)))  -- expect: 1\t2\t6

-- unpack positions
print(string.unpack("b", "\1\2\3", 2), string.unpack("b", "\1\2\3", -1), string.unpack("b", "\1\2\3", -3))  -- expect: 2\t3\t1\t2
print(string.unpack("", "abc"), string.unpack("", "abc", 4), string.unpack("", "abc", -10), string.unpack("b", "\1\2\3", 0))  -- expect: 1\t4\t1\t1\t2
print(string.unpack("<h", "\1\0\2\0", 3), string.unpack("B", 7), string.unpack("i1", "\255"), string.unpack("I1", "\255"))  -- expect: 2\t55\t-1\t255\t2
print(select("#", string.unpack("bbb", "\1\2\3")), string.unpack("bbb", "\1\2\3"))  -- expect: 4\t1\t2\t3\t4
print(string.unpack("<i2", "\255\127"), string.unpack("<i2", "\0\128"), string.unpack("<I2", "\0\128"), string.unpack(">i3", "\255\255\254"))  -- expect: 32767\t-32768\t32768\t-2\t4
print(string.unpack("<i9", "\255\255\255\255\255\255\255\255\255"), string.unpack("<I9", "\1\0\0\0\0\0\0\0\0"), string.unpack("<i16", string.pack("<i16", mininteger)))  -- expect: -1\t1\t-9223372036854775808\t17
print(string.unpack(">j", string.pack(">j", 0x0102030405060708)), string.unpack("<J", ("\255"):rep(8)))  -- expect: 72623859790382856\t-1\t9
print(string.unpack("z", "a\0b\0", 3), string.unpack("c2", "abcd", 3))  -- expect: b\tcd\t5

-- format strings end at a zero byte, as in C
print(hex(string.pack("b\0b", 1, 2)), string.packsize("i\0i"), string.unpack("b\0b", "\1\2"))  -- expect: 01\t4\t1\t2

-- errors
local function try(f, ...) return (tostring(select(2, pcall(f, ...))):gsub("[\128-\255]", "<?>")) end
print(try(string.pack, "i17", 1))  -- expect: integral size (17) out of limits [1,16]
print(try(string.pack, "i0", 1))  -- expect: integral size (0) out of limits [1,16]
print(try(string.pack, "I17", 1))  -- expect: integral size (17) out of limits [1,16]
print(try(string.pack, "s0", ""))  -- expect: integral size (0) out of limits [1,16]
print(try(string.pack, "!17", 1))  -- expect: integral size (17) out of limits [1,16]
print(try(string.pack, "!0", 1))  -- expect: integral size (0) out of limits [1,16]
print(try(string.pack, "c", ""))  -- expect: missing size for format option 'c'
print(try(string.pack, "y", 1))  -- expect: invalid format option 'y'
print(try(string.pack, "i1", 128))  -- expect: bad argument #2 to 'string.pack' (integer overflow)
print(try(string.pack, "i1", -129))  -- expect: bad argument #2 to 'string.pack' (integer overflow)
print(try(string.pack, "I1", 256))  -- expect: bad argument #2 to 'string.pack' (unsigned overflow)
print(try(string.pack, "I1", -1))  -- expect: bad argument #2 to 'string.pack' (unsigned overflow)
print(try(string.pack, "i2", 32768))  -- expect: bad argument #2 to 'string.pack' (integer overflow)
print(try(string.pack, "I7", 1 << 56))  -- expect: bad argument #2 to 'string.pack' (unsigned overflow)
print(try(string.pack, "i", 1.5))  -- expect: bad argument #2 to 'string.pack' (number has no integer representation)
print(try(string.pack, "i", "x"))  -- expect: bad argument #2 to 'string.pack' (number expected, got string)
print(try(string.pack, "i"))  -- expect: bad argument #2 to 'string.pack' (number expected, got nil)
print(try(string.pack, "d", {}))  -- expect: bad argument #2 to 'string.pack' (number expected, got table)
print(try(string.pack, "c2", "abc"))  -- expect: bad argument #2 to 'string.pack' (string longer than given size)
print(try(string.pack, "s1", ("x"):rep(256)))  -- expect: bad argument #2 to 'string.pack' (string length does not fit in given size)
print(try(string.pack, "z", "a\0b"))  -- expect: bad argument #2 to 'string.pack' (string contains zeros)
print(try(string.pack, "z", nil))  -- expect: bad argument #2 to 'string.pack' (string expected, got nil)
print(try(string.pack, "X"))  -- expect: bad argument #1 to 'string.pack' (invalid next option for option 'X')
print(try(string.pack, "Xc1"))  -- expect: bad argument #1 to 'string.pack' (invalid next option for option 'X')
print(try(string.pack, "Xz"))  -- expect: bad argument #1 to 'string.pack' (invalid next option for option 'X')
print(try(string.pack, "X "))  -- expect: bad argument #1 to 'string.pack' (invalid next option for option 'X')
print(try(string.pack, "!3 i3", 1))  -- expect: bad argument #1 to 'string.pack' (format asks for alignment not power of 2)
print(try(string.pack, "!4 i3", 1))  -- expect: bad argument #1 to 'string.pack' (format asks for alignment not power of 2)
print(try(string.pack, "!8 i6", 1))  -- expect: bad argument #1 to 'string.pack' (format asks for alignment not power of 2)
print(try(string.pack))  -- expect: bad argument #1 to 'string.pack' (string expected, got no value)
print(try(string.packsize, "s"))  -- expect: bad argument #1 to 'string.packsize' (variable-length format)
print(try(string.packsize, "z"))  -- expect: bad argument #1 to 'string.packsize' (variable-length format)
print(try(string.packsize, "c2147483647c2"))  -- expect: invalid format option '7'
print(try(string.packsize, "c2147483640c10"))  -- expect: invalid format option '0'
print(try(string.packsize, ("c1000000000"):rep(3)))  -- expect: bad argument #1 to 'string.packsize' (format result too large)
print(try(string.packsize, "i17"))  -- expect: integral size (17) out of limits [1,16]
print(try(string.packsize, "\255"))  -- expect: invalid format option '<?>'
print(try(string.unpack, "i4", "abc"))  -- expect: bad argument #2 to 'string.unpack' (data string too short)
print(try(string.unpack, "c4", "abc"))  -- expect: bad argument #2 to 'string.unpack' (data string too short)
print(try(string.unpack, "z", "abc"))  -- expect: bad argument #2 to 'string.unpack' (unfinished string for format 'z')
print(try(string.unpack, "s1", "\5abc"))  -- expect: bad argument #2 to 'string.unpack' (data string too short)
print(try(string.unpack, "s1", ""))  -- expect: bad argument #2 to 'string.unpack' (data string too short)
print(try(string.unpack, "i4", "abcd", 6))  -- expect: bad argument #3 to 'string.unpack' (initial position out of string)
print(try(string.unpack, "i4", "abcd", 5))  -- expect: bad argument #2 to 'string.unpack' (data string too short)
print(try(string.unpack, "b", "abc", 1.5))  -- expect: bad argument #3 to 'string.unpack' (number has no integer representation)
print(try(string.unpack, "i9", "\0\0\0\0\0\0\0\0\1"))  -- expect: 9-byte integer does not fit into Lua Integer
print(try(string.unpack, "<i9", "\0\0\0\0\0\0\0\128\0"))  -- expect: 9-byte integer does not fit into Lua Integer
print(try(string.unpack, "<I9", "\0\0\0\0\0\0\0\128\255"))  -- expect: 9-byte integer does not fit into Lua Integer
print(try(string.unpack, "<i16", ("\255"):rep(8) .. "\254" .. ("\255"):rep(7)))  -- expect: 16-byte integer does not fit into Lua Integer
print(try(string.unpack, "!4 b i", "\1\0\0"))  -- expect: bad argument #2 to 'string.unpack' (data string too short)
print(try(string.unpack, "d", "1234567"))  -- expect: bad argument #2 to 'string.unpack' (data string too short)
print(try(string.unpack))  -- expect: bad argument #1 to 'string.unpack' (string expected, got no value)
print(try(string.unpack, "b"))  -- expect: bad argument #2 to 'string.unpack' (string expected, got no value)
print(try(string.unpack, ("b"):rep(1000000), ("x"):rep(1000000)))  -- expect: stack overflow (too many results)
print(select("#", string.unpack(("b"):rep(10000), ("x"):rep(10000))))  -- expect: 10001

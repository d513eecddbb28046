-- LuaJIT's suffixed numerals: 123LL (int64_t), 123ULL (uint64_t), 12.5i (complex). Each
-- expectation is what LuaJIT 2.1 prints.
local ffi = require("ffi")

-- The suffixes in any case; hexadecimal integers; ULL also spelt LLU.
print(1LL, 1ll, 1lL, 123ULL, 123ull, 123uLL, 1LLU, 0xffULL, 0x10LL, 00012LL) -- expect: 1LL\t1LL\t1LL\t123ULL\t123ULL\t123ULL\t1ULL\t255ULL\t16LL\t12LL
print(type(1LL), type(1ULL), type(2i)) -- expect: cdata\tcdata\tcdata
print(ffi.istype("int64_t", 1LL), ffi.istype("uint64_t", 1ULL), ffi.istype("complex", 2i)) -- expect: true\ttrue\ttrue
-- The whole 64-bit range; a signed literal past 2^63 - 1 wraps as in C.
print(9223372036854775807LL, 9223372036854775808LL, 0xffffffffffffffffLL) -- expect: 9223372036854775807LL\t-9223372036854775808LL\t-1LL
print(18446744073709551615ULL, 0x8000000000000000ULL) -- expect: 18446744073709551615ULL\t9223372036854775808ULL
-- A minus sign folds into the literal.
print(-1LL, -1ULL, -0x8000000000000000ULL, -0x7fffffffffffffffLL) -- expect: -1LL\t18446744073709551615ULL\t9223372036854775808ULL\t-9223372036854775807LL
-- Imaginary literals: any numeral, the real part is 0.
print(12.5i, 2i, 2I, 0x10i, 1e2i, .5i, 3.i, 0x1p4i, 0x.8i) -- expect: 0+12.5i\t0+2i\t0+2i\t0+16i\t0+100i\t0+0.5i\t0+3i\t0+16i\t0+0.5i
print(-12.5i, 0i, -0i, 1e400i, -1e400i, 1e-400i) -- expect: 0-12.5i\t0+0i\t0-0i\t0+infI\t0-infI\t0+0i
-- A literal is one cdata, made the first time it runs and kept by the function (a boxed
-- number cannot be changed); equal literals elsewhere are other cdata, equal by value.
local t = {}
for i = 1, 2 do t[i] = 5LL end
print(rawequal(t[1], t[2]), rawequal(t[1], 5LL), t[1] == 5LL) -- expect: true\tfalse\ttrue

-- What LuaJIT rejects: fractions, exponents or overflow with LL, bad suffixes, a suffix
-- followed by more characters.
for _, s in ipairs({ "1.5LL", "1.LL", "1e2LL", "0x1p4LL", "0xULL", "99999999999999999999LL",
  "18446744073709551616ULL", "0x7fffffffffffffffffLL", "1L", "1U", "1ul", "1LuL", "1uuLL",
  "1LLi", "1ULLi", "1i2", "1LLx", "1LL..2" }) do
  local f, err = load("return " .. s)
  io.write(err, "\n")
end
-- expect: [string "return 1.5LL"]:1: malformed number near '1.5LL'
-- expect: [string "return 1.LL"]:1: malformed number near '1.LL'
-- expect: [string "return 1e2LL"]:1: malformed number near '1e2LL'
-- expect: [string "return 0x1p4LL"]:1: malformed number near '0x1p4LL'
-- expect: [string "return 0xULL"]:1: malformed number near '0xULL'
-- expect: [string "return 99999999999999999999LL"]:1: malformed number near '99999999999999999999LL'
-- expect: [string "return 18446744073709551616ULL"]:1: malformed number near '18446744073709551616ULL'
-- expect: [string "return 0x7fffffffffffffffffLL"]:1: malformed number near '0x7fffffffffffffffffLL'
-- expect: [string "return 1L"]:1: malformed number near '1L'
-- expect: [string "return 1U"]:1: malformed number near '1U'
-- expect: [string "return 1ul"]:1: malformed number near '1ul'
-- expect: [string "return 1LuL"]:1: malformed number near '1LuL'
-- expect: [string "return 1uuLL"]:1: malformed number near '1uuLL'
-- expect: [string "return 1LLi"]:1: malformed number near '1LLi'
-- expect: [string "return 1ULLi"]:1: malformed number near '1ULLi'
-- expect: [string "return 1i2"]:1: malformed number near '1i2'
-- expect: [string "return 1LLx"]:1: malformed number near '1LLx'
-- expect: [string "return 1LL..2"]:1: malformed number near '1LL..2'

-- Literals survive string.dump.
local f = load("return 7LL, 0xffffffffffffffffULL, -2.5i")
print(load(string.dump(f))()) -- expect: 7LL\t18446744073709551615ULL\t0-2.5i
print(load(string.dump(f, true))()) -- expect: 7LL\t18446744073709551615ULL\t0-2.5i

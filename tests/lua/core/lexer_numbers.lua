-- Lexer: numerals. Decimal and hexadecimal integers and floats, exponents, hex floats with
-- binary 'p' exponents, decimal integers too large for 64 bits becoming floats, hex integers
-- wrapping around modulo 2^64, extreme values written as literals, malformed numbers.

print(0, 00, 123, 1e2, 1E2, 1e+2, 1e-2, .5, 5., 3.25e1)  -- expect: 0\t0\t123\t100.0\t100.0\t100.0\t0.01\t0.5\t5.0\t32.5
print(0x10, 0XfF, 0xA, 0x0)  -- expect: 16\t255\t10\t0
print(0x.8, 0x1p4, 0x1P-1, 0xA.8p0, 0x.1p4, 0x1.8p1)  -- expect: 0.5\t16.0\t0.5\t10.5\t1.0\t3.0
print(0x10p0 == 16.0, tostring(0x10p0), tostring(0x10))  -- expect: true\t16.0\t16

-- the extreme integers
print(9223372036854775807, -9223372036854775807 - 1)  -- expect: 9223372036854775807\t-9223372036854775808
print(9223372036854775807 + 1 == -9223372036854775807 - 1)  -- expect: true
print(-9223372036854775808)  -- expect: -9.2233720368548e+18
print(0x7fffffffffffffff, 0x8000000000000000)  -- expect: 9223372036854775807\t-9223372036854775808

-- decimal integer literals that do not fit become floats
print(9223372036854775808)  -- expect: 9.2233720368548e+18
print(9223372036854775808 == 2^63, 18446744073709551616)  -- expect: true\t1.844674407371e+19
print(99999999999999999999)  -- expect: 1e+20

-- hexadecimal integer literals wrap around
print(0xffffffffffffffff, 0xffffffffffffffff == -1)  -- expect: -1\ttrue
print(0x10000000000000000, 0x1ffffffffffffffff)  -- expect: 0\t-1
print(0x123456789abcdef0123)  -- expect: 5001117282205630755

-- float literals and their printed form (%.14g)
print(1.0, -0.0, 1e15, 1e16, 1e100, 2^53)  -- expect: 1.0\t-0.0\t1e+15\t1e+16\t1e+100\t9.007199254741e+15
print(123456789012345.0, 0.1, 1/3)  -- expect: 1.2345678901234e+14\t0.1\t0.33333333333333
print(1e308 * 10, -1e308 * 10, 5e-324 > 0, 1e-400 == 0)  -- expect: inf\t-inf\ttrue\ttrue
print(3.0 == 3, 0x3p0 == 3)  -- expect: true\ttrue

-- numerals followed directly by names are malformed
print(load("return 3x"))  -- expect: nil\t[string "return 3x"]:1: malformed number near '3x'
print(load("return 0xg"))  -- expect: nil\t[string "return 0xg"]:1: malformed number near '0xg'
print(load("return 1e"))  -- expect: nil\t[string "return 1e"]:1: malformed number near '1e'
print(load("return 1.2.3"))  -- expect: nil\t[string "return 1.2.3"]:1: malformed number near '1.2.3'
print(load("return 0x1p"))  -- expect: nil\t[string "return 0x1p"]:1: malformed number near '0x1p'
print(load("return 08")(), load("return 0010")())  -- expect: 8\t10
print(load("return 1..2"))  -- expect: nil\t[string "return 1..2"]:1: malformed number near '1..2'

-- tonumber follows the same rules as the lexer
print(tonumber("0x10"), tonumber("  12  "), tonumber("1e1"), tonumber("0x1p4"))  -- expect: 16\t12\t10.0\t16.0
print(tonumber("9223372036854775808"), tonumber("0xffffffffffffffff"))  -- expect: 9.2233720368548e+18\t-1
print(tonumber("10", 2), tonumber("ff", 16), tonumber("zz", 36), tonumber("8", 8))  -- expect: 2\t255\t1295\tnil
print(tonumber(""), tonumber(" "), tonumber("1 2"), tonumber("0x"), tonumber("1e"))  -- expect: nil\tnil\tnil\tnil\tnil
print(tonumber("inf"), tonumber("nan"), tonumber(" -7 "), tonumber("- 7"))  -- expect: nil\tnil\t-7\tnil

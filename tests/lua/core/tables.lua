-- Tables: constructors (positional, named, [expr] keys, ; and trailing separators), key
-- normalization (float keys with integer values are integer keys, -0.0 is 0), distinct
-- string and number keys, the length of sequences, growth to large sizes, next order on
-- arrays, and the errors for nil/NaN keys. Lengths are only checked where the border is
-- unique.

local t = {1, 2, 3; x = "x", ["y"] = "y", [5 * 2] = "ten", 4,}
print(t[1], t[2], t[4], t.x, t.y, t[10])  -- expect: 1\t2\t4\tx\ty\tten
print(#{}, #{nil}, #{1, 2, nil}, #{n = 1})  -- expect: 0\t0\t2\t0
local nested = {{1, {2, {3}}}, k = {k = {k = "deep"}}}
print(nested[1][2][2][1], nested.k.k.k)  -- expect: 3\tdeep

-- keys: integer-valued floats are normalized, other floats are distinct keys
local k = {}
k[1] = "int"; k[2.0] = "float two"; k[2.5] = "two and a half"; k["1"] = "string one"
print(k[1.0], k[2], k[2.5], k["1"], k[1] ~= k["1"])  -- expect: int\tfloat two\ttwo and a half\tstring one\ttrue
k[-0.0] = "zero"
print(k[0], k[0.0])  -- expect: zero\tzero
k[2^53] = "big"
print(k[9007199254740992], k[2^53])  -- expect: big\tbig
k[9223372036854775807] = "max"
print(k[9223372036854775807], k[2^63])  -- expect: max\tnil
print(k[true], k[print])  -- expect: nil\tnil
k[true] = "t"; k[print] = "p"; k[k] = "self"
print(k[true], k[print], k[k])  -- expect: t\tp\tself

-- length of sequences built in different ways
local seq = {}
for i = 1, 100 do seq[i] = i end
print(#seq)  -- expect: 100
seq[#seq] = nil
print(#seq)  -- expect: 99
for i = #seq, 51, -1 do seq[i] = nil end
print(#seq)  -- expect: 50
local rev = {}
for i = 10, 1, -1 do rev[i] = i end
print(#rev)  -- expect: 10
local appended = {}
for i = 1, 5 do appended[#appended + 1] = i * i end
print(#appended, appended[5])  -- expect: 5\t25

-- large tables
local big = {}
for i = 1, 100000 do big[i] = i end
print(#big, big[100000])  -- expect: 100000\t100000
local hash = {}
for i = 1, 10000 do hash["k" .. i] = i end
local n = 0
for _ in pairs(hash) do n = n + 1 end
print(n, hash.k5000)  -- expect: 10000\t5000
for i = 1, 10000 do hash["k" .. i] = nil end
print(next(hash))  -- expect: nil

-- negative and zero indices are ordinary keys
local neg = {[0] = "zero", [-1] = "minus one"}
print(neg[0], neg[-1], #neg)  -- expect: zero\tminus one\t0

-- ipairs order and next over an array part
local arr = {"a", "b", "c"}
local s = ""
local key, val = next(arr)
while key do s = s .. key .. val; key, val = next(arr, key) end
print(s)  -- expect: 1a2b3c

-- table identity and references
local a = {}
local b = a
b.v = 1
print(a.v, a == b, {} == {})  -- expect: 1\ttrue\tfalse

-- invalid keys
print(pcall(function() local t = {}; t[nil] = 1 end))  -- expect: false\ttables.lua:72: table index is nil
print(pcall(function() local t = {}; t[0/0] = 1 end))  -- expect: false\ttables.lua:73: table index is NaN
print(pcall(function() return {[nil] = 1} end))  -- expect: false\ttables.lua:74: table index is nil
print(({})[nil], ({})[0/0])  -- expect: nil\tnil
print(rawget({}, nil))  -- expect: nil

-- the same table as key and value; tables as keys are by identity
local id1, id2 = {}, {}
local m = {[id1] = "one", [id2] = "two"}
print(m[id1], m[id2], m[{}])  -- expect: one\ttwo\tnil

-- many fields in a constructor (more than one batch of 50 list items)
local wide = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
  21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40,
  41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, a = 1}
print(#wide, wide[50], wide[51], wide[60], wide.a)  -- expect: 60\t50\t51\t60\t1
local function vals() return "x", "y", "z" end
local mixed = {1, 2, vals()}
print(#mixed, mixed[5])  -- expect: 5\tz

-- a comparison as the key of an upvalue table (_ENV): the key is a pending jump that must be
-- turned into a value before the table is loaded (Lua 5.4.7 got this wrong; 5.4.8 fixed it)
_ENV[true] = 10
local function env_by_comparison() return _ENV[1 < 2], _ENV[2 < 1] end
print(env_by_comparison())  -- expect: 10\tnil
_ENV[true] = nil

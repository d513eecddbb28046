-- math.random / math.randomseed: Lua 5.4's xoshiro256**, seeding and projection into ranges
-- reproduce the reference interpreter's sequences exactly. Expected values from lua5.4 (5.4.4).

print(math.randomseed(42))  -- expect: 42\t0
print(math.random(1, 100), math.random(1, 100), math.random(1, 100))  -- expect: 50\t76\t86
print(math.random(0), math.random(0))  -- expect: -7059243630996204619\t177101407732369983
print(math.random(), math.random())  -- expect: 0.96389739813422\t0.71097689661551
print(math.random(10), math.random(3, 3), math.random(-10, -5), math.random(7))  -- expect: 9\t3\t-10\t1
print(math.random(math.mininteger, math.maxinteger), math.random(0, math.maxinteger))  -- expect: 695586496122339134\t7487668995028120573
print(math.random(1, 2^40), math.random(-2^40, 2^40), math.random(1000000007))  -- expect: 804032413544\t-145647341344\t606568574
print(math.randomseed(7, 13))  -- expect: 7\t13
print(math.random(1, 6), math.random(1, 6), math.random(1, 6), math.random(1, 6))  -- expect: 1\t5\t1\t6
print(math.randomseed(-1))  -- expect: -1\t0
print(math.random(0), math.random(255), math.random(256), math.random(1, 3))  -- expect: -6532212821526904015\t72\t128\t1
print(math.randomseed(3.0))  -- expect: 3\t0
print(math.random(100))  -- expect: 10
-- The same seed gives the same sequence.
math.randomseed(123)
local a = {math.random(1000), math.random(1000), math.random()}
math.randomseed(123)
local b = {math.random(1000), math.random(1000), math.random()}
print(a[1] == b[1], a[2] == b[2], a[3] == b[3])  -- expect: true\ttrue\ttrue
-- Without arguments: seeded from the clock; returns the two seed parts.
local s1, s2 = math.randomseed()
print(math.type(s1), math.type(s2))  -- expect: integer\tinteger
-- Ranges are respected.
local lo, hi, ok = math.huge, -math.huge, true
for _ = 1, 2000 do
  local r = math.random(3, 9)
  if r < lo then lo = r end
  if r > hi then hi = r end
  local f = math.random()
  if f < 0 or f >= 1 then ok = false end
end
print(lo, hi, ok)  -- expect: 3\t9\ttrue
print(pcall(math.random, 3, 1))  -- expect: false\tbad argument #1 to 'math.random' (interval is empty)
print(pcall(math.random, 1, 2, 3))  -- expect: false\twrong number of arguments
print(pcall(math.random, 1.5))  -- expect: false\tbad argument #1 to 'math.random' (number has no integer representation)
print(pcall(math.random, "x"))  -- expect: false\tbad argument #1 to 'math.random' (number expected, got string)
print(pcall(math.randomseed, 1.5))  -- expect: false\tbad argument #1 to 'math.randomseed' (number has no integer representation)
print(pcall(math.randomseed, {}))  -- expect: false\tbad argument #1 to 'math.randomseed' (number expected, got table)

-- Numeric for: integer loops (precomputed iteration count, no overflow near the integer
-- limits), float loops, negative steps, loop variable is a fresh local copy, step 0 and
-- non-number errors, string bounds.

local function collect(a, b, c)
  local out = ""
  if c then
    for i = a, b, c do out = out .. tostring(i) .. " " end
  else
    for i = a, b do out = out .. tostring(i) .. " " end
  end
  return "[" .. out .. "]"
end

print(collect(1, 5))  -- expect: [1 2 3 4 5 ]
print(collect(5, 1))  -- expect: []
print(collect(5, 1, -2))  -- expect: [5 3 1 ]
print(collect(1, 10, 4))  -- expect: [1 5 9 ]
print(collect(1, 1))  -- expect: [1 ]
print(collect(1.0, 3))  -- expect: [1.0 2.0 3.0 ]
print(collect(1, 3.5))  -- expect: [1 2 3 ]
print(collect(1, 2, 0.5))  -- expect: [1.0 1.5 2.0 ]
print(collect(3, 1.5, -1))  -- expect: [3 2 ]

-- no overflow at the limits of integers
print(collect(9223372036854775805, 9223372036854775807))  -- expect: [9223372036854775805 9223372036854775806 9223372036854775807 ]
print(collect(-9223372036854775806, -9223372036854775807 - 1, -1))  -- expect: [-9223372036854775806 -9223372036854775807 -9223372036854775808 ]
print(collect(9223372036854775806, 9223372036854775807, 10))  -- expect: [9223372036854775806 ]
print(collect(1, 9223372036854775807, 9223372036854775807))  -- expect: [1 ]
print(collect(-9223372036854775807 - 1, 9223372036854775807, 9223372036854775807))  -- expect: [-9223372036854775808 -1 9223372036854775806 ]
print(collect(0, 1e300, 9223372036854775807) == "[0 9223372036854775807 ]")  -- expect: true
print(collect(9223372036854775807, 1e100))  -- expect: [9223372036854775807 ]
print(collect(1, -1/0))  -- expect: []
print(collect(1, 0.5))  -- expect: []

-- float loops accumulate the step
local n, last = 0, nil
for x = 0, 1, 0.1 do n = n + 1; last = x end
print(n, last)  -- expect: 11\t1.0
n = 0
for x = 1, 0, -0.25 do n = n + 1; last = x end
print(n, last)  -- expect: 5\t0.0

-- the bounds are evaluated once; changing the loop variable does not change the loop
local count = 0
local limit = 3
for i = 1, limit do limit = 10; count = count + 1 end
print(count)  -- expect: 3
local seen = ""
for i = 1, 3 do
  local j = i
  i = i * 10
  seen = seen .. j .. ":" .. i .. ";"
end
print(seen)  -- expect: 1:10;2:20;3:30;

-- each iteration has its own variable for closures
local fs = {}
for i = 1, 3 do fs[i] = function() return i end end
print(fs[1](), fs[2](), fs[3]())  -- expect: 1\t2\t3

-- the step must not be zero; bounds and step must be numbers (strings convertible to numbers
-- are accepted by lua5.4, and the loop then counts with the converted values)
print(pcall(function() for i = 1, 10, 0 do end end))  -- expect: false\tnumeric_for.lua:64: 'for' step is zero
print(pcall(function() for i = 1.0, 10, 0.0 do end end))  -- expect: false\tnumeric_for.lua:65: 'for' step is zero
print(collect("1", 2), collect(1, "2"), collect("0x10", 16))  -- expect: [1.0 2.0 ]\t[1 2 ]\t[16.0 ]
print(pcall(function() for i = 1, 2, {} do end end))  -- expect: false\tnumeric_for.lua:67: bad 'for' step (number expected, got table)
print(pcall(function() for i = nil, 2 do end end))  -- expect: false\tnumeric_for.lua:68: bad 'for' initial value (number expected, got nil)

-- break leaves the innermost loop only
local pairs_found = ""
for i = 1, 3 do
  for j = 1, 3 do
    if j > i then break end
    pairs_found = pairs_found .. i .. j .. ";"
  end
end
print(pairs_found)  -- expect: 11;21;22;31;32;33;

-- while and repeat; repeat's condition sees locals of the body
local k = 0
while k < 5 do k = k + 1 end
print(k)  -- expect: 5
repeat local stop = k >= 8; k = k + 1 until stop
print(k)  -- expect: 9

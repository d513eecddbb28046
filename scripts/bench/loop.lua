-- loop: tight numeric for loops, no calls and no tables.
-- Measures: FORLOOP, integer add/mul/mod/compare, float add/mul/div,
-- and mixed integer/float arithmetic (conversions in Lua 5.4).
-- Checksums stay below 2^53 so Lua 5.4 (integers) and LuaJIT (doubles) agree.
-- expect: loop 432346 927764.92356242 0.0052797819092774 223214330357.14 5000000
local N = tonumber(arg and arg[1]) or 20000000

-- integer arithmetic
local acc = 0
for i = 1, N do
  acc = (acc + i * 7 + 3) % 1000003
  if acc > 500000 then acc = acc - 12345 end
end

-- float arithmetic
local x, y = 0.5, 0.25
for i = 1, N do
  x = x + y * 0.5
  y = y * 0.999999 + 0.1 / (i + 1.5)
end

-- mixed: integer loop variable with float operands, plus a counting while loop
local z = 0.0
local j = 0
while j < N / 4 do
  j = j + 1
  z = z + j / 7 - j * 0.125
end

print("loop", acc, x, y, z, j)

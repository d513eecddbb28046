-- Comparisons, and/or values, not, conditions.
local x, y, z = ...
local a = x == 1, x ~= "s", x == nil, x < 1, 1 < x, x >= 2.0, x <= y, x > y
local v = x and y or z
local w = not (x == y)
local q = (x or y) and z
if x < 10 and y or not z then
  print(1)
elseif x == nil then
  print(2)
else
  print(3)
end
while x > 0 do
  x = x - 1
  if y then break end
end
repeat
  local k = x
until k

-- Numeric and generic for, per-iteration closing, break, goto.
local fns = {}
for i = 1, 10 do
  fns[i] = function() return i end
end
for i = 10, 1, -1 do print(i) end
for k, v in pairs(fns) do
  if k > 5 then break end
  print(k, v)
end
for i = 1, 3 do
  for j = 1, 3 do
    if j == 2 then goto continue end
    print(i, j)
    ::continue::
  end
end
do
  local n = 0
  ::top::
  n = n + 1
  if n < 3 then goto top end
end

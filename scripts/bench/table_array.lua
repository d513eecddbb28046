-- table_array: the array part of tables.
-- Measures: integer-key writes and reads (SETTABLE/GETTABLE with integer keys),
-- appends with t[#t+1] (length operator on a growing table), ipairs traversal,
-- table constructors with list items, and table reuse after clearing.
-- Base library only.
-- expect: table_array 551289280
local N = tonumber(arg and arg[1]) or 90

local check = 0

for round = 1, N do
  -- fill by index, growing from empty
  local t = {}
  for i = 1, 100000 do
    t[i] = i * 3
  end
  -- read back by index
  local s = 0
  for i = 1, #t do
    s = s + t[i]
  end
  -- in-place update, reading and writing the same slots
  for i = 2, #t do
    t[i] = t[i] - t[i - 1] % 7
  end
  -- append with #t + 1
  local u = {}
  for i = 1, 50000 do
    u[#u + 1] = i
  end
  -- ipairs traversal
  for _, v in ipairs(u) do
    s = s + v
  end
  -- small constructors with list items, kept in an array of arrays
  local rows = {}
  for i = 1, 20000 do
    rows[i] = { i, i + 1, i + 2, i + 3 }
  end
  for i = 1, #rows do
    local r = rows[i]
    s = s + r[1] + r[4] - r[2]
  end
  -- shrink from the end, then length
  for i = #u, 25001, -1 do
    u[i] = nil
  end
  check = (check + s + t[#t] + #u + #rows) % 1000000007
end

print("table_array", check)

-- table_stdlib (optional): table and math library calls.
-- Measures: table.insert / table.remove (append, pop, and front insertion on
-- a small table), table.sort with the default comparator and with a Lua
-- comparator function (a callback per compare), table.unpack/select, and
-- math.floor / math.sqrt / math.max. Optional: needs the table and math
-- libraries, so the runner excludes it from the core geometric mean.
-- expect: table_stdlib 218265811
local N = tonumber(arg and arg[1]) or 60

local insert, remove, sort = table.insert, table.remove, table.sort
local unpack = table.unpack or unpack
local floor, sqrt, max = math.floor, math.sqrt, math.max

local check = 0
for round = 1, N do
  -- deterministic pseudo-random data (linear congruential, kept < 2^31)
  local seed = round
  local a = {}
  for i = 1, 20000 do
    seed = (seed * 16807) % 2147483647
    insert(a, seed % 100000)
  end
  sort(a)
  check = check + a[1] + a[#a] + a[10000]
  local b = {}
  for i = 1, 10000 do b[i] = a[i * 2] end
  sort(b, function(x, y) return x > y end)
  check = check + b[1] - b[#b]
  -- push/pop and front insertion
  local st = {}
  for i = 1, 2000 do insert(st, i) end
  for i = 1, 1000 do check = check + remove(st) end
  for i = 1, 200 do insert(st, 1, i) end
  check = check + #st + st[1]
  -- unpack / select
  check = check + select("#", unpack(st, 1, 50)) + max(unpack(st, 1, 10))
  -- math
  for i = 1, 20000 do
    check = check + floor(sqrt(i) + 0.5)
  end
  check = check % 1000000007
end

print("table_stdlib", check)

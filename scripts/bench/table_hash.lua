-- table_hash: the hash part of tables.
-- Measures: string-key and non-sequential integer-key inserts, lookups
-- (hits and misses), deletes (assigning nil), re-inserts, pairs traversal,
-- and field access with constant string keys (t.name).
-- Keys are built once up front so the timed part is table work, not string
-- creation. Base library only.
-- expect: table_hash 13599348
local N = tonumber(arg and arg[1]) or 60
local K = 20000

local skeys = {}
for i = 1, K do skeys[i] = "key" .. i end
local ikeys = {}
for i = 1, K do ikeys[i] = i * 7919 + 13 end    -- sparse, hashed not array

local check = 0

for round = 1, N do
  local hs, hi = {}, {}
  -- insert
  for i = 1, K do
    hs[skeys[i]] = i
    hi[ikeys[i]] = i
  end
  -- lookup hits, several passes
  local s = 0
  for pass = 1, 4 do
    for i = 1, K do
      s = s + hs[skeys[i]] + hi[ikeys[i]]
    end
  end
  -- lookup misses
  local miss = 0
  for i = 1, K do
    if hi[ikeys[i] + 1] == nil then miss = miss + 1 end
  end
  -- delete every third key
  for i = 1, K, 3 do
    hs[skeys[i]] = nil
    hi[ikeys[i]] = nil
  end
  -- count survivors with pairs
  local n = 0
  for _, v in pairs(hs) do n = n + 1; s = s + v end
  for _, v in pairs(hi) do n = n + 1 end
  -- re-insert the deleted ones with new values
  for i = 1, K, 3 do
    hs[skeys[i]] = -i
    hi[ikeys[i]] = -i
  end
  for i = 1, K, 3 do
    s = s + hs[skeys[i]] + hi[ikeys[i]]
  end
  -- record-style field access with constant keys
  local rec = { x = 1, y = 2, z = 3, name = "p", count = 0 }
  for i = 1, K * 5 do
    rec.count = rec.count + rec.x + rec.y - rec.z
    rec.x = rec.y
    rec.y = i % 5
  end
  check = (check + s + miss + n + rec.count) % 1000000007
end

print("table_hash", check)

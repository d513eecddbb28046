-- Weak tables: weak keys, weak values and both; cycles collected; ephemerons (a value
-- referring to its own key does not keep the key alive); strings and numbers are never
-- removed; strongly referenced entries stay. Objects are created inside functions so no
-- stale register keeps them alive.

local function count(t) local n = 0 for _ in pairs(t) do n = n + 1 end return n end

-- weak keys: a cyclic structure used as a key is collected once unreferenced
local wk = setmetatable({}, {__mode = "k"})
local function add_cycle()
  local a, b = {}, {}
  a.other = b; b.other = a
  wk[a] = "cycle"
end
add_cycle()
local kept = {}
wk[kept] = "kept"
collectgarbage()
collectgarbage()
print(count(wk), wk[kept], next(wk) == kept)  -- expect: 1\tkept\ttrue
kept = nil
collectgarbage()
print(next(wk))  -- expect: nil

-- weak values
local wv = setmetatable({}, {__mode = "v"})
local function fill_values()
  wv[1] = {}
  wv[2] = function() end
  wv.str = "strings are values, not collectable entries"
  wv.num = 42
  wv.bool = true
end
fill_values()
local strong = {}
wv[3] = strong
collectgarbage()
print(wv[1], wv[2], wv[3] == strong, wv.str, wv.num, wv.bool)  -- expect: nil\tnil\ttrue\tstrings are values, not collectable entries\t42\ttrue

-- weak keys and values
local wkv = setmetatable({}, {__mode = "kv"})
local function fill_kv()
  wkv[{}] = "dead key"
  wkv["live key"] = {}
  wkv[1] = 1
end
fill_kv()
collectgarbage()
print(count(wkv), wkv[1], wkv["live key"])  -- expect: 1\t1\tnil

-- ephemerons: the value refers to its key, yet the entry is collected
local eph = setmetatable({}, {__mode = "k"})
local function add_ephemeron()
  local key = {}
  eph[key] = {owner = key}
end
add_ephemeron()
collectgarbage()
print(next(eph))  -- expect: nil
-- an ephemeron chain: k1 -> v1 refers to k2 -> v2 refers to k3; only k1 is held
local chain_head = {}
local function build_chain()
  local k2, k3 = {}, {}
  eph[chain_head] = {next = k2}
  eph[k2] = {next = k3}
  eph[k3] = {last = true}
end
build_chain()
collectgarbage()
print(count(eph))  -- expect: 3
chain_head = nil
collectgarbage()
print(count(eph))  -- expect: 0

-- a weak-valued cache
local cache = setmetatable({}, {__mode = "v"})
local function get(n)
  local v = cache[n]
  if not v then v = {n = n}; cache[n] = v end
  return v
end
local held = get(1)
get(2)
collectgarbage()
print(cache[1] == held, cache[2])  -- expect: true\tnil

-- __mode is read at collection time: changing it later takes effect
local switch = setmetatable({}, {})
local function put_switch() switch[1] = {} end
put_switch()
collectgarbage()
print(switch[1] ~= nil)  -- expect: true
getmetatable(switch).__mode = "v"
collectgarbage()
print(switch[1])  -- expect: nil

-- tables with weak keys can still be traversed and modified normally
local wt = setmetatable({}, {__mode = "k"})
local keys = {}
for i = 1, 100 do keys[i] = {}; wt[keys[i]] = i end
local sum = 0
for k, v in pairs(wt) do sum = sum + v end
print(sum)  -- expect: 5050
for i = 1, 50 do keys[i] = nil end
collectgarbage()
print(count(wt))  -- expect: 50

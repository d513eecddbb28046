-- Garbage collection observed through weak tables and finalizers: cycles, ephemerons,
-- finalizer order within one cycle, resurrection, finalizers creating new finalizable
-- objects, weak tables under heavy allocation in both GC modes, and memory staying flat.

local function count(t) local n = 0 for _ in pairs(t) do n = n + 1 end return n end

-- cycles of every shape are collected
local weak = setmetatable({}, {__mode = "k"})
local function cycles()
  local a = {}; a.self = a; weak[a] = "self loop"
  local b, c = {}, {}; b.c = c; c.b = b; weak[b] = "pair"
  local ring = {}
  local node = ring
  for i = 1, 50 do node.next = {}; node = node.next end
  node.next = ring
  weak[ring] = "ring of 51"
  local f = function() return a end
  weak[f] = "closure"
  local co
  co = coroutine.create(function() local keep = co; coroutine.yield() end)
  coroutine.resume(co)
  weak[co] = "suspended coroutine"
end
cycles()
print("before collect", count(weak) <= 5)
collectgarbage()
print("after collect", count(weak))

-- ephemerons: values that only reach their own key, or keys of other entries
local eph = setmetatable({}, {__mode = "k"})
local anchor = {}
local function ephemerons()
  local k1, k2, k3 = {}, {}, {}
  eph[anchor] = k1
  eph[k1] = k2
  eph[k2] = {back = k2}
  eph[k3] = {back = k3}
end
ephemerons()
collectgarbage()
print("ephemerons reachable from anchor", count(eph))
anchor = nil
collectgarbage()
print("ephemerons after dropping anchor", count(eph))

-- finalizers: order within one cycle, objects created by finalizers
local order = {}
collectgarbage()
collectgarbage("stop")
for i = 1, 5 do
  setmetatable({}, {__gc = function()
    order[#order + 1] = i
    if i == 3 then
      setmetatable({}, {__gc = function() order[#order + 1] = "child of 3" end})
    end
  end})
end
collectgarbage()
local s = ""
for i = 1, #order do s = s .. tostring(order[i]) .. " " end
print("finalizer order", s)
collectgarbage()
s = ""
for i = 1, #order do s = s .. tostring(order[i]) .. " " end
print("after second cycle", s)
collectgarbage("restart")

-- resurrection keeps the whole object graph reachable from the resurrected object
local function resurrecting()
  local graph = {data = {1, 2, 3}, name = "graph"}
  graph.self = graph
  setmetatable(graph, {__gc = function(o) saved_graph = o end})
end
resurrecting()
collectgarbage()
print("resurrected", saved_graph.name, saved_graph.self == saved_graph, #saved_graph.data)
saved_graph = nil
collectgarbage()
print("gone for good", saved_graph)

-- weak-valued caches under allocation pressure, in both modes
for _, mode in ipairs({"incremental", "generational"}) do
  collectgarbage(mode)
  local cache = setmetatable({}, {__mode = "v"})
  local keep = {}
  for i = 1, 20000 do
    local v = {i}
    cache[i] = v
    if i % 1000 == 0 then keep[#keep + 1] = v end
  end
  collectgarbage()
  local alive, correct = 0, true
  for k, v in pairs(cache) do alive = alive + 1; if v[1] ~= k then correct = false end end
  print(mode, "alive", alive, correct)
end
collectgarbage("incremental")

-- memory stays flat while allocating many short-lived objects
local peak = 0
for round = 1, 20 do
  for i = 1, 50000 do local t = {i, {i}, "s"} end
  local kb = collectgarbage("count")
  if kb > peak then peak = kb end
end
print("flat memory", peak < 50000)

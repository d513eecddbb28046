-- Coroutines: create/resume/yield passing values both ways, status in every state,
-- running and isyieldable, wrap, generators (one of 100,000 values), yield across pcall
-- and metamethods, coroutine.close, nested coroutines.

-- values flow both ways: resume arguments become yield results and vice versa
local trace = ""
local co = coroutine.create(function(a, b)
  trace = trace .. "start " .. a .. " " .. b .. ";"
  local c = coroutine.yield(a + b)
  trace = trace .. "got " .. c .. ";"
  local d, e = coroutine.yield(c * 2)
  trace = trace .. "got " .. d .. " " .. e .. ";"
  return "done", d + e
end)
print(coroutine.resume(co, 1, 2))  -- expect: true\t3
print(trace)  -- expect: start 1 2;
print(coroutine.resume(co, 10))  -- expect: true\t20
print(coroutine.resume(co, 3, 4))  -- expect: true\tdone\t7
print(trace)  -- expect: start 1 2;got 10;got 3 4;
print(coroutine.status(co), coroutine.resume(co))  -- expect: dead\tfalse\tcannot resume dead coroutine

-- status in every state
local main_co, is_main = coroutine.running()
print(type(main_co), is_main, coroutine.isyieldable())  -- expect: thread\ttrue\tfalse
local watcher
local seen = {}
watcher = coroutine.create(function()
  seen.inside = coroutine.status(watcher)
  seen.ismain = select(2, coroutine.running())
  seen.yieldable = coroutine.isyieldable()
  local inner = coroutine.create(function() seen.from_inner = coroutine.status(watcher) end)
  coroutine.resume(inner)
  seen.inner_after = coroutine.status(inner)
  coroutine.yield()
end)
print(coroutine.status(watcher))  -- expect: suspended
coroutine.resume(watcher)
print(seen.inside, seen.ismain, seen.yieldable, seen.from_inner, seen.inner_after)  -- expect: running\tfalse\ttrue\tnormal\tdead
print(coroutine.status(watcher))  -- expect: suspended
coroutine.resume(watcher)
print(coroutine.status(watcher))  -- expect: dead
print(coroutine.status(main_co))  -- expect: running
print(coroutine.running() == main_co)  -- expect: true

-- wrap returns a function that resumes and returns the yielded values
local gen = coroutine.wrap(function(...)
  local args = {...}
  for i = 1, #args do coroutine.yield(i, args[i]) end
  return "end"
end)
print(gen("a", "b"))  -- expect: 1\ta
print(gen())  -- expect: 2\tb
print(gen())  -- expect: end

-- a generator of 100,000 values
local function range(n)
  return coroutine.wrap(function()
    for i = 1, n do coroutine.yield(i) end
  end)
end
local sum, count = 0, 0
for v in range(100000) do sum = sum + v; count = count + 1 end
print(count, sum)  -- expect: 100000\t5000050000

-- producer/consumer passing values both ways
local function producer()
  return coroutine.create(function()
    local acks = ""
    for _, item in ipairs({"x", "y", "z"}) do
      local ack = coroutine.yield(item)
      acks = acks .. ack
    end
    return acks
  end)
end
local p = producer()
local _, item = coroutine.resume(p)
local received = ""
while coroutine.status(p) == "suspended" do
  received = received .. item
  local ok, nxt = coroutine.resume(p, "+" .. item)
  item = nxt
end
print(received, item)  -- expect: xyz\t+x+y+z

-- yield across pcall, and errors after a yield inside pcall
local across = coroutine.create(function()
  local ok, v = pcall(function()
    local r = coroutine.yield("yielded inside pcall")
    error("raised after resume with " .. r, 0)
  end)
  coroutine.yield(ok, v)
  return "finished"
end)
print(coroutine.resume(across))  -- expect: true\tyielded inside pcall
print(coroutine.resume(across, "R"))  -- expect: true\tfalse\traised after resume with R
print(coroutine.resume(across))  -- expect: true\tfinished

-- yield across xpcall with a handler, across metamethods and across a for iterator
local mm = setmetatable({}, {__index = function(t, k) return coroutine.yield("index " .. k) end,
                             __add = function(a, b) return coroutine.yield("add") end})
local through = coroutine.wrap(function()
  local v = mm.key
  local w = mm + 1
  local ok, x = xpcall(function() return coroutine.yield("in xpcall") end, print)
  local s = ""
  for i in coroutine.wrap(function() coroutine.yield(1) coroutine.yield(2) end) do s = s .. i end
  return v, w, ok, x, s
end)
print(through())  -- expect: index key
print(through("V"))  -- expect: add
print(through("W"))  -- expect: in xpcall
print(through("X"))  -- expect: V\tW\ttrue\tX\t12

-- resume returns true plus the body's return values; empty yields give nothing
local empty = coroutine.create(function() coroutine.yield() end)
print(select("#", coroutine.resume(empty)))  -- expect: 1
print(select("#", coroutine.resume(empty)))  -- expect: 1

-- coroutine.close
local closable = coroutine.create(function() coroutine.yield() end)
coroutine.resume(closable)
print(coroutine.close(closable), coroutine.status(closable))  -- expect: true\tdead
print(coroutine.close(coroutine.create(print)))  -- expect: true
local failed = coroutine.create(function() error({code = 7}) end)
coroutine.resume(failed)
local okc, errc = coroutine.close(failed)
print(okc, errc.code, coroutine.status(failed))  -- expect: false\t7\tdead

-- coroutine.close runs pending to-be-closed variables
local closed_log = ""
local pending = coroutine.create(function()
  local a <close> = setmetatable({}, {__close = function() closed_log = closed_log .. "a" end})
  local b <close> = setmetatable({}, {__close = function(_, e) closed_log = closed_log .. "b" .. tostring(e) end})
  coroutine.yield("suspended with two pending")
end)
print(coroutine.resume(pending))  -- expect: true\tsuspended with two pending
print(coroutine.close(pending), closed_log, coroutine.status(pending))  -- expect: true\tbnila\tdead
-- an error in a __close during coroutine.close is returned
local errclose = coroutine.create(function()
  local a <close> = setmetatable({}, {__close = function() error("close failed", 0) end})
  coroutine.yield()
end)
coroutine.resume(errclose)
print(coroutine.close(errclose))  -- expect: false\tclose failed

-- coroutines are independent: interleaving two generators
local g1 = range(3)
local g2 = range(3)
print(g1(), g2(), g1(), g2(), g1(), g2())  -- expect: 1\t1\t2\t2\t3\t3

-- recursive generator: yields from nested calls of the same coroutine
local function walk(t)
  for _, v in ipairs(t) do
    if type(v) == "table" then walk(v) else coroutine.yield(v) end
  end
end
local flat = ""
for v in coroutine.wrap(function() walk({1, {2, {3, 4}, 5}, {{6}}}) end) do flat = flat .. v end
print(flat)  -- expect: 123456

-- closing a coroutine that died by an error reports the error once; closing again succeeds
local died = coroutine.create(error)
print(coroutine.resume(died, 100))  -- expect: false\t100
print(coroutine.close(died))  -- expect: false\t100
print(coroutine.close(died))  -- expect: true

-- a chain of coroutines whose __close closes the previous one ends in "C stack overflow"
local chain = false
for _ = 1, 1000 do
  local previous = chain
  chain = coroutine.create(function()
    local guard <close> = setmetatable({}, {__close = function()
      if previous then assert(coroutine.close(previous)) end
    end})
    coroutine.yield()
  end)
  coroutine.resume(chain)
end
local closed, why = coroutine.close(chain)
print(closed, why:find("C stack overflow") ~= nil)  -- expect: false\ttrue

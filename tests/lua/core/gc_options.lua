-- no-gc-stress (two million allocations, each a full collection under stress: too slow)
-- collectgarbage options and their return values, and allocation in flat memory:
-- 2,000,000 short-lived tables must not make the heap grow beyond a small bound.

print(collectgarbage())  -- expect: 0
print(collectgarbage("collect"))  -- expect: 0
print(type(collectgarbage("count")))  -- expect: number
local kb = collectgarbage("count")
print(kb > 0, kb < 10000)  -- expect: true\ttrue
print(collectgarbage("isrunning"))  -- expect: true
print(collectgarbage("stop"))  -- expect: 0
print(collectgarbage("isrunning"))  -- expect: false
print(collectgarbage("restart"))  -- expect: 0
print(collectgarbage("isrunning"))  -- expect: true
print(type(collectgarbage("step")))  -- expect: boolean
print(type(collectgarbage("step", 100)))  -- expect: boolean

-- switching modes returns the previous mode; the stand-alone lua5.4 interpreter starts in
-- generational mode (lua.c switches to it before running the script)
print(collectgarbage("generational"))  -- expect: generational
print(collectgarbage("generational"))  -- expect: generational
print(collectgarbage("incremental"))  -- expect: generational
print(collectgarbage("incremental"))  -- expect: incremental
print(collectgarbage("incremental", 200, 100, 13))  -- expect: incremental
print(collectgarbage("generational", 20, 100))  -- expect: incremental
print(collectgarbage("incremental"))  -- expect: generational

-- collection keeps working in both modes
local live = {}
for i = 1, 1000 do live[i] = {i} end
collectgarbage("generational")
for i = 1, 100000 do local garbage = {i} end
collectgarbage()
collectgarbage("incremental")
local ok = true
for i = 1, 1000 do ok = ok and live[i][1] == i end
print(ok)  -- expect: true

-- invalid options
print(pcall(collectgarbage, "nonsense"))  -- expect: false\tbad argument #1 to 'collectgarbage' (invalid option 'nonsense')
print(pcall(collectgarbage, 1))  -- expect: false\tbad argument #1 to 'collectgarbage' (invalid option '1')

-- "count" decreases after releasing a large structure
local big = {}
for i = 1, 100000 do big[i] = {i} end
local before = collectgarbage("count")
big = nil
collectgarbage()
local after = collectgarbage("count")
print(before > after + 1000)  -- expect: true

-- 2,000,000 tables allocated and dropped: memory stays flat
for i = 1, 2000000 do
  local t = {i, i + 1, name = "t"}
end
print(collectgarbage("count") < 50000)  -- expect: true
-- the same with cycles between short-lived tables
for i = 1, 200000 do
  local a, b = {}, {}
  a.b = b; b.a = a
end
collectgarbage()
print(collectgarbage("count") < 50000)  -- expect: true
-- and with closures capturing upvalues
for i = 1, 200000 do
  local f = function() return i end
end
collectgarbage()
print(collectgarbage("count") < 50000)  -- expect: true

-- the collector is not reentrant: collectgarbage fails inside a finalizer
local inside = "unset"
setmetatable({}, {__gc = function() inside = collectgarbage() end})
collectgarbage()
print(inside, collectgarbage("count") > 0)  -- expect: nil\ttrue

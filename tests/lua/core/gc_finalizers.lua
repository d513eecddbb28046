-- Finalizers (__gc): called by a full collection, in reverse order of marking (the order of
-- setmetatable calls), only if __gc was present when the metatable was set, once per
-- object, resurrection, errors inside finalizers ignored, weak-table behaviour of
-- resurrected objects, and finalizers of live objects run when the state closes.

local function make(name, log)
  return setmetatable({name = name}, {__gc = function(o) log[#log + 1] = o.name end})
end

-- a finalizer sets a global flag
finalized = false
local function drop_one() setmetatable({}, {__gc = function() finalized = true end}) end
drop_one()
collectgarbage()
print(finalized)  -- expect: true

-- order: reverse of creation (the collector is stopped so that all three die in the
-- same explicit cycle)
local order = {}
local function create_three() make("first", order); make("second", order); make("third", order) end
collectgarbage()
collectgarbage("stop")
create_three()
collectgarbage()
collectgarbage("restart")
print(#order, order[1], order[2], order[3])  -- expect: 3\tthird\tsecond\tfirst

-- a live object is not finalized
local live_log = {}
local live = make("live", live_log)
collectgarbage()
print(#live_log)  -- expect: 0
live = nil
collectgarbage()
print(#live_log, live_log[1])  -- expect: 1\tlive

-- __gc added to the metatable after setmetatable does not count
local late_called = false
local function late()
  local mt = {}
  local o = setmetatable({}, mt)
  mt.__gc = function() late_called = true end
end
late()
collectgarbage()
print(late_called)  -- expect: false
-- a placeholder __gc marks the object; the function can be set later
local placeholder_called = false
local function placeholder()
  local mt = {__gc = true}
  local o = setmetatable({}, mt)
  mt.__gc = function() placeholder_called = true end
end
placeholder()
collectgarbage()
print(placeholder_called)  -- expect: true

-- resurrection: the finalizer stores the object in a global; it stays usable, and its
-- finalizer is not called a second time
local gc_count = 0
local function resurrect()
  setmetatable({value = "back from the dead"}, {__gc = function(o) gc_count = gc_count + 1; revived = o end})
end
resurrect()
collectgarbage()
print(revived and revived.value, gc_count)  -- expect: back from the dead\t1
revived = nil
collectgarbage()
collectgarbage()
print(gc_count)  -- expect: 1

-- resurrected objects are removed from weak values before finalization, and from weak
-- keys only after the finalizer has run
local wv = setmetatable({}, {__mode = "v"})
local wk = setmetatable({}, {__mode = "k"})
local function weak_resurrect()
  local o = setmetatable({}, {__gc = function(o) saved = o end})
  wv[1] = o
  wk[o] = "key"
end
weak_resurrect()
collectgarbage()
print(wv[1], saved ~= nil, wk[saved])  -- expect: nil\ttrue\tkey
saved = nil
collectgarbage()
print(next(wk))  -- expect: nil

-- errors in finalizers are not propagated (lua5.4 turns them into warnings, off by default)
local after_error = false
local function erroring()
  setmetatable({}, {__gc = function() error("error in __gc") end})
  setmetatable({}, {__gc = function() after_error = true end})
end
erroring()
print(pcall(collectgarbage))  -- expect: true\t0
print(after_error)  -- expect: true

-- a finalizer may allocate and even trigger a nested collection request
local nested_ok = false
local function nested()
  setmetatable({}, {__gc = function()
    local t = {}
    for i = 1, 100 do t[i] = {i} end
    nested_ok = #t == 100
  end})
end
nested()
collectgarbage()
print(nested_ok)  -- expect: true

-- finalizers of many objects all run
local many_log = {}
local function many() for i = 1, 1000 do make(i, many_log) end end
many()
collectgarbage()
print(#many_log)  -- expect: 1000

-- objects still alive at the end are finalized when the state is closed
local at_exit = setmetatable({}, {__gc = function() print("finalized at exit") end})
print("last line of the script")  -- expect: last line of the script
-- expect: finalized at exit

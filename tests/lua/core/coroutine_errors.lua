-- Coroutine errors: yield outside a coroutine, resuming dead/running/normal coroutines,
-- errors inside coroutines returned by resume or raised with position by wrap, closing
-- running coroutines, yields across C-call boundaries, bad arguments.

print(pcall(coroutine.yield, 1))  -- expect: false\tattempt to yield from outside a coroutine
print(select(2, pcall(function() coroutine.yield() end)))  -- expect: attempt to yield from outside a coroutine

-- an error inside a coroutine: resume returns false and the message, the coroutine dies
local co = coroutine.create(function(x)
  coroutine.yield(x)
  error("broken")
end)
print(coroutine.resume(co, "first"))  -- expect: true\tfirst
print(coroutine.resume(co))  -- expect: false\tcoroutine_errors.lua:11: broken
print(coroutine.status(co))  -- expect: dead
print(coroutine.resume(co))  -- expect: false\tcannot resume dead coroutine
local tco = coroutine.create(function() error({reason = "table error"}) end)
local ok, e = coroutine.resume(tco)
print(ok, e.reason)  -- expect: false\ttable error
print(coroutine.resume(coroutine.create(function() local t = nil; return t.x end)))  -- expect: false\tcoroutine_errors.lua:20: attempt to index a nil value (local 't')

-- wrap propagates errors, adding the position of the wrap call for string messages
local w = coroutine.wrap(function() error("inside wrap") end)
print(pcall(w))  -- expect: false\tcoroutine_errors.lua:23: inside wrap
print(pcall(w))  -- expect: false\tcannot resume dead coroutine
local w2 = coroutine.wrap(function() error({1}) end)
local ok2, e2 = pcall(w2)
print(ok2, type(e2), e2[1])  -- expect: false\ttable\t1
local w3 = coroutine.wrap(function() error("no position", 0) end)
print(pcall(w3))  -- expect: false\tno position
local w4 = coroutine.wrap(function() return 1 end)
w4()
print(pcall(w4))  -- expect: false\tcannot resume dead coroutine

-- resuming a running or normal coroutine
local self_resume
self_resume = coroutine.create(function() return coroutine.resume(self_resume) end)
print(coroutine.resume(self_resume))  -- expect: true\tfalse\tcannot resume non-suspended coroutine
print(coroutine.resume(coroutine.running()))  -- expect: false\tcannot resume non-suspended coroutine
local outer
outer = coroutine.create(function()
  local inner = coroutine.create(function() return coroutine.resume(outer) end)
  return coroutine.resume(inner)
end)
print(coroutine.resume(outer))  -- expect: true\ttrue\tfalse\tcannot resume non-suspended coroutine
local wself
wself = coroutine.wrap(function() return wself() end)
print(pcall(wself))  -- expect: false\tcoroutine_errors.lua:47: cannot resume non-suspended coroutine

-- closing coroutines that cannot be closed
print(pcall(coroutine.close, coroutine.running()))  -- expect: false\tcannot close a running coroutine
local closer
closer = coroutine.create(function() return coroutine.close(closer) end)
print(coroutine.resume(closer))  -- expect: false\tcoroutine_errors.lua:53: cannot close a running coroutine
local normal_outer
normal_outer = coroutine.create(function()
  return coroutine.resume(coroutine.create(function() return pcall(coroutine.close, normal_outer) end))
end)
print(coroutine.resume(normal_outer))  -- expect: true\ttrue\tfalse\tcannot close a normal coroutine

-- yield across a C-call boundary (a metamethod called from a library function)
local yielder = setmetatable({}, {__tostring = function() coroutine.yield("from tostring") return "s" end})
print(coroutine.resume(coroutine.create(function() return tostring(yielder) end)))  -- expect: false\tattempt to yield across a C-call boundary
print(coroutine.resume(coroutine.create(function()
  return load(function() coroutine.yield() end)
end)))  -- expect: true\tnil\tattempt to yield across a C-call boundary

-- isyieldable of other coroutines (5.4 accepts an argument)
local susp = coroutine.create(function() coroutine.yield() end)
coroutine.resume(susp)
print(coroutine.isyieldable(susp), coroutine.isyieldable(coroutine.running()))  -- expect: true\tfalse

-- bad arguments
print(pcall(coroutine.create, 1))  -- expect: false\tbad argument #1 to 'coroutine.create' (function expected, got number)
print(pcall(coroutine.resume, 1))  -- expect: false\tbad argument #1 to 'coroutine.resume' (thread expected, got number)
print(pcall(coroutine.resume))  -- expect: false\tbad argument #1 to 'coroutine.resume' (thread expected, got no value)
print(pcall(coroutine.status, {}))  -- expect: false\tbad argument #1 to 'coroutine.status' (thread expected, got table)
print(pcall(coroutine.wrap, nil))  -- expect: false\tbad argument #1 to 'coroutine.wrap' (function expected, got nil)
print(pcall(coroutine.close, "x"))  -- expect: false\tbad argument #1 to 'coroutine.close' (thread expected, got string)

-- an uncaught error raised through a wrap ends the script
local boom = coroutine.wrap(function() error("uncaught in coroutine") end)
boom()  -- error: coroutine_errors.lua:83: coroutine_errors.lua:82: uncaught in coroutine

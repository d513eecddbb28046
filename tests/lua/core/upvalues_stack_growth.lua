-- Open upvalues point at stack slots: when the stack grows (deep recursion, many
-- arguments, long varargs) and moves, closures still read and write the live local.

local function deep(n, f)
  if n == 0 then return f() end
  return (deep(n - 1, f))  -- not a tail call: every level keeps a frame
end

local x = 10
local function getx() return x end
local function setx(v) x = v end
-- 5000 levels make the stack grow several times while x is still open
print(deep(5000, getx))  -- expect: 10
deep(5000, function() setx(20) end)
print(x, getx())  -- expect: 20\t20

-- an open upvalue of a function that is itself deep in the recursion
local function nest(n)
  local v = n
  local function get() return v end
  local function bump() v = v + 1 end
  if n > 0 then
    local r = nest(n - 1)
    bump()
    return r + get() - v  -- v and get() agree even after the stack moved below us
  end
  deep(3000, bump)  -- grows the stack while every level's v is open
  return get()
end
print(nest(200))  -- expect: 1

-- many open upvalues at once, then the stack moves, then they close in order
local fs = {}
local function make(n)
  local a, b = n, n * 2
  fs[#fs + 1] = function(d) a = a + d; b = b + d; return a + b end
  if n < 300 then make(n + 1) end
  deep(2000, function() return fs[1](0) end)
  return fs[n](1)
end
print(make(1))  -- expect: 5
print(fs[1](0), fs[300](0))  -- expect: 5\t902

-- a long vararg list moves the stack too
local count = 0
local function inc() count = count + 1 end
local function spread(...)
  inc()
  return select('#', ...)
end
local t = {}
for i = 1, 20000 do t[i] = i end
print(spread(table.unpack(t)), count)  -- expect: 20000\t1

-- coroutines have their own stacks: an upvalue open in one survives its growth
local co = coroutine.wrap(function()
  local y = 1
  local function gety() return y end
  coroutine.yield(gety)
  deep(4000, function() y = y + 1 end)
  coroutine.yield(gety)
end)
local g = co()
print(g())  -- expect: 1
co()
print(g())  -- expect: 2

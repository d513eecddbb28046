-- Closures: counters, generators built from closures, shared upvalues between sibling
-- closures, per-iteration captures in every kind of loop, upvalues that outlive their
-- frame, closures in recursion, and a small object system built from closures.

local function counter(start, step)
  local n = start
  return function() n = n + step; return n end
end
local c1, c2 = counter(0, 1), counter(100, -10)
for i = 1, 3 do print("counters", c1(), c2()) end

-- sibling closures share one upvalue
local function pair()
  local v = 0
  return function() v = v + 1 end, function() return v end, function(x) v = x end
end
local inc, get, set = pair()
inc(); inc()
print("shared", get())
set(40); inc(); inc()
print("shared", get())

-- captures per iteration: numeric for, generic for, while, repeat, goto loop
local list = {}
for i = 1, 3 do list[#list + 1] = function() return "for" .. i end end
for k, v in ipairs({"a", "b"}) do list[#list + 1] = function() return "in" .. k .. v end end
local w = 0
while w < 2 do w = w + 1; local c = w; list[#list + 1] = function() return "while" .. c end end
local r = 0
repeat r = r + 1; local c = r; list[#list + 1] = function() return "repeat" .. c end until r == 2
do
  local g = 0
  ::again::
  local c = g
  list[#list + 1] = function() return "goto" .. c end
  g = g + 1
  if g < 2 then goto again end
end
local out = ""
for i = 1, #list do out = out .. list[i]() .. " " end
print(out)

-- closures modifying a loop-local captured variable keep separate copies
local mods = {}
for i = 1, 3 do
  local acc = i * 100
  mods[i] = {add = function(d) acc = acc + d; return acc end, get = function() return acc end}
end
mods[1].add(1); mods[2].add(2); mods[2].add(2)
print("separate", mods[1].get(), mods[2].get(), mods[3].get())

-- upvalues outliving the frame, through several levels
local function outer()
  local x = 0
  local function middle()
    local y = 0
    return function() x = x + 1; y = y + 10; return x, y end
  end
  return middle(), middle()
end
local f1, f2 = outer()
print("levels", f1())
print("levels", f1())
print("levels", f2())

-- recursion with closures: a memoized fibonacci
local function memoize(f)
  local cache = {}
  return function(n)
    local v = cache[n]
    if v == nil then v = f(n); cache[n] = v end
    return v
  end
end
local fib
fib = memoize(function(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end)
print("fib", fib(80))

-- composition and currying
local function compose(...)
  local fs = {...}
  return function(x)
    for i = #fs, 1, -1 do x = fs[i](x) end
    return x
  end
end
local function add(n) return function(x) return x + n end end
local function mul(n) return function(x) return x * n end end
print("compose", compose(add(1), mul(2), add(3))(4))

-- objects from closures
local function Stack()
  local items, n = {}, 0
  local self = {}
  function self.push(v) n = n + 1; items[n] = v end
  function self.pop() local v = items[n]; items[n] = nil; n = n - 1; return v end
  function self.size() return n end
  return self
end
local s = Stack()
for i = 1, 5 do s.push(i * i) end
print("stack", s.pop(), s.pop(), s.size())

-- a closure captured by a coroutine and called after the coroutine died
local captured
local co = coroutine.wrap(function()
  local secret = "kept"
  captured = function() return secret end
  coroutine.yield()
  secret = "changed before death"
end)
co(); co()
print("after coroutine", captured())

-- many closures over many upvalues
local total = 0
local fns = {}
for i = 1, 1000 do
  local a, b = i, i * 2
  fns[i] = function() return a + b end
end
for i = 1, 1000 do total = total + fns[i]() end
print("many", total)

-- To-be-closed variables and constants: closing order, closing on normal exit, break,
-- return, goto, error, inside coroutines and in generic for loops; the error argument;
-- errors inside __close; nil/false values; <const> values used in expressions.

local events = {}
local function ev(s) events[#events + 1] = s end
local function dump(title)
  local s = title .. ":"
  for i = 1, #events do s = s .. " " .. events[i] end
  print(s)
  events = {}
end
local function R(name)
  return setmetatable({}, {__close = function(_, err)
    if err ~= nil then ev(name .. "!" .. tostring(err)) else ev(name) end
  end})
end

do
  local a <close> = R("a")
  local b <close> = R("b")
  do local c <close> = R("c") end
  ev("end of block")
end
dump("block")

for i = 1, 5 do
  local r <close> = R("loop" .. i)
  if i == 3 then break end
end
dump("break")

local function f(n)
  local x <close> = R("f" .. n)
  if n > 0 then return f(n - 1) end
  return "bottom"
end
print(f(2))
dump("return f() is not a tail call when <close> is pending")

local function g(n)
  local x <close> = R("g" .. n)
  if n > 0 then local v = g(n - 1) return v end
  return "bottom"
end
print(g(2))
dump("return (non-tail)")

do
  local k = 0
  ::again::
  do
    local r <close> = R("goto" .. k)
    k = k + 1
    if k < 3 then goto again end
  end
end
dump("goto")

print(pcall(function()
  local a <close> = R("ea")
  local b <close> = R("eb")
  error("E", 0)
end))
dump("error")

print(pcall(function()
  local a <close> = R("x1")
  local b <close> = setmetatable({}, {__close = function(_, e) ev("bad sees " .. tostring(e)); error("from close", 0) end})
  local c <close> = R("x3")
  error("first", 0)
end))
dump("error in close")

print(pcall(function()
  local a <close> = R("n1")
  local b <close> = setmetatable({}, {__close = function() error("close fails on normal exit", 0) end})
  return "value"
end))
dump("error in close on normal exit")

do
  local a <close> = nil
  local b <close> = false
  local c <close> = R("after nil and false")
end
dump("nil/false")

print(pcall(function() local bad <close> = "string" end))
print(pcall(function() local bad <close> = {} end))

-- generic for closes its 4th value
local function iter(n)
  local i = 0
  return function() i = i + 1; if i <= n then return i end end, nil, nil, R("iter" .. n)
end
for i in iter(2) do ev("body" .. i) end
for i in iter(9) do if i == 2 then break end end
dump("for")

-- coroutines: closed on return, on error, by coroutine.close
local co = coroutine.wrap(function()
  local a <close> = R("co-a")
  coroutine.yield()
  local b <close> = R("co-b")
  return "co done"
end)
co()
ev("between")
print(co())
dump("coroutine")
local cc = coroutine.create(function()
  local a <close> = R("pending1")
  local b <close> = R("pending2")
  coroutine.yield()
end)
coroutine.resume(cc)
print(coroutine.close(cc))
dump("coroutine.close")
local ce = coroutine.create(function()
  local a <close> = R("err-co")
  error("coroutine failed", 0)
end)
print(coroutine.resume(ce))
dump("coroutine error (nothing closed yet)")
print(coroutine.close(ce))
dump("coroutine.close after error")

-- the close value is the value at declaration; the metamethod is fetched at close time
local mt = {__close = function() ev("original") end}
do
  local v <close> = setmetatable({}, mt)
  mt.__close = function() ev("replaced") end
end
dump("late metamethod")

-- constants
local N <const> = 10
local NAME <const> = "const"
local F <const> = 2.5
local T <const> = {1, 2}
T[3] = 3
local function use() return N * F, NAME .. N, #T end
print(use())
print(load("local z <const> = 1; z = 2"))

-- Coroutines: generators, values passed both ways, wrap, status through a lifecycle,
-- isyieldable, yield across pcall and metamethods, errors inside coroutines, close with
-- pending to-be-closed variables, and a round-robin scheduler.

local function gen(n)
  return coroutine.wrap(function() for i = 1, n do coroutine.yield(i, i * i) end return "done" end)
end
local g = gen(3)
print(g()); print(g()); print(g()); print(g())
print(pcall(g))

-- values both ways
local acc = coroutine.create(function(first)
  local total = first
  while true do
    local x = coroutine.yield(total)
    if x == nil then break end
    total = total + x
  end
  return "final", total
end)
print(coroutine.resume(acc, 10))
for _, v in ipairs({5, 7, -2}) do print(coroutine.resume(acc, v)) end
print(coroutine.resume(acc))
print(coroutine.status(acc), coroutine.resume(acc))

-- status lifecycle
local co
co = coroutine.create(function()
  print("in body", coroutine.status(co), coroutine.isyieldable())
  coroutine.yield()
end)
print("created", coroutine.status(co))
coroutine.resume(co)
print("yielded", coroutine.status(co))
coroutine.resume(co)
print("returned", coroutine.status(co))
print("main yieldable", coroutine.isyieldable(), select(2, coroutine.running()))

-- yield across pcall, with an error after resuming
local p = coroutine.wrap(function()
  local results = {}
  for i = 1, 3 do
    local ok, err = pcall(function()
      local v = coroutine.yield("ask " .. i)
      if v == "bad" then error("got bad at " .. i, 0) end
      return v
    end)
    results[#results + 1] = tostring(ok) .. ":" .. tostring(err)
  end
  return results[1] .. " " .. results[2] .. " " .. results[3]
end)
print(p())
print(p("good"))
print(p("bad"))
print(p("fine"))

-- yield inside metamethods and iterators
local lazy = setmetatable({}, {__index = function(t, k) local v = coroutine.yield("need " .. k); t[k] = v; return v end})
local m = coroutine.wrap(function() return lazy.a .. lazy.b .. lazy.a end)
print(m()); print(m("A")); print(m("B"))

-- errors inside coroutines
local e1 = coroutine.create(function() local x = nil; return x + 1 end)
print(coroutine.resume(e1))
local e2 = coroutine.create(function() coroutine.yield(1); error({msg = "table error"}) end)
coroutine.resume(e2)
local ok, err = coroutine.resume(e2)
print(ok, err.msg, coroutine.status(e2))
print(pcall(coroutine.wrap(function() error("wrapped") end)))
print(coroutine.resume(e2))
print(pcall(coroutine.yield))

-- close with pending to-be-closed variables
local order = {}
local closing = coroutine.create(function()
  local a <close> = setmetatable({}, {__close = function() order[#order + 1] = "a" end})
  do
    local b <close> = setmetatable({}, {__close = function() order[#order + 1] = "b" end})
    coroutine.yield("inside b")
  end
end)
print(coroutine.resume(closing))
print(coroutine.close(closing), coroutine.status(closing), order[1], order[2])
print(coroutine.close(coroutine.create(function() end)))
local failing = coroutine.create(function() error("dead with error", 0) end)
coroutine.resume(failing)
print(coroutine.close(failing))

-- a round-robin scheduler
local tasks, trace = {}, {}
local function spawn(name, steps)
  tasks[#tasks + 1] = {name = name, co = coroutine.create(function()
    for i = 1, steps do trace[#trace + 1] = name .. i; coroutine.yield() end
  end)}
end
spawn("A", 3); spawn("B", 1); spawn("C", 2)
while #tasks > 0 do
  local t = tasks[1]
  for i = 1, #tasks - 1 do tasks[i] = tasks[i + 1] end
  tasks[#tasks] = nil
  coroutine.resume(t.co)
  if coroutine.status(t.co) ~= "dead" then tasks[#tasks + 1] = t end
end
local s = ""
for i = 1, #trace do s = s .. trace[i] .. " " end
print("schedule", s)

-- permutations generator (recursive yields)
local function permgen(a, n)
  n = n or #a
  if n <= 1 then coroutine.yield(a) else
    for i = 1, n do
      a[n], a[i] = a[i], a[n]
      permgen(a, n - 1)
      a[n], a[i] = a[i], a[n]
    end
  end
end
local count = 0
for p in coroutine.wrap(function() permgen({1, 2, 3, 4}) end) do
  count = count + 1
  if count <= 4 then print("perm", p[1], p[2], p[3], p[4]) end
end
print("permutations", count)

-- many coroutines alive at once
local cos = {}
for i = 1, 1000 do cos[i] = coroutine.create(function(x) local y = coroutine.yield(x * 2); return x + y end) end
local sum = 0
for i = 1, 1000 do local _, v = coroutine.resume(cos[i], i); sum = sum + v end
for i = 1, 1000 do local _, v = coroutine.resume(cos[i], 1); sum = sum + v end
print("many", sum)

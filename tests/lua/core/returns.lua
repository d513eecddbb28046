-- Returns: result counts adjusted for the caller (none, one, several, all), returns into
-- Lua callers, native callers (pcall, table.sort's comparator) and across coroutines.

local function none() end
local function one() return 1 end
local function two() return 1, 2 end
local function three() return 1, 2, 3 end

local a, b, c = none()
print(a, b, c)  -- expect: nil\tnil\tnil
a, b, c = one()
print(a, b, c)  -- expect: 1\tnil\tnil
a, b, c = two()
print(a, b, c)  -- expect: 1\t2\tnil
a = three()
print(a)  -- expect: 1
print(three())  -- expect: 1\t2\t3
print((three()))  -- expect: 1
print(none(), one(), two())  -- expect: nil\t1\t1\t2
print(#{three(), three()})  -- expect: 4
print(select('#', none()))  -- expect: 0

-- a function whose single result is wanted by a native caller
print(pcall(one))  -- expect: true\t1
print(pcall(none))  -- expect: true
print(pcall(three))  -- expect: true\t1\t2\t3
local t = {5, 3, 9, 1}
table.sort(t, function(x, y) return x < y end)
print(table.concat(t, " "))  -- expect: 1 3 5 9

-- returning closes the upvalues of the returning frame only
local function outer()
  local v = 1
  local function inner()
    local w = 2
    return function() return v + w end
  end
  local f = inner()
  v = 10  -- still open: f sees it
  return f
end
print(outer()())  -- expect: 12

-- results moved into a caller whose registers were in use
local function pair(x) return x, x * 2 end
local function use()
  local p, q, r = 7, pair(3)
  return p + q + r
end
print(use())  -- expect: 16

-- deep recursion returning one value through every level
local function sum(n) if n == 0 then return 0 end return n + sum(n - 1) end
print(sum(10000))  -- expect: 50005000

-- a return inside a coroutine goes to resume
local co = coroutine.create(function(x) return x + 1, x + 2 end)
print(coroutine.resume(co, 1))  -- expect: true\t2\t3

-- tail calls from a frame that a native caller entered return to that caller
local function target(x) return x * 2, "t" end
local function tail(x) return target(x + 1) end
print(pcall(tail, 1))  -- expect: true\t4\tt
local mt = {__index = function(_, k) return target(k) end}
print(setmetatable({}, mt)[5])  -- expect: 10
print(pcall(function(...) return select('#', ...) end, 1, 2, 3))  -- expect: true\t3
local function countdown(n) if n == 0 then return "done" end return countdown(n - 1) end
print(pcall(countdown, 100000))  -- expect: true\tdone

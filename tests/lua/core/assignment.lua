-- Assignment: multiple assignment evaluates all expressions before assigning, swaps,
-- table fields indexed by variables that are assigned in the same statement, extra values
-- dropped and missing ones nil, locals shadowing, globals living in _ENV.

local a, b = 1, 2
a, b = b, a
print(a, b)  -- expect: 2\t1

local t = {}
local i = 1
i, t[i] = i + 1, 20
print(i, t[1], t[2])  -- expect: 2\t20\tnil

t = {1, 2, 3}
i = 1
t[i], i = i + 10, 2
print(t[1], t[2], i)  -- expect: 11\t2\t2

local x, y, z = 1
print(x, y, z)  -- expect: 1\tnil\tnil
x, y = 1, 2, 3
print(x, y)  -- expect: 1\t2

-- right-hand side expressions are all evaluated (left to right in lua5.4) even if dropped
local order = ""
local function f(n) order = order .. n; return n end
local p, q = f(1), f(2), f(3)
print(p, q, order)  -- expect: 1\t2\t123

-- a cycle of three
local c1, c2, c3 = "a", "b", "c"
c1, c2, c3 = c2, c3, c1
print(c1, c2, c3)  -- expect: b\tc\ta

-- swapping table fields
local s = {10, 20}
s[1], s[2] = s[2], s[1]
print(s[1], s[2])  -- expect: 20\t10

-- locals shadow; a new local is not visible in its own initializer
local v = 1
do
  local v = v + 1
  print(v)  -- expect: 2
  local v = v * 10
  print(v)  -- expect: 20
end
print(v)  -- expect: 1

-- local function can call itself; local f = function cannot
local function fact(n) if n <= 1 then return 1 end return n * fact(n - 1) end
print(fact(20))  -- expect: 2432902008176640000
local g = function(n) return n == 0 and "done" or g2 end
print(g(0), g(1))  -- expect: done\tnil

-- globals are fields of _ENV
newglobal = "hello"
print(_ENV.newglobal, _G.newglobal, _ENV == _G)  -- expect: hello\thello\ttrue
_ENV.other = 5
print(other)  -- expect: 5
do
  local _ENV = {print = print}
  gx = 1
  print(gx, newglobal)  -- expect: 1\tnil
end
print(gx)  -- expect: nil
local function with_env()
  local _ENV <const> = {tostring = tostring}
  return tostring(print)
end
print(with_env())  -- expect: nil

-- nested tables and chained indexing on the left-hand side
local n = {a = {b = {}}}
n.a.b.c = 1
n["a"]["b"].d = 2
print(n.a.b.c + n.a.b.d)  -- expect: 3

-- assigning to a field of nil fails with a name in the message
print(pcall(function() local u; u.x = 1 end))  -- expect: false\tassignment.lua:80: attempt to index a nil value (local 'u')
print(pcall(function() undefined_global.x = 1 end))  -- expect: false\tassignment.lua:81: attempt to index a nil value (global 'undefined_global')
print(pcall(function() n.missing.x = 1 end))  -- expect: false\tassignment.lua:82: attempt to index a nil value (field 'missing')

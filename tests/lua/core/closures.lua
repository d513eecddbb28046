-- Closures and upvalues: counters with private state, several closures sharing one
-- upvalue, upvalues closed when their block ends, a fresh local per loop iteration,
-- upvalues of upvalues through several levels, recursive local functions.

local function counter()
  local n = 0
  return function() n = n + 1; return n end
end
local c1, c2 = counter(), counter()
print(c1(), c1(), c1(), c2())  -- expect: 1\t2\t3\t1

-- shared upvalue between closures created in the same scope
local function account(balance)
  local function deposit(x) balance = balance + x; return balance end
  local function withdraw(x) balance = balance - x; return balance end
  local function get() return balance end
  return deposit, withdraw, get
end
local dep, wd, get = account(100)
dep(50); wd(30)
print(get())  -- expect: 120

-- an upvalue still open is shared with the enclosing function's local
local x = 1
local function readx() return x end
local function setx(v) x = v end
x = 2
print(readx())  -- expect: 2
setx(3)
print(x, readx())  -- expect: 3\t3

-- each loop iteration has its own local; while loops with a local inside too
local fns = {}
for i = 1, 3 do
  local j = i * 2
  fns[i] = function() j = j + 1; return i, j end
end
print(fns[1]())  -- expect: 1\t3
print(fns[1]())  -- expect: 1\t4
print(fns[2](), fns[3]())  -- expect: 2\t3\t7
local wfns = {}
local k = 0
while k < 3 do
  k = k + 1
  local captured = k
  wfns[k] = function() return captured end
end
print(wfns[1](), wfns[2](), wfns[3]())  -- expect: 1\t2\t3
-- a variable declared outside the loop is shared by all closures
local shared = 0
local sfns = {}
for i = 1, 3 do shared = i; sfns[i] = function() return shared end end
print(sfns[1](), sfns[2](), sfns[3]())  -- expect: 3\t3\t3
-- generic for variables are per iteration too
local gfns = {}
for idx, val in ipairs({"a", "b"}) do gfns[idx] = function() return idx .. val end end
print(gfns[1](), gfns[2]())  -- expect: 1a\t2b
-- repeat-until body locals
local rfns = {}
local r = 0
repeat r = r + 1; local rr = r; rfns[r] = function() return rr end until r == 2
print(rfns[1](), rfns[2]())  -- expect: 1\t2

-- upvalues through several levels of nesting
local function level1()
  local a = "a"
  return function()
    local b = "b"
    return function()
      local c = "c"
      return function() a = a .. "!"; return a .. b .. c end
    end
  end
end
local deep = level1()()()
print(deep(), deep())  -- expect: a!bc\ta!!bc

-- closures created in a loop over a function call result keep separate state
local function make_adders()
  local t = {}
  for n = 1, 3 do t[n] = function(v) return v + n end end
  return t
end
local adders = make_adders()
print(adders[1](10), adders[2](10), adders[3](10))  -- expect: 11\t12\t13

-- recursive local function and mutual recursion through upvalues
local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
print(fib(20))  -- expect: 6765
local even, odd
function even(n) return n == 0 or odd(n - 1) end
function odd(n) return n ~= 0 and even(n - 1) end
print(even(10), odd(7), even(7))  -- expect: true\ttrue\tfalse

-- a closure keeps its upvalue alive after the creating function returned
local function memo()
  local cache = {}
  return function(n)
    if cache[n] == nil then cache[n] = n * n end
    return cache[n]
  end
end
local sq = memo()
print(sq(12), sq(12))  -- expect: 144\t144

-- the same function prototype gives distinct closures
local function mk() return function() end end
print(mk() == mk())  -- expect: false

-- an upvalue assigned inside a coroutine is seen outside
local flag = "before"
coroutine.wrap(function() flag = "after" end)()
print(flag)  -- expect: after

-- closures over parameters and varargs via a local table
local function bind(f, ...)
  local args = {...}
  local n = select("#", ...)
  return function(...) local all = {} for i = 1, n do all[i] = args[i] end
    local extra = {...}
    for i = 1, select("#", ...) do all[n + i] = extra[i] end
    return f(all[1], all[2], all[3])
  end
end
local bound = bind(function(a, b, c) return a .. b .. c end, "x", "y")
print(bound("z"))  -- expect: xyz

-- a closure may have up to 255 upvalues; load reports more as an error
local function decls(prefix, n) local s = "" for i = 1, n do s = s .. "local " .. prefix .. i .. " = " .. i .. "\n" end return s end
local function sum(prefix, n) local s = "0" for i = 1, n do s = s .. " + " .. prefix .. i end return s end
local fits = decls("v", 150) .. "return function() return " .. sum("v", 150) .. " end"
print(load(fits)()())  -- expect: 11325
local too_many = decls("v", 200) .. "return function()\n" .. decls("w", 60) ..
  "return function() return " .. sum("v", 200) .. " + " .. sum("w", 60) .. " end end"
-- rivet: limits are checked by the compiler, which sees the tree, not tokens: no 'near' part.
print(load(too_many))  -- expect: nil\t[string "local v1 = 1..."]:262: too many upvalues (limit is 255) in function at line 262

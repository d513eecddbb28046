-- Calls: proper tail calls (a million-deep tail recursion runs in constant stack),
-- stack overflow of deep non-tail recursion caught by pcall, method call and definition
-- syntax, call syntax sugar, recursion through locals, and calling non-functions.

-- tail calls do not grow the stack
local function loop(n, acc)
  if n == 0 then return acc end
  return loop(n - 1, acc + 1)
end
print(loop(1000000, 0))  -- expect: 1000000

-- mutual tail recursion
local is_even, is_odd
function is_even(n) if n == 0 then return true end return is_odd(n - 1) end
function is_odd(n) if n == 0 then return false end return is_even(n - 1) end
print(is_even(1000001), is_odd(1000001))  -- expect: false\ttrue

-- a tail call through a method and through a vararg function
local obj = {n = 0}
function obj:count(k) if k == 0 then return self.n end self.n = self.n + 1 return self:count(k - 1) end
print(obj:count(300000))  -- expect: 300000
local function va(k, ...) if k == 0 then return select("#", ...) end return va(k - 1, ...) end
print(va(200000, 1, 2, 3))  -- expect: 3

-- deep non-tail recursion overflows the stack; the error is catchable and the message
-- starts with the position and "stack overflow"
local function deep(n) return 1 + deep(n + 1) end
local ok, msg = pcall(deep, 1)
print(ok, msg)  -- expect: false\tcalls.lua:27: stack overflow
-- the stack is usable again afterwards
print(loop(10, 0))  -- expect: 10
local depth = 0
local function measure() depth = depth + 1; measure() end
pcall(measure)
print(depth > 10000)  -- expect: true
-- a recursion depth of 10000 Lua calls is fine
local function sum(n) if n == 0 then return 0 end return n + sum(n - 1) end
print(sum(10000))  -- expect: 50005000

-- method definitions and calls
local a = {b = {}}
a.b.c = {name = "c"}
function a.b.c:m(x) return self.name .. x end
function a.b.c.f(x) return x * 2 end
print(a.b.c:m("!"), a.b.c.m(a.b.c, "?"), a.b.c.f(21))  -- expect: c!\tc?\t42
local greeter = {greeting = "hi"}
function greeter.say(self, who) return self.greeting .. " " .. who end
print(greeter:say("bob"))  -- expect: hi bob

-- call sugar: f"str", f[[str]], f{table}, chained calls
local function id(x) return x end
local function curry(x) return function(y) return function(z) return x .. y .. z end end end
print(id"lit", id[[long]], id{7}[1], curry "a" "b" "c")  -- expect: lit\tlong\t7\tabc
print(curry("1")("2")("3"), #id{1, 2, 3})  -- expect: 123\t3
local s = {v = 5}
function s:get() return self.v end
print(s:get(), s.get(s), s.get{v = 6})  -- expect: 5\t5\t6

-- extra arguments are dropped, missing ones are nil
local function two(a, b) return a, b end
print(two(1), two(1, 2, 3))  -- expect: 1\t1\t2

-- calling non-functions
print(pcall(function() local f = 1; f() end))  -- expect: false\tcalls.lua:64: attempt to call a number value (local 'f')
print(pcall(function() undefined_fn() end))  -- expect: false\tcalls.lua:65: attempt to call a nil value (global 'undefined_fn')
print(pcall(function() local t = {} t.method() end))  -- expect: false\tcalls.lua:66: attempt to call a nil value (field 'method')
print(pcall(function() local t = {} t:method() end))  -- expect: false\tcalls.lua:67: attempt to call a nil value (method 'method')
print(pcall(function() ("x")() end))  -- expect: false\tcalls.lua:68: attempt to call a string value (constant 'x')
print(pcall(function() local t = {inner = {}} t.inner.deep() end))  -- expect: false\tcalls.lua:69: attempt to call a nil value (field 'deep')
print(pcall(1))  -- expect: false\tattempt to call a number value
print(pcall(pcall))  -- expect: false\tbad argument #1 to 'pcall' (value expected)

-- functions are first-class values and can be compared
local f1 = function() end
print(type(f1), type(print), f1 == f1, function() end == function() end)  -- expect: function\tfunction\ttrue\tfalse

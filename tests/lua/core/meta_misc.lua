-- Metamethods __call, __tostring, __name, __metatable and __pairs: callable tables with
-- arguments and results, __call chains, tostring and print using __tostring, __name in
-- tostring and in error messages, protected metatables, __pairs overriding pairs.

-- prefix test without the string library: s starts with p
local function starts(s, p) return s >= p and s < p .. "\255" end

-- __call receives the object first, then the arguments; all results come back
local callable = setmetatable({tag = "obj"}, {__call = function(self, a, b) return self.tag, a, b, "extra" end})
print(callable(1, 2))  -- expect: obj\t1\t2\textra
print(pcall(callable, "p"))  -- expect: true\tobj\tp\tnil\textra
print(select("#", callable()))  -- expect: 4
local counter = setmetatable({n = 0}, {__call = function(self) self.n = self.n + 1 return self.n end})
counter(); counter()
print(counter(), counter.n)  -- expect: 3\t3
-- __call inside a method call and through a chain of callable tables
local holder = {f = callable}
print(holder.f("m"))  -- expect: obj\tm\tnil\textra
local inner = setmetatable({}, {__call = function(self, ...) return "inner", select("#", ...) end})
local outer = setmetatable({}, {__call = inner})
print(outer("x"))  -- expect: inner\t2
print(pcall(function() local o = setmetatable({}, {__call = 5}); return o() end))  -- expect: false\tmeta_misc.lua:22: attempt to call a number value (local 'o')

-- __tostring is used by tostring and print
local pt = setmetatable({x = 1}, {__tostring = function(self) return "Point(" .. self.x .. ")" end})
print(pt, tostring(pt))  -- expect: Point(1)\tPoint(1)
print(pcall(tostring, setmetatable({}, {__tostring = function() return 42 end})))  -- expect: true\t42
print(pcall(tostring, setmetatable({}, {__tostring = function() return {} end})))  -- expect: false\t'__tostring' must return a string
print(pcall(tostring, setmetatable({}, {__tostring = function() error("inside tostring") end})))  -- expect: false\tmeta_misc.lua:29: inside tostring
print(tostring(nil), tostring(true), tostring(12), tostring(-0.5), tostring("s"))  -- expect: nil\ttrue\t12\t-0.5\ts
print(starts(tostring({}), "table: "), starts(tostring(print), "function: "))  -- expect: true\ttrue
print(starts(tostring(function() end), "function: "), starts(tostring(coroutine.create(print)), "thread: "))  -- expect: true\ttrue
print(pcall(tostring))  -- expect: false\tbad argument #1 to 'tostring' (value expected)

-- __name: used by tostring when there is no __tostring, and in error messages
local named = setmetatable({}, {__name = "MyType"})
print(starts(tostring(named), "MyType: "))  -- expect: true
print(pcall(function() return named + 1 end))  -- expect: false\tmeta_misc.lua:38: attempt to perform arithmetic on a MyType value (upvalue 'named')
print(pcall(function() return named() end))  -- expect: false\tmeta_misc.lua:39: attempt to call a MyType value (upvalue 'named')
print(pcall(function() return #named < 1, named < 1 end))  -- expect: false\tmeta_misc.lua:40: attempt to compare MyType with number
print(pcall(select, named))  -- expect: false\tbad argument #1 to 'select' (number expected, got MyType)
print(pcall(setmetatable, 1, named))  -- expect: false\tbad argument #1 to 'setmetatable' (table expected, got number)
local badname = setmetatable({}, {__name = 42})
print(starts(tostring(badname), "table: "))  -- expect: true

-- __metatable protects the metatable
local protected = setmetatable({}, {__metatable = "locked", __index = {k = "v"}})
print(getmetatable(protected), protected.k)  -- expect: locked\tv
print(pcall(setmetatable, protected, {}))  -- expect: false\tcannot change a protected metatable
print(pcall(setmetatable, protected, nil))  -- expect: false\tcannot change a protected metatable
local falsemeta = setmetatable({}, {__metatable = false})
print(getmetatable(falsemeta))  -- expect: false

-- __pairs replaces the iteration done by pairs
local P = {}
P.__pairs = function(t)
  local i = 0
  return function(_, k)
    i = i + 1
    if i <= 3 then return i, "virtual" .. i end
  end, t, nil
end
local virtual = setmetatable({real = true}, P)
local out = ""
for k, v in pairs(virtual) do out = out .. k .. "=" .. v .. ";" end
print(out)  -- expect: 1=virtual1;2=virtual2;3=virtual3;
-- next ignores __pairs
print(next(virtual))  -- expect: real\ttrue
-- __pairs results are adjusted to three values
local cnt = select("#", pairs(setmetatable({}, {__pairs = function() return 1, 2, 3, 4, 5 end})))
print(cnt)  -- expect: 3
print(pcall(pairs))  -- expect: false\tbad argument #1 to 'pairs' (value expected)
print(pcall(function() for k in pairs(nil) do end end))  -- expect: false\tmeta_misc.lua:73: bad argument #1 to 'for iterator' (table expected, got nil)
print(pcall(ipairs))  -- expect: false\tbad argument #1 to 'ipairs' (value expected)

-- ipairs respects __index
local proxied = setmetatable({}, {__index = function(_, i) if i <= 3 then return i * 10 end end})
out = ""
for i, v in ipairs(proxied) do out = out .. i .. ":" .. v .. ";" end
print(out)  -- expect: 1:10;2:20;3:30;

-- __len receives the operand twice, like the unary arithmetic metamethods (Lua 5.4)
local lenargs = setmetatable({}, {__len = function(...) return select("#", ...) end})
print(#lenargs)  -- expect: 2

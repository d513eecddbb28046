-- Every metamethod, each exercised and logged: __index (function and table chains),
-- __newindex, __call, the arithmetic and bitwise ones, __unm, __bnot, __len, __concat,
-- __eq, __lt, __le, __close, __gc, __mode, __tostring, __name, __metatable, __pairs.

local log = {}
local function note(s) log[#log + 1] = s end
local function flush(title)
  local s = title .. ":"
  for i = 1, #log do s = s .. " " .. log[i] end
  print(s)
  log = {}
end
local function name(v) if type(v) == "table" then return rawget(v, "id") or "tbl" end return tostring(v) end

-- a class with every operator metamethod, logging its calls
local Obj = {}
local function obj(id) return setmetatable({id = id}, Obj) end
local events = {"add", "sub", "mul", "div", "mod", "pow", "unm", "idiv", "band", "bor",
  "bxor", "shl", "shr", "bnot", "concat"}
for _, e in ipairs(events) do
  Obj["__" .. e] = function(a, b)
    note(e .. "(" .. name(a) .. "," .. name(b) .. ")")
    return obj(e)
  end
end
Obj.__len = function(a) note("len(" .. name(a) .. ")") return 99 end
Obj.__eq = function(a, b) note("eq(" .. name(a) .. "," .. name(b) .. ")") return rawget(a, "id") == rawget(b, "id") end
Obj.__lt = function(a, b) note("lt(" .. name(a) .. "," .. name(b) .. ")") return true end
Obj.__le = function(a, b) note("le(" .. name(a) .. "," .. name(b) .. ")") return false end
Obj.__call = function(self, ...) note("call(" .. name(self) .. "," .. select("#", ...) .. ")") return ... end
Obj.__tostring = function(self) return "Obj<" .. rawget(self, "id") .. ">" end
Obj.__index = function(t, k) note("index(" .. name(t) .. "," .. tostring(k) .. ")") return k end
Obj.__newindex = function(t, k, v) note("newindex(" .. name(t) .. "," .. tostring(k) .. ")") rawset(t, k, v) end

local a, b = obj("a"), obj("b")
local _ = a + b, a - 1, 2 * a, a / b, a % 3, a ^ 2, -a, a // b
flush("arith")
_ = a & b, 1 | a, a ~ 2, a << b, a >> 1, ~a
flush("bitwise")
_ = a .. b, "s" .. a, a .. 1, 1 .. a .. "x"
flush("concat")
print(#a, a == b, a == obj("a"), a ~= b, a < b, a <= b, a > b, a >= b)
flush("len/compare")
print(a(1, 2, 3))
flush("call")
print(a.missing, a[1])
a.newfield = 5
a.newfield = 6
print(rawget(a, "newfield"), a.newfield)
flush("index/newindex")
print(tostring(a), tostring(b))

-- __index and __newindex as tables, chained
local base = {greet = function(self) return "hello from " .. self.name end, kind = "base"}
local middle = setmetatable({kind = "middle"}, {__index = base})
local leaf = setmetatable({name = "leaf"}, {__index = middle})
print(leaf:greet(), leaf.kind, rawget(leaf, "kind"))
local sink = {}
local writer = setmetatable({}, {__newindex = setmetatable({}, {__newindex = sink})})
writer.x = 1
print(rawget(writer, "x"), sink.x)

-- inheritance chain of classes with methods and super calls
local Animal = {}
Animal.__index = Animal
function Animal.new(name) return setmetatable({name = name}, Animal) end
function Animal:speak() return self.name .. " makes a sound" end
local Dog = setmetatable({}, {__index = Animal})
Dog.__index = Dog
function Dog.new(name) local d = Animal.new(name); return setmetatable(d, Dog) end
function Dog:speak() return Animal.speak(self) .. " (woof)" end
print(Animal.new("cat"):speak(), Dog.new("rex"):speak())

-- __name, __metatable
local named = setmetatable({}, {__name = "Widget"})
print(pcall(function() return named < 1 end))
print(pcall(function() return named.x.y end))
local guarded = setmetatable({}, {__metatable = {"guard"}})
print(getmetatable(guarded)[1], pcall(setmetatable, guarded, {}))

-- __pairs
local ordered = setmetatable({}, {__pairs = function(t)
  local keys = {"one", "two", "three"}
  local i = 0
  return function() i = i + 1; if keys[i] then return keys[i], i end end, t, nil
end})
for k, v in pairs(ordered) do note(k .. "=" .. v) end
flush("pairs")

-- __close
do
  local x <close> = setmetatable({}, {__close = function(_, e) note("close x " .. tostring(e)) end})
  local y <close> = setmetatable({}, {__close = function(_, e) note("close y " .. tostring(e)) end})
end
pcall(function()
  local z <close> = setmetatable({}, {__close = function(_, e) note("close z " .. tostring(e)) end})
  error("oops", 0)
end)
flush("close")

-- __gc and __mode
collectgarbage()
collectgarbage("stop")
local function spawn(id) setmetatable({}, {__gc = function() note("gc " .. id) end}) end
spawn(1); spawn(2); spawn(3)
collectgarbage()
collectgarbage("restart")
flush("gc")
local weak = setmetatable({}, {__mode = "k"})
local strong_key = {}
weak[strong_key] = "stays"
weak[{}] = "goes"
collectgarbage()
local n = 0
for k, v in pairs(weak) do n = n + 1; note(v) end
flush("mode k (" .. n .. ")")
local weakv = setmetatable({}, {__mode = "v"})
weakv[1] = {}
weakv[2] = "str"
weakv[3] = strong_key
collectgarbage()
print("mode v:", weakv[1], weakv[2], weakv[3] == strong_key)

-- metamethods are looked up raw in the metatable: __index in the metatable's metatable
-- does not count
local meta = setmetatable({}, {__index = {__add = function() return "never" end}})
print(pcall(function() return setmetatable({}, meta) + 1 end))

-- arithmetic metamethods on numbers mixed with strings that cannot convert
local S = setmetatable({}, {__add = function(x, y) return "S+" .. tostring(type(x)) .. tostring(type(y)) end})
print(S + "abc", "abc" + S, 1 + S)

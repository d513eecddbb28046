-- ffi.metatype: metamethods of struct types, for values, references and pointers.
local ffi = require("ffi")
local rivet = _VERSION == "Lua 5.4"

ffi.cdef[[ typedef struct { int x, y; } point_t; ]]
local created = 0
local methods = {}
function methods.norm2(p) return p.x * p.x + p.y * p.y end
function methods.scaled(p, k) return ffi.new("point_t", p.x * k, p.y * k) end
local point = ffi.metatype("point_t", {
  __index = methods,
  __new = function(ct, x, y) created = created + 1; return ffi.new(ct, x or 0, y or 0) end,
  __add = function(a, b) return ffi.new("point_t", a.x + b.x, a.y + b.y) end,
  __sub = function(a, b) return ffi.new("point_t", a.x - b.x, a.y - b.y) end,
  __mul = function(a, k) return ffi.new("point_t", a.x * k, a.y * k) end,
  __unm = function(a) return ffi.new("point_t", -a.x, -a.y) end,
  __eq = function(a, b) return a.x == b.x and a.y == b.y end,
  __lt = function(a, b) return a:norm2() < b:norm2() end,
  __le = function(a, b) return a:norm2() <= b:norm2() end,
  __len = function(a) return math.floor(math.sqrt(a:norm2())) end,
  __concat = function(a, b) return tostring(a) .. "|" .. tostring(b) end,
  __call = function(a, k) return a.x * k end,
  __tostring = function(a) return string.format("(%g, %g)", a.x, a.y) end,
})

local a = point(3, 4)
local b = point(1, 1)
print(created, tostring(a), a:norm2(), #a) -- expect: 2\t(3, 4)\t25\t5
print(tostring(a + b), tostring(a - b), tostring(a * 2), tostring(-a)) -- expect: (4, 5)\t(2, 3)\t(6, 8)\t(-3, -4)
print(a == point(3, 4), a ~= b, b < a, a <= a, a > b) -- expect: true\ttrue\ttrue\ttrue\ttrue
print(a .. b, a(10), tostring(a:scaled(3))) -- expect: (3, 4)|(1, 1)\t30\t(9, 12)
-- ffi.new does not call __new.
local c = ffi.new("point_t", 7, 8)
print(created, tostring(c)) -- expect: 3\t(7, 8)

-- The metatype applies to references and pointers too.
local arr = ffi.new("point_t[2]", {{1, 2}, {3, 4}})
print(arr[1]:norm2(), tostring(arr[0])) -- expect: 25\t(1, 2)
local p = ffi.new("point_t *", arr)
print(p:norm2(), tostring(p + 1)) -- expect: 5\t(3, 4)
-- ctype objects index the __index table too (methods as "static" functions).
print(point.norm2(a)) -- expect: 25

-- Declared members come first; other names go to __index, and a name the __index table
-- lacks is an error.
print((pcall(function() return a.nothing end))) -- expect: false

-- __index and __newindex functions.
ffi.cdef[[ struct bag { int n; }; ]]
local log = {}
ffi.metatype("struct bag", {
  __index = function(self, k) return k .. "=" .. self.n end,
  __newindex = function(self, k, v) log[#log + 1] = k .. ":" .. tostring(v) end,
})
local bag = ffi.new("struct bag", 3)
bag.extra = 5
bag.n = 4
print(bag.anything, log[1], #log) -- expect: anything=4\textra:5\t1

-- __pairs makes cdata iterable.
ffi.cdef[[ struct range { int n; }; ]]
ffi.metatype("struct range", { __pairs = function(r)
  local i = 0
  return function() i = i + 1; if i <= r.n then return i, i * i end end, r, nil
end })
local parts = {}
for k, v in pairs(ffi.new("struct range", 3)) do parts[#parts + 1] = k .. "=" .. v end
print(table.concat(parts, " ")) -- expect: 1=1 2=4 3=9

-- A metatype is fixed once set, and only for structs, unions (and complex numbers).
print(pcall(ffi.metatype, "struct bag", {})) -- expect: false\tcannot change a protected metatable
-- luajit: false\tbad argument #1 to '?' (invalid C type)
print(pcall(ffi.metatype, "int", {})) -- expect: false\tbad argument #1 to 'ffi.metatype' (invalid C type)

-- __gc runs when an instance is collected.
ffi.cdef[[ struct res { int id; }; ]]
local closed = {}
local res_t = ffi.metatype("struct res", { __gc = function(r) closed[#closed + 1] = r.id end })
do
  local r1, r2 = res_t(1), res_t(2)
end
collectgarbage()
collectgarbage()
table.sort(closed)
print(#closed, closed[1], closed[2]) -- expect: 2\t1\t2
-- ffi.gc(r, nil) removes a finalizer.
local kept = res_t(3)
ffi.gc(kept, nil)
kept = nil
collectgarbage()
print(#closed) -- expect: 2

-- Without metamethods, operations on structs fail with LuaJIT's messages.
ffi.cdef[[ struct plain { int a; }; ]]
local s = ffi.new("struct plain")
print(pcall(function() return s + 1 end)) -- expect: false\tmetatype.lua:96: attempt to perform arithmetic on 'struct plain' and 'number'
print(pcall(function() return s < s end)) -- expect: false\tmetatype.lua:97: attempt to compare 'struct plain' with 'struct plain'
print(pcall(function() return #s end)) -- expect: false\tmetatype.lua:98: attempt to get length of 'struct plain'
print(pcall(function() return s .. "x" end)) -- expect: false\tmetatype.lua:99: attempt to concatenate 'struct plain' and 'string'
print(s == s, s == ffi.new("struct plain")) -- expect: true\tfalse
if rivet then
  -- luajit: (skip)
  print(pcall(function() return s() end)) -- expect: false\tmetatype.lua:103: 'struct plain' is not callable
end

-- ffi.new and ctype constructors: every initializer form of LuaJIT's semantics document.
local ffi = require("ffi")

ffi.cdef[[
struct foo { int a, b; };
union bar { int i; double d; };
struct nested { int x; struct foo y; };
struct withu { int k; union { int i; float f; }; int z; };
struct vls { int n; int items[?]; };
]]

local function arr(a, n)
  local t = {}
  for i = 0, n - 1 do t[#t + 1] = tostring(a[i]) end
  return table.concat(t, " ")
end

-- No initializer: zero-filled.
print(arr(ffi.new("int[3]"), 3), ffi.new("struct foo").b) -- expect: 0 0 0\t0

-- Table initializers for arrays (one element is repeated; missing ones are zero).
print(arr(ffi.new("int[3]", {}), 3)) -- expect: 0 0 0
print(arr(ffi.new("int[3]", {1}), 3)) -- expect: 1 1 1
print(arr(ffi.new("int[3]", {1, 2}), 3)) -- expect: 1 2 0
print(arr(ffi.new("int[3]", {1, 2, 3}), 3)) -- expect: 1 2 3
print(arr(ffi.new("int[3]", {[0] = 1}), 3)) -- expect: 1 1 1
print(arr(ffi.new("int[3]", {[0] = 1, 2}), 3)) -- expect: 1 2 0
print(arr(ffi.new("int[3]", {[0] = 1, 2, 3}), 3)) -- expect: 1 2 3
print(pcall(ffi.new, "int[3]", {[0] = 1, 2, 3, 4})) -- expect: false\ttoo many initializers for 'int [3]'

-- Flat initializers.
print(arr(ffi.new("int[4]", 7), 4)) -- expect: 7 7 7 7
print(arr(ffi.new("int[4]", 7, 8), 4)) -- expect: 7 8 0 0
print(pcall(ffi.new, "int[2]", 1, 2, 3)) -- expect: false\ttoo many initializers for 'int [2]'

-- Structs: positional (from [0] or [1]), by name, flat.
local s = ffi.new("struct foo", {})
print(s.a, s.b) -- expect: 0\t0
s = ffi.new("struct foo", {1})
print(s.a, s.b) -- expect: 1\t0
s = ffi.new("struct foo", {1, 2})
print(s.a, s.b) -- expect: 1\t2
s = ffi.new("struct foo", {[0] = 1, 2})
print(s.a, s.b) -- expect: 1\t2
s = ffi.new("struct foo", {b = 2})
print(s.a, s.b) -- expect: 0\t2
s = ffi.new("struct foo", {a = 1, b = 2, c = 3})
print(s.a, s.b) -- expect: 1\t2
s = ffi.new("struct foo", 5, 6)
print(s.a, s.b) -- expect: 5\t6
s = ffi.new("struct foo", 5)
print(s.a, s.b) -- expect: 5\t0
print(pcall(ffi.new, "struct foo", 1, 2, 3)) -- expect: false\ttoo many initializers for 'struct foo'
s = ffi.new("struct foo", {1, 2, 3})
print(s.a, s.b) -- expect: 1\t2

-- Unions take one member.
local u = ffi.new("union bar", {})
-- A double member reads as a Lua float (LuaJIT prints floats with integral values bare).
-- luajit: 0\t0
print(u.i, u.d) -- expect: 0\t0.0
u = ffi.new("union bar", {1})
print(u.i) -- expect: 1
u = ffi.new("union bar", {[0] = 1, 2})
print(u.i) -- expect: 1
u = ffi.new("union bar", {d = 2})
print(u.d == 2) -- expect: true

-- Nested aggregates take a table or a compatible aggregate.
local n = ffi.new("struct nested", {1, {2, 3}})
print(n.x, n.y.a, n.y.b) -- expect: 1\t2\t3
n = ffi.new("struct nested", {x = 1, y = {2, 3}})
print(n.x, n.y.a, n.y.b) -- expect: 1\t2\t3
n = ffi.new("struct nested", 9, ffi.new("struct foo", 7, 8))
print(n.x, n.y.a, n.y.b) -- expect: 9\t7\t8
local copy = ffi.new("struct nested", n)
n.x = 0
print(copy.x, copy.y.b) -- expect: 9\t8

-- An anonymous union inside a struct takes one positional initializer.
local w = ffi.new("struct withu", 1, 2, 3)
print(w.k, w.i, w.z) -- expect: 1\t2\t3
w = ffi.new("struct withu", {k = 1, f = 0.5, z = 3})
print(w.k, w.f == 0.5, w.z) -- expect: 1\ttrue\t3

-- Arrays of structs, and strings for byte arrays.
local pts = ffi.new("struct foo[2]", {{1, 2}, {3, 4}})
print(pts[0].a, pts[1].b) -- expect: 1\t4
local name = ffi.new("char[8]", "rivet")
print(ffi.string(name), name[5]) -- expect: rivet\t0
print(ffi.string(ffi.new("char[4]", "abcdef"), 4)) -- expect: abcd
print(ffi.string(ffi.new("uint8_t[?]", 4, "xyz"))) -- expect: xyz

-- Variable-length arrays and structs need a count (elements are zeroed, and a VLA is only
-- initialized with what is given).
local v = ffi.new("double[?]", 5)
-- luajit: 40\t0
print(ffi.sizeof(v), v[4]) -- expect: 40\t0.0
v = ffi.new("int[?]", 3, {5, 6})
print(arr(v, 2)) -- expect: 5 6
if _VERSION == "Lua 5.4" then
  -- rivet zero-fills the rest; LuaJIT leaves it uninitialized.
  -- luajit: (skip)
  print(v[2]) -- expect: 0
end
v = ffi.new("int[?]", 3, 9)
print(arr(v, 3)) -- expect: 9 9 9
local vs = ffi.new("struct vls", 2, 7, {10, 20})
print(vs.n, vs.items[0], vs.items[1], ffi.sizeof(vs)) -- expect: 7\t10\t20\t12
vs = ffi.new("struct vls", 2, {n = 8, items = {30, 40}})
print(vs.n, vs.items[1]) -- expect: 8\t40

-- ctype objects construct, and scalars take one initializer.
local foo_t = ffi.typeof("struct foo")
s = foo_t(3, 4)
print(s.a + s.b) -- expect: 7
print(tonumber(ffi.new("int", 42)), tonumber(ffi.typeof("double")(0.25))) -- expect: 42\t0.25
local ints = ffi.typeof("int[?]")
print(arr(ints(2, {1, 2}), 2)) -- expect: 1 2
-- An anonymous struct in a type string is a new type each time.
print(ffi.typeof("struct { int a; }") == ffi.typeof("struct { int a; }")) -- expect: false

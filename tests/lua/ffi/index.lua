-- Indexing cdata: members, elements, pointers (struct pointers dereference themselves),
-- bit-fields, references, constness, bounds and NULL.
local ffi = require("ffi")
local rivet = _VERSION == "Lua 5.4"

ffi.cdef[[
struct vec { int x, y; };
struct shape { int id; struct vec pos; struct vec pts[3]; char tag[4]; struct shape *next; };
struct bits { unsigned lo : 4; int mid : 6; unsigned hi : 22; bool flag : 1; };
struct cfg { const int limit; int value; };
]]

local s = ffi.new("struct shape")
s.id = 7
s.pos.x, s.pos.y = 1, 2
s.pts[2].y = 9
print(s.id, s.pos.x, s.pos.y, s.pts[2].y, s.pts[0].x) -- expect: 7\t1\t2\t9\t0

-- Members that are aggregates are references into the object: writes go through.
local pos = s.pos
pos.x = 10
print(s.pos.x, tostring(pos):match("^cdata<struct vec &>: 0x") ~= nil) -- expect: 10\ttrue
local pts = s.pts
pts[1].x = 5
print(s.pts[1].x, tostring(pts):match("^cdata<struct vec %(&%)%[3%]>") ~= nil) -- expect: 5\ttrue

-- Assigning a struct copies it.
s.pts[0] = s.pos
print(s.pts[0].x, s.pts[0].y) -- expect: 10\t2
s.pos = {3, 4}
print(s.pos.x, s.pos.y) -- expect: 3\t4

-- Pointers to structs dereference themselves for member access; p[0] is the struct.
local p = ffi.new("struct shape *", s)
p.id = 8
print(s.id, p[0].id, p.pos.y) -- expect: 8\t8\t4
s.next = s
print(s.next.next.next.id) -- expect: 8

-- Elements through pointers, with pointer arithmetic.
local a = ffi.new("int[5]", {10, 20, 30, 40, 50})
local q = a + 1
print(q[0], q[2], q[-1]) -- expect: 20\t40\t10
q[1] = 31
print(a[2]) -- expect: 31

-- Bit-fields read and write only their bits, signed ones sign-extend.
local b = ffi.new("struct bits")
b.lo, b.mid, b.hi, b.flag = 0xf, -3, 0x3fffff, true
print(b.lo, b.mid, b.hi, b.flag) -- expect: 15\t-3\t4194303\ttrue
b.lo = 0x12
print(b.lo, b.mid, b.hi) -- expect: 2\t-3\t4194303
b.mid = 31
print(b.mid, b.flag) -- expect: 31\ttrue
b.flag = false
print(b.flag, b.hi) -- expect: false\t4194303

-- Complex parts.
local c = ffi.new("complex double", 1, 2)
-- luajit: 3\t3
print(c.re + c.im, c[0] + c[1]) -- expect: 3.0\t3.0

-- Byte arrays.
s.tag = "ab"
print(ffi.string(s.tag), s.tag[2]) -- expect: ab\t0

-- Const objects and members cannot be written.
local cfg = ffi.new("struct cfg", 5, 6)
print(cfg.limit, pcall(function() cfg.limit = 1 end)) -- expect: 5\tfalse\tindex.lua:69: attempt to write to constant location
cfg.value = 7
print(cfg.value) -- expect: 7
local ci = ffi.new("const int[2]", 1, 2)
print(pcall(function() ci[0] = 3 end)) -- expect: false\tindex.lua:73: attempt to write to constant location
local cp = ffi.cast("const int *", a)
print(cp[0], pcall(function() cp[0] = 1 end)) -- expect: 10\tfalse\tindex.lua:75: attempt to write to constant location
-- A const pointer can still be written through.
local pc = ffi.new("int *const", a)
pc[0] = 11
print(a[0]) -- expect: 11

-- Unknown members, wrong keys.
print(pcall(function() return s.nope end)) -- expect: false\tindex.lua:82: 'struct shape' has no member named 'nope'
print(pcall(function() s.nope = 1 end)) -- expect: false\tindex.lua:83: 'struct shape' has no member named 'nope'
print(pcall(function() return s[0] end)) -- expect: false\tindex.lua:84: 'struct shape' cannot be indexed with 'number'
print(pcall(function() return a.x end)) -- expect: false\tindex.lua:85: 'int [5]' has no member named 'x'
print(pcall(function() return ffi.new("int").x end)) -- expect: false\tindex.lua:86: 'int' has no member named 'x'

-- Indices are numbers, truncated like C conversions; cdata numbers work too.
print(a[1.9], a[ffi.new("int", 2)]) -- expect: 20\t31

if rivet then
  -- Out-of-bounds indexing of arrays of known size is an error, not memory corruption.
  -- luajit: (skip)
  print(pcall(function() return a[5] end)) -- expect: false\tindex.lua:94: index 5 is out of bounds for 'int [5]' (0 to 4)
  -- luajit: (skip)
  print(pcall(function() a[-1] = 0 end)) -- expect: false\tindex.lua:96: index -1 is out of bounds for 'int [5]' (0 to 4)
  local v = ffi.new("double[?]", 3)
  -- luajit: (skip)
  print(pcall(function() return v[3] end)) -- expect: false\tindex.lua:99: index 3 is out of bounds for 'double [?]' (0 to 2)
  -- Pointers derived from a cdata stay inside it.
  -- luajit: (skip)
  print(pcall(function() return (a + 4)[1] end)) -- expect: false\tindex.lua:102: access out of bounds: 4 byte(s) at offset 20 of a 20-byte cdata
  -- NULL is refused.
  local null = ffi.new("struct shape *")
  -- luajit: (skip)
  print(pcall(function() return null.id end)) -- expect: false\tindex.lua:106: attempt to index a NULL pointer
  -- luajit: (skip)
  print(pcall(function() return ffi.cast("int *", 0)[0] end)) -- expect: false\tindex.lua:108: attempt to index a NULL pointer
end

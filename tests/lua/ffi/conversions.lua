-- Conversions between Lua values and C types (LuaJIT's semantics document, "C Type
-- Conversion Rules"), and where Lua 5.4's integers change them.
local ffi = require("ffi")
local rivet = _VERSION == "Lua 5.4"

local function conv(ty, v) return tonumber(ffi.new(ty, v)) end

-- Integers wrap to the width of the type, as C casts do.
print(conv("uint8_t", 300), conv("int8_t", 200), conv("int16_t", 40000), conv("uint16_t", -1)) -- expect: 44\t-56\t-25536\t65535
print(conv("uint32_t", -1), conv("int32_t", 2^31)) -- expect: 4294967295\t-2147483648
-- Floating values are truncated; through int64_t, so 0xffffffff fits int32_t as -1.
print(conv("int", 3.7), conv("int", -3.7), conv("uint8_t", 255.9)) -- expect: 3\t-3\t255
-- LuaJIT 2.1.0-beta3 converts doubles to 32-bit integers directly (INT_MIN here); current
-- LuaJIT goes through int64_t as its documentation says, and so does rivet.
-- luajit: -2147483648
print(conv("int32_t", 0xffffffff)) -- expect: -1
-- Booleans: 0 is false, anything else true; true converts to 1.
print(conv("bool", 0), conv("bool", 0.5), conv("bool", -1), conv("int", true)) -- expect: 0\t1\t1\t1

-- Reading: every C integer type gives a Lua integer, floating types a Lua float.
ffi.cdef[[
struct all {
  bool b; char c; int8_t i8; uint8_t u8; int16_t i16; uint16_t u16; int32_t i32;
  uint32_t u32; int64_t i64; uint64_t u64; long l; size_t sz; float f; double d;
};
]]
local a = ffi.new("struct all", {true, 65, -1, 255, -2, 65535, -3, 4294967295, -4, 5, -6, 7, 0.5, 0.25})
if rivet then
  -- luajit: (skip)
  print(math.type(a.i8), math.type(a.u32), math.type(a.i64), math.type(a.sz), math.type(a.f)) -- expect: integer\tinteger\tinteger\tinteger\tfloat
  -- luajit: (skip)
  print(a.b, a.c, a.i8, a.u8, a.i16, a.u16, a.i32, a.u32) -- expect: true\t65\t-1\t255\t-2\t65535\t-3\t4294967295
  -- luajit: (skip)
  print(a.i64, a.u64, a.l, a.sz, a.f, a.d) -- expect: -4\t5\t-6\t7\t0.5\t0.25
end
-- LuaJIT boxes 64-bit integers: tostring shows the LL/ULL suffix.
-- luajit: -4LL\t5ULL\t0.5\t0.25
print(tostring(a.i64), tostring(a.u64), a.f, a.d) -- expect: -4\t5\t0.5\t0.25

-- uint64_t values from 2^63 up read as the negative integer with the same bits (Lua 5.4's
-- own reading of 0xffffffffffffffff), and store back unchanged.
local u = ffi.new("uint64_t[1]")
u[0] = -1
if rivet then
  -- luajit: (skip)
  print(u[0], u[0] == 0xffffffffffffffff, math.ult(0, u[0])) -- expect: -1\ttrue\ttrue
  u[0] = math.mininteger
  -- luajit: (skip)
  print(u[0], string.format("%x", u[0])) -- expect: -9223372036854775808\t8000000000000000
  local v = ffi.new("uint64_t[1]", u[0])
  -- luajit: (skip)
  print(v[0] == u[0], tostring(ffi.new("uint64_t", u[0]))) -- expect: true\t9223372036854775808ULL
end
-- Doubles from 2^63 to 2^64 keep their unsigned value; negative ones wrap through int64_t.
print(tostring(ffi.new("uint64_t", 2^63)), tostring(ffi.new("uint64_t", 2^64 - 2048))) -- expect: 9223372036854775808ULL\t18446744073709549568ULL
-- LuaJIT 2.1.0-beta3 gives 2^63 for -1 (current LuaJIT: 2^64-1, as documented).
-- luajit: 9223372036854775808ULL
print(tostring(ffi.new("uint64_t", -1))) -- expect: 18446744073709551615ULL
print(tostring(ffi.new("int64_t", -5)), tostring(ffi.new("int64_t", 2^53))) -- expect: -5LL\t9007199254740992LL

-- Enums take their constants' names.
ffi.cdef[[ enum mode { READ = 1, WRITE = 2, APPEND = 4 }; struct file { enum mode m; }; ]]
local f = ffi.new("struct file")
f.m = "WRITE"
-- LuaJIT reads an enum as a boxed enum cdata; rivet as an integer.
-- luajit: cdata<enum mode>: 2
print(rivet and "cdata<enum mode>: " .. f.m or f.m) -- expect: cdata<enum mode>: 2
print(pcall(function() f.m = "SEEK" end)) -- expect: false\tconversions.lua:68: cannot convert 'string' to 'enum mode'
print(tonumber(ffi.new("enum mode", "APPEND"))) -- expect: 4

-- nil is NULL; numbers convert to pointers only in a cast.
local p = ffi.new("int *", nil)
print(p == ffi.cast("int *", 0), tostring(p)) -- expect: true\tcdata<int *>: NULL
print(pcall(ffi.new, "int *", 1234)) -- expect: false\tcannot convert 'number' to 'int *'
print(tostring(ffi.cast("int *", 0x1000))) -- expect: cdata<int *>: 0x00001000
print(tonumber(ffi.cast("intptr_t", ffi.cast("void *", 0x1234)))) -- expect: 4660
-- LuaJIT names intptr_t by what it is on the host.
-- luajit: false\tcannot convert 'void *' to 'int64_t'
print(pcall(ffi.new, "intptr_t", ffi.cast("void *", 1))) -- expect: false\tcannot convert 'void *' to 'intptr_t'

-- Pointer compatibility: qualifiers may be added, not dropped; void * matches object
-- pointers; other pointee types must agree.
local ints = ffi.new("int[2]")
local function ok(ty, v) return (pcall(ffi.new, ty, v)) end
print(ok("const int *", ints), ok("void *", ints), ok("const void *", ints), ok("unsigned *", ints)) -- expect: true\ttrue\ttrue\ttrue
print(pcall(ffi.new, "double *", ints)) -- expect: false\tcannot convert 'int [2]' to 'double *'
local cints = ffi.new("const int[2]")
print(ok("int *", cints), ok("void *", cints), ok("const void *", cints)) -- expect: false\tfalse\ttrue
print(ok("int **", ffi.new("int *[1]")), ok("const int **", ffi.new("int *[1]"))) -- expect: true\tfalse
-- Casts convert between any pointer types.
print(ffi.cast("double *", ints) ~= nil, ffi.cast("char *", cints)[0]) -- expect: true\t0

-- Strings convert to const char * (and to const void *), not to char *.
print(ok("const char *", "text"), ok("char *", "text"), ok("void *", "text")) -- expect: true\tfalse\tfalse
print(ffi.string(ffi.new("const char *", "text"))) -- expect: text
-- A string or array assigned to a pointer member is kept alive as long as the struct is
-- (in LuaJIT both are collected and the pointers dangle).
ffi.cdef[[ struct named { const char *name; int *data; }; ]]
local nm = ffi.new("struct named")
nm.name = "temporary " .. ("x"):rep(3)
nm.data = ffi.new("int[4]", 1, 2, 3, 4)
collectgarbage()
collectgarbage()
if rivet then
  -- luajit: (skip)
  print(ffi.string(nm.name), nm.data[3]) -- expect: temporary xxx\t4
  -- Pointers read back are bounded by what they point into.
  -- luajit: (skip)
  print(pcall(function() return nm.data[4] end)) -- expect: false\tconversions.lua:109: access out of bounds: 4 byte(s) at offset 16 of a 16-byte cdata
  nm.data = nil
  -- luajit: (skip)
  print(nm.data == ffi.cast("int *", 0)) -- expect: true
  -- Copies of a struct carry the anchors of its pointers.
  nm.name = "copied " .. ("y"):rep(2)
  local copy = ffi.new("struct named", nm)
  nm = nil
  collectgarbage()
  collectgarbage()
  -- luajit: (skip)
  print(ffi.string(copy.name)) -- expect: copied yy
  -- Memory no cdata owns (here reached through an address made from an integer) anchors by
  -- address, until another pointer is stored there.
  local raw = ffi.cast("struct named *", ffi.cast("uintptr_t", ffi.cast("void *", copy)))
  raw.name = "raw " .. ("z"):rep(2)
  collectgarbage()
  collectgarbage()
  -- luajit: (skip)
  print(ffi.string(raw.name), ffi.string(copy.name)) -- expect: raw zz\traw zz
end

-- Arrays and structs convert from cdata of the same type (copies), not by cast.
ffi.cdef[[ struct pair { int a, b; }; ]]
local p1 = ffi.new("struct pair", 1, 2)
local arr = ffi.new("struct pair[1]")
arr[0] = p1
p1.a = 100
print(arr[0].a, arr[0].b) -- expect: 1\t2
print(pcall(function() arr[0] = 5 end)) -- expect: false\tconversions.lua:138: cannot convert 'number' to 'struct pair'
-- luajit: false\tbad argument #1 to '?' (invalid C type)
print(pcall(function() return ffi.cast("struct pair", p1) end)) -- expect: false\tconversions.lua:140: bad argument #1 to 'cast' (invalid C type)
local two = ffi.new("int[2]", 8, 9)
local copy = ffi.new("int[2]", two)
two[0] = 0
print(copy[0], copy[1]) -- expect: 8\t9

-- Complex numbers.
local c = ffi.new("complex", 1.5, -2)
-- luajit: 1.5\t-2\t1.5\t-2\t1.5-2i
print(c.re, c.im, c[0], c[1], tostring(c)) -- expect: 1.5\t-2.0\t1.5\t-2.0\t1.5-2i
print(tostring(ffi.new("complex float", 3))) -- expect: 3+0i

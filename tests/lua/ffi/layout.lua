-- rivet-only: ffi.layout has no LuaJIT counterpart. Expected layouts are gcc's (x86-64 and
-- gcc -m32: sizeof, _Alignof, offsetof of the same structs) and MSVC's rules.
local ffi = require("ffi")

ffi.cdef[[
struct mixed { char c; double d; short s; long long ll; };
struct bits { char a : 4; int b : 4; };
union u { char c[5]; int i; };
]]

local l = ffi.layout("struct mixed", "x86_64-linux")
print(l.type, l.target, l.size, l.align, l.rule) -- expect: struct mixed\tx86_64-linux\t32\t8\tgcc
for _, f in ipairs(l.fields) do io.write(f.name, "@", f.offset, "+", f.size, " ") end print() -- expect: c@0+1 d@8+8 s@16+2 ll@24+8 
print(tostring(l)) -- expect: struct mixed on x86_64-linux (GCC rules): size 32, align 8
-- expect:   offset  size  member
-- expect:        0     1  char c
-- expect:        1     7  (padding)
-- expect:        8     8  double d
-- expect:       16     2  short s
-- expect:       18     6  (padding)
-- expect:       24     8  long long ll

-- i386 Linux aligns double and long long to 4 inside structs.
l = ffi.layout("struct mixed", "i386-linux")
print(l.size, l.align, l.fields[2].offset, l.fields[4].offset) -- expect: 24\t4\t4\t16
l = ffi.layout("struct mixed", "i386-windows")
print(l.size, l.align, l.fields[2].offset, l.rule) -- expect: 32\t8\t8\tmsvc

-- Bit-fields: GCC packs both into one int; MSVC starts a new unit when the type changes.
l = ffi.layout("struct bits", "x86_64-linux")
print(l.size, l.fields[2].offset, l.fields[2].bit_pos, l.fields[2].bit_width) -- expect: 4\t0\t4\t4
l = ffi.layout("struct bits", "x86_64-windows")
print(l.size, l.fields[2].offset, l.fields[2].bit_pos) -- expect: 8\t4\t0
print(tostring(ffi.layout("struct bits"))) -- expect: struct bits on x86_64-linux (GCC rules): size 4, align 4
-- expect:   offset  size  member
-- expect:        0     -  char a : 4 (bits 0..3 of the 1-byte unit)
-- expect:        0     -  int b : 4 (bits 4..7 of the 4-byte unit)
-- expect:        1     3  (padding)

-- Unions, scalars, arrays, variable-length types.
print(tostring(ffi.layout("union u"))) -- expect: union u on x86_64-linux (GCC rules): size 8, align 4
-- expect:   offset  size  member
-- expect:        0     5  char c[5]
-- expect:        0     4  int i
print(tostring(ffi.layout("long", "x86_64-windows")), ffi.layout("long").size) -- expect: long on x86_64-windows: size 4, align 4\t8
print(tostring(ffi.layout("double[?]"))) -- expect: double [?] on x86_64-linux: size 0, align 8, then 8-byte elements from offset 0
print(ffi.layout("int[3]", "aarch64-macos").size, ffi.layout("wchar_t", "aarch64-linux").size) -- expect: 12\t4

print(pcall(ffi.layout, "int", "sparc-solaris")) -- expect: false\tbad argument #2 to 'ffi.layout' (unknown target 'sparc-solaris' (known: x86_64-linux, x86_64-windows, i386-linux, i386-windows, aarch64-linux, aarch64-macos, aarch64-windows))
print(pcall(ffi.layout, "struct undefined_here")) -- expect: false\tsize of incomplete type 'struct undefined_here' is unknown

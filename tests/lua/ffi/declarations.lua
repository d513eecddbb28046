-- ffi.cdef: declarations of types, constants and variables, and what a failed cdef leaves.
local ffi = require("ffi")
local rivet = _VERSION == "Lua 5.4"

print(type(ffi), rawget(_G, "ffi")) -- expect: table\tnil
print(require("ffi") == ffi) -- expect: true

ffi.cdef[[
typedef struct point { int x, y; } point_t;
typedef point_t *point_ptr;
struct node { struct node *next; int value; };
union number { int32_t i; float f; uint8_t bytes[4]; };
enum color { RED, GREEN = 5, BLUE, MASK = GREEN | 8 };
typedef int (*binop)(int, int);
static const int ANSWER = 42;
]]

print(ffi.sizeof("point_t"), ffi.sizeof("struct point"), ffi.sizeof("point_ptr")) -- expect: 8\t8\t8
print(ffi.sizeof("struct node"), ffi.alignof("struct node")) -- expect: 16\t8
print(ffi.sizeof("union number"), ffi.alignof("union number")) -- expect: 4\t4
print(ffi.sizeof("enum color"), ffi.sizeof("binop")) -- expect: 4\t8
print(ffi.C.RED, ffi.C.GREEN, ffi.C.BLUE, ffi.C.MASK, ffi.C.ANSWER) -- expect: 0\t5\t6\t13\t42
print(ffi.offsetof("struct node", "value"), ffi.offsetof("point_t", "y")) -- expect: 8\t4
print(ffi.offsetof("struct node", "missing")) -- expect:

-- Repeating an identical declaration is accepted (LuaJIT: "attempt to redefine 'point'").
if rivet then
  ffi.cdef[[ struct point { int x, y; }; ]]
  -- luajit: (skip)
  print(ffi.sizeof("struct point")) -- expect: 8
end

-- Bit-fields: offsetof gives the unit's offset, then the first bit and the width.
ffi.cdef[[ struct flags { unsigned a : 3; unsigned b : 5; int c : 12; char d; }; ]]
print(ffi.offsetof("struct flags", "a")) -- expect: 0\t0\t3
print(ffi.offsetof("struct flags", "b")) -- expect: 0\t3\t5
print(ffi.offsetof("struct flags", "c")) -- expect: 0\t8\t12
print(ffi.offsetof("struct flags", "d"), ffi.sizeof("struct flags")) -- expect: 3\t4

-- Anonymous members are found through their parent.
ffi.cdef[[ struct tagged { int kind; union { int i; double d; }; }; ]]
print(ffi.offsetof("struct tagged", "d"), ffi.sizeof("struct tagged")) -- expect: 8\t16

-- Packing and alignment attributes.
ffi.cdef[[
#pragma pack(push, 1)
struct packed1 { char c; int i; };
#pragma pack(pop)
struct packed2 { char c; int i; } __attribute__((packed));
struct aligned { char c; } __attribute__((aligned(16)));
]]
print(ffi.sizeof("struct packed1"), ffi.offsetof("struct packed1", "i")) -- expect: 5\t1
print(ffi.sizeof("struct packed2"), ffi.alignof("struct packed2")) -- expect: 5\t1
print(ffi.sizeof("struct aligned"), ffi.alignof("struct aligned")) -- expect: 16\t16

-- Variable-length arrays and structs.
ffi.cdef[[ struct vls { int n; double items[?]; }; struct fam { int n; int data[]; }; ]]
print(ffi.sizeof("int[?]", 10), ffi.sizeof("struct vls", 3)) -- expect: 40\t32
print(ffi.sizeof("struct fam"), ffi.sizeof("int[]")) -- expect: 4\tnil
print(ffi.sizeof("void"), ffi.alignof("double"), ffi.alignof("char")) -- expect: nil\t8\t1

-- A struct declared before it is defined: pointers made meanwhile see the definition.
ffi.cdef[[ struct later; enum mode_e; ]]
local buf = ffi.new("int[4]", 1, 2, 3, 4)
local early = ffi.cast("struct later *", buf)
print(ffi.sizeof("struct later")) -- expect: nil
ffi.cdef[[ struct later { int a, b; }; ]]
print(early.b, early[1].a, ffi.sizeof("struct later")) -- expect: 2\t3\t8

-- Parameterised declarations: $ stands for a type, a number or a name.
ffi.cdef("typedef struct { $ $; } box_t;", ffi.typeof("double"), "value")
print(ffi.sizeof("box_t"), ffi.offsetof("box_t", "value")) -- expect: 8\t0
local matrix_t = ffi.typeof("uint8_t[$][$]", 3, 4)
print(ffi.sizeof(matrix_t)) -- expect: 12
print(ffi.sizeof(ffi.typeof("$ *", ffi.typeof("struct node")))) -- expect: 8

-- Errors come with the position inside the declarations, and nothing is half-declared.
-- LuaJIT reports the line only.
-- luajit: ';' expected near 'c' at line 2
print(select(2, pcall(ffi.cdef, "struct good { int a; };\nstruct bad { int b c; };"))) -- expect: cdef:2:20: ';' expected near 'c'
-- rivet's type strings name undeclared tags as incomplete types (so `struct opaque *` works
-- without a declaration); LuaJIT refuses them.
-- luajit: false\tundeclared or implicit tag 'good'
print(pcall(ffi.sizeof, "struct good")) -- expect: true\tnil
if rivet then
  -- luajit: (skip)
  print(select(2, pcall(ffi.cdef, "typedef int T; typedef long T;"))) -- expect: cdef:1:29: conflicting types for 'T' near 'T'
  -- luajit: (skip)
  print(select(2, pcall(ffi.cdef, "#include <stdio.h>"))) -- expect: cdef:1:2: unsupported preprocessor directive '#include' (only #define and #pragma pack are understood) near 'include'
  -- rivet reads #define constants (LuaJIT has no preprocessor).
  ffi.cdef[[
  #define BUFSIZE (4 * 1024)
  #define GREETING "hello"
  #define RATIO 1.5
  ]]
  -- luajit: (skip)
  print(ffi.C.BUFSIZE, ffi.C.GREETING, ffi.C.RATIO) -- expect: 4096\thello\t1.5
end
print(pcall(function() return ffi.C.undeclared_thing end)) -- expect: false\tdeclarations.lua:99: missing declaration for symbol 'undeclared_thing'

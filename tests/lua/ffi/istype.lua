-- ffi.istype: exact types (qualifiers aside), pointer compatibility, struct pointers.
local ffi = require("ffi")

ffi.cdef[[ struct s { int x; }; typedef struct s s_t; struct other { int x; }; ]]
local s = ffi.new("struct s")
local ps = ffi.new("struct s *", s)
print(ffi.istype("struct s", s), ffi.istype("s_t", s), ffi.istype("struct other", s)) -- expect: true\ttrue\tfalse
-- A pointer to a struct counts as the struct; not the other way round.
print(ffi.istype("struct s", ps), ffi.istype("struct s *", s)) -- expect: true\tfalse
print(ffi.istype("const struct s", s), ffi.istype("struct s", ffi.new("const struct s"))) -- expect: true\ttrue
-- Numbers: the exact type.
print(ffi.istype("int", ffi.new("int")), ffi.istype("int", ffi.new("unsigned int")), ffi.istype("int", 1)) -- expect: true\tfalse\tfalse
print(ffi.istype("int64_t", ffi.new("long long")), ffi.istype("double", ffi.new("float"))) -- expect: true\tfalse
print(ffi.istype("uint8_t", ffi.new("unsigned char")), ffi.istype("int32_t", ffi.new("const int"))) -- expect: true\ttrue
-- Pointers: compatibility, qualifiers ignored, and no special case for void *.
print(ffi.istype("int *", ffi.new("int *")), ffi.istype("const int *", ffi.new("int *"))) -- expect: true\ttrue
print(ffi.istype("int *", ffi.new("const int *")), ffi.istype("void *", ffi.new("int *"))) -- expect: true\tfalse
print(ffi.istype("int *", ffi.new("int[3]")), ffi.istype("int[3]", ffi.new("int[3]"))) -- expect: false\ttrue
-- ctypes and cdata both name types; anything that is not cdata is not of any C type.
print(ffi.istype(ffi.typeof("struct s"), s), ffi.istype(s, ffi.new("struct s"))) -- expect: true\ttrue
print(ffi.istype("int", nil), ffi.istype("int", "1"), ffi.istype("int", {})) -- expect: false\tfalse\tfalse

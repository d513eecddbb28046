-- tostring, type and tonumber of cdata; ffi.abi, ffi.os, ffi.arch, ffi.errno; ffi.C.
local ffi = require("ffi")
local rivet = _VERSION == "Lua 5.4"

ffi.cdef[[ struct thing { int a; }; ]]
-- ffi.C is a table with a metatable in rivet, a userdata in LuaJIT.
-- luajit: cdata\tcdata\tuserdata
print(type(ffi.new("int")), type(ffi.typeof("int")), type(ffi.C)) -- expect: cdata\tcdata\ttable
print(getmetatable(ffi.new("int"))) -- expect: ffi
print(tostring(ffi.typeof("struct thing *")), tostring(ffi.typeof("int[4]"))) -- expect: ctype<struct thing *>\tctype<int [4]>
-- ctype objects are equal when they name the same type.
print(ffi.typeof("int *") == ffi.typeof("int*"), ffi.typeof(ffi.new("int[4]")) == ffi.typeof("int[4]"), ffi.typeof("int") == ffi.typeof("unsigned")) -- expect: true\ttrue\tfalse
print(tostring(ffi.new("int *")), tostring(ffi.cast("char *", 0x10))) -- expect: cdata<int *>: NULL\tcdata<char *>: 0x00000010
print(tostring(ffi.new("struct thing")):match("^cdata<struct thing>: 0x%x+$") ~= nil) -- expect: true
print(tostring(ffi.new("int64_t", -3)), tostring(ffi.new("uint64_t", 3))) -- expect: -3LL\t3ULL
print(tostring(ffi.new("complex", 2, 0.5))) -- expect: 2+0.5i
print(tonumber(ffi.new("int", -7)), tonumber(ffi.new("float", 0.5)), tonumber(ffi.new("bool", true))) -- expect: -7\t0.5\t1
print(tonumber(ffi.new("int *")), tonumber(ffi.new("struct thing"))) -- expect: nil\tnil

-- The target.
print(ffi.os, ffi.arch) -- expect: Linux\tx64
print(ffi.abi("64bit"), ffi.abi("32bit"), ffi.abi("le"), ffi.abi("be"), ffi.abi("win"), ffi.abi("fpu")) -- expect: true\tfalse\ttrue\tfalse\tfalse\ttrue
print(ffi.abi("hardfp"), ffi.abi("softfp"), ffi.abi("eabi"), ffi.abi("nonsense")) -- expect: true\tfalse\tfalse\tfalse

-- errno: set returns the previous value.
ffi.errno(34)
print(ffi.errno(0), ffi.errno()) -- expect: 34\t0

-- ffi.C reads extern variables of the process (libc's getopt state here) and writes them.
ffi.cdef[[ extern int optind; extern int opterr; extern char **environ; ]]
print(ffi.C.optind, ffi.C.opterr) -- expect: 1\t1
ffi.C.opterr = 0
print(ffi.C.opterr) -- expect: 0
ffi.C.opterr = 1
print(ffi.C.environ ~= nil, type(ffi.string(ffi.C.environ[0]))) -- expect: true\tstring
-- Functions are function cdata, callable.
ffi.cdef[[ size_t strlen(const char *s); ]]
print(type(ffi.C.strlen)) -- expect: cdata
-- luajit: 3ULL
print(ffi.C.strlen("abc")) -- expect: 3
if rivet then
  -- luajit: (skip)
  print(tostring(ffi.C.strlen):match("^cdata<size_t %(const char %*%)>: 0x") ~= nil) -- expect: true
  -- luajit: (skip)
  print(pcall(function() return ffi.C.strlen(1) end)) -- expect: false\tmisc.lua:45: bad argument #1 to 'strlen' (cannot convert 'number' to 'const char *')
  ffi.cdef[[ extern int no_such_variable_anywhere; ]]
  -- luajit: (skip)
  print(pcall(function() return ffi.C.no_such_variable_anywhere end)) -- expect: false\tmisc.lua:48: cannot resolve symbol 'no_such_variable_anywhere'
  ffi.cdef[[ typedef int some_type_t; ]]
  -- luajit: (skip)
  print(pcall(function() return ffi.C.some_type_t end)) -- expect: false\tmisc.lua:51: missing declaration for symbol 'some_type_t'
end

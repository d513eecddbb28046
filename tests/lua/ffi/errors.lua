-- Errors of the ffi functions: clear Lua errors with positions, never a crash.
local ffi = require("ffi")
local rivet = _VERSION == "Lua 5.4"

local function err(f, ...)
  local ok, msg = pcall(f, ...)
  return ok and "no error" or msg
end

-- C declarations and type strings report line and column inside the text.
if rivet then
  -- luajit: (skip)
  print(err(function() return ffi.typeof("int x") end)) -- expect: errors.lua:13: cdef:1:5: unexpected symbol after the type near 'x'
  -- luajit: (skip)
  print(err(function() ffi.cdef("struct a { int x; };\n  struct b { unknown_t y; };") end)) -- expect: errors.lua:15: cdef:2:14: member declaration expected near 'unknown_t'
  -- luajit: (skip)
  print(err(function() return ffi.new("struct { int x; ") end)) -- expect: errors.lua:17: cdef:1:17: '}' expected near '<eof>'
  -- luajit: (skip)
  print(err(function() return ffi.typeof("int[$]") end)) -- expect: errors.lua:19: cdef:1:5: missing parameter for '$' near '$'
  -- luajit: (skip)
  print(err(ffi.new, 42)) -- expect: bad argument #1 to 'ffi.new' (C type expected, got number)
  -- luajit: (skip)
  print(err(ffi.new, "int[?]")) -- expect: bad argument #2 to 'ffi.new' (number expected, got no value)
  -- luajit: (skip)
  print(err(ffi.new, "int[?]", -1)) -- expect: bad argument #1 to 'ffi.new' (size of C type is unknown or too large)
  -- luajit: (skip)
  print(err(ffi.new, "void")) -- expect: bad argument #1 to 'ffi.new' (size of C type is unknown or too large)
  -- luajit: (skip)
  print(err(ffi.cdef, nil)) -- expect: bad argument #1 to 'ffi.cdef' (string expected, got nil)
  -- luajit: (skip)
  print(err(ffi.sizeof, {})) -- expect: bad argument #1 to 'ffi.sizeof' (C type expected, got table)
  -- luajit: (skip)
  print(err(ffi.cast, "int *")) -- expect: bad argument #2 to 'ffi.cast' (value expected)
  -- luajit: (skip)
  print(err(ffi.new, "int[1]", 2^70)) -- expect: no error
  -- luajit: (skip)
  print(err(ffi.new, "char[?]", 2^31)) -- expect: bad argument #1 to 'ffi.new' (size of C type is unknown or too large)
end

-- Conversions name both types.
print(err(ffi.new, "int", {})) -- expect: cannot convert 'table' to 'int'
print(err(ffi.new, "double", "1.5")) -- expect: cannot convert 'string' to 'double'
print(err(ffi.new, "int *", 1)) -- expect: cannot convert 'number' to 'int *'
print(err(ffi.new, "int *", ffi.new("double[1]"))) -- expect: cannot convert 'double [1]' to 'int *'
print(err(ffi.new, "int", ffi.new("int *"))) -- expect: cannot convert 'int *' to 'int'
print(err(ffi.new, "struct { int a; }", "x")) -- expect: cannot convert 'string' to 'int'
print(err(ffi.cast, "int *", {})) -- expect: cannot convert 'table' to 'int *'
print(err(ffi.new, "bool", ffi.new("int *"))) -- expect: cannot convert 'int *' to 'bool'

-- An uncaught error ends the script with its message.
local s = ffi.new("struct { int a; }")
s.b = 1 -- error: errors.lua:52: 'struct

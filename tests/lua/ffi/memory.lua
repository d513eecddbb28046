-- ffi.string, ffi.copy, ffi.fill.
local ffi = require("ffi")
local rivet = _VERSION == "Lua 5.4"

local buf = ffi.new("char[16]")
ffi.copy(buf, "hello")
print(ffi.string(buf), ffi.string(buf, 3), #ffi.string(buf, 8)) -- expect: hello\thel\t8
-- The second form copies the terminating zero too.
ffi.fill(buf, 16, 65)
ffi.copy(buf, "hi")
print(buf[1], buf[2], buf[3]) -- expect: 105\t0\t65
-- With a length, bytes are copied as they are (embedded zeros included).
ffi.copy(buf, "a\0b", 3)
print(ffi.string(buf, 4) == "a\0bA") -- expect: true

-- cdata to cdata, any pointer types; overlapping areas work (memmove).
local src = ffi.new("int[4]", 1, 2, 3, 4)
local dst = ffi.new("int[4]")
ffi.copy(dst, src, ffi.sizeof(src))
print(dst[0], dst[3]) -- expect: 1\t4
ffi.copy(src + 1, src, 3 * ffi.sizeof("int"))
print(src[0], src[1], src[2], src[3]) -- expect: 1\t1\t2\t3

-- fill: zero by default, or a byte value.
ffi.fill(dst, ffi.sizeof(dst))
print(dst[0], dst[3]) -- expect: 0\t0
ffi.fill(dst, 4, 1)
print(dst[0], dst[1]) -- expect: 16843009\t0

-- ffi.string of any pointer and a length; of a Lua string; strings can hold any bytes.
local d = ffi.new("double[1]", 1.0)
print(#ffi.string(d, 8), ffi.string(d, 8):byte(8)) -- expect: 8\t63
print(ffi.string("lua string", 3)) -- expect: lua

-- Destinations must be writable: const memory and Lua strings are not.
-- luajit: false\tbad argument #1 to '?' (cannot convert 'const char *' to 'void *')
print(pcall(ffi.copy, ffi.cast("const char *", buf), "x")) -- expect: false\tbad argument #1 to 'ffi.copy' (cannot convert 'const char *' to 'void *')
-- luajit: false\tbad argument #1 to '?' (cannot convert 'string' to 'void *')
print(pcall(ffi.fill, "text", 1)) -- expect: false\tbad argument #1 to 'ffi.fill' (cannot convert 'string' to 'void *')

if rivet then
  -- Memory a cdata owns is never read or written past its end (LuaJIT would overrun).
  -- luajit: (skip)
  print(pcall(ffi.copy, dst, src, 17)) -- expect: false\taccess out of bounds: 17 byte(s) at offset 0 of a 16-byte cdata
  -- luajit: (skip)
  print(pcall(ffi.fill, dst + 2, 9)) -- expect: false\taccess out of bounds: 9 byte(s) at offset 8 of a 16-byte cdata
  -- luajit: (skip)
  print(pcall(ffi.string, dst, 20)) -- expect: false\taccess out of bounds: 20 byte(s) at offset 0 of a 16-byte cdata
  ffi.fill(buf, 16, 66)
  -- No terminating zero inside the buffer.
  -- luajit: (skip)
  print(pcall(ffi.string, buf)) -- expect: false\taccess out of bounds: 17 byte(s) at offset 0 of a 16-byte cdata
  -- luajit: (skip)
  print(pcall(ffi.string, nil)) -- expect: false\tbad argument #1 to 'ffi.string' (NULL pointer)
  -- luajit: (skip)
  print(pcall(ffi.copy, buf, "abc", 5)) -- expect: false\tbad argument #3 to 'ffi.copy' (length exceeds the string)
end

-- ffi.gc: finalizers of cdata, run by the collector.
local ffi = require("ffi")
local rivet = _VERSION == "Lua 5.4"

local log = {}
local function closer(name) return function(cd) log[#log + 1] = name .. ":" .. tostring(cd[0]) end end

do
  local a = ffi.gc(ffi.new("int[1]", 11), closer("a"))
  local b = ffi.new("int[1]", 22)
  print(ffi.gc(b, closer("b")) == b) -- expect: true
  local kept = ffi.gc(ffi.new("int[1]", 33), closer("kept"))
  _G.kept = kept
end
collectgarbage()
collectgarbage()
table.sort(log)
print(#log, log[1], log[2]) -- expect: 2\ta:11\tb:22

-- Removing the finalizer (before freeing the resource by hand, typically).
ffi.gc(_G.kept, nil)
_G.kept = nil
collectgarbage()
print(#log) -- expect: 2

-- Replacing a finalizer keeps only the new one.
do
  local c = ffi.gc(ffi.new("int[1]", 44), closer("old"))
  ffi.gc(c, closer("new"))
end
collectgarbage()
print(#log, log[3]) -- expect: 3\tnew:44

-- Pointers and structs take finalizers; numbers do not.
ffi.cdef[[ struct h { int fd; }; ]]
print((pcall(ffi.gc, ffi.new("struct h"), function() end)), (pcall(ffi.gc, ffi.new("int *"), function() end))) -- expect: true\ttrue
-- luajit: false\tbad argument #1 to '?' (invalid C type)
print(pcall(ffi.gc, ffi.new("int"), print)) -- expect: false\tbad argument #1 to 'ffi.gc' (invalid C type)
if rivet then
  -- LuaJIT accepts any value and fails when it calls it.
  -- luajit: (skip)
  print(pcall(ffi.gc, ffi.new("int[1]"), 42)) -- expect: false\tbad argument #2 to 'ffi.gc' (function expected, got number)
end

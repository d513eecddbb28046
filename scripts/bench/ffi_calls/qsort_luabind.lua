-- The qsort benchmark through a hand-written Lua 5.4 C binding (lua_binding.c's qsort,
-- which calls the Lua comparator with lua_call). Usage: lua5.4 qsort_luabind.lua N
local b = require("luabind")
local n = tonumber(arg[1] or "1000000")
local a = b.intarray(n)
local seed = 42
for i = 0, n - 1 do
  seed = (seed * 1103515245 + 12345) % 2147483648
  b.set(a, i, seed)
end
local compares = 0
local t = os.clock()
b.qsort(a, function(u, v)
  compares = compares + 1
  return u < v and -1 or (u > v and 1 or 0)
end)
local dt = os.clock() - t
print(string.format("qsort %.2f %s", dt * 1e9 / compares, tostring(b.sorted(a))))

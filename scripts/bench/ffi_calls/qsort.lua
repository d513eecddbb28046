-- Callback benchmark (rivet and LuaJIT): C's qsort of N ints with a Lua comparator; prints
-- ns per comparison. Usage: rivet qsort.lua N
local ffi = require("ffi")
local n = tonumber(arg[1] or "1000000")
ffi.cdef[[ void qsort(void *base, size_t n, size_t size, int (*cmp)(const int *, const int *)); ]]
local a = ffi.new("int[?]", n)
local seed = 42
for i = 0, n - 1 do
  seed = (seed * 1103515245 + 12345) % 2147483648
  a[i] = seed
end
local compares = 0
local cmp = ffi.cast("int (*)(const int *, const int *)", function(x, y)
  compares = compares + 1
  local u, v = x[0], y[0]
  return u < v and -1 or (u > v and 1 or 0)
end)
local t = os.clock()
ffi.C.qsort(a, n, 4, cmp)
local dt = os.clock() - t
local sorted = true
for i = 1, n - 1 do if a[i - 1] > a[i] then sorted = false break end end
print(string.format("qsort %.2f %s", dt * 1e9 / compares, tostring(sorted)))

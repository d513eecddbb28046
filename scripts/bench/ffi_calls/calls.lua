-- Call benchmarks through the ffi (rivet and LuaJIT): ns per call from a Lua loop.
-- Usage: rivet calls.lua LIBRARY N
local ffi = require("ffi")
local path, n = arg[1], tonumber(arg[2] or "10000000")
ffi.cdef[[
typedef struct { double x, y, z; int64_t tag; } vec4;
int add(int a, int b);
double fadd(double a, double b);
int64_t sum6(int64_t a, int64_t b, int64_t c, int64_t d, int64_t e, int64_t f);
vec4 vscale(vec4 v, double k);
]]
local lib = ffi.load(path)

local function bench(name, f)
  local t = os.clock()
  local check = f()
  print(string.format("%s %.2f %s", name, (os.clock() - t) * 1e9 / n, tostring(check)))
end

bench("add", function()
  local add, s = lib.add, 0
  for _ = 1, n do s = add(s, 1) end
  return s
end)
bench("fadd", function()
  local fadd, d = lib.fadd, 0
  for _ = 1, n do d = fadd(d, 1) end
  return d
end)
bench("sum6", function()
  local sum6, q = lib.sum6, 0
  for _ = 1, n do q = sum6(q, 1, 2, 3, 4, 5) end
  return tonumber(q)
end)
bench("struct", function()
  local vscale, v = lib.vscale, ffi.new("vec4", 1, 2, 3, 0)
  for _ = 1, n do v = vscale(v, 1) end
  return tonumber(v.tag)
end)

-- Pointer arithmetic, differences and comparisons; pointers keep what they point into alive.
local ffi = require("ffi")
local rivet = _VERSION == "Lua 5.4"

local a = ffi.new("int[8]", {0, 1, 2, 3, 4, 5, 6, 7})
local p = a + 2
local q = 5 + ffi.cast("int *", a)
print(p[0], q[0], (q - 1)[0], (p + 3 - 2)[0]) -- expect: 2\t5\t4\t3
print(q - p, p - q, q - a, a - q) -- expect: 3\t-3\t5\t-5
print(p < q, q < p, p <= p, q >= p, a < p) -- expect: true\tfalse\ttrue\ttrue\ttrue
print(p == a + 2, p ~= q, p == q - 3) -- expect: true\ttrue\ttrue
-- Equality of pointers of any types compares addresses.
print(ffi.cast("char *", p) == p, ffi.cast("void *", a) == a) -- expect: true\ttrue

-- Element size comes from the pointee type.
local d = ffi.new("double[4]")
local cp = ffi.cast("char *", d)
print((ffi.cast("double *", cp + 8) - d), ffi.cast("char *", d + 3) - cp) -- expect: 1\t24
ffi.cdef[[ struct rec { char name[12]; int n; }; ]]
local recs = ffi.new("struct rec[3]")
print(ffi.cast("char *", recs + 2) - ffi.cast("char *", recs)) -- expect: 32

-- Arithmetic without an element size, and between incompatible pointers, is refused.
local vp = ffi.cast("void *", a)
print(pcall(function() return vp + 1 end)) -- expect: false\tpointers.lua:25: attempt to perform arithmetic on 'void *' and 'number'
print(pcall(function() return p - d end)) -- expect: false\tpointers.lua:26: attempt to perform arithmetic on 'int *' and 'double [4]'
print(pcall(function() return p < d end)) -- expect: false\tpointers.lua:27: attempt to compare 'int *' with 'double [4]'
print(pcall(function() return p * 2 end)) -- expect: false\tpointers.lua:28: attempt to perform arithmetic on 'int *' and 'number'
print(pcall(function() return p + p end)) -- expect: false\tpointers.lua:29: attempt to perform arithmetic on 'int *' and 'int *'

-- Boxed numbers take part in arithmetic and comparisons as 64-bit integers, as in LuaJIT:
-- any numeric cdata operand makes the operation int64_t (uint64_t if one is a uint64_t),
-- with a boxed result; floats are truncated first.
print(ffi.new("int", 5) + 2, ffi.new("double", 0.5) * 1, ffi.new("int", 5) < 7) -- expect: 7LL\t0LL\ttrue
print(ffi.new("double", 2.5) * 4, -ffi.new("int", 3), 2 ^ ffi.new("int", 3)) -- expect: 8LL\t-3LL\t8LL
if rivet then
  -- luajit: (skip)
  -- (Lua 5.4 operators, which LuaJIT's parser does not know: compiled at run time.)
  print(load("local ffi = ... return ffi.new('int64_t', 7) // 2, ffi.new('uint8_t', 6) & 3")(ffi)) -- expect: 3LL\t2LL
end

-- A pointer into a cdata keeps it alive after the last reference to the cdata is gone (in
-- LuaJIT the cdata is collected and the pointer dangles).
local function make()
  local buf = ffi.new("int[1000]")
  for i = 0, 999 do buf[i] = i end
  return buf + 500
end
local mid = make()
collectgarbage()
collectgarbage()
for _ = 1, 200 do ffi.new("int[1000]", 7) end
collectgarbage()
if rivet then
  -- luajit: (skip)
  print(mid[0], mid[-500], mid[499]) -- expect: 500\t0\t999
end
-- So do references to members and elements.
ffi.cdef[[ struct holder { int pad; struct { int v[4]; } inner; }; ]]
local function member()
  local h = ffi.new("struct holder")
  h.inner.v[3] = 42
  return h.inner
end
local inner = member()
collectgarbage()
collectgarbage()
for _ = 1, 200 do ffi.new("struct holder") end
if rivet then
  -- luajit: (skip)
  print(inner.v[3]) -- expect: 42
end

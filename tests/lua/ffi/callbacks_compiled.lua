-- Callbacks whose Lua function rivet runs as machine code (short functions that call
-- nothing and read their pointer parameters only as p[i]: the pointers are never boxed).
-- Everything here must behave exactly as the interpreter and LuaJIT do, including a
-- function that stops being compilable in the middle of a call (the interpreter finishes
-- it) and errors raised there. The library is tests/native/lua_fixture.c.
local ffi = require("ffi")
ffi.cdef[[
void qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));
int64_t fx_cb_ints(int64_t (*f)(int8_t, uint8_t, int16_t, uint16_t, int32_t, uint32_t, int64_t, uint64_t));
double fx_cb_mix16(double (*f)(int, double, int8_t, float, int64_t, double, uint16_t, float, int, double, int,
                               double, int, double, int, double));
int fx_call_int(int (*f)(int), int x);
]]
local lib = ffi.load(os.getenv("RIVET_TEST_FIXTURE"))

-- Sorts a copy of `values` as C type `ct` with comparator `cmp` (a callback taking two
-- `const ct *`) and returns the sorted values as a string.
local function sorted(ct, values, cmp)
  local n = #values
  local a = ffi.new(ct .. "[?]", n, values)
  local cb = ffi.cast("int (*)(const " .. ct .. " *, const " .. ct .. " *)", cmp)
  ffi.C.qsort(a, n, ffi.sizeof(ct), ffi.cast("int (*)(const void *, const void *)", cb))
  cb:free()
  local out = {}
  for i = 0, n - 1 do out[#out + 1] = string.format("%.17g", tonumber(a[i])) end
  return table.concat(out, " ")
end

local calls = 0
local function ascending(x, y)
  calls = calls + 1
  local u, v = x[0], y[0]
  return u < v and -1 or (u > v and 1 or 0)
end
local function descending(x, y) return y[0] - x[0] end

print(sorted("int", {5, -3, 9, 0, 2, 2, -100}, ascending))  -- expect: -100 -3 0 2 2 5 9
print(calls > 6)  -- expect: true
print(sorted("uint8_t", {200, 3, 255, 0, 17}, ascending))  -- expect: 0 3 17 200 255
print(sorted("int16_t", {-300, 300, 7, -7}, descending))  -- expect: 300 7 -7 -300
print(sorted("double", {2.5, -1.25, 1e10, 0}, ascending))  -- expect: -1.25 0 2.5 10000000000
print(sorted("float", {0.5, -0.25, 3}, ascending))  -- expect: -0.25 0.5 3
print(sorted("int64_t", {2^40, -2^40, 5}, ascending))  -- expect: -1099511627776 5 1099511627776

-- Number parameters of every width, and many of them (some on the stack).
print(tonumber(lib.fx_cb_ints(function(a, b, c, d, e, f, g, h) return a + b + c + d + e end)))  -- expect: -1999969900
print(lib.fx_cb_mix16(function(a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p)
  return a + b * 2 - c + d + f - g + h + i - j + k * l + m - n + o * p
end))  -- expect: 403.25

-- An upvalue of another kind in the middle of a sort: the machine code stops and the
-- interpreter finishes the call (with the coercion of a string, here).
local scale = 1
local flips = 0
local function scaled(x, y)
  flips = flips + 1
  if flips == 20 then scale = "1" end
  return (x[0] - y[0]) * scale
end
print(sorted("int", {9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10}, scaled))  -- expect: 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19
print(type(scale), flips > 20)  -- expect: string\ttrue

-- An error where the interpreter took over: raised when the C call returns, with the
-- callback's traceback.
local bad = ffi.cast("int (*)(int)", function(x) return x * scale end)
print(lib.fx_call_int(bad, 21))  -- expect: 21
scale = {}
local ok, err = pcall(lib.fx_call_int, bad, 21)
-- (LuaJIT words it "attempt to perform arithmetic on upvalue 'scale' (a table value)")
print(ok, (err:match("callbacks_compiled.lua:%d+: attempt to perform arithmetic on a table value %(upvalue 'scale'%)")))
-- luajit: false\tnil
-- expect: false\tcallbacks_compiled.lua:65: attempt to perform arithmetic on a table value (upvalue 'scale')
scale = 3
print(lib.fx_call_int(bad, 21))  -- expect: 63

-- cb:set() switches to another function (compiled anew).
bad:set(function(x) return x - 1 end)
print(lib.fx_call_int(bad, 21))  -- expect: 20
bad:free()

-- A NULL pointer argument: the interpreter makes that call and reports `p[0]` on it (LuaJIT
-- would crash reading address 0).
local rivet = jit.version:find("rivet") ~= nil
local deref = ffi.cast("int (*)(const int *)", function(p) return p[0] + 1 end)
print(deref(ffi.new("int[1]", 41)))  -- expect: 42
if rivet then
  local ok3, e3 = pcall(deref, nil)
  print(ok3, (e3:match("attempt to index a NULL pointer")))
end
-- luajit: (skip)
-- expect: false\tattempt to index a NULL pointer
print(deref(ffi.new("int[1]", 1)))  -- expect: 2
deref:free()

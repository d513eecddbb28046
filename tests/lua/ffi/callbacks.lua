-- Callbacks: Lua functions called from C through trampolines, with every argument kind,
-- structs by value, re-entrancy, errors, free/set, many live callbacks and the GC.
-- The C side is tests/native/lua_fixture.c.
local ffi = require("ffi")
ffi.cdef[[
typedef struct { int8_t a; } s1;
typedef struct { int16_t a; int8_t b; } s3;
typedef struct { float x, y; } f2;
typedef struct { double x; int64_t tag; } dmix;
typedef struct { double x, y, z; } d3;
typedef struct { int32_t v[16]; } big64;
typedef union { int64_t i; double d; } num_u;
int64_t fx_cb_ints(int64_t (*f)(int8_t, uint8_t, int16_t, uint16_t, int32_t, uint32_t, int64_t, uint64_t));
double fx_cb_mix16(double (*f)(int, double, int8_t, float, int64_t, double, uint16_t, float, int, double, int,
                               double, int, double, int, double));
int fx_cb_bool(bool (*f)(bool, float));
float fx_cb_float(float (*f)(float, double));
size_t fx_cb_string(const char *(*f)(const char *));
double fx_cb_structs(d3 (*f)(d3, f2, dmix, s3));
int64_t fx_cb_big(big64 (*f)(big64, int));
double fx_cb_small_structs(s1 (*f)(s1, f2, num_u));
complex double fx_cb_complex(complex double (*f)(complex double));
void fx_cb_void(void (*f)(int), int n);
int fx_cb_nest(int (*f)(int), int depth);
int fx_call_int(int (*f)(int), int x);
void fx_store_cb(int (*f)(int));
int fx_call_stored(int x);
void qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));
]]
local lib = ffi.load(os.getenv("RIVET_TEST_FIXTURE"))
local function show(...)
  local t = {...}
  for i = 1, select("#", ...) do
    t[i] = type(t[i]) == "number" and string.format("%.17g", t[i]) or tostring(t[i])
  end
  print(table.concat(t, "\t"))
end

-- Integers of every width arrive converted and extended; the result goes back as int64_t.
local got
print(tonumber(lib.fx_cb_ints(function(a, b, c, d, e, f, g, h)
  got = {a, b, c, d, e, f, tonumber(g)}
  return a + b + c + d
end))) -- expect: 30100
show((table.unpack or unpack)(got)) -- expect: -100\t200\t-30000\t60000\t-2000000000\t4000000000\t-5000000000000

-- Sixteen mixed arguments, some from the stack.
show(lib.fx_cb_mix16(function(...)
  local s = 0
  for i, v in ipairs({...}) do s = s + i * tonumber(v) end
  return s
end)) -- expect: 1513
show(lib.fx_cb_bool(function(b, f) return b and f > 1 end), lib.fx_cb_float(function(f, d) return f + d end)) -- expect: 1\t1.5
show(tonumber(lib.fx_cb_string(function(s) return ffi.string(s) .. "defg" end))) -- expect: 7

-- Structs and unions by value, as arguments and as results (LuaJIT cannot do these).
if rivet then
  -- luajit: (skip)
  show(lib.fx_cb_structs(function(a, b, c, d)
    return {a.x + b.x, a.y + c.x + tonumber(c.tag), a.z + d.a + d.b}
  -- luajit: (skip)
  end)) -- expect: 418
  -- luajit: (skip)
  print(lib.fx_cb_big(function(s, k)
    local r = ffi.new("big64")
    for i = 0, 15 do r.v[i] = s.v[i] * k end
    return r
  -- luajit: (skip)
  end)) -- expect: 6070720112591066672
  -- luajit: (skip)
  show(lib.fx_cb_small_structs(function(a, b, u) return {a.a + b.x + b.y + u.d} end)) -- expect: -3
  local c = lib.fx_cb_complex(function(z) return ffi.new("complex double", z.re * 10, z.im * 10) end)
  -- luajit: (skip)
  show(c.re, c.im) -- expect: 20\t40
end

-- A void callback called many times.
local sum = 0
lib.fx_cb_void(function(i) sum = sum + i end, 100)
print(sum) -- expect: 4950

-- Re-entrancy: a callback calls C, which calls the callback again, 50 levels deep.
local nest
nest = ffi.cast("int (*)(int)", function(d)
  if d == 0 then return 0 end
  return lib.fx_cb_nest(nest, d - 1)
end)
print(lib.fx_cb_nest(nest, 50)) -- expect: 51

-- qsort with a Lua comparator, through an explicit and an implicit callback.
local arr = ffi.new("int[8]", {5, 3, 9, 1, 7, 2, 8, 6})
local asc = ffi.cast("int (*)(const void *, const void *)", function(a, b)
  return ffi.cast("const int *", a)[0] - ffi.cast("const int *", b)[0]
end)
ffi.C.qsort(arr, 8, 4, asc)
print(arr[0], arr[7]) -- expect: 1\t9
ffi.C.qsort(arr, 8, 4, function(a, b) return ffi.cast("const int *", b)[0] - ffi.cast("const int *", a)[0] end)
print(arr[0], arr[7]) -- expect: 9\t1

-- cb:set replaces the function; cb:free releases the callback.
asc:set(function() return 0 end)
print(lib.fx_call_int(ffi.cast("int (*)(int)", function(x) return x * 3 end), 14)) -- expect: 42
asc:free()
print(pcall(asc.free, asc)) -- expect: false\tbad callback

-- An error inside a callback does not unwind through C: the C call returns, then the error
-- is raised where it was called from, with the callback's traceback.
local ok, err = pcall(lib.fx_call_int, function(x) error("bad " .. x) end, 5)
-- luajit: false\tcallbacks.lua:108: bad 5
print(ok, (err:match("^[^\n]*"))) -- expect: false\tcallbacks.lua:108: bad 5
-- luajit: false
print(err:find("callback stack traceback", 1, true) ~= nil) -- expect: true
-- A wrong result type is an error too.
-- luajit: false\tcallbacks.lua:115: cannot convert 'string' to 'int'
print(pcall(lib.fx_call_int, function() return "x" end, 1)) -- expect: false\tcannot convert 'string' to 'int'
-- Yielding across the C call is an error, not a crash.
local co = coroutine.wrap(function()
  return pcall(lib.fx_call_int, function(x) coroutine.yield(x) return x end, 7)
end)
local yok, yerr = co()
-- luajit: false\tcallbacks.lua:118: attempt to yield across C-call boundary
print(yok, (tostring(yerr):match("^[^\n]*"))) -- expect: false\tattempt to yield across a C-call boundary

if rivet then
  -- A freed callback that C still calls: an error in Lua, no crash.
  local stored = ffi.cast("int (*)(int)", function(x) return x + 1 end)
  lib.fx_store_cb(stored)
  -- luajit: (skip)
  print(lib.fx_call_stored(1)) -- expect: 2
  stored:free()
  -- luajit: (skip)
  print(pcall(lib.fx_call_stored, 1)) -- expect: false\ta freed callback was called

  -- 10,000 live callbacks, each calling its own function.
  local cbs = {}
  for i = 1, 10000 do cbs[i] = ffi.cast("int (*)(int)", function(x) return x + i end) end
  local total = 0
  for i = 1, 10000, 999 do total = total + lib.fx_call_int(cbs[i], 0) end
  -- luajit: (skip)
  print(total) -- expect: 54956
  for i = 1, 10000 do cbs[i]:free() end

  -- The GC keeps a callback's function until the callback is freed.
  local weak = setmetatable({}, {__mode = "k"})
  local keep = ffi.cast("int (*)(int)", (function()
    local f = function(x) return x * 2 end
    weak[f] = true
    return f
  end)())
  collectgarbage(); collectgarbage()
  -- luajit: (skip)
  print(next(weak) ~= nil, lib.fx_call_int(keep, 21)) -- expect: true\t42
  keep:free()
  collectgarbage(); collectgarbage()
  -- luajit: (skip)
  print(next(weak) == nil) -- expect: true
end

-- Variadic function pointer types cannot be callbacks.
-- luajit: false\tcannot convert 'function' to 'int (*)()'
print(pcall(ffi.cast, "int (*)(int, ...)", function() end)) -- expect: false\tcannot make a callback: a callback cannot be variadic

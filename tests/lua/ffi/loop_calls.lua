-- C calls inside loops that rivet's loop compiler takes (it compiles a loop after about a
-- hundred iterations and calls C through each function's compiled entry): the same results
-- as the interpreter and LuaJIT, whatever happens in the middle of a loop. The library is
-- tests/native/lua_fixture.c.
local ffi = require("ffi")
ffi.cdef[[
int fx_narrow_int(int8_t a, uint8_t b, int16_t c, uint16_t d, float f);
double fx_float(float f);
int8_t fx_ret_i8(int x);
int64_t fx_i32(int32_t x);
int64_t fx_sum10(int64_t a, int64_t b, int64_t c, int64_t d, int64_t e, int64_t f, int64_t g, int64_t h,
                 int64_t i, int64_t j);
typedef struct { double x, y, z; } d3;
d3 fx_scale_d3(d3 s, double k);
int fx_fail_with(int e);
void fx_nothing(void);
int fx_call_int(int (*f)(int), int x);
]]
local lib = ffi.load(os.getenv("RIVET_TEST_FIXTURE"))
local N = 5000

-- Narrow parameters see the C conversion of each number (truncated, sign or zero extended).
local function narrow(n)
  local f, s = lib.fx_narrow_int, 0
  for i = 1, n do s = s + f(i * 37, i * 11, i * 300, i * 301, i + 0.25) end
  return s
end
print(narrow(N))  -- expect: 1198362348

-- Float arguments and double results; an int8_t result.
local function floats(n)
  local f, g, d, t = lib.fx_float, lib.fx_ret_i8, 0, 0
  for i = 1, n do
    d = d + f(i + 0.5)
    t = t + g(i)
  end
  return string.format("%.1f", d), t
end
print(floats(N))  -- expect: 12505000.0\t4580

-- Ten int64_t arguments (four on the stack) and int64_t results (LuaJIT: boxed 64-bit cdata).
local function sum10(n)
  local f, q = lib.fx_sum10, 0
  for i = 1, n do q = f(q, i, 2, 3, 4, 5, 6, 7, 8, -9) end
  return tonumber(q)
end
print(sum10(N))  -- expect: 25745000

-- Struct arguments and results: a new cdata per call, collected as the loop goes.
local function structs(n)
  local f, v = lib.fx_scale_d3, ffi.new("d3", 1, 2, 3)
  for i = 1, n do v = f(v, 1.0001) end
  return v
end
local before = collectgarbage("count")
local v = structs(100000)
print(string.format("%.6f %.6f %.6f", v.x, v.y, v.z))  -- expect: 22015.456049 44030.912097 66046.368146
print(collectgarbage("count") - before < 2048)  -- expect: true

-- The same loop given another function: the compiled loop checks its callee and lets the
-- interpreter call the other one.
local function run(f, n)
  local s = 0
  for i = 1, n do s = s + f(i) end
  return tonumber(s)
end
print(run(lib.fx_i32, N), run(lib.fx_ret_i8, N), run(lib.fx_i32, N))  -- expect: 12502500\t4580\t12502500

-- An argument that stops converting in the middle of a compiled loop: the interpreter makes
-- that call and raises its error from the loop's line.
local last = 0
local ok = pcall(function()
  local f = lib.fx_ret_i8
  for i = 1, N do
    last = i
    local x = i == 3000 and "not a number" or i
    f(x)
  end
end)
print(ok, last)  -- expect: false\t3000

-- errno is captured by compiled calls too; void functions; a loop that runs zero times.
local function fail(n)
  local f, g = lib.fx_fail_with, lib.fx_nothing
  for i = 1, n do f(i); g() end
end
fail(N)
print(ffi.errno())  -- expect: 5000
fail(0)
print(ffi.errno())  -- expect: 5000

-- Once a callback exists, calls record the runtime for the callback's dispatcher (C may call
-- back into it); compiled loops keep running compiled, with the same results.
local cb = ffi.cast("int (*)(int)", function(x) return x end)
print(narrow(N), floats(N))  -- expect: 1198362348\t12505000.0\t4580
cb:free()

-- A C function calling back into Lua from inside a compiled loop, and a callback's error in
-- the middle of one: raised from the loop's call when the C call returns.
local twice = ffi.cast("int (*)(int)", function(x) return 2 * x end)
local function via_callback(n, f)
  local call, s = lib.fx_call_int, 0
  for i = 1, n do s = s + call(f, i) end
  return s
end
print(via_callback(N, twice))  -- expect: 25005000
local seen = 0
local failing = ffi.cast("int (*)(int)", function(x)
  seen = seen + 1
  if x == 3000 then error("stop at " .. x) end
  return x
end)
local ok2, err = pcall(via_callback, N, failing)
print(ok2, err:match("stop at %d+"), seen)  -- expect: false\tstop at 3000\t3000
-- A callback that grows the Lua stack (deep recursion moves it) while the compiled loop's
-- registers live on it: the loop finds them again after each call.
local function depth(n) if n == 0 then return 0 end return 1 + depth(n - 1) end
local deep = ffi.cast("int (*)(int)", function(x) return depth(x * 500) - x * 499 end)
print(via_callback(40, deep), via_callback(300, twice))  -- expect: 820\t90300
-- coroutine.yield inside a callback that a compiled loop's C call runs: an error, as under
-- any C frame (the frame under the callback is the loop's Lua frame, not a C function's).
local co = coroutine.wrap(function()
  local yielder = ffi.cast("int (*)(int)", function(x)
    if x == 300 then coroutine.yield(x) end
    return x
  end)
  local ok3, e3 = pcall(via_callback, N, yielder)
  yielder:free()
  return ok3, e3:match("attempt to yield across") ~= nil
end)
print(co())  -- expect: false\ttrue
twice:free()
failing:free()
deep:free()

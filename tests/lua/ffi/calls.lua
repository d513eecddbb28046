-- Calling C functions through ffi.load and ffi.C: every argument kind, results, varargs,
-- errno, extern variables and the errors of bad calls. The library is tests/native/lua_fixture.c.
local ffi = require("ffi")
ffi.cdef[[
int64_t fx_i8(int8_t x); int64_t fx_u8(uint8_t x); int64_t fx_i16(int16_t x); int64_t fx_u16(uint16_t x);
int64_t fx_i32(int32_t x); int64_t fx_u32(uint32_t x); int64_t fx_i64(int64_t x); uint64_t fx_u64(uint64_t x);
int fx_bool(bool b); bool fx_not(bool b); double fx_float(float f); float fx_halve(float f);
int8_t fx_ret_i8(int x); uint16_t fx_ret_u16(int x); uint8_t fx_ret_u8_dirty(uint64_t x);
double fx_mix16(int a, double b, int8_t c, float d, int64_t e, double f, uint16_t g, float h,
                int i, double j, int k, double l, int m, double n, int o, double p);
int64_t fx_sum10(int64_t a, int64_t b, int64_t c, int64_t d, int64_t e, int64_t f, int64_t g, int64_t h,
                 int64_t i, int64_t j);
typedef struct { int8_t a; } s1;
typedef struct { int16_t a; int8_t b; } s3;
typedef struct { float x, y; } f2;
typedef struct { double x; int64_t tag; } dmix;
typedef struct { double x, y, z; } d3;
typedef struct { int32_t v[16]; } big64;
typedef union { int64_t i; double d; } num_u;
typedef struct __attribute__((packed)) { char c; int32_t i; } packed5;
int64_t fx_s1(s1 s); int64_t fx_s3(s3 s); double fx_f2(f2 s); double fx_dmix(dmix s); double fx_d3(d3 s);
int64_t fx_big64(big64 s); double fx_union(num_u u, int is_double); int64_t fx_packed(packed5 p);
s3 fx_make_s3(int a, int b); f2 fx_make_f2(float x, float y); dmix fx_make_dmix(double x, int64_t tag);
d3 fx_scale_d3(d3 s, double k); big64 fx_make_big64(int32_t start);
double fx_structs(d3 a, f2 b, dmix c, s3 d, d3 e);
complex double fx_cmul(complex double a, complex double b); complex float fx_cconj(complex float a);
double fx_vsum(const char *fmt, ...);
size_t fx_strlen(const char *s); int fx_is_null(const void *p); void fx_fill(int32_t *out, int n, int32_t start);
const char *fx_greeting(void); double fx_d3_len2(const d3 *p); void fx_d3_double(d3 *p);
enum fx_color { FX_RED = 1, FX_GREEN = 2, FX_BLUE = 4 };
int fx_color_value(enum fx_color c); enum fx_color fx_next_color(enum fx_color c);
int fx_fail_with(int e);
extern int32_t fx_counter;
int fx_bump(void);
void fx_nothing(void);
]]
local lib = ffi.load(os.getenv("RIVET_TEST_FIXTURE"))
local n = tonumber
-- Prints numbers alike in rivet (Lua 5.4 floats print as 2.0) and LuaJIT (2).
local function show(...)
  local t = {...}
  for i = 1, select("#", ...) do
    t[i] = type(t[i]) == "number" and string.format("%.17g", t[i]) or tostring(t[i])
  end
  print(table.concat(t, "\t"))
end

-- Integers of every width: the callee sees the value converted and extended as C does.
show(n(lib.fx_i8(-5)), n(lib.fx_i8(200)), n(lib.fx_u8(-1)), n(lib.fx_u8(255))) -- expect: -5\t-56\t255\t255
show(n(lib.fx_i16(-30000)), n(lib.fx_u16(-2)), n(lib.fx_i32(-7)), n(lib.fx_u32(-1))) -- expect: -30000\t65534\t-7\t4294967295
show(n(lib.fx_i64(-123456789012)), n(lib.fx_u64(2^40))) -- expect: -123456789012\t1099511627776
show(lib.fx_bool(true), lib.fx_bool(false), lib.fx_not(false), lib.fx_not(true)) -- expect: 7\t3\ttrue\tfalse
show(lib.fx_float(0.5), lib.fx_halve(3)) -- expect: 0.5\t1.5
show(lib.fx_ret_i8(255), lib.fx_ret_u16(-1), lib.fx_ret_u8_dirty(0x1234)) -- expect: -1\t65535\t52
-- Numbers as cdata arguments, and floats to integers (truncated).
show(n(lib.fx_i32(ffi.new("int", 42))), n(lib.fx_i32(3.9)), n(lib.fx_i64(ffi.new("int64_t", -9)))) -- expect: 42\t3\t-9

-- Register exhaustion: 16 mixed arguments, the last ones on the stack.
show(lib.fx_mix16(1, 2, -3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16)) -- expect: 1478
show(n(lib.fx_sum10(1, 2, 3, 4, 5, 6, 7, 8, 9, 10))) -- expect: 385

-- Structs and unions by value: from cdata and from tables, and as results.
show(n(lib.fx_s1(ffi.new("s1", -7))), n(lib.fx_s3({12, -3})), lib.fx_f2({1.5, 2})) -- expect: -7\t11997\t17
show(lib.fx_dmix(ffi.new("dmix", 0.25, 3)), lib.fx_d3({1, 2, 3})) -- expect: 300.25\t321
local big = ffi.new("big64")
for i = 0, 15 do big.v[i] = i * i - 7 end
-- luajit: -8435383016736124808LL
print(tostring(lib.fx_big64(big))) -- expect: -8435383016736124808
show(lib.fx_union(ffi.new("num_u", {d = 2.5}), 1), lib.fx_union(ffi.new("num_u", {i = -4}), 0)) -- expect: 2.5\t-4
-- LuaJIT 2.1 passes packed structs by value wrongly (the callee sees zeros).
-- luajit: 0
show(n(lib.fx_packed(ffi.new("packed5", 5, -6)))) -- expect: 4994
local s3 = lib.fx_make_s3(-300, 7)
show(ffi.istype("s3", s3), s3.a, s3.b) -- expect: true\t-300\t7
local f2 = lib.fx_make_f2(0.5, -1)
show(f2.x, f2.y) -- expect: 0.5\t-1
local dm = lib.fx_make_dmix(1.25, -2)
show(dm.x, n(dm.tag)) -- expect: 1.25\t-2
local v = lib.fx_scale_d3(ffi.new("d3", 1, 2, 3), 2)
show(v.x, v.y, v.z) -- expect: 2\t4\t6
local b = lib.fx_make_big64(100)
show(b.v[0], b.v[15], ffi.sizeof(b)) -- expect: 100\t115\t64
show(lib.fx_structs({1, 2, 3}, {4, 5}, {6, 7}, {8, 9}, {10, 11, 12})) -- expect: 706053331.32000005

-- Complex numbers.
local c = lib.fx_cmul(ffi.new("complex double", 1, 2), ffi.new("complex double", 3, 4))
show(c.re, c.im) -- expect: -5\t10
local cf = lib.fx_cconj(ffi.new("complex float", 1.5, 2))
show(cf.re, cf.im) -- expect: 1.5\t-2

-- Varargs with LuaJIT's conversions: numbers pass as double, strings as const char *, nil as
-- NULL, integer cdata as their own type.
show(lib.fx_vsum("ddd", 1, 2.5, 3)) -- expect: 6.5
show(lib.fx_vsum("isp", ffi.new("int", 7), "four", nil)) -- expect: 1011
show(lib.fx_vsum("lpd", ffi.new("int64_t", 2^40), ffi.new("int[2]"), ffi.new("float", 0.5))) -- expect: 1099511629776.5

-- Pointers: strings in, NULL, buffers filled by C, returned strings, pointers to structs.
-- A size_t of 2^64-1 is the Lua integer -1 in rivet (same bits), a float in LuaJIT.
-- luajit: 5\t1.8446744073709552e+19\t1\t0
show(n(lib.fx_strlen("hello")), n(lib.fx_strlen(nil)), lib.fx_is_null(nil), lib.fx_is_null("x")) -- expect: 5\t-1\t1\t0
local buf = ffi.new("int32_t[5]")
lib.fx_fill(buf, 5, 10)
show(buf[0], buf[4]) -- expect: 10\t14
print(ffi.string(lib.fx_greeting())) -- expect: hello from C
local p = ffi.new("d3", 1, 2, 2)
show(lib.fx_d3_len2(p)) -- expect: 9
lib.fx_d3_double(p)
show(p.x, p.y, p.z) -- expect: 2\t4\t4

-- Enums take numbers and constant names; results are numbers.
-- (LuaJIT returns enum results as enum cdata; rivet as numbers, as it reads enum fields.)
-- luajit: 40\t20\tcdata<enum fx_color>: 1
show(lib.fx_color_value("FX_BLUE"), lib.fx_color_value(2), lib.fx_next_color(4)) -- expect: 40\t20\t1

-- errno is the one the call left; extern variables read and write C memory.
show(lib.fx_fail_with(33), ffi.errno()) -- expect: -1\t33
show(lib.fx_counter, lib.fx_bump(), lib.fx_counter) -- expect: 41\t42\t42
lib.fx_counter = 100
show(lib.fx_bump()) -- expect: 101
print(select("#", lib.fx_nothing())) -- expect: 0

-- Function pointers are callable too.
local fp = ffi.cast("int (*)(bool)", lib.fx_bool)
show(fp(true)) -- expect: 7

-- Bad calls are errors.
print(pcall(lib.fx_i32)) -- expect: false\twrong number of arguments for function call
print(pcall(lib.fx_i32, 1, 2)) -- expect: false\twrong number of arguments for function call
-- (rivet names the function where LuaJIT says '?'.)
-- luajit: false\tbad argument #1 to '?' (cannot convert 'string' to 'int')
print(pcall(lib.fx_i32, "x")) -- expect: false\tbad argument #1 to 'fx_i32' (cannot convert 'string' to 'int')
-- luajit: false\tbad argument #2 to '?' (cannot convert 'table' to 'int')
print(pcall(lib.fx_fill, buf, {}, 1)) -- expect: false\tbad argument #2 to 'fx_fill' (cannot convert 'table' to 'int')
print(pcall(function() return lib.no_such_function end)) -- expect: false\tcalls.lua:134: missing declaration for symbol 'no_such_function'

-- Struct arguments that are members of other cdata (references) or of a qualified type, and
-- struct results made in a loop that churns the collector: each result stays intact while
-- referenced, whichever way the call was made.
local pair = ffi.new("d3[2]", {{1, 2, 3}, {4, 5, 6}})
show(lib.fx_d3(pair[1]), lib.fx_d3(ffi.new("const d3", 1, 2, 3))) -- expect: 654\t321
local kept, cur = {}, ffi.new("d3", 1, 2, 3)
for i = 1, 3000 do
  cur = lib.fx_scale_d3(cur, i % 2 == 0 and 0.5 or 2)
  if i % 100 == 0 then kept[#kept + 1] = cur end
  if i % 1000 == 0 then collectgarbage() end
end
show(cur.x, cur.y, cur.z, #kept, kept[1].z, kept[30].x) -- expect: 1\t2\t3\t30\t3\t1
local greetings = {}
for i = 1, 50 do greetings[i] = lib.fx_greeting() end
collectgarbage()
show(ffi.string(greetings[50]), ffi.istype("const char *", greetings[1])) -- expect: hello from C\ttrue

/* The C library the Lua ffi test scripts (tests/lua/ffi/calls*.lua, callbacks*.lua) load with
 * ffi.load(os.getenv("RIVET_TEST_FIXTURE")). Built by tests/lua_scripts.rs (and by
 * scripts/check_ffi_tests_with_luajit.py for LuaJIT) with the system C compiler. Functions
 * return what they received, combined so that a misplaced or mis-extended byte shows. */
#include <complex.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Scalars: the callee sees exactly the value, with its sign or zero extension. */
int64_t fx_i8(int8_t x) { return x; }
int64_t fx_u8(uint8_t x) { return x; }
int64_t fx_i16(int16_t x) { return x; }
int64_t fx_u16(uint16_t x) { return x; }
int64_t fx_i32(int32_t x) { return x; }
int64_t fx_u32(uint32_t x) { return x; }
int64_t fx_i64(int64_t x) { return x; }
uint64_t fx_u64(uint64_t x) { return x; }
int fx_bool(bool b) { return b ? 7 : 3; }
bool fx_not(bool b) { return !b; }
double fx_float(float f) { return f; }
float fx_halve(float f) { return f / 2; }
int8_t fx_ret_i8(int x) { return (int8_t)x; }
uint16_t fx_ret_u16(int x) { return (uint16_t)x; }
/* A checksum of narrow arguments as the callee sees them (tests/native_call.rs). */
int64_t fx_narrow_sum(signed char a, unsigned short b, bool c, float d, unsigned char e, short f) {
    return ((((a * 65536LL + b) * 2 + c) * 256 + e) * 65536 + (uint16_t)f) * 1000 + (int64_t)(d * 8);
}
/* Four 32-bit registers as they arrive: declared with narrower parameters on the Lua side,
 * it shows how the caller extended them. */
int64_t fx_regs32(int32_t a, int32_t b, int32_t c, int32_t d) {
    uint64_t h = (uint32_t)a;
    h = h * 1000003 + (uint32_t)b;
    h = h * 1000003 + (uint32_t)c;
    return (int64_t)(h * 1000003 + (uint32_t)d);
}
/* Return types narrower than a register: the caller must not trust the upper bits. */
uint8_t fx_ret_u8_dirty(uint64_t x) { return (uint8_t)x; }

/* Many arguments: integer and vector registers run out and the rest go on the stack. */
double fx_mix16(int a, double b, int8_t c, float d, int64_t e, double f, uint16_t g, float h,
                int i, double j, int k, double l, int m, double n, int o, double p) {
    return a + b * 2 + c * 3 + d * 4 + e * 5 + f * 6 + g * 7 + h * 8 + i * 9 + j * 10 + k * 11 + l * 12 +
           m * 13 + n * 14 + o * 15 + p * 16;
}
int64_t fx_sum10(int64_t a, int64_t b, int64_t c, int64_t d, int64_t e, int64_t f, int64_t g, int64_t h,
                 int64_t i, int64_t j) {
    return a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * f + 7 * g + 8 * h + 9 * i + 10 * j;
}

/* Structs and unions by value, as arguments and results. */
typedef struct { int8_t a; } s1;
typedef struct { int16_t a; int8_t b; } s3;
typedef struct { float x, y; } f2;
typedef struct { double x; int64_t tag; } dmix;
typedef struct { double x, y, z; } d3;
typedef struct { int32_t v[16]; } big64;
typedef union { int64_t i; double d; } num_u;
typedef struct __attribute__((packed)) { char c; int32_t i; } packed5;

int64_t fx_s1(s1 s) { return s.a; }
int64_t fx_s3(s3 s) { return s.a * 1000 + s.b; }
double fx_f2(f2 s) { return s.x * 10 + s.y; }
double fx_dmix(dmix s) { return s.x + (double)s.tag * 100; }
double fx_d3(d3 s) { return s.x + s.y * 10 + s.z * 100; }
int64_t fx_big64(big64 s) {
    int64_t h = 0;
    for (int i = 0; i < 16; i++) h = h * 31 + s.v[i];
    return h;
}
double fx_union(num_u u, int is_double) { return is_double ? u.d : (double)u.i; }
int64_t fx_packed(packed5 p) { return p.c * 1000 + p.i; }
s3 fx_make_s3(int a, int b) { s3 s = {(int16_t)a, (int8_t)b}; return s; }
f2 fx_make_f2(float x, float y) { f2 s = {x, y}; return s; }
dmix fx_make_dmix(double x, int64_t tag) { dmix s = {x, tag}; return s; }
d3 fx_scale_d3(d3 s, double k) { s.x *= k; s.y *= k; s.z *= k; return s; }
big64 fx_make_big64(int32_t start) {
    big64 s;
    for (int i = 0; i < 16; i++) s.v[i] = start + i;
    return s;
}
/* Many struct arguments: some go in registers, some on the stack. */
double fx_structs(d3 a, f2 b, dmix c, s3 d, d3 e) {
    return fx_d3(a) + fx_f2(b) * 1000 + fx_dmix(c) * 1e6 + fx_s3(d) + fx_d3(e) * 1e-3;
}

/* Complex numbers. */
double complex fx_cmul(double complex a, double complex b) { return a * b; }
float complex fx_cconj(float complex a) { return conjf(a); }

/* Varargs: the callee reads them with the types the format names. */
double fx_vsum(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    double sum = 0;
    for (const char *p = fmt; *p; p++) {
        switch (*p) {
        case 'i': sum += va_arg(ap, int); break;
        case 'l': sum += (double)va_arg(ap, int64_t); break;
        case 'd': sum += va_arg(ap, double); break;
        case 's': sum += (double)strlen(va_arg(ap, const char *)); break;
        case 'p': sum += va_arg(ap, void *) == NULL ? 1000 : 2000; break;
        }
    }
    va_end(ap);
    return sum;
}

/* Pointers: strings in, buffers out, NULL, pointers to structs. */
size_t fx_strlen(const char *s) { return s ? strlen(s) : (size_t)-1; }
int fx_is_null(const void *p) { return p == NULL; }
void fx_fill(int32_t *out, int n, int32_t start) {
    for (int i = 0; i < n; i++) out[i] = start + i;
}
const char *fx_greeting(void) { return "hello from C"; }
double fx_d3_len2(const d3 *p) { return p->x * p->x + p->y * p->y + p->z * p->z; }
void fx_d3_double(d3 *p) { p->x *= 2; p->y *= 2; p->z *= 2; }

/* enums, errno and global variables. */
enum fx_color { FX_RED = 1, FX_GREEN = 2, FX_BLUE = 4 };
int fx_color_value(enum fx_color c) { return (int)c * 10; }
enum fx_color fx_next_color(enum fx_color c) { return c == FX_BLUE ? FX_RED : (enum fx_color)(c * 2); }
int fx_fail_with(int e) { errno = e; return -1; }
/* Loop-compiler tests: narrow integer and float arguments as C converts them, in one int. */
int fx_narrow_int(int8_t a, uint8_t b, int16_t c, uint16_t d, float f) {
    return a * 1 + b * 3 + c * 5 + d * 7 + (int)(f * 4);
}
int32_t fx_counter = 41;
int fx_bump(void) { return ++fx_counter; }
void fx_nothing(void) {}

/* Callbacks: C calls a Lua function with known arguments and checks what it returns.
 * Each returns a checksum of what the callback gave back, or -1 on a wrong value. */
int64_t fx_cb_ints(int64_t (*f)(int8_t, uint8_t, int16_t, uint16_t, int32_t, uint32_t, int64_t, uint64_t)) {
    return f(-100, 200, -30000, 60000, -2000000000, 4000000000u, -5000000000000LL, 18000000000000000000ull);
}
double fx_cb_mix16(double (*f)(int, double, int8_t, float, int64_t, double, uint16_t, float, int, double, int,
                               double, int, double, int, double)) {
    return f(1, 2.5, -3, 4.25f, 5, 6.5, 7, 8.5f, 9, 10.5, 11, 12.5, 13, 14.5, 15, 16.5);
}
int fx_cb_bool(bool (*f)(bool, float)) { return (f(true, 1.5f) ? 1 : 0) + (f(false, -2.0f) ? 10 : 0); }
float fx_cb_float(float (*f)(float, double)) { return f(0.25f, 0.5) * 2; }
size_t fx_cb_string(const char *(*f)(const char *)) {
    const char *r = f("abc");
    return r ? strlen(r) : 999;
}
double fx_cb_structs(d3 (*f)(d3, f2, dmix, s3)) {
    d3 a = {1, 2, 3};
    f2 b = {4.5f, 5.5f};
    dmix c = {6.25, -7};
    s3 d = {-8, 9};
    d3 r = f(a, b, c, d);
    return r.x + r.y * 10 + r.z * 100;
}
int64_t fx_cb_big(big64 (*f)(big64, int)) {
    big64 s;
    for (int i = 0; i < 16; i++) s.v[i] = i * 3 - 5;
    big64 r = f(s, 2);
    return fx_big64(r);
}
double fx_cb_small_structs(s1 (*f)(s1, f2, num_u)) {
    s1 a = {-9};
    f2 b = {0.5f, 1.5f};
    num_u u;
    u.d = 3.25;
    s1 r = f(a, b, u);
    return r.a;
}
double complex fx_cb_complex(double complex (*f)(double complex)) { return f(1.0 + 2.0 * I) * 2; }
void fx_cb_void(void (*f)(int), int n) {
    for (int i = 0; i < n; i++) f(i);
}
/* Re-entrancy: C calls the callback, which may call back into C (fx_cb_nest again). */
int fx_cb_nest(int (*f)(int), int depth) { return f(depth) + 1; }
int fx_call_int(int (*f)(int), int x) { return f(x); }
/* A stored callback, called later (after Lua may have freed it). */
static int (*stored_cb)(int);
void fx_store_cb(int (*f)(int)) { stored_cb = f; }
int fx_call_stored(int x) { return stored_cb ? stored_cb(x) : -1; }

/* A callback called on another thread (rivet must stop with a message, not run Lua there). */
#include <pthread.h>
static int (*thread_cb)(int);
static void *thread_main(void *arg) {
    (void)arg;
    thread_cb(1);
    return NULL;
}
int fx_call_on_thread(int (*f)(int)) {
    pthread_t t;
    thread_cb = f;
    if (pthread_create(&t, NULL, thread_main, NULL) != 0) return -1;
    pthread_join(t, NULL);
    return 0;
}

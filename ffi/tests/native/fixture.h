/* Helpers of the generated fixture functions of ffi/tests/native_calls.rs.
 *
 * Every fixture function hashes every scalar it receives (in declaration order, members of
 * aggregates included) into `rivet_fixture_hash`, then builds its result from a generator
 * seeded with that hash. The test computes both from the values it passed, with the same
 * functions (ffi/tests/native_support/values.rs mirrors this file), so any byte that reaches
 * the wrong place, or the right place unextended, changes the outcome. */
#include <stdarg.h>
#include <stdint.h>
#include <string.h>
#include <errno.h>

extern uint64_t rivet_fixture_hash;

#define RV_SEED 0xcbf29ce484222325ULL

static inline uint64_t rv_mix(uint64_t h, uint64_t v) {
    h = (h ^ v) * 0x100000001b3ULL;
    return h ^ (h >> 29);
}

/* splitmix64 */
static inline uint64_t rv_next(uint64_t *state) {
    uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* Values that are exact in their type (no rounding on either side). */
static inline float rv_f32(uint64_t r) { return (float)((int32_t)(r & 0xFFFFF) - 0x80000) / 16.0f; }
static inline double rv_f64(uint64_t r) { return (double)((int64_t)(r & 0xFFFFFFFFFFULL) - 0x8000000000LL) / 256.0; }
/* A normal x87 extended value: explicit integer bit set, exponent within 100 of the bias. */
static inline long double rv_f80(uint64_t r1, uint64_t r2) {
    unsigned char b[sizeof(long double)];
    uint64_t m = r1 | (1ULL << 63);
    uint16_t e = (uint16_t)(16383 + (int)(r2 % 200) - 100) | (uint16_t)(((r2 >> 20) & 1) << 15);
    long double x;
    memset(b, 0, sizeof b);
    memcpy(b, &m, 8);
    memcpy(b + 8, &e, 2);
    memcpy(&x, b, sizeof x);
    return x;
}

/* A normal IEEE binary128 value (long double on AArch64 Linux): 112 mantissa bits from r1 and
 * r2, exponent within 100 of the bias. Only meaningful where long double is that type. */
static inline long double rv_f128(uint64_t r1, uint64_t r2) {
    unsigned char b[16];
    uint64_t exponent = (16383 + (r2 >> 48) % 200 - 100) | (((r2 >> 47) & 1) << 15);
    uint64_t hi = (r2 & 0xFFFFFFFFFFFFULL) | (exponent << 48);
    long double x;
    memset(&x, 0, sizeof x);
    memcpy(b, &r1, 8);
    memcpy(b + 8, &hi, 8);
    memcpy(&x, b, sizeof x < 16 ? sizeof x : 16);
    return x;
}

#define H_INT(h, e) (h = rv_mix(h, (uint64_t)(int64_t)(e)))
#define H_UINT(h, e) (h = rv_mix(h, (uint64_t)(e)))
#define H_PTR(h, e) (h = rv_mix(h, (uint64_t)(uintptr_t)(e)))
#define H_F32(h, e) do { float t_ = (e); uint32_t u_; memcpy(&u_, &t_, 4); h = rv_mix(h, u_); } while (0)
#define H_F64(h, e) do { double t_ = (e); uint64_t u_; memcpy(&u_, &t_, 8); h = rv_mix(h, u_); } while (0)
#define H_F80(h, e) do { long double t_ = (e); uint64_t lo_ = 0; uint16_t hi_ = 0; \
        memcpy(&lo_, &t_, 8); memcpy(&hi_, (char *)&t_ + 8, 2); h = rv_mix(rv_mix(h, lo_), hi_); } while (0)

#define H_F128(h, e) do { long double t_ = (e); uint64_t lo_ = 0, hi_ = 0; \
        memcpy(&lo_, &t_, 8); memcpy(&hi_, (char *)&t_ + 8, 8); h = rv_mix(rv_mix(h, lo_), hi_); } while (0)

#define B_INT(g, lv) (lv = rv_next(&g))
#define B_BOOL(g, lv) (lv = rv_next(&g) & 1)
#define B_PTR(g, lv) (lv = (void *)(uintptr_t)rv_next(&g))
#define B_F32(g, lv) (lv = rv_f32(rv_next(&g)))
#define B_F64(g, lv) (lv = rv_f64(rv_next(&g)))
#define B_F80(g, lv) do { uint64_t r1_ = rv_next(&g); uint64_t r2_ = rv_next(&g); lv = rv_f80(r1_, r2_); } while (0)
#define B_F128(g, lv) do { uint64_t r1_ = rv_next(&g); uint64_t r2_ = rv_next(&g); lv = rv_f128(r1_, r2_); } while (0)
/* Bit-fields: the low `w` bits (sign-extended from bit w-1 for signed ones, as the store does). */
#define B_BITS(g, lv, w) (lv = rv_next(&g) & ((w) == 64 ? ~0ULL : ((1ULL << (w)) - 1)))

/* The C functions the call benchmarks call (built as libbenchfix.so by run.py). They do
 * little work on purpose: the benchmarks measure the cost of the call. */
#include <stdint.h>
#include <stdlib.h>

typedef struct { double x, y, z; int64_t tag; } vec4;   /* 32 bytes: passed in memory */

int add(int a, int b) { return a + b; }
double fadd(double a, double b) { return a + b; }
int64_t sum6(int64_t a, int64_t b, int64_t c, int64_t d, int64_t e, int64_t f) { return a + b + c + d + e + f; }
vec4 vscale(vec4 v, double k) { v.x *= k; v.y *= k; v.z *= k; v.tag += 1; return v; }

/* qsort comparator benchmarks: the C floor. */
int cmp_int(const void *a, const void *b) {
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

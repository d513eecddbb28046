/* The floor: the same calls from a C loop (through function pointers, so they are not
 * inlined away). Prints ns per call for each benchmark. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

typedef struct { double x, y, z; int64_t tag; } vec4;
int add(int, int);
double fadd(double, double);
int64_t sum6(int64_t, int64_t, int64_t, int64_t, int64_t, int64_t);
vec4 vscale(vec4, double);
int cmp_int(const void *, const void *);

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 10000000;
    int (*volatile padd)(int, int) = add;
    double (*volatile pfadd)(double, double) = fadd;
    int64_t (*volatile psum6)(int64_t, int64_t, int64_t, int64_t, int64_t, int64_t) = sum6;
    vec4 (*volatile pvscale)(vec4, double) = vscale;
    double t = now();
    int s = 0;
    for (long i = 0; i < n; i++) s = padd(s, 1);
    printf("add %.2f %d\n", (now() - t) * 1e9 / n, s);
    t = now();
    double d = 0;
    for (long i = 0; i < n; i++) d = pfadd(d, 1.0);
    printf("fadd %.2f %g\n", (now() - t) * 1e9 / n, d);
    t = now();
    int64_t q = 0;
    for (long i = 0; i < n; i++) q = psum6(q, 1, 2, 3, 4, 5);
    printf("sum6 %.2f %lld\n", (now() - t) * 1e9 / n, (long long)q);
    t = now();
    vec4 v = {1, 2, 3, 0};
    for (long i = 0; i < n; i++) v = pvscale(v, 1.0);
    printf("struct %.2f %lld\n", (now() - t) * 1e9 / n, (long long)v.tag);
    long m = n / 10;
    int *a = malloc(sizeof(int) * m);
    srand(42);
    for (long i = 0; i < m; i++) a[i] = rand();
    t = now();
    qsort(a, m, sizeof(int), cmp_int);
    printf("qsort %.2f %d\n", (now() - t) * 1e9 / m, a[0] <= a[m - 1]);
    return 0;
}

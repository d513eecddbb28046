"""The qsort benchmark through Python's ctypes and cffi (ABI mode): C's qsort with a Python
comparator. Usage: python3 qsort_py.py N ctypes|cffi"""
import sys
import time

n, kind = int(sys.argv[1]), sys.argv[2]
vals, seed = [], 42
for _ in range(n):
    seed = (seed * 1103515245 + 12345) % 2147483648
    vals.append(seed)
compares = 0

if kind == "ctypes":
    import ctypes as C
    libc = C.CDLL(None)
    arr = (C.c_int * n)(*vals)
    CMP = C.CFUNCTYPE(C.c_int, C.POINTER(C.c_int), C.POINTER(C.c_int))

    def cmp(x, y):
        global compares
        compares += 1
        u, v = x[0], y[0]
        return -1 if u < v else (1 if u > v else 0)

    cb = CMP(cmp)
    t = time.process_time()
    libc.qsort(arr, n, 4, cb)
    dt = time.process_time() - t
    ok = all(arr[i - 1] <= arr[i] for i in range(1, n))
else:
    import cffi
    ffi = cffi.FFI()
    ffi.cdef("void qsort(void *base, size_t n, size_t size, int (*cmp)(const int *, const int *));")
    libc = ffi.dlopen(None)
    arr = ffi.new("int[]", vals)

    @ffi.callback("int(const int *, const int *)")
    def cmp(x, y):
        global compares
        compares += 1
        u, v = x[0], y[0]
        return -1 if u < v else (1 if u > v else 0)

    t = time.process_time()
    libc.qsort(arr, n, 4, cmp)
    dt = time.process_time() - t
    ok = all(arr[i - 1] <= arr[i] for i in range(1, n))
print("qsort %.2f %s" % (dt * 1e9 / compares, ok))

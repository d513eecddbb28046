"""The same loops as calls.lua through Python's ctypes and cffi (ABI mode, no compiler).
Usage: python3 calls_py.py LIBRARY N ctypes|cffi"""
import sys
import time

path, n, kind = sys.argv[1], int(sys.argv[2]), sys.argv[3]


def bench(name, f):
    t = time.process_time()
    check = f()
    print("%s %.2f %s" % (name, (time.process_time() - t) * 1e9 / n, check))


if kind == "ctypes":
    import ctypes as C

    class Vec4(C.Structure):
        _fields_ = [("x", C.c_double), ("y", C.c_double), ("z", C.c_double), ("tag", C.c_int64)]

    lib = C.CDLL(path)
    lib.add.argtypes, lib.add.restype = [C.c_int, C.c_int], C.c_int
    lib.fadd.argtypes, lib.fadd.restype = [C.c_double, C.c_double], C.c_double
    lib.sum6.argtypes, lib.sum6.restype = [C.c_int64] * 6, C.c_int64
    lib.vscale.argtypes, lib.vscale.restype = [Vec4, C.c_double], Vec4
    new_vec = lambda: Vec4(1, 2, 3, 0)
else:
    import cffi

    ffi = cffi.FFI()
    ffi.cdef("""typedef struct { double x, y, z; int64_t tag; } vec4;
        int add(int, int); double fadd(double, double);
        int64_t sum6(int64_t, int64_t, int64_t, int64_t, int64_t, int64_t);
        vec4 vscale(vec4, double);""")
    lib = ffi.dlopen(path)
    new_vec = lambda: ffi.new("vec4 *", [1, 2, 3, 0])[0]


def b_add():
    add, s = lib.add, 0
    for _ in range(n):
        s = add(s, 1)
    return s


def b_fadd():
    fadd, d = lib.fadd, 0.0
    for _ in range(n):
        d = fadd(d, 1.0)
    return d


def b_sum6():
    sum6, q = lib.sum6, 0
    for _ in range(n):
        q = sum6(q, 1, 2, 3, 4, 5)
    return q


def b_struct():
    vscale, v = lib.vscale, new_vec()
    for _ in range(n):
        v = vscale(v, 1.0)
    return v.tag


bench("add", b_add)
bench("fadd", b_fadd)
bench("sum6", b_sum6)
bench("struct", b_struct)

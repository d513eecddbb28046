#!/usr/bin/env python3
"""C call benchmarks: ns per call of `int add(int,int)`, `double fadd(double,double)`, a
6-argument `int64_t` call and a 32-byte struct passed and returned by value, from a loop; and
the callback benchmark: ns per comparison of C's qsort of 1,000,000 ints with a comparator
written in the language (qsort.lua, qsort_luabind.lua, qsort_py.py). Side by side in one run:

    rivet (ffi)   luajit (ffi, JIT on)   luajit -joff   lua5.4 + hand-written C binding
    Python ctypes   Python cffi (ABI mode)   a C loop (the floor)

    python3 scripts/bench/ffi_calls/run.py [--runs N] [--n CALLS] [--rivet PATH]

Builds the fixture library, the Lua 5.4 binding and the C loop with gcc into
target/bench-ffi/ (needs gcc, liblua5.4-dev, lua5.4, luajit, python3 with cffi; missing
peers show as n/a). Each figure is the median of N runs. The ratio columns are what the
issue's targets are about: rivet / lua5.4-binding (target at most 0.5) and rivet / luajit
(the struct call must be below 1.0).
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent.parent
BUILD = ROOT / "target" / "bench-ffi"
NAMES = ["add", "fadd", "sum6", "struct", "qsort"]


def sh(*cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw).stdout


def build():
    BUILD.mkdir(parents=True, exist_ok=True)
    lib = BUILD / "libbenchfix.so"
    sh("gcc", "-O2", "-shared", "-fPIC", "-o", str(lib), str(HERE / "fixture.c"))
    sh("gcc", "-O2", "-o", str(BUILD / "c_floor"), str(HERE / "c_floor.c"), str(lib), f"-Wl,-rpath,{BUILD}")
    binding = None
    if Path("/usr/include/lua5.4/lua.h").exists():
        binding = BUILD / "luabind.so"
        sh("gcc", "-O2", "-shared", "-fPIC", "-I/usr/include/lua5.4", "-o", str(binding),
           str(HERE / "lua_binding.c"), str(lib), f"-Wl,-rpath,{BUILD}")
    return lib, binding


def parse(out):
    res = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 2:
            res[parts[0]] = float(parts[1])
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--n", type=int, default=5_000_000)
    ap.add_argument("--qsort-n", type=int, default=1_000_000)
    ap.add_argument("--rivet", default=str(ROOT / "target" / "release" / "rivet"))
    args = ap.parse_args()
    if args.rivet == str(ROOT / "target" / "release" / "rivet"):
        subprocess.run(["cargo", "build", "--release", "--bin", "rivet"], cwd=ROOT, check=True)
    lib, binding = build()
    n, slow_n = args.n, max(args.n // 20, 1000)
    env = dict(os.environ, LUA_CPATH=f"{BUILD}/?.so")
    peers = [
        ("rivet", [args.rivet, str(HERE / "calls.lua"), str(lib), str(n)]),
        ("luajit", ["luajit", str(HERE / "calls.lua"), str(lib), str(n)]),
        ("luajit -joff", ["luajit", "-joff", str(HERE / "calls.lua"), str(lib), str(n)]),
        ("lua5.4 binding", ["lua5.4", str(HERE / "calls_luabind.lua"), str(n)] if binding else None),
        ("ctypes", [sys.executable, str(HERE / "calls_py.py"), str(lib), str(slow_n), "ctypes"]),
        ("cffi", [sys.executable, str(HERE / "calls_py.py"), str(lib), str(slow_n), "cffi"]),
        ("C", [str(BUILD / "c_floor"), str(n)]),
    ]
    qn, qslow = args.qsort_n, max(args.qsort_n // 10, 1000)
    qsort_peers = {
        "rivet": [args.rivet, str(HERE / "qsort.lua"), str(qn)],
        "luajit": ["luajit", str(HERE / "qsort.lua"), str(qn)],
        "luajit -joff": ["luajit", "-joff", str(HERE / "qsort.lua"), str(qn)],
        "lua5.4 binding": ["lua5.4", str(HERE / "qsort_luabind.lua"), str(qn)] if binding else None,
        "ctypes": [sys.executable, str(HERE / "qsort_py.py"), str(qslow), "ctypes"],
        "cffi": [sys.executable, str(HERE / "qsort_py.py"), str(qslow), "cffi"],
        "C": None,  # c_floor measures its own qsort
    }
    peers = [(name, cmd) for name, cmd in peers] + [(name + " ", cmd) for name, cmd in qsort_peers.items() if cmd]
    results = {name.strip(): {k: [] for k in NAMES} for name, _ in peers}
    for r in range(args.runs):
        # Rotate the order so drift on the machine spreads over all columns.
        for name, cmd in peers[r % len(peers):] + peers[:r % len(peers)]:
            if cmd is None or shutil.which(cmd[0]) is None and not Path(cmd[0]).exists():
                continue
            try:
                out = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600).stdout
            except subprocess.TimeoutExpired:
                continue
            for k, v in parse(out).items():
                if k in results[name.strip()]:
                    results[name.strip()][k].append(v)
            print(f"run {r + 1}: {name} done", file=sys.stderr)
    med = {p: {k: (statistics.median(v) if v else None) for k, v in ks.items()} for p, ks in results.items()}
    cols = list(results)
    print("| ns per call | " + " | ".join(cols) + " | rivet/lua5.4-binding | rivet/luajit |")
    print("|---" * (len(cols) + 3) + "|")
    for k in NAMES:
        cells = [f"{med[c][k]:.1f}" if med[c][k] is not None else "n/a" for c in cols]
        rv, lb, lj = med["rivet"][k], med["lua5.4 binding"][k], med["luajit"][k]
        r1 = f"{rv / lb:.2f}" if rv and lb else "n/a"
        r2 = f"{rv / lj:.2f}" if rv and lj else "n/a"
        print(f"| {k} | " + " | ".join(cells) + f" | {r1} | {r2} |")


if __name__ == "__main__":
    main()

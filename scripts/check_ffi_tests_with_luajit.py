#!/usr/bin/env python3
"""Runs the ffi test scripts (tests/lua/ffi/*.lua) under LuaJIT and checks that LuaJIT prints
what their `-- expect:` lines say, so the expectations are LuaJIT's behaviour, not rivet's
opinion of it.

Where rivet deliberately differs (Lua 5.4 integers, bounds checks LuaJIT does not make...),
a `-- luajit: TEXT` comment line right before the `-- expect:` line gives what LuaJIT prints
instead, with a comment saying why; `-- luajit: (skip)` marks output LuaJIT does not produce
(code guarded by `if rivet then`, e.g. accesses that would crash LuaJIT).
A final `-- error:` expectation is checked against LuaJIT's error message as well. A file
whose first line starts with `-- rivet-only:` tests something LuaJIT does not have and is
skipped.

Usage: scripts/check_ffi_tests_with_luajit.py [file.lua...]   (needs `luajit` on PATH)
"""

import os
import pathlib
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
SKIP = "(skip)"


def expectations(path):
    """(line number, text LuaJIT should print or None to skip) per expect line, and the error."""
    expects, error, pending = [], None, None
    for n, line in enumerate(path.read_text().splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith("-- luajit: "):
            pending = stripped[len("-- luajit: "):]
            continue
        if "-- expect: " in line or line.rstrip().endswith("-- expect:"):
            text = line.split("-- expect:", 1)[1]
            text = text[1:] if text.startswith(" ") else text
            text = text.replace("\\t", "\t")
            if pending is not None:
                text = None if pending == SKIP else pending.replace("\\t", "\t")
            expects.append((n, text))
            pending = None
        elif "-- error: " in line:
            error = (n, line.split("-- error: ", 1)[1] if pending is None else pending)
            pending = None
    return expects, error


def fixture_library():
    """Builds tests/native/lua_fixture.c, the C library the call and callback scripts load."""
    out = pathlib.Path(tempfile.gettempdir()) / "rivet_lua_fixture_luajit.so"
    subprocess.run(["cc", "-O1", "-shared", "-fPIC", "-o", str(out), str(ROOT / "tests/native/lua_fixture.c")],
                   check=True)
    return out


ENV = dict(os.environ)


def check(path):
    if path.read_text().startswith("-- rivet-only:"):
        return []
    expects, error = expectations(path)
    run = subprocess.run(["luajit", path.name], cwd=path.parent, capture_output=True, text=True, env=ENV)
    lines = run.stdout.splitlines()
    wanted = [(n, t) for n, t in expects if t is not None]
    problems = []
    for i, (n, text) in enumerate(wanted):
        got = lines[i] if i < len(lines) else None
        if got != text:
            problems.append(f"{path.name}:{n}: LuaJIT printed {got!r}, the test expects {text!r}")
            break
    if len(lines) > len(wanted) and not problems:
        problems.append(f"{path.name}: LuaJIT printed an extra line {lines[len(wanted)]!r}")
    if error is None and run.returncode != 0 and not problems:
        problems.append(f"{path.name}: LuaJIT failed: {run.stderr.strip()}")
    if error is not None and error[1] != SKIP and error[1] not in run.stderr:
        problems.append(f"{path.name}:{error[0]}: LuaJIT's error {run.stderr.strip()!r} lacks {error[1]!r}")
    return problems


def main():
    files = [pathlib.Path(a).resolve() for a in sys.argv[1:]] or sorted((ROOT / "tests/lua/ffi").glob("*.lua"))
    ENV["RIVET_TEST_FIXTURE"] = str(fixture_library())
    problems = [p for f in files for p in check(f)]
    for p in problems:
        print(p)
    print(f"{len(files)} files, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Run the rivet interpreter benchmarks against lua5.4 and LuaJIT.

    python3 scripts/bench/run.py [--runs N] [--only name,...] [--rivet PATH]
                                 [--markdown] [--cpu] [--no-build] ...

Every workload (scripts/bench/*.lua) is run N times under each interpreter:
rivet, lua5.4, luajit -joff (LuaJIT's interpreter only) and luajit. The order
of the interpreters is rotated from one round to the next so slow drift on the
machine is spread over all columns. The table shows the median wall time of
the N runs and the ratios rivet/lua5.4 and rivet/(luajit -joff), with the
geometric mean of each ratio column at the bottom.

Each workload prints one checksum line; the last non-empty line of stdout of
every run is compared with lua5.4's (or, without lua5.4, with the script's
"-- expect:" comment). A cell reads FAIL (non-zero exit), TIMEOUT, WRONG
(checksum differs), or n/a (interpreter not found).

Workloads named *_stdlib.lua need the string/table/math libraries; they are
marked optional and kept out of the core geometric mean.

Python 3 standard library only.
"""

import argparse
import datetime
import json
import math
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent.parent

# Core workloads in the order of the issue; any other *.lua file found in the
# directory is appended after them (sorted), optional ones last.
CORE_ORDER = [
    "fib", "loop", "table_array", "table_hash", "strings", "closures",
    "methods", "binary_trees", "nbody", "spectral_norm",
]

INSTALL_HINT = "apt-get install -y luajit lua5.4"

RIVET, LUA, JOFF, JIT = "rivet", "lua5.4", "luajit -joff", "luajit"
COLUMNS = [RIVET, LUA, JOFF, JIT]


def log(msg=""):
    print(msg, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- workloads

class Workload:
    def __init__(self, path):
        self.path = path
        self.name = path.stem
        self.optional = self.name.endswith("_stdlib")
        self.expect = None
        for line in path.read_text().splitlines():
            if line.startswith("-- expect:"):
                self.expect = line[len("-- expect:"):].strip()
                break


def discover(only):
    found = {p.stem: Workload(p) for p in BENCH_DIR.glob("*.lua")}
    names = [n for n in CORE_ORDER if n in found]
    rest = sorted(n for n in found if n not in CORE_ORDER)
    names += [n for n in rest if not found[n].optional]
    names += [n for n in rest if found[n].optional]
    if only:
        wanted = [w.strip() for w in only.split(",") if w.strip()]
        unknown = [w for w in wanted if w not in found]
        if unknown:
            sys.exit("unknown workload(s): %s (have: %s)"
                     % (", ".join(unknown), ", ".join(names)))
        names = [n for n in names if n in wanted]
    return [found[n] for n in names]


def checksum_of(stdout):
    lines = [l for l in stdout.splitlines() if l.strip()]
    if not lines:
        return ""
    # normalise whitespace: print() separates values with tabs
    return " ".join(lines[-1].split())


# ------------------------------------------------------------- interpreters

class Interp:
    def __init__(self, label, argv, note=""):
        self.label = label
        self.argv = argv          # None when not available
        self.note = note          # why unavailable, or extra info
        self.version = ""

    @property
    def available(self):
        return self.argv is not None


def git_describe():
    try:
        rev = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                             capture_output=True, text=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain",
                                "--untracked-files=no"],
                               capture_output=True, text=True, timeout=10).stdout.strip()
        return rev + ("+dirty" if dirty else "") if rev else "?"
    except (OSError, subprocess.SubprocessError):
        return "?"


def find_rivet(args):
    if args.rivet:
        path = Path(args.rivet)
        if not (path.is_file() and os.access(path, os.X_OK)):
            found = shutil.which(args.rivet)
            if not found:
                return Interp(RIVET, None, "--rivet %s: not an executable" % args.rivet)
            path = Path(found)
        return Interp(RIVET, [str(path)], "stand-in/explicit: %s" % path)

    path = ROOT / "target" / "release" / "rivet"
    note = ""
    if not args.no_build:
        cargo = shutil.which("cargo")
        if cargo:
            log("building rivet: cargo build --release --bin rivet")
            res = subprocess.run([cargo, "build", "--release", "--bin", "rivet"],
                                 cwd=str(ROOT), stdout=sys.stderr, stderr=sys.stderr)
            if res.returncode != 0:
                note = "cargo build failed"
                if path.exists():
                    note += "; using the existing (possibly stale) binary"
                log("warning: " + note)
        elif not path.exists():
            note = "cargo not found"
    if path.exists():
        return Interp(RIVET, [str(path)], "%s @ %s%s" % (path.relative_to(ROOT), git_describe(),
                                                         " (%s)" % note if note else ""))
    return Interp(RIVET, None, (note + "; " if note else "")
                  + "%s missing; build with `cargo build --release`" % path.relative_to(ROOT))


def find_tool(explicit, default):
    if explicit:
        if Path(explicit).is_file() and os.access(explicit, os.X_OK):
            return explicit
        return shutil.which(explicit)
    return shutil.which(default)


def version_of(argv):
    try:
        res = subprocess.run(argv[:1] + ["-v"], stdin=subprocess.DEVNULL,
                             capture_output=True, text=True, timeout=10)
        out = (res.stdout + res.stderr).strip().splitlines()
        return out[0].split("Copyright")[0].strip(" -") if out else ""
    except (OSError, subprocess.SubprocessError):
        return ""


def setup_interps(args):
    interps = {RIVET: find_rivet(args)}
    lua = find_tool(args.lua, "lua5.4")
    interps[LUA] = Interp(LUA, [lua] if lua else None,
                          "" if lua else "lua5.4 not found (%s)" % INSTALL_HINT)
    jit = find_tool(args.luajit, "luajit")
    miss = "luajit not found (%s)" % INSTALL_HINT
    interps[JOFF] = Interp(JOFF, [jit, "-joff"] if jit else None, "" if jit else miss)
    interps[JIT] = Interp(JIT, [jit] if jit else None, "" if jit else miss)
    for it in interps.values():
        if it.available:
            it.version = version_of(it.argv)
    return interps


# ------------------------------------------------------------------ running

class Cell:
    """All runs of one workload under one interpreter."""

    def __init__(self):
        self.wall = []
        self.cpu = []
        self.outputs = []
        self.status = None        # None (ok so far), "FAIL", "TIMEOUT", "WRONG"
        self.detail = ""

    def median(self, metric):
        xs = self.wall if metric == "wall" else self.cpu
        return statistics.median(xs) if xs else None


def clean_env():
    env = dict(os.environ)
    for k in ("LUA_INIT", "LUA_INIT_5_4", "LUA_INIT_5_3"):
        env.pop(k, None)
    return env


def run_once(argv, script, timeout, env):
    ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    try:
        # own session, so a timeout can kill the whole process group
        proc = subprocess.Popen(argv + [str(script)], cwd=str(ROOT), env=env,
                                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, errors="replace",
                                start_new_session=True)
    except OSError as e:
        return "FAIL", 0.0, None, "", str(e)
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, 9)
        except OSError:
            pass
        proc.communicate()
        return "TIMEOUT", time.perf_counter() - t0, None, "", "timed out after %gs" % timeout
    wall = time.perf_counter() - t0
    res = subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr)
    ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (ru1.ru_utime - ru0.ru_utime) + (ru1.ru_stime - ru0.ru_stime)
    if res.returncode != 0:
        err = (res.stderr.strip().splitlines() or ["(no stderr)"])[-1]
        return "FAIL", wall, cpu, res.stdout, "exit %d: %s" % (res.returncode, err[:200])
    return None, wall, cpu, res.stdout, ""


def run_all(workloads, interps, runs, timeout):
    env = clean_env()
    active = [c for c in COLUMNS if interps[c].available]
    cells = {(w.name, c): Cell() for w in workloads for c in COLUMNS}
    for r in range(runs):
        for wi, w in enumerate(workloads):
            k = (r + wi) % len(active) if active else 0
            order = active[k:] + active[:k]
            parts = []
            for c in order:
                cell = cells[(w.name, c)]
                if cell.status in ("FAIL", "TIMEOUT"):
                    parts.append("%s skip" % c)
                    continue
                status, wall, cpu, out, detail = run_once(interps[c].argv, w.path, timeout, env)
                if status:
                    cell.status, cell.detail = status, detail
                    parts.append("%s %s" % (c, status))
                    continue
                cell.wall.append(wall)
                cell.cpu.append(cpu)
                cell.outputs.append(checksum_of(out))
                parts.append("%s %.3fs" % (c, wall))
            log("[%d/%d] %-16s %s" % (r + 1, runs, w.name, "  ".join(parts)))
    return cells


def validate(workloads, interps, cells):
    """Compare every run's checksum with the reference; returns warnings."""
    warnings = []
    for w in workloads:
        lua_cell = cells[(w.name, LUA)]
        ref, ref_from = None, ""
        if interps[LUA].available and lua_cell.status is None and lua_cell.outputs:
            ref, ref_from = lua_cell.outputs[0], "lua5.4"
            if w.expect is not None and " ".join(w.expect.split()) != ref:
                warnings.append("%s: lua5.4 printed %r but the script's '-- expect:' says %r"
                                % (w.name, ref, w.expect))
        elif w.expect is not None:
            ref, ref_from = " ".join(w.expect.split()), "-- expect:"
        for c in COLUMNS:
            cell = cells[(w.name, c)]
            if cell.status is not None or not cell.outputs:
                continue
            bad = [o for o in cell.outputs if o != (ref if ref is not None else cell.outputs[0])]
            if bad:
                cell.status = "WRONG"
                cell.detail = "printed %r, expected %r (%s)" % (
                    bad[0], ref if ref is not None else cell.outputs[0],
                    ref_from or "first run")
        if ref is None:
            warnings.append("%s: no reference checksum (no lua5.4, no '-- expect:'); "
                            "outputs unchecked" % w.name)
    return warnings


# ----------------------------------------------------------------- reporting

def geomean(xs):
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else None


def cell_value(interps, cells, wname, col, metric):
    if not interps[col].available:
        return "n/a", None
    cell = cells[(wname, col)]
    if cell.status:
        return cell.status, None
    m = cell.median(metric)
    if m is None:
        return "-", None
    return "%.3f" % m, m


def build_table(workloads, interps, cells, metric):
    header = ["workload"] + COLUMNS + ["rivet/lua5.4", "rivet/luajit-joff"]
    rows = []
    ratios = {"core": ([], []), "all": ([], [])}
    joff_vs_lua = []
    worst = None
    for w in workloads:
        vals = {c: cell_value(interps, cells, w.name, c, metric) for c in COLUMNS}
        row = [w.name + (" *" if w.optional else "")]
        row += [vals[c][0] for c in COLUMNS]
        rv, lv, jv = vals[RIVET][1], vals[LUA][1], vals[JOFF][1]
        r1 = rv / lv if rv and lv else None
        r2 = rv / jv if rv and jv else None
        row.append("%.2f" % r1 if r1 else "-")
        row.append("%.2f" % r2 if r2 else "-")
        rows.append(row)
        for key in ("core", "all"):
            if key == "core" and w.optional:
                continue
            if r1:
                ratios[key][0].append(r1)
            if r2:
                ratios[key][1].append(r2)
        if not w.optional:
            if r1 and (worst is None or r1 > worst[1]):
                worst = (w.name, r1)
            if jv and lv:
                joff_vs_lua.append(jv / lv)
    n_core = sum(1 for w in workloads if not w.optional)
    footer = []
    for key, n in (("core", n_core), ("all", len(workloads))):
        if key == "all" and n == n_core:
            continue
        a, b = ratios[key]
        g1, g2 = geomean(a), geomean(b)
        label = "geomean (%s)" % key
        footer.append([label, "", "", "", "",
                       ("%.2f" % g1 + ("" if len(a) == n else " (%d/%d)" % (len(a), n))) if g1 else "-",
                       ("%.2f" % g2 + ("" if len(b) == n else " (%d/%d)" % (len(b), n))) if g2 else "-"])
    summary = {
        "n_core": n_core,
        "core_ratios_lua": ratios["core"][0],
        "geomean_core_lua": geomean(ratios["core"][0]),
        "geomean_core_joff": geomean(ratios["core"][1]),
        "worst": worst,
        "joff_vs_lua": geomean(joff_vs_lua),
    }
    return header, rows, footer, summary


def format_text(header, rows, footer):
    allrows = [header] + rows + footer
    widths = [max(len(r[i]) for r in allrows) for i in range(len(header))]

    def fmt(r):
        return "  ".join(r[i].ljust(widths[i]) if i == 0 else r[i].rjust(widths[i])
                         for i in range(len(r)))
    sep = "  ".join("-" * w for w in widths)
    out = [fmt(header), sep] + [fmt(r) for r in rows]
    if footer:
        out.append(sep)
        out += [fmt(r) for r in footer]
    return "\n".join(out)


def format_markdown(header, rows, footer):
    def fmt(r):
        return "| " + " | ".join(r) + " |"
    out = [fmt(header), "|" + "|".join([":---"] + ["---:"] * (len(header) - 1)) + "|"]
    out += [fmt(r) for r in rows]
    out += [fmt(["**%s**" % r[0]] + r[1:]) for r in footer]
    return "\n".join(out)


def machine_info():
    cpu = ""
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return "%s %s, %s, %d cpus" % (platform.system(), platform.release(),
                                   cpu or platform.machine(), os.cpu_count() or 0)


def loadavg():
    try:
        return "%.2f %.2f %.2f" % os.getloadavg()
    except OSError:
        return "?"


def load_first(text):
    try:
        return float(text.split()[0])
    except (ValueError, IndexError):
        return 0.0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5, help="runs per workload and interpreter (default 5)")
    ap.add_argument("--only", help="comma-separated workload names (default: all)")
    ap.add_argument("--rivet", help="rivet binary (default: target/release/rivet, built with cargo)")
    ap.add_argument("--no-build", action="store_true", help="do not run cargo build --release")
    ap.add_argument("--lua", help="lua5.4 binary (default: lua5.4 on PATH)")
    ap.add_argument("--luajit", help="luajit binary (default: luajit on PATH)")
    ap.add_argument("--no-optional", action="store_true", help="skip *_stdlib workloads")
    ap.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    ap.add_argument("--cpu", action="store_true",
                    help="report user+sys CPU time instead of wall time (less sensitive to a busy machine)")
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds per run (default 120)")
    ap.add_argument("--json", metavar="FILE", help="also write all raw times to FILE")
    ap.add_argument("--list", action="store_true", help="list workloads and exit")
    args = ap.parse_args()
    if args.runs < 1:
        ap.error("--runs must be at least 1")

    workloads = discover(args.only)
    if args.no_optional:
        workloads = [w for w in workloads if not w.optional]
    if args.list:
        for w in workloads:
            print(w.name + (" (optional)" if w.optional else ""))
        return 0
    if not workloads:
        sys.exit("no workloads selected")

    interps = setup_interps(args)
    metric = "cpu" if args.cpu else "wall"
    started = datetime.datetime.now().astimezone()
    load0 = loadavg()
    log("running %d workload(s) x %d run(s)" % (len(workloads), args.runs))
    cells = run_all(workloads, interps, args.runs, args.timeout)
    load1 = loadavg()
    warnings = validate(workloads, interps, cells)
    header, rows, footer, summary = build_table(workloads, interps, cells, metric)

    md = args.markdown
    lines = []
    lines.append("%s, %s; median of %d runs, %s time in seconds"
                 % (started.strftime("%Y-%m-%d %H:%M %Z"), machine_info(), args.runs,
                    "user+sys CPU" if args.cpu else "wall"))
    lines.append("load average before/after: %s / %s" % (load0, load1))
    for c in COLUMNS:
        it = interps[c]
        if it.available:
            desc = " ".join(it.argv)
            if it.version:
                desc += " (%s)" % it.version
            if it.note:
                desc += "; " + it.note
        else:
            desc = "n/a: " + it.note
        lines.append("%s = %s" % (c, desc))
    out = []
    if md:
        out += ["- " + l for l in lines] + [""]
        out.append(format_markdown(header, rows, footer))
    else:
        out += lines + [""]
        out.append(format_text(header, rows, footer))
    notes = []
    if any(w.optional for w in workloads):
        notes.append("* optional workload (needs string/table/math libraries); not in the core geomean")
    n = summary["n_core"]
    core = summary["core_ratios_lua"]
    subset = "" if n >= len(CORE_ORDER) else " [subset: %d of %d core workloads]" % (n, len(CORE_ORDER))
    if n:
        if len(core) == n:
            g, worst = summary["geomean_core_lua"], summary["worst"]
            ok = g <= 1.0 and worst[1] <= 1.5
            notes.append("target (core: geomean rivet/lua5.4 <= 1.0, none > 1.5): %s "
                         "(geomean %.2f, worst %s %.2f)%s"
                         % ("MET" if ok else "NOT MET", g, worst[0], worst[1], subset))
        else:
            notes.append("target (core: geomean rivet/lua5.4 <= 1.0, none > 1.5): incomplete "
                         "(%d of %d core workloads have a rivet/lua5.4 ratio)%s" % (len(core), n, subset))
    if not args.cpu:
        _, _, _, cs = build_table(workloads, interps, cells, "cpu")
        if cs["geomean_core_lua"] or cs["geomean_core_joff"]:
            notes.append("same run in user+sys CPU time (steadier on a busy machine, see --cpu): "
                         "core geomean rivet/lua5.4 = %s, rivet/luajit-joff = %s"
                         % tuple("%.2f" % g if g else "-"
                                 for g in (cs["geomean_core_lua"], cs["geomean_core_joff"])))
    busy = max(load_first(load0), load_first(load1))
    if busy > (os.cpu_count() or 1) - 0.5:
        notes.append("warning: machine busy (load average %.2f on %d cpus): wall times are "
                     "inflated and noisy; prefer --cpu and more --runs" % (busy, os.cpu_count() or 1))
    if summary["joff_vs_lua"]:
        notes.append("for scale: geomean (luajit -joff)/lua5.4 on core = %.2f" % summary["joff_vs_lua"])
    for c in COLUMNS:
        if not interps[c].available:
            notes.append("%s: n/a - %s" % (c, interps[c].note))
    for w in workloads:
        for c in COLUMNS:
            cell = cells[(w.name, c)]
            if cell.status:
                notes.append("%s %s under %s: %s" % (w.name, cell.status, c, cell.detail))
    notes += ["warning: " + x for x in warnings]
    if notes:
        out.append("")
        out += [("- " if md else "") + x for x in notes]
    print("\n".join(out))

    if args.json:
        data = {
            "started": started.isoformat(), "machine": machine_info(), "runs": args.runs,
            "load_before": load0, "load_after": load1,
            "interpreters": {c: {"argv": interps[c].argv, "version": interps[c].version,
                                 "note": interps[c].note} for c in COLUMNS},
            "results": {w.name: {c: {"status": cells[(w.name, c)].status,
                                     "detail": cells[(w.name, c)].detail,
                                     "wall": cells[(w.name, c)].wall,
                                     "cpu": cells[(w.name, c)].cpu,
                                     "checksum": (cells[(w.name, c)].outputs or [None])[0]}
                                 for c in COLUMNS}
                        for w in workloads},
        }
        Path(args.json).write_text(json.dumps(data, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

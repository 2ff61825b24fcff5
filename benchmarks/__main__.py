"""Run the benchmarks: ``python -m benchmarks [--quick] [--only W1,W3-b256] [--baseline DIR]``.

Each comparison runs in ``--processes`` fresh child processes (three by default), its
engines interleaved inside each; the table gives the median over processes and the
spread, and the results (with date, machine, versions and GC settings) go to
``benchmarks/results/latest.json``, which the docs' Benchmarks page renders.

``--baseline DIR`` also measures another checkout of minigrad (DIR holds a ``minigrad``
package, e.g. made by ``git archive HEAD minigrad | tar -x -C DIR``), imported in the
same child processes under another name, so before/after ratios come from one
interleaved run.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import importlib.metadata
import importlib.util
import json
import os
import platform
import statistics
import subprocess
import sys
from pathlib import Path

from .harness import DEFAULT_RECURSION_LIMIT, ONE_THREAD, ROOT, run_interleaved, spawn, summarize, write_json

DEFAULT_OUT = Path(__file__).parent / "results" / "latest.json"
BASELINE = "minigrad [baseline]"


# ------------------------------------------------------------------ the child: one process, one comparison

def load_baseline(path: str):
    """Import the minigrad package under ``path`` (or ``path/minigrad``) as ``minigrad_baseline``."""
    folder = Path(path)
    if (folder / "minigrad" / "__init__.py").is_file():
        folder = folder / "minigrad"
    if not (folder / "__init__.py").is_file():
        raise SystemExit(f"--baseline {path}: no minigrad package there (expected {folder}/__init__.py)")
    spec = importlib.util.spec_from_file_location("minigrad_baseline", folder / "__init__.py",
                                                  submodule_search_locations=[str(folder)])
    module = importlib.util.module_from_spec(spec)
    sys.modules["minigrad_baseline"] = module  # its relative imports resolve under this name
    spec.loader.exec_module(module)
    return module


def package_dir(path) -> Path:
    """The folder that holds a ``minigrad`` package: ``path`` itself or its parent."""
    folder = Path(path).resolve()
    return folder.parent if (folder / "__init__.py").is_file() and folder.name == "minigrad" else folder


def child(comparison: str, quick: bool, repeats, baseline, peers: bool, current=None) -> dict:
    """Measure one comparison in this (fresh) process; print and return its JSON report."""
    wrong = {k: os.environ.get(k) for k in ONE_THREAD if os.environ.get(k) != "1"}
    if wrong or "numpy" in sys.modules:
        raise SystemExit(f"child must start with one BLAS thread set before NumPy is imported: {wrong}")
    limit = sys.getrecursionlimit()
    if limit != DEFAULT_RECURSION_LIMIT:
        raise SystemExit(f"recursion limit is {limit}, not Python's default {DEFAULT_RECURSION_LIMIT}")
    import gc

    home = package_dir(current) if current else ROOT
    sys.path.insert(0, str(home))
    import minigrad

    from .workloads import COMPARISONS

    if not Path(minigrad.__file__).resolve().is_relative_to(home):
        raise SystemExit(f"imported minigrad from {minigrad.__file__}, not from {home}")
    impls = [("minigrad", minigrad)]
    if baseline:
        impls.append((BASELINE, load_baseline(baseline)))
    title, unit, engines, default_repeats = COMPARISONS[comparison](impls, quick, peers)
    samples = run_interleaved(engines, repeats or default_repeats, warmup=0 if quick else 1)
    report = {
        "comparison": comparison, "title": title, "unit": unit, "repeats": repeats or default_repeats,
        "limit": next(e.name for e in engines if e.limit), "samples": samples,
        "gc_threshold": list(gc.get_threshold()), "recursion_limit": limit,
        "recursion_limit_after": sys.getrecursionlimit(),
        "minigrad_file": minigrad.__file__,
        "baseline_file": sys.modules["minigrad_baseline"].__file__ if baseline else None,
    }
    print(json.dumps(report))
    return report


# ------------------------------------------------------------------ the parent: spawn, aggregate, report

def machine() -> dict:
    """Where the numbers were measured."""
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpu": model, "cores": os.cpu_count(), "system": f"{platform.system()} {platform.release()}",
            "node": platform.node()}


def version(package: str):
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return None


def checkout(folder: Path) -> dict:
    """Identify a minigrad checkout: git commit (and whether minigrad/ differs from it) and a
    hash of its Python sources, so two runs can tell whether they measured the same code."""
    pkg = folder / "minigrad" if (folder / "minigrad").is_dir() else folder
    digest = hashlib.sha256()
    for f in sorted(pkg.glob("*.py")):
        digest.update(f.name.encode() + f.read_bytes())
    info = {"path": str(pkg), "sources_sha256": digest.hexdigest()[:12]}
    git = subprocess.run(["git", "-C", str(folder), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    if git.returncode == 0 and (folder / ".git").exists():
        info["commit"] = git.stdout.strip()
        dirty = subprocess.run(["git", "-C", str(folder), "status", "--porcelain", "minigrad"],
                               capture_output=True, text=True).stdout.split("\n")
        info["uncommitted_files_in_minigrad"] = sum(1 for line in dirty if line.strip())
    return info


def paired(num: list, den: list) -> list:
    """Ratios of runs made in the same round of the interleaving (close in time, so under
    the same load), one list per process.

    Examples
    --------
    >>> paired([[2.0, 4.0]], [[1.0, 1.0]])
    [[2.0, 4.0]]
    """
    return [[a / b for a, b in zip(pa, pb)] for pa, pb in zip(num, den)]


def aggregate(reports: list) -> dict:
    """Combine the child reports of one comparison.

    Per engine: the median over processes of the per-process median time, with the
    lowest and highest; ratios are taken run by run against the run of the limit (or
    of the baseline) in the same round, their median per process, then the median
    over processes.
    """
    first = reports[0]
    limit = first["limit"]
    rows = []
    for name, s in first["samples"].items():
        if isinstance(s, dict):
            rows.append({"engine": name, "skip": s["skip"]})
            continue
        per = [r["samples"][name] for r in reports]
        row = {"engine": name, "time": summarize(per), "limit": name == limit,
               "ratio": summarize(paired(per, [r["samples"][limit] for r in reports])), "samples": per}
        if name.startswith("minigrad") and not name.startswith(BASELINE) \
                and name.replace("minigrad", BASELINE, 1) in first["samples"]:
            base = name.replace("minigrad", BASELINE, 1)
            # after / before: below 1 means this checkout is faster than the baseline
            row["vs_baseline"] = summarize(paired(per, [r["samples"][base] for r in reports]))
        rows.append(row)
    return {"id": first["comparison"], "title": first["title"], "unit": first["unit"],
            "repeats_per_process": first["repeats"], "processes": len(reports), "rows": rows}


def evaluate_targets(comparisons: dict) -> list:
    """Each target of :data:`benchmarks.workloads.TARGETS` that was measured, and whether it is met."""
    from .workloads import TARGETS

    out = []
    for cid, num, den, op, threshold, text in TARGETS:
        if cid not in comparisons:
            continue
        rows = {r["engine"]: r for r in comparisons[cid]["rows"]}
        if num not in rows or "skip" in rows[num] or (den != "limit" and (den not in rows or "skip" in rows[den])):
            out.append({"comparison": cid, "text": text, "met": None, "why": "an engine was skipped"})
            continue
        if den == "limit":
            value = rows[num]["ratio"]
        else:  # run by run, as the ratios to the limit
            value = summarize(paired(rows[num]["samples"], rows[den]["samples"]))
        met = value["median"] >= threshold if op == ">=" else value["median"] <= threshold
        out.append({"comparison": cid, "text": text, "value": value, "op": op, "threshold": threshold, "met": met})
    return out


def fmt_time(seconds: float) -> str:
    """Seconds in a readable unit.

    Examples
    --------
    >>> fmt_time(0.000123), fmt_time(0.0123), fmt_time(12.3)
    ('123 µs', '12.3 ms', '12.3 s')
    """
    for factor, name in ((1e-9, "ns"), (1e-6, "µs"), (1e-3, "ms")):
        if seconds < factor * 1000:
            return f"{seconds / factor:.3g} {name}"
    return f"{seconds:.3g} s"


def print_table(result: dict) -> None:
    for comp in result["comparisons"]:
        print(f"\n{comp['title']}  [{comp['processes']} processes × {comp['repeats_per_process']} runs]")
        for r in comp["rows"]:
            if "skip" in r:
                print(f"  {r['engine']:<40} {r['skip']}")
                continue
            t, q = r["time"], r["ratio"]
            line = (f"  {r['engine']:<40} {fmt_time(t['median']):>9}/{comp['unit']}"
                    f"  ({fmt_time(t['low'])}–{fmt_time(t['high'])})  {q['median']:7.2f}× limit"
                    f" ({q['low']:.2f}–{q['high']:.2f})")
            if "vs_baseline" in r:
                v = r["vs_baseline"]
                line += f"  after/before {v['median']:.3f} ({v['low']:.3f}–{v['high']:.3f})"
            print(line)
    print()
    for t in result["targets"]:
        if t["met"] is None:
            print(f"target  {t['text']}: not measured ({t['why']})")
        else:
            v = t["value"]
            print(f"target  {t['text']}: {v['median']:.2f} ({v['low']:.2f}–{v['high']:.2f}) "
                  f"{'MET' if t['met'] else 'NOT MET'}")


def main(argv=None) -> dict:
    p = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true",
                   help="small sizes, one process each, no PyTorch (what the tests run, < 20 s)")
    p.add_argument("--only", default="", help="comma-separated comparison ids or prefixes, e.g. W1,W3-b256")
    p.add_argument("--processes", type=int, default=None, help="fresh processes per comparison (default 3; quick 1)")
    p.add_argument("--repeats", type=int, default=None, help="timed runs per engine per process (default: per workload)")
    p.add_argument("--baseline", default=None, metavar="DIR", help="another minigrad checkout to compare against")
    p.add_argument("--minigrad", default=None, metavar="DIR",
                   help="the checkout measured as 'minigrad' (default: this repository's)")
    p.add_argument("--no-peers", action="store_true", help="skip PyTorch (micrograd is cheap and always tried)")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write the JSON results")
    p.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    peers = not (args.no_peers or args.quick)
    if args.child:  # NumPy must not be imported before the child pins BLAS threads
        return child(args.child, args.quick, args.repeats, args.baseline, peers, args.minigrad)
    from .workloads import COMPARISONS, QUICK

    pool = QUICK if args.quick else list(COMPARISONS)
    wanted = [w.strip() for w in args.only.split(",") if w.strip()]
    chosen = [c for c in pool if not wanted or any(c == w or c.startswith(w + "-") for w in wanted)]
    unknown = [w for w in wanted if not any(c == w or c.startswith(w + "-") for c in COMPARISONS)]
    if unknown or not chosen:
        p.error(f"unknown workloads {unknown or wanted}; choose from {list(COMPARISONS)} or a prefix (W1, W2, W3)")
    processes = args.processes if args.processes is not None else (1 if args.quick else 3)
    if processes < 1 or (args.repeats is not None and args.repeats < 1):
        p.error("--processes and --repeats must be at least 1")
    if args.baseline:
        base = Path(args.baseline)
        if not ((base / "minigrad" / "__init__.py").is_file() or (base / "__init__.py").is_file()):
            p.error(f"--baseline {args.baseline}: no minigrad package there")
    if args.minigrad and not (package_dir(args.minigrad) / "minigrad" / "__init__.py").is_file():
        p.error(f"--minigrad {args.minigrad}: no minigrad package there")
    for name, present in (("torch", peers and version("torch")), ("micrograd", version("micrograd"))):
        if peers or name == "micrograd":
            if not present:
                print(f"note: {name} is not installed; its rows are skipped (pip install {name})")

    started = datetime.datetime.now(datetime.timezone.utc)
    load_before = os.getloadavg()
    reports = {c: [] for c in chosen}
    for k in range(processes):  # round robin: process k of every comparison, then k + 1
        for c in chosen:
            print(f"[{k + 1}/{processes}] {c} ...", flush=True)
            reports[c].append(spawn(c, args.quick, args.repeats, args.baseline, peers, args.minigrad))
    comparisons = {c: aggregate(reports[c]) for c in chosen}
    one = reports[chosen[0]][0]
    command = "python -m benchmarks" + (" " + " ".join(argv if argv is not None else sys.argv[1:])).rstrip()
    result = {
        "date": started.isoformat(timespec="seconds"),
        "duration_s": round((datetime.datetime.now(datetime.timezone.utc) - started).total_seconds(), 1),
        "command": command,
        "machine": machine(),
        "load_average": {"before": [round(x, 2) for x in load_before],
                         "after": [round(x, 2) for x in os.getloadavg()]},
        "python": platform.python_version(),
        "versions": {"numpy": version("numpy"), "torch": version("torch") if peers else None,
                     "micrograd": version("micrograd")},
        "minigrad": checkout(package_dir(args.minigrad) if args.minigrad else ROOT),
        "baseline": checkout(Path(args.baseline)) if args.baseline else None,
        "quick": args.quick,
        "settings": {
            "processes_per_comparison": processes,
            "order": "engines interleaved in each process, rotating start; processes round-robin over comparisons",
            "gc": "gc.unfreeze(); gc.collect(); gc.freeze() before every timed run; collector on at thresholds "
                  f"{tuple(one['gc_threshold'])} unless the engine says 'gc off' (gc.disable() for the timed run)",
            "threads": dict(ONE_THREAD),
            "recursion_limit": one["recursion_limit"],
            "warmup": "none (quick mode)" if args.quick else "one untimed run per engine per process",
            "statistic": "time: median over processes of the per-process median, spread = lowest–highest "
                         "per-process median; ratios: run by run against the limit's (or baseline's) run of "
                         "the same round, median per process, then median (lowest–highest) over processes",
        },
        "comparisons": list(comparisons.values()),
        "targets": evaluate_targets(comparisons),
    }
    print_table(result)
    write_json(args.out, result)
    print(f"\nwrote {args.out}")
    return result


if __name__ == "__main__":
    try:
        main()
    except RuntimeError as err:  # a child failed: say which and why, write nothing
        sys.exit(str(err))

"""Instructions per step, counted under valgrind: a before/after that does not move between runs.

``python -m benchmarks.instructions --baseline DIR [--only W2-b10,W2-sgd] [--minigrad DIR]``

The timed benchmark's before/after ratios move by 3-5 % from one run to the next on a
shared two-core machine, which hides the 1-2 % a change to the engine usually buys or
costs. The number of machine instructions a step executes hardly moves: valgrind's
cachegrind (no cache simulation) counts them, with the hash seed fixed, one BLAS thread and
the heap collected and frozen before every run (as the timed benchmark does, so that a full
collection cannot fall in one count and not the other); the count repeats to within a few
hundred instructions per step. Each minigrad engine
of a comparison (the same code the timed benchmark runs, from ``workloads.py``) is run in
its own process under valgrind, once with one run of its unit of work and once with
three; the difference, divided by two runs' units, is the count per step, free of
imports and set-up.

Instructions are not time: NumPy's work on large arrays and the memory traffic weigh less
in the count than on the clock, so the timed benchmark stays the measure of record (it is
what the Benchmarks page shows). This count says whether a change to the Python side
bought anything, and how much, before the timed runs are worth doing.

Examples
--------
>>> parse_refs("==1== I   refs:      1,005,019,975")
1005019975
>>> per_unit(low=1_000_000, high=1_600_000, units=100)
3000.0
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .harness import ROOT, _fresh_heap, child_env, write_json

DEFAULT_OUT = Path(__file__).parent / "results" / "instructions.json"
DEFAULT_ONLY = "W2-b10,W2-sgd"  # about a minute on two cores; W1-mlp and W3-b256 take ten or more under valgrind
RUNS = (1, 3)  # runs of the unit of work in the two counted processes: their difference is two runs
_REFS = re.compile(r"I\s+refs:\s+([\d,]+)")


def parse_refs(stderr: str) -> int:
    """The total instruction count from cachegrind's summary on stderr.

    Raises
    ------
    RuntimeError
        If the summary is missing (valgrind or the child failed); the message carries
        the end of stderr.

    Examples
    --------
    >>> parse_refs("==7== I   refs:      12,345")
    12345
    """
    found = _REFS.search(stderr)
    if found is None:
        raise RuntimeError("no instruction count in valgrind's output; its end:\n" + stderr[-2000:])
    return int(found.group(1).replace(",", ""))


def per_unit(low: int, high: int, units: int) -> float:
    """Instructions per unit of work from two counts that differ by ``RUNS[1] - RUNS[0]`` runs.

    Examples
    --------
    >>> per_unit(low=500, high=900, units=2)
    100.0
    """
    return (high - low) / ((RUNS[1] - RUNS[0]) * units)


# ------------------------------------------------------------------ the child: one engine, under valgrind

def _engines(comparison: str, current, baseline) -> list:
    """The comparison's engines, built as the timed benchmark builds them (full sizes, no peers)."""
    from .__main__ import BASELINE, load_baseline, package_dir

    sys.path.insert(0, str(package_dir(current) if current else ROOT))
    import minigrad

    from .workloads import COMPARISONS

    impls = [("minigrad", minigrad)] + ([(BASELINE, load_baseline(baseline))] if baseline else [])
    return COMPARISONS[comparison](impls, False, False)[2]


def child(comparison: str, engine: str, runs: int, current, baseline) -> None:
    """Run ``engine`` of ``comparison``: set-up and one warm-up run, then ``runs`` runs.

    Every process does the same set-ups (one per possible run), so the two counts differ by
    the runs alone. Prints ``{"units": ...}``: the units of work one run does.
    """
    chosen = next(e for e in _engines(comparison, current, baseline) if e.name == engine)
    for k in range(1 + max(RUNS)):
        if chosen.setup:
            chosen.setup()
        _fresh_heap()  # as before a timed run: else a full collection lands in one count and not the other
        if k <= runs:  # k == 0: the warm-up run (first allocations, caches), in both processes
            chosen.run()
    print(json.dumps({"units": chosen.units}))


# ------------------------------------------------------------------ the parent

def engines_of(comparison: str, current, baseline) -> list:
    """The names of the minigrad engines (this checkout's and the baseline's) of ``comparison``."""
    cmd = [sys.executable, "-m", "benchmarks.instructions", "--engines", comparison]
    cmd += (["--minigrad", current] if current else []) + (["--baseline", baseline] if baseline else [])
    out = subprocess.run(cmd, capture_output=True, text=True, env=child_env(), check=False, cwd=ROOT)
    if out.returncode:
        raise RuntimeError(f"{comparison}: could not list its engines:\n{out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def count(comparison: str, engine: str, runs: int, current, baseline) -> tuple:
    """(instructions, units) of one process running ``runs`` runs of ``engine`` under valgrind."""
    cmd = ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
           sys.executable, "-m", "benchmarks.instructions", "--child", comparison, engine, str(runs)]
    if current:
        cmd += ["--minigrad", current]
    if baseline:
        cmd += ["--baseline", baseline]
    env = dict(child_env(), PYTHONHASHSEED="0")  # set iteration order, and so the count, repeats
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False, cwd=ROOT)
    if out.returncode:
        raise RuntimeError(f"{comparison} / {engine} under valgrind failed:\n{out.stderr[-2000:]}")
    return parse_refs(out.stderr), json.loads(out.stdout.strip().splitlines()[-1])["units"]


def main(argv=None) -> dict:
    p = argparse.ArgumentParser(prog="python -m benchmarks.instructions", description=__doc__.split("\n\n")[0])
    p.add_argument("--only", default=DEFAULT_ONLY, help=f"comma-separated comparisons (default {DEFAULT_ONLY})")
    p.add_argument("--baseline", default=None, metavar="DIR", help="another minigrad checkout to compare against")
    p.add_argument("--minigrad", default=None, metavar="DIR", help="the checkout counted as 'minigrad'")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="valgrind processes at once")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write the JSON results")
    p.add_argument("--child", nargs=3, default=None, help=argparse.SUPPRESS)
    p.add_argument("--engines", default=None, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:  # (in a process of its own, so that imports are outside the counted difference)
        comparison, engine, runs = args.child
        return child(comparison, engine, int(runs), args.minigrad, args.baseline)
    if args.engines:
        engines = _engines(args.engines, args.minigrad, args.baseline)
        return print(json.dumps([e.name for e in engines if e.name.startswith("minigrad") and not e.skip]))
    if shutil.which("valgrind") is None:
        p.error("valgrind is not installed: it counts the instructions (apt-get install valgrind)")
    from .workloads import COMPARISONS

    chosen = [c.strip() for c in args.only.split(",") if c.strip()]
    unknown = [c for c in chosen if c not in COMPARISONS]
    if unknown or not chosen:
        p.error(f"unknown comparisons {unknown or chosen}; choose from {list(COMPARISONS)}")
    jobs = [(c, e, r) for c in chosen for e in engines_of(c, args.minigrad, args.baseline) for r in RUNS]
    print(f"{len(jobs)} processes under valgrind, {args.jobs} at a time ...", flush=True)
    with ThreadPoolExecutor(max(1, args.jobs)) as pool:
        counts = dict(zip(jobs, pool.map(lambda job: count(*job, args.minigrad, args.baseline), jobs)))
    rows = []
    for c in chosen:
        names = [e for (cc, e, r) in jobs if cc == c and r == RUNS[0]]
        for e in names:
            (low, units), (high, _) = counts[(c, e, RUNS[0])], counts[(c, e, RUNS[1])]
            rows.append({"comparison": c, "engine": e, "units": units, "per_unit": per_unit(low, high, units)})
    by_name = {(r["comparison"], r["engine"]): r for r in rows}
    for r in rows:
        base = by_name.get((r["comparison"], r["engine"].replace("minigrad", "minigrad [baseline]", 1)))
        if base is not None and r["engine"] != base["engine"]:
            r["after_before"] = r["per_unit"] / base["per_unit"]
        ratio = f"  after/before {r['after_before']:.3f}" if "after_before" in r else ""
        print(f"{r['comparison']:<8} {r['engine']:<40} {r['per_unit']:>13,.0f} instructions/unit{ratio}")
    from .__main__ import checkout, package_dir

    result = {"command": ("python -m benchmarks.instructions " + " ".join(argv if argv is not None
                                                                          else sys.argv[1:])).strip(),
              "minigrad": checkout(package_dir(args.minigrad) if args.minigrad else ROOT),
              "baseline": checkout(Path(args.baseline)) if args.baseline else None,
              "runs": list(RUNS), "hash_seed": 0, "rows": rows}
    write_json(args.out, result)
    print(f"wrote {args.out}")
    return result


if __name__ == "__main__":
    try:
        main()
    except RuntimeError as err:
        sys.exit(str(err))

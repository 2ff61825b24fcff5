"""Run the benchmarks: ``python -m benchmarks [--quick] [--only W1,W3] [--out FILE]``.

Prints one table and writes it, with the date and the machine, as JSON (read by the
docs' Benchmarks page).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path

import numpy as np

from .workloads import HAS_MICROGRAD, HAS_TORCH, WORKLOADS

DEFAULT_OUT = Path(__file__).parent / "results" / "latest.json"


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores ({cpu})"


def main(argv=None) -> dict:
    p = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true", help="small sizes and few repeats (what CI runs)")
    p.add_argument("--only", default=",".join(WORKLOADS), help="comma-separated workloads, e.g. W1,W3")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write the JSON results")
    args = p.parse_args(argv)
    wanted = [w.strip().upper() for w in args.only.split(",") if w.strip()]
    unknown = [w for w in wanted if w not in WORKLOADS]
    if unknown:
        p.error(f"unknown workloads {unknown}; choose from {list(WORKLOADS)}")
    for name, present in (("torch", HAS_TORCH), ("micrograd", HAS_MICROGRAD)):
        if not present:
            print(f"note: {name} is not installed; its columns are skipped (pip install {name})")
    rows = []
    for w in wanted:
        for fn in WORKLOADS[w]:
            print(f"running {fn.__name__} ...", flush=True)
            rows += fn(args.quick)
    width = max(len(r.workload) for r in rows)
    ewidth = max(len(r.engine) for r in rows)
    print()
    for r in rows:
        ratio = f"{r.ratio:8.2f}x" if r.ratio is not None else " " * 9
        mem = f"{r.peak_mb:9.1f} MB" if r.peak_mb is not None else " " * 12
        note = r.note if r.median is not None else ""  # a skipped row's reason is its median text
        print(f"{r.workload:<{width}}  {r.engine:<{ewidth}}  {r.median_text:>24}  {ratio}  {mem}  {note}")
    result = {
        "date": datetime.datetime.now().isoformat(timespec="seconds"),
        "machine": machine(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "torch": __import__("torch").__version__ if HAS_TORCH else None,
        "quick": args.quick,
        "rows": [{**{k: v for k, v in asdict(r).items() if k != "samples"}, "median_text": r.median_text,
                  "samples": r.samples} for r in rows],
        "notes": ["ratio = median time / median time of the hand-written limit, both measured in this run",
                  "peak memory is traced by tracemalloc: Python objects and NumPy arrays, not PyTorch's allocator"],
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=args.out.parent, suffix=".tmp")
    with os.fdopen(fd, "w") as f:
        json.dump(result, f, indent=1)
    os.replace(tmp, args.out)  # never a half-written results file
    print(f"\nwrote {args.out}")
    return result


if __name__ == "__main__":
    sys.exit(main() and 0)

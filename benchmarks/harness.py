"""Timing machinery: fresh processes, interleaved engines, medians and spreads.

A *comparison* (one workload at one size, e.g. W3 at batch 256) is measured in several
fresh Python processes, one after another (``--processes``, three by default). Inside
each process every engine of the comparison runs *interleaved* (A B C, B C A, C A B, ...)
so a burst of load on a shared machine hits all engines alike. Per process we take the
median over its repetitions; the report gives the median of those per-process medians
and their spread (lowest and highest). Ratios are formed run by run, between runs of the
same round (close in time, so under the same load), then summarised the same way.

Settings every child process uses (and records in the results):

* one BLAS/OpenMP thread: ``OPENBLAS_NUM_THREADS=1`` etc. are set in the child's
  environment before NumPy is imported;
* before each timed run: ``gc.unfreeze(); gc.collect(); gc.freeze()`` so every run
  starts from the same heap, with the collector *on* at the default thresholds; an
  engine marked ``gc=False`` runs with ``gc.disable()`` during its timed run (its garbage
  is collected afterwards, untimed);
* the default recursion limit, checked before and after each run.

Examples
--------
>>> import statistics
>>> summarize([[1.0, 3.0, 2.0], [2.0, 2.0], [4.0]])["median"]
2.0
"""

from __future__ import annotations

import gc
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

ROOT = Path(__file__).resolve().parents[1]

#: Environment that pins BLAS/OpenMP libraries to one thread; set before NumPy loads.
ONE_THREAD = {name: "1" for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS",
                                     "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS")}

#: Python's default recursion limit; the 10^5 chain must run under it.
DEFAULT_RECURSION_LIMIT = 1000


@dataclass
class Engine:
    """One way of doing a comparison's unit of work.

    Parameters
    ----------
    name : str
        Shown in the report; a baseline checkout's engines end in ``" [baseline]"``.
    run : callable
        One timed run; it does ``units`` units of work (steps, ops).
    units : int
        How many units one run does: times are reported per unit.
    setup : callable, optional
        Untimed, before every run (fresh parameters, fresh data order).
    limit : bool
        The hand-written reference that every other engine is divided by.
    gc : bool
        False: the garbage collector is disabled during the timed run.
    skip : str
        Why the engine cannot run here (a missing optional package, a known failure).

    Examples
    --------
    >>> Engine("noop", lambda: None).units
    1
    """

    name: str
    run: Callable[[], object]
    units: int = 1
    setup: Optional[Callable[[], object]] = None
    limit: bool = False
    gc: bool = True
    skip: str = ""


def _fresh_heap() -> None:
    # Garbage of the previous engine is collected untimed; everything alive now (data,
    # models) goes to the permanent generation so the collector never rescans it.
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def run_interleaved(engines: list, repeats: int, warmup: int = 1) -> dict:
    """Run the engines in rotating order, ``repeats`` times each, in this process.

    Parameters
    ----------
    engines : list of Engine
    repeats : int
        Timed runs per engine.
    warmup : int
        Untimed runs per engine first (imports, caches, first allocations).

    Returns
    -------
    dict
        Engine name -> list of seconds per unit, or ``{"skip": reason}``.

    Examples
    --------
    >>> out = run_interleaved([Engine("a", lambda: sum(range(100)), units=100, limit=True)], 2)
    >>> len(out["a"])
    2
    """
    live = [e for e in engines if not e.skip]
    samples = {e.name: [] for e in live}
    for r in range(-warmup, repeats):
        shift = r % len(live) if live else 0
        for e in live[shift:] + live[:shift]:  # rotate: no engine always runs first
            if e.setup:
                e.setup()
            _fresh_heap()
            limit_before = sys.getrecursionlimit()
            if not e.gc:
                gc.disable()
            try:
                start = time.perf_counter()
                e.run()
                elapsed = time.perf_counter() - start
            finally:
                gc.enable()
            if sys.getrecursionlimit() != limit_before:
                raise RuntimeError(f"{e.name} changed the recursion limit from {limit_before} "
                                   f"to {sys.getrecursionlimit()}: the benchmark runs at the default")
            if r >= 0:
                samples[e.name].append(elapsed / e.units)
    _fresh_heap()
    gc.unfreeze()
    out = {e.name: {"skip": e.skip} for e in engines if e.skip}
    out.update(samples)
    return out


def summarize(per_process: list) -> dict:
    """Median and spread of a quantity measured in several processes.

    Parameters
    ----------
    per_process : list of list of float
        The samples of each process.

    Returns
    -------
    dict
        ``median`` (of the per-process medians), ``low`` and ``high`` (the lowest and
        highest per-process median) and ``per_process`` (those medians).

    Examples
    --------
    >>> s = summarize([[1.0, 3.0, 2.0], [2.0, 2.0], [4.0]])
    >>> s["per_process"], s["low"], s["high"]
    ([2.0, 2.0, 4.0], 2.0, 4.0)
    """
    meds = [statistics.median(s) for s in per_process]
    return {"median": statistics.median(meds), "low": min(meds), "high": max(meds), "per_process": meds}


def child_env() -> dict:
    """The environment of a child process: this one, one BLAS thread, the repo importable.

    Examples
    --------
    >>> child_env()["OPENBLAS_NUM_THREADS"]
    '1'
    """
    env = dict(os.environ, **ONE_THREAD)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT)] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p])
    return env


def spawn(comparison: str, quick: bool, repeats: Optional[int], baseline: Optional[str],
          peers: bool, current: Optional[str] = None, timeout: float = 1800) -> dict:
    """Measure one comparison in one fresh child process and return its report.

    Raises
    ------
    RuntimeError
        If the child fails; the message carries the end of its error output.
    """
    cmd = [sys.executable, "-m", "benchmarks", "--child", comparison]
    if quick:
        cmd.append("--quick")
    if repeats:
        cmd += ["--repeats", str(repeats)]
    if baseline:
        cmd += ["--baseline", baseline]
    if not peers:
        cmd.append("--no-peers")
    if current:
        cmd += ["--minigrad", current]
    proc = subprocess.run(cmd, cwd=ROOT, env=child_env(), capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"benchmark child for {comparison} failed (exit {proc.returncode}):\n"
                           f"{proc.stderr[-4000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def write_json(path: Path, result: dict) -> None:
    """Write ``result`` to ``path`` whole or not at all (a temporary file, then a rename).

    Examples
    --------
    >>> import tempfile; out = Path(tempfile.mkdtemp()) / "r.json"; write_json(out, {"a": 1})
    >>> json.loads(out.read_text())
    {'a': 1}
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(fd, "w") as f:
            json.dump(result, f, indent=1)
        os.replace(tmp, path)  # never a half-written results file
    except BaseException:
        os.unlink(tmp)
        raise

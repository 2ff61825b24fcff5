"""Timing and memory measurement shared by the workloads.

Engines of one workload are run *interleaved* (A B C A B C ...) in one process, so a
burst of load on a shared machine hits all of them alike; we report medians and the
ratio of each median to the hand-written limit's, measured in the same run.
"""

from __future__ import annotations

import gc
import statistics
import time
import tracemalloc
from dataclasses import dataclass, field
from typing import Callable, Optional


@dataclass
class Engine:
    name: str
    run: Callable[[], object]  # one timed unit of work (a step, an epoch, ...)
    setup: Optional[Callable[[], object]] = None  # untimed, before every run
    limit: bool = False  # the hand-written reference the others are divided by
    skip: str = ""  # why it cannot run here (missing optional package, known failure)


@dataclass
class Row:
    workload: str
    engine: str
    median: Optional[float]  # seconds per unit
    unit: str
    ratio: Optional[float] = None
    peak_mb: Optional[float] = None
    note: str = ""
    samples: list = field(default_factory=list)

    @property
    def median_text(self) -> str:
        if self.median is None:
            return self.note or "—"
        value, scale = self.median, "s"
        for factor, name in ((1e-6, "µs"), (1e-3, "ms")):
            if value < factor * 1000:
                value, scale = value / factor, name
                break
        return f"{value:.3g} {scale} per {self.unit}"


def measure(workload: str, unit: str, engines: list, repeats: int, memory: bool = True) -> list:
    """Time every engine ``repeats`` times, interleaved; return one Row per engine."""
    samples = {e.name: [] for e in engines}
    live = [e for e in engines if not e.skip]
    for _ in range(repeats):
        for e in live:
            if e.setup:
                e.setup()
            gc.collect()  # start each run from the same heap state
            start = time.perf_counter()
            e.run()
            samples[e.name].append(time.perf_counter() - start)
    rows = []
    limit = next((e for e in live if e.limit), None)
    limit_median = statistics.median(samples[limit.name]) if limit else None
    for e in engines:
        if e.skip:
            rows.append(Row(workload, e.name, None, unit, note=e.skip))
            continue
        med = statistics.median(samples[e.name])
        row = Row(workload, e.name, med, unit, samples=samples[e.name],
                  ratio=med / limit_median if limit_median else None)
        if memory:
            row.peak_mb = peak_memory(e)
        rows.append(row)
    return rows


def peak_memory(engine: Engine) -> float:
    """Peak of memory allocated during one run, in MB (Python objects and NumPy arrays;
    libraries with their own allocator, such as PyTorch, are not seen)."""
    if engine.setup:
        engine.setup()
    gc.collect()
    tracemalloc.start()
    try:
        engine.run()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()

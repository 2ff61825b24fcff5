"""The benchmark runner works end to end in its quick mode (this is not a timing test:
speed is compared in the benchmark's own report, as ratios measured side by side)."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_quick_benchmark_run_writes_a_complete_report(tmp_path):
    out = tmp_path / "bench.json"
    result = subprocess.run([sys.executable, "-m", "benchmarks", "--quick", "--out", str(out)],
                            cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(out.read_text())
    assert report["quick"] is True and report["date"] and report["machine"]
    workloads = {r["workload"].split()[0] for r in report["rows"]}
    assert workloads == {"W1a", "W1b", "W2", "W3", "W4"}
    for row in report["rows"]:
        if row["median"] is None:
            assert row["note"], "a skipped engine must say why"
            continue
        assert row["median"] > 0 and row["ratio"] is not None
        if "hand" in row["engine"] or "plain Python" in row["engine"] or "vectorized" in row["engine"]:
            assert abs(row["ratio"] - 1.0) < 1e-12  # the limit is the unit
    minigrad_rows = [r for r in report["rows"] if r["engine"].startswith("minigrad") and r["median"]]
    assert len(minigrad_rows) >= 6
    assert not list(tmp_path.glob("*.tmp"))  # written atomically


def test_unknown_workload_is_refused():
    result = subprocess.run([sys.executable, "-m", "benchmarks", "--only", "W9"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode != 0 and "unknown workloads" in result.stderr

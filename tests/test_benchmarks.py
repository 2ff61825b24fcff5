"""The benchmark runner works end to end in its quick mode (this is not a timing test:
speed is judged in the benchmark's own report, as ratios measured side by side)."""

import doctest
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def run(*args, timeout=120):
    return subprocess.run([sys.executable, "-m", "benchmarks", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)


def test_quick_run_with_a_baseline_writes_a_complete_report(tmp_path):
    out = tmp_path / "bench.json"
    # the repository's own package as the baseline: the before/after pairing must work
    result = run("--quick", "--baseline", str(ROOT), "--out", str(out))
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(out.read_text())
    assert report["quick"] is True and report["date"] and report["machine"]["cores"]
    assert report["command"].startswith("python -m benchmarks --quick")
    assert "gc.freeze()" in report["settings"]["gc"]
    assert report["settings"]["threads"]["OPENBLAS_NUM_THREADS"] == "1"
    assert report["settings"]["recursion_limit"] == 1000
    ids = [c["id"] for c in report["comparisons"]]
    assert ids == ["W1-mlp", "W1-chain-1e4", "W1-chain-1e5", "W2-b10", "W3-b256", "W3-b8192"]
    for comp in report["comparisons"]:
        limits = [r for r in comp["rows"] if r.get("limit")]
        assert len(limits) == 1 and limits[0]["ratio"]["median"] == 1.0  # the limit is the unit
        for row in comp["rows"]:
            if "skip" in row:
                assert row["skip"], "a skipped engine must say why"
                continue
            assert len(row["time"]["per_process"]) == comp["processes"] == 1
            assert row["time"]["low"] <= row["time"]["median"] <= row["time"]["high"]
            assert row["time"]["median"] > 0
        engines = {r["engine"]: r for r in comp["rows"]}
        paired = [r for r in comp["rows"] if "vs_baseline" in r]
        assert paired and all(r["engine"].replace("minigrad", "minigrad [baseline]", 1) in engines
                              for r in paired)
    w1 = {r["engine"] for r in report["comparisons"][0]["rows"]}
    assert {"minigrad Value, gc on", "minigrad Value, gc off", "micrograd, gc on", "micrograd, gc off"} <= w1
    assert {t["comparison"] for t in report["targets"]} == {"W1-mlp", "W2-b10", "W3-b256", "W3-b8192"}
    assert "W1 MLP" in result.stdout and "target" in result.stdout
    assert not list(tmp_path.glob("*.tmp"))  # written atomically


@pytest.mark.parametrize("args, message", [
    (["--only", "W9"], "unknown workloads"),
    (["--baseline", "/nonexistent"], "no minigrad package"),
    (["--processes", "0"], "at least 1"),
])
def test_bad_arguments_are_refused_by_name(args, message, tmp_path):
    result = run(*args, "--out", str(tmp_path / "x.json"))
    assert result.returncode != 0 and message in result.stderr
    assert not (tmp_path / "x.json").exists()


def test_a_child_without_one_blas_thread_refuses_to_measure():
    env = {k: v for k, v in __import__("os").environ.items() if k != "OPENBLAS_NUM_THREADS"}
    result = subprocess.run([sys.executable, "-m", "benchmarks", "--child", "W2-b10", "--quick"], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0 and "one BLAS thread" in result.stderr


def test_docstring_examples():
    import benchmarks.__main__ as main
    import benchmarks.harness as harness
    import benchmarks.instructions as instructions
    import benchmarks.workloads as workloads

    for module in (harness, workloads, main, instructions):
        failed, tried = doctest.testmod(module)
        assert tried and not failed, module.__name__


def test_one_summary_is_the_median_of_per_process_medians():
    from benchmarks.harness import summarize

    s = summarize([[5.0, 1.0, 2.0], [3.0], [10.0, 20.0]])
    assert s["per_process"] == [2.0, 3.0, 15.0]
    assert (s["median"], s["low"], s["high"]) == (3.0, 2.0, 15.0)


def test_the_floor_engine_takes_the_same_steps_as_minigrad():
    # W1's "bare engine" row is a floor only if it does exactly minigrad's work
    from benchmarks.bare import BareValue
    from benchmarks.workloads import _moons, make_mlp, mlp_step

    import minigrad

    X, y = _moons(20)
    bare, full = make_mlp(BareValue), make_mlp(minigrad.Value)
    for _ in range(3):
        assert mlp_step(bare, X, y).data == mlp_step(full, X, y).data
    flat = [[p.data for layer in m for ws, b in layer for p in (*ws, b)] for m in (bare, full)]
    assert flat[0] == flat[1]



def test_the_waits_runner_refuses_an_unknown_wait_by_name(tmp_path):
    result = subprocess.run([sys.executable, "-m", "benchmarks.waits", "--only", "demo,lunch", "--out",
                             str(tmp_path / "w.json")], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "unknown waits ['demo', 'lunch']" in result.stderr
    assert not (tmp_path / "w.json").exists()


def test_the_waits_log_check_finds_what_looks_like_trouble():
    from benchmarks.waits import trouble_lines

    log = ("wrote out/loss.svg\n/x/tensor_ops.py:177: RuntimeWarning: divide by zero encountered in log\n"
           "Traceback (most recent call last):\nDone. Outputs in out/.\n")
    assert trouble_lines(log) == ["/x/tensor_ops.py:177: RuntimeWarning: divide by zero encountered in log",
                                  "Traceback (most recent call last):"]


def test_the_tensor_floor_takes_the_same_steps_as_minigrad():
    # W2's and W3's "bare tensor engine" rows are floors only if they do minigrad's work: the book's
    # scratch steps (d2l 3.2, 3.6: own model, loss and sgd) give the same parameters on both engines
    import numpy as np

    from benchmarks.bare_tensor import BareTensor, no_grad as bare_no_grad
    from benchmarks.workloads import book_sgd

    import minigrad

    rng = np.random.default_rng(0)
    X = rng.normal(size=(30, 6)).astype(np.float32)
    y, labels = rng.normal(size=(30, 1)).astype(np.float32), rng.integers(0, 3, 30)
    engines = [(BareTensor, lambda a: BareTensor(a.copy(), requires_grad=True), bare_no_grad),
               (minigrad.as_tensor, lambda a: minigrad.tensor(a.copy(), requires_grad=True), minigrad.no_grad)]
    results = []
    for wrap, param, no_grad in engines:
        sgd = book_sgd(no_grad)
        w, b = param(np.full((6, 1), 0.1, np.float32)), param(np.zeros(1, np.float32))
        W, c = param(np.full((6, 3), 0.05, np.float32)), param(np.zeros(3, np.float32))
        for s in range(0, 30, 10):
            Xb = wrap(X[s:s + 10])
            ((Xb @ w + b - wrap(y[s:s + 10])) ** 2 / 2).sum().backward()  # linear regression, squared loss
            sgd([w, b], 0.03, 10)
            e = (Xb.reshape((-1, 6)) @ W + c).exp()  # softmax regression, the book's cross-entropy
            (-(e / e.sum(1, keepdim=True))[range(10), wrap(labels[s:s + 10])].log()).sum().backward()
            sgd([W, c], 0.1, 10)
        results.append([np.array(p.data if isinstance(p, BareTensor) else p.detach().numpy()) for p in (w, b, W, c)])
    for bare, full in zip(*results):
        np.testing.assert_allclose(bare, full, rtol=1e-5, atol=1e-6)
    assert not np.allclose(results[1][2], 0.05)  # the steps moved the weights


def test_the_instruction_counter_lists_and_runs_the_engines_it_counts(tmp_path):
    # The parts that run without valgrind: the engines of a comparison (both checkouts), and a
    # child running one of them (what valgrind wraps), which reports the units of one run.
    base = ROOT  # (this checkout as its own baseline: the plumbing is what is tested)
    listed = subprocess.run([sys.executable, "-m", "benchmarks.instructions", "--engines", "W2-sgd",
                             "--baseline", str(base)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert listed.returncode == 0, listed.stderr
    assert json.loads(listed.stdout) == ["minigrad, d2l.sgd", "minigrad [baseline], d2l.sgd"]
    ran = subprocess.run([sys.executable, "-m", "benchmarks.instructions", "--child", "W2-sgd",
                          "minigrad [baseline], d2l.sgd", "1", "--baseline", str(base)],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stderr
    assert json.loads(ran.stdout.strip().splitlines()[-1])["units"] > 0


def test_the_instruction_counter_without_valgrind_says_so(tmp_path):
    env = dict(__import__("os").environ, PATH=str(tmp_path))  # no valgrind on this PATH
    result = subprocess.run([sys.executable, "-m", "benchmarks.instructions", "--out", str(tmp_path / "i.json")],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0 and "valgrind is not installed" in result.stderr
    assert not (tmp_path / "i.json").exists()

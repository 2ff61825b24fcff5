"""The examples: quick modes end to end, the figures they must reach, and the scratch and
concise flavours (and the two engines) following the same trajectory step by step."""

import sys
from pathlib import Path

import numpy as np
import pytest

import minigrad
from minigrad import Value

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "examples"))
SHARED = ROOT.parent / "shared" / "data"

import linear_regression as linreg  # noqa: E402
import scalar_mlp  # noqa: E402
import softmax_regression as softreg  # noqa: E402


@pytest.mark.parametrize("module", [linreg, softreg, scalar_mlp])
def test_quick_mode_runs_and_writes_figures(module, tmp_path, capsys):
    module.main(["--quick", "--out", str(tmp_path)])
    out = capsys.readouterr().out
    assert "summary" in out or "closed form" in out
    figures = list(tmp_path.glob("*.svg"))
    assert figures and all(f.read_text().lstrip().startswith("<?xml") for f in figures)


@pytest.mark.parametrize("module", [linreg, softreg, scalar_mlp])
def test_help(module, capsys):
    with pytest.raises(SystemExit) as info:
        module.main(["--help"])
    assert info.value.code == 0 and "--seed" in capsys.readouterr().out


def test_linear_regression_reaches_its_figures():
    summary = linreg.main([])
    w_cf, b_cf = summary["closed_form"]
    for flavour in ("scratch", "concise"):
        res = summary[flavour]
        assert np.abs(res.w - linreg.TRUE_W).max() < 0.01 and abs(res.b - linreg.TRUE_B) < 0.01
        assert np.abs(res.w - w_cf).max() < 0.01 and abs(res.b - b_cf) < 0.01


def test_softmax_regression_on_digits_reaches_095():
    summary = softreg.main(["--flavour", "concise"])
    assert summary["concise"].history["test acc"][-1] >= 0.95


@pytest.mark.skipif(not (SHARED / "mnist").is_dir(), reason="../shared/data/mnist is not present")
def test_softmax_regression_on_real_mnist_8000_2000_reaches_090():
    summary = softreg.main(["--flavour", "concise", "--dataset", "mnist", "--data-dir", str(SHARED),
                            "--test-split"])
    assert summary["concise"].history["test acc"][-1] >= 0.90


def test_linear_regression_scratch_and_concise_take_identical_steps():
    X, y = minigrad.data.synthetic_data(linreg.TRUE_W, linreg.TRUE_B, 200, seed=1)
    X, y = X.numpy().astype(np.float64), y.numpy().astype(np.float64)
    w0 = np.array([[0.01], [-0.02]])
    # d2l's scratch loss is (y_hat - y)^2 / 2 summed, and sgd divides by the batch size:
    # step = lr * mean((y_hat - y) x). MSELoss is the mean of (y_hat - y)^2, without the 1/2:
    # its gradient is twice as large, so the concise flavour needs half the learning rate.
    a = linreg.train_scratch(X, y, lr=0.03, epochs=2, seed=5, w0=w0, track=True)
    b = linreg.train_concise(X, y, lr=0.015, epochs=2, seed=5, w0=w0, track=True)
    assert len(a.trajectory) == len(b.trajectory) == 40
    for (wa, ba), (wb, bb) in zip(a.trajectory, b.trajectory):
        np.testing.assert_allclose(wa, wb, rtol=1e-12, atol=1e-14)
        assert ba == pytest.approx(bb, rel=1e-12, abs=1e-14)


def test_softmax_regression_scratch_and_concise_take_identical_steps():
    rng = np.random.default_rng(0)
    X = rng.random((60, 4, 4))
    y = rng.integers(0, 3, 60)
    data = ((X, y), (X[:10], y[:10]))
    W0 = rng.normal(0, 0.01, (16, 3))
    # scratch: summed loss, sgd divides by the batch size; concise: CrossEntropyLoss takes the
    # mean. The same step, so the same learning rate.
    a = softreg.train_scratch(data, lr=0.3, batch_size=16, epochs=2, W0=W0, track=True, echo=None)
    b = softreg.train_concise(data, lr=0.3, batch_size=16, epochs=2, W0=W0, track=True, echo=None)
    assert len(a.trajectory) == len(b.trajectory) == 8
    for (Wa, ba), (Wb, bb) in zip(a.trajectory, b.trajectory):
        np.testing.assert_allclose(Wa, Wb, rtol=1e-10, atol=1e-14)
        np.testing.assert_allclose(ba, bb, rtol=1e-10, atol=1e-14)


def test_scalar_and_tensor_engines_train_the_same_softmax_regression():
    rng = np.random.default_rng(1)
    X, y = rng.normal(size=(6, 3)), np.array([0, 1, 2, 1, 0, 2])
    W0, lr = rng.normal(0, 0.1, (3, 3)), 0.5

    # tensor engine
    W, b = minigrad.tensor(W0, requires_grad=True), minigrad.tensor(np.zeros(3), requires_grad=True, dtype=np.float64)
    for _ in range(5):
        minigrad.functional.cross_entropy(minigrad.Tensor(X) @ W + b, y).backward()
        with minigrad.no_grad():
            W -= lr * W.grad
            b -= lr * b.grad
        W.grad = b.grad = None

    # scalar engine: every weight a Value, softmax and log written out
    Ws = [[Value(W0[i, j]) for j in range(3)] for i in range(3)]
    bs = [Value(0.0) for _ in range(3)]
    for _ in range(5):
        total = Value(0.0)
        for xi, yi in zip(X, y):
            z = [sum((Ws[i][j] * xi[i] for i in range(3)), bs[j]) for j in range(3)]
            denom = sum((zj.exp() for zj in z), Value(0.0))
            total = total + (denom.log() - z[yi])
        loss = total / len(X)
        for p in [w for row in Ws for w in row] + bs:
            p.grad = 0.0
        loss.backward()
        for p in [w for row in Ws for w in row] + bs:
            p.data -= lr * p.grad

    np.testing.assert_allclose([[w.data for w in row] for row in Ws], W.detach().numpy(), rtol=1e-10)
    np.testing.assert_allclose([v.data for v in bs], b.detach().numpy(), rtol=1e-10, atol=1e-14)


def test_the_d2l_runner_says_which_data_labels_digits_as_digits_and_writes_figures(tmp_path, capsys, monkeypatch):
    sys.path.insert(0, str(ROOT / "examples" / "d2l"))
    import runner

    monkeypatch.chdir(tmp_path)
    runner.main(["3.5", "--data", "digits", "--out", str(tmp_path / "figs")])
    out = capsys.readouterr().out
    assert out.splitlines()[0] == runner.DATA_LINES["digits"] and "digits" in out.splitlines()[0]
    written = sorted((tmp_path / "figs").glob("*.png"))
    assert written and all(p.read_bytes()[:4] == b"\x89PNG" for p in written)
    assert all(f"wrote {p}" in out for p in written)
    titles = [line for line in out.splitlines() if "titles" in line]
    assert titles and not any(name in line for line in titles for name in minigrad.datasets.FASHION_CLASSES)


def test_retitling_puts_the_class_number_for_each_fashion_name_and_leaves_other_text():
    from matplotlib import pyplot as plt

    sys.path.insert(0, str(ROOT / "examples" / "d2l"))
    import runner

    fig, axes = plt.subplots(1, 3)
    for ax, title in zip(axes, ["ankle boot\nT-shirt/top", "shirt", "epoch 3"]):
        ax.set_title(title)
    assert runner.retitle_with_numbers([fig]) == 2
    assert [ax.get_title() for ax in axes] == ["9\n0", "6", "epoch 3"]
    plt.close(fig)


def test_a_missing_data_set_is_one_clear_message_not_a_traceback(tmp_path, monkeypatch):
    import subprocess

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("MINIGRAD_DATA", raising=False)
    result = subprocess.run([sys.executable, str(ROOT / "examples" / "softmax_regression.py"), "--dataset", "mnist",
                             "--data-dir", str(tmp_path / "none")], capture_output=True, text=True, timeout=300,
                            env={**__import__("os").environ, "PYTHONPATH": str(ROOT),
                                 "http_proxy": "http://127.0.0.1:9", "https_proxy": "http://127.0.0.1:9"})
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "train-images-idx3-ubyte.gz" in result.stderr and str(tmp_path / "none") in result.stderr
    assert len(result.stderr.splitlines()) <= 8 and not (tmp_path / "cache").exists()

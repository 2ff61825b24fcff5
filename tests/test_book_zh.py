"""d2l-zh's chapters 2 (preliminaries) and 4 (multilayer perceptrons) on minigrad: our own
scripts in the book's style (examples/d2l/ch*.py) run with only the import block switched,
their numbers checked against closed forms. 2.2 (pandas) and 4.10 (Kaggle data, a
download) are not run; 4.7 and 4.9 have no code."""

import importlib.util
import math
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "examples" / "d2l"))
import runner  # noqa: E402

pytest.importorskip("matplotlib")

ZH = [s for s in runner.SCRIPTS if s[0] in "24"]  # the runner's list: the docs show the same one


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    """A working directory whose ../data holds a learnable stand-in for Fashion-MNIST."""
    base = tmp_path_factory.mktemp("zh")
    runner.synthetic_as_fashion(base / "data", n_train=3000, n_test=300)
    return base / "work"


pytestmark = pytest.mark.usefixtures("offline_data")  # (tests/conftest.py)


def np_(t):
    return t.detach().numpy()


@pytest.mark.parametrize("section", ZH)
def test_only_the_import_block_names_minigrad(section):
    text = runner.script_path(section).read_text()
    body = text.split('"""', 2)[2]
    assert body.lstrip("\n").startswith(runner.IMPORTS)
    assert "minigrad" not in body.replace(runner.IMPORTS, "", 1)


@pytest.mark.skipif(not all(importlib.util.find_spec(m) for m in ("torch", "torchvision", "d2l")),
                    reason="the PyTorch side needs torch, torchvision and d2l")
@pytest.mark.parametrize("section", ["2.1", "2.3", "2.5", "2.6", "4.1", "4.8"])
def test_the_same_scripts_run_on_pytorch(section, work):
    runner.run(section, work, source=runner.torch_version(section))


def test_2_1_ndarray(work):
    g = runner.run("2.1", work)
    out = g["_stdout"]
    assert "minigrad.Size([12]) 12" in out and "tensor([[ 0,  1,  2,  3]," in out
    assert g["rows"].shape == (6, 4) and g["cols"].shape == (3, 8)
    assert (g["new_object"], g["same_z"], g["same_x"]) == (True, True, True)
    expected = np.arange(12.0).reshape(3, 4)
    expected[1, 2] = 9
    expected[0:2, :] = 12
    y = np.array([[2.0, 1, 4, 3], [1, 2, 3, 4], [4, 3, 2, 1]]) + expected
    np.testing.assert_array_equal(np_(g["X"]), expected + y)          # X += Y, with Y = Y + X
    assert "tensor([3.5000]) 3.5 3.5 3" in out and "ndarray Tensor" in out


def test_2_3_linear_algebra(work):
    g = runner.run("2.3", work)
    A = np.arange(12.0).reshape(4, 3)
    np.testing.assert_array_equal(np_(g["A"].cumsum(axis=0)), np.cumsum(A, axis=0))
    assert float(g["torch"].dot(g["x"], g["w"])) == 10.0               # 0 + 1 + 2 + 3 + 4
    P = np.arange(15.0).reshape(3, 5)
    assert np_(g["torch"].mv(g["P"], g["x"])).tolist() == (P @ np.arange(5.0)).tolist()
    assert np_(g["torch"].mm(g["P"], g["Q"])).tolist() == (P @ np.ones((5, 2))).tolist()
    out = g["_stdout"]
    assert "tensor(10.) tensor(14.)" in out and "tensor(4.)" in out       # L2, L1, Frobenius
    assert "tensor([[True, True, True]," in out                          # S == S.T
    np.testing.assert_allclose(np_(g["A"] / g["row_totals"]).sum(axis=1), 1, rtol=1e-6)


def test_2_4_calculus(work):
    g = runner.run("2.4", work)
    # (f(1 + h) - f(1)) / h = 1 + 2h for f(x) = 2x^2 - 3x: the limit is f'(1) = 1
    hs = [0.1 ** (i + 1) for i in range(5)]
    np.testing.assert_allclose(g["quotients"], [1 + 2 * h for h in hs], rtol=1e-6)
    (fig,) = g["_figures"]
    assert len(fig.axes[0].lines) == 2


def test_2_5_autograd(work):
    g = runner.run("2.5", work)
    x = np.arange(4.0)
    out = g["_stdout"]
    assert out.startswith("None\ntensor([ 0.,  6., 12., 18.]) tensor([True, True, True, True])")
    assert g["grad_of_sum"].tolist() == [1.0] * 4
    assert "tensor([0., 2., 4., 6.])" in out                  # backward(ones) of x * x
    assert out.count("tensor([True, True, True, True])") == 3   # 3x.x, detach, and y still attached
    assert np_(g["x"].grad).tolist() == (2 * x).tolist()
    a, d = float(g["a"]), np_(g["d"])
    k = float(d) / a                                           # d = k a with k = 3^n or 50 * 3^n
    n = round(math.log(abs(k) / (1 if a > 0 else 50), 3))
    assert abs(k) == pytest.approx(3 ** n * (1 if a > 0 else 50)) and abs(3 ** n * a) >= 500
    assert float(g["a"].grad) == pytest.approx(k) and out.rstrip().endswith("tensor(True)")


def test_2_6_probability(work):
    g = runner.run("2.6", work)
    counts, est = np_(g["counts"]), np_(g["estimates"])
    assert counts.shape == (400, 2) and (counts.sum(axis=1) == 10).all()
    np.testing.assert_allclose(est[-1], counts.sum(axis=0) / 4000, rtol=1e-6)
    assert np.all(np.abs(est[-1] - [0.3, 0.7]) < 5 * math.sqrt(0.21 / 4000))   # 5 standard deviations
    (fig,) = g["_figures"]
    assert len(fig.axes[0].lines) == 4                         # two estimates, two true values


def test_2_7_lookup_api(work):
    g = runner.run("2.7", work)
    assert "Multinomial" in g["names"] and "Zeros of the given shape" in g["_stdout"]


def test_4_1_activations_and_their_gradients(work):
    g = runner.run("4.1", work)
    x = np_(g["x"])
    relu_y, relu_g = (np_(t) for t in g["curves"]["relu"])
    sig_y, sig_g = (np_(t) for t in g["curves"]["sigmoid"])
    tanh_y, tanh_g = (np_(t) for t in g["curves"]["tanh"])
    np.testing.assert_array_equal(relu_g, (x > 0).astype(np.float32))
    np.testing.assert_allclose(sig_g, sig_y * (1 - sig_y), rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(tanh_g, 1 - tanh_y ** 2, rtol=1e-5, atol=1e-6)
    assert len(g["_figures"]) == 1 and len(g["_figures"][0].axes[0].lines) == 2


@pytest.mark.slow
@pytest.mark.parametrize("section", ["4.2", "4.3"])
def test_4_2_and_4_3_mlp_learns(section, work):
    g = runner.run(section, work)      # d2l.train_ch3 itself asserts loss < 0.5 and accuracies > 0.7
    curves = g["d2l"].train_ch3.animator.Y
    assert len(curves[0]) == 10 and curves[0][-1] < curves[0][0]


@pytest.mark.slow
def test_4_4_under_and_overfitting(work):
    g = runner.run("4.4", work)
    w = np_(g["cubic"][0].weight)[0]
    np.testing.assert_allclose(w, [5, 1.2, -3.4, 5.6], atol=0.3)   # the true cubic, nearly (400 epochs)
    cubic_test = g["cubic_curves"].Y[1][-1]
    line_test = g["line_curves"].Y[1][-1]
    assert cubic_test < 0.05 < 1 < line_test                        # noise 0.1^2; a line underfits


def test_4_5_weight_decay(work):
    g = runner.run("4.5", work)
    free, decayed = float(g["w_free"].norm()), float(g["w_decayed"].norm())
    assert decayed < free / 3                                        # the penalty shrinks w
    assert g["free_curves"].Y[0][-1] < g["free_curves"].Y[1][-1]     # without it: train << test
    assert float(g["net_decayed"][0].weight.norm()) < float(g["net_free"][0].weight.norm()) / 3
    assert float(g["net_decayed"][0].bias.norm()) > 0 and "L2 norm of w:" in g["_stdout"]


@pytest.mark.slow
def test_4_6_dropout(work):
    g = runner.run("4.6", work)
    X = np.arange(16.0).reshape(2, 8)
    torch = g["torch"]
    half = np_(g["dropout_layer"](torch.tensor(X, dtype=torch.float32), 0.5))
    assert set(np.unique(half / np.where(X == 0, 1, X))) <= {0.0, 2.0}   # dropped or doubled
    assert (np_(g["dropout_layer"](torch.tensor(X), 1.0)) == 0).all()
    g["concise"].eval()
    Xb = torch.randn(4, 784)
    assert (g["concise"](Xb) == g["concise"](Xb)).all()             # eval: no dropout, deterministic


def test_4_8_numerical_stability(work):
    g = runner.run("4.8", work)
    x, grad = np_(g["x"]), np_(g["x"].grad)
    s = 1 / (1 + np.exp(-x))
    np.testing.assert_allclose(grad, s * (1 - s), rtol=1e-5, atol=1e-7)
    assert grad.max() <= 0.25 and grad[[0, -1]].max() < 1e-3         # vanishing at both ends
    assert np.abs(np_(g["M"])).max() > 1e10                          # 100 products explode

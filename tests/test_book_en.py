"""d2l.ai 1.0 (the English edition), chapters 3 and 4, on minigrad: our own scripts in the
book's style (examples/d2l/en*.py) run with only the import block switched, on the
framework of minigrad.d2l (Module, Trainer, DataModule, ProgressBoard, ...); numbers
checked against closed forms. 3.6, 4.1, 4.6 and 4.7 have no code. Plus unit tests of
the framework itself."""

import sys
import types
from pathlib import Path

import numpy as np
import pytest

import minigrad
from minigrad import d2l, nn

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "examples" / "d2l"))
import runner  # noqa: E402

pytest.importorskip("matplotlib")

EN = [s for s in runner.SCRIPTS if s.startswith("en")]  # the runner's list: the docs show the same one


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    base = tmp_path_factory.mktemp("en")
    runner.synthetic_as_fashion(base / "data", n_train=1200, n_test=300)
    return base / "work"


pytestmark = pytest.mark.usefixtures("offline_data")  # (tests/conftest.py)


def np_(t):
    return t.detach().numpy()


@pytest.mark.parametrize("section", EN)
def test_only_the_import_block_names_minigrad(section):
    body = runner.script_path(section).read_text().split('"""', 2)[2]
    assert body.lstrip("\n").startswith(runner.IMPORTS)
    assert "minigrad" not in body.replace(runner.IMPORTS, "", 1)


def test_3_1_vectorization_and_normal(work):
    g = runner.run("en3.1", work)
    assert g["_stdout"].count(" sec") == 2 and (np_(g["d"]) == 2).all() and (np_(g["c"]) == 2).all()
    lines = g["_figures"][0].axes[0].lines
    assert len(lines) == 3
    for line, (mu, sigma) in zip(lines, g["params"]):   # each curve integrates to 1, peaks at mu
        x, y = line.get_xdata(), line.get_ydata()
        assert np.sum(y) * 0.01 == pytest.approx(1, abs=2e-3) and x[np.argmax(y)] == pytest.approx(mu, abs=0.01)


def test_3_2_oo_design(work):
    g = runner.run("en3.2", work)
    out = g["_stdout"]
    assert "the counter starts at 10" in out and "self.width = 8 self.depth = 3" in out
    assert "There is no self.seed = True" in out
    board = g["board"]
    xs = np.arange(0, 10, 0.1)
    sin = [p.y for p in board.data["sin"]]
    cos = [p.y for p in board.data["cos"]]
    np.testing.assert_allclose(sin, np.sin(xs).reshape(-1, 2).mean(axis=1))   # the mean of each 2
    np.testing.assert_allclose(cos, np.cos(xs).reshape(-1, 10).mean(axis=1))
    ax = board.fig.axes[0]
    assert len(ax.lines) == 2 and ax.get_xlabel() == "x"


def test_3_3_synthetic_regression_data(work):
    g = runner.run("en3.3", work)
    assert g["X"].shape == (32, 2) and g["y"].shape == (32, 1)
    assert "X shape: minigrad.Size([32, 2])" in g["_stdout"] and g["_stdout"].rstrip().endswith("32")
    data = g["data"]
    resid = np_(data.y)[:, 0] - (np_(data.X) @ np.array([2, -3.4]) + 4.2)
    assert abs(resid.std() - 0.01) < 0.002


def _val_losses(model):
    return [p.y for p in model.board.data["val_loss"]]


@pytest.mark.parametrize("section", ["en3.4", "en3.5"])
def test_3_4_and_3_5_linear_regression(section, work):
    g = runner.run(section, work)
    model, data = g["model"], g["data"]
    w, b = (model.w, model.b) if section == "en3.4" else model.get_w_b()
    err_w = np.abs(np_(data.w) - np_(w).reshape(-1))
    assert err_w.max() < 0.5 and abs(data.b - float(b)) < 0.5
    losses = _val_losses(model)
    assert len(losses) == 3 and losses[-1] < losses[0] < 20       # one validation point per epoch
    assert "error in estimating w: tensor([" in g["_stdout"]
    if section == "en3.5":
        assert type(model.net) is nn.Linear and model.net.weight.shape == (1, 2)


def test_3_7_weight_decay(work):
    g = runner.run("en3.7", work)
    norms = g["norms"]
    assert norms[3] < norms[0] / 3                                  # the penalty shrinks w
    # the concise model starts from Linear's init, uniform in +-1/sqrt(200): E[||w||^2 / 2] = 1/6
    assert float((g["model"].net.weight ** 2).sum() / 2) < 1 / 6 / 3
    assert g["_stdout"].count("L2 norm of w:") == 3


def test_4_2_image_classification_dataset(work):
    g = runner.run("en4.2", work)
    assert (len(g["data"].train), len(g["data"].val)) == (1200, 300)
    X, y = g["batch"]
    assert X.shape == (64, 1, 32, 32) and X.dtype == minigrad.float32 and y.dtype == minigrad.int64
    (fig,) = g["_figures"]
    assert [ax.get_title() for ax in fig.axes][:8] == g["data"].text_labels(y[:8])


def test_4_3_classification(work):
    g = runner.run("en4.3", work)
    assert "tensor(0.5000)" in g["_stdout"] and "tensor([1., 0., 1., 0.])" in g["_stdout"]


@pytest.mark.slow
@pytest.mark.parametrize("section", ["en4.4", "en4.5"])
def test_4_4_and_4_5_softmax_regression(section, work):
    g = runner.run(section, work)
    model = g["model"]
    acc = [p.y for p in model.board.data["val_acc"]]
    assert len(acc) == 10 and acc[-1] > 0.9, acc
    if section == "en4.4":
        np.testing.assert_allclose(np_(g["X_prob"]).sum(axis=1), 1, rtol=1e-6)
        y_hat = minigrad.tensor([[0.1, 0.3, 0.6], [0.3, 0.2, 0.5]])   # (the script's y is reused later)
        loss = g["cross_entropy"](y_hat, minigrad.tensor([0, 2]))
        assert float(loss) == pytest.approx(-(np.log(0.1) + np.log(0.5)) / 2)
        assert len(g["_figures"]) == 2


# -------------------------------------------------------------------- the framework itself


def test_save_hyperparameters_keeps_the_arguments_only():
    class M(d2l.HyperParameters):
        def __init__(self, a, b=2, *rest, _private=0, **more):
            local = 5  # noqa: F841  (a local variable is not an argument)
            self.save_hyperparameters(ignore=["b"])

    m = M(1, 3, 4, x=7)
    assert m.hparams == {"a": 1, "rest": (4,), "more": {"x": 7}} and not hasattr(m, "b")


def test_add_to_class_reaches_existing_instances():
    class A:
        pass
    a = A()
    d2l.add_to_class(A)(lambda self: 42)  # a lambda's name is "<lambda>"
    assert getattr(a, "<lambda>")() == 42


def test_trainer_calls_the_steps_in_order_and_plots_per_epoch():
    calls = []

    class Data(d2l.DataModule):
        def __init__(self):
            super().__init__()
            self.batch_size = 2

        def get_dataloader(self, train):
            return [(minigrad.ones(2, 1), minigrad.ones(2, 1))] * (4 if train else 2)

    class Model(d2l.Module):
        def __init__(self):
            super().__init__()
            self.lr = 0.1
            self.net = nn.Linear(1, 1)

        def loss(self, y_hat, y):
            calls.append(("loss", self.training, minigrad.is_grad_enabled()))
            return ((y_hat - y) ** 2).mean()

    model = Model()
    model.board.display = False
    d2l.Trainer(max_epochs=2).fit(model, Data())
    assert calls[:4] == [("loss", True, True)] * 4 and calls[4:6] == [("loss", False, False)] * 2
    assert len(calls) == 12
    # 2 points per epoch, each the mean of 2 batches at x = batch index / 4: (0 + 0.25) / 2, ...
    assert [p.x for p in model.board.data["train_loss"]] == [0.125, 0.625, 1.125, 1.625]
    assert [p.x for p in model.board.data["val_loss"]] == [1, 2]


def test_progress_board_live_in_jupyter_and_to_a_file(monkeypatch, tmp_path):
    calls = []
    fake = types.SimpleNamespace(display=lambda fig: calls.append("display"),
                                 clear_output=lambda wait=False: calls.append(("clear", wait)))
    monkeypatch.setattr(d2l, "_ipython_display", lambda: fake)
    monkeypatch.setattr(d2l, "_in_notebook", lambda: True)
    monkeypatch.setattr(d2l, "use_svg_display", lambda: None)
    target = tmp_path / "board.png"
    board = d2l.ProgressBoard(xlabel="epoch", save_to=str(target))
    board.draw(0, 1.0, "loss")
    board.draw(1, minigrad.tensor(0.5), "loss")
    assert calls == ["display", ("clear", True)] * 2 and target.stat().st_size > 0
    from matplotlib import pyplot as plt
    plt.close("all")


def test_devices_and_gpus_say_cpu_only():
    assert d2l.num_gpus() == 0 and d2l.try_gpu() == d2l.cpu() == minigrad.device("cpu")
    assert d2l.try_all_gpus() == [d2l.cpu()] and d2l.Trainer(1, num_gpus=2).gpus == []
    with pytest.raises(RuntimeError, match="CPU only"):
        d2l.gpu(0)


def test_classifier_accuracy_and_loss():
    Y_hat = minigrad.tensor([[2.0, 0.0], [0.0, 1.0], [3.0, 1.0]])
    Y = minigrad.tensor([0, 0, 0])
    c = d2l.Classifier()
    assert float(c.accuracy(Y_hat, Y)) == pytest.approx(2 / 3)
    expected = np.log(1 + np.exp([-2.0, 1.0, -2.0]))            # -log softmax of the right class
    np.testing.assert_allclose(np_(c.loss(Y_hat, Y, averaged=False)), expected, rtol=1e-6)


def test_fashion_mnist_module_reads_dotdot_data(tmp_path, monkeypatch):
    runner.synthetic_as_fashion(tmp_path / "data", n_train=20, n_test=10)
    (tmp_path / "work").mkdir()
    monkeypatch.chdir(tmp_path / "work")
    data = d2l.FashionMNIST(batch_size=8, resize=(14, 14))
    X, y = next(iter(data.val_dataloader()))
    assert X.shape == (8, 1, 14, 14) and len(data.train_dataloader()) == 3
    assert data.text_labels([0, 9]) == ["t-shirt", "ankle boot"]

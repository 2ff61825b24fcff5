"""The workloads W1-W4. Each function returns Rows measured by ``harness.measure``.

Every engine of a workload runs the same algorithm on the same data; the hand-written
version (plain Python floats for scalar work, plain NumPy for tensors) is the limit.
"""

from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path

import numpy as np

import minigrad
from minigrad import Value, nn, optim
from minigrad.data import DataLoader

from .harness import Engine, Row, measure

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "examples"))
import scalar_mlp  # noqa: E402  (the example's MLP is the workload)

HAS_TORCH = importlib.util.find_spec("torch") is not None
HAS_MICROGRAD = importlib.util.find_spec("micrograd") is not None
NO_TORCH = "" if HAS_TORCH else "skipped: torch not installed (pip install torch)"
NO_MICROGRAD = "" if HAS_MICROGRAD else "skipped: micrograd not installed (pip install micrograd)"


# ------------------------------------------------------------------ W1 scalar

def _hand_mlp(seed=0):
    """2-16-16-1 ReLU MLP as nested lists of floats, initialised as the example's."""
    rng = random.Random(seed)
    layers = []
    for n_in, n_out in ((2, 16), (16, 16), (16, 1)):
        W = [[rng.uniform(-1, 1) for _ in range(n_in)] for _ in range(n_out)]
        layers.append((W, [0.0] * n_out))
    return layers


def _hand_step(layers, X, y, alpha=1e-4, lr=0.5):
    """One step with gradients derived by hand: the plain-Python limit for W1."""
    grads = [([[0.0] * len(W[0]) for _ in W], [0.0] * len(b)) for W, b in layers]
    n = len(X)
    loss = 0.0
    for x, t in zip(X, y):
        acts = [list(x)]
        for k, (W, b) in enumerate(layers):
            z = [b[j] + sum(w * a for w, a in zip(W[j], acts[-1])) for j in range(len(W))]
            acts.append([v if v > 0 else 0.0 for v in z] if k < 2 else z)
        s = acts[-1][0]
        margin = 1.0 - t * s
        if margin <= 0:
            continue
        loss += margin / n
        delta = [-t / n]
        for k in (2, 1, 0):
            W, _ = layers[k]
            gW, gb = grads[k]
            a_in = acts[k]
            for j, d in enumerate(delta):
                gb[j] += d
                row = gW[j]
                for i, a in enumerate(a_in):
                    row[i] += d * a
            if k:
                delta = [sum(delta[j] * W[j][i] for j in range(len(W))) * (1.0 if a_in[i] > 0 else 0.0)
                         for i in range(len(a_in))]
    for (W, b), (gW, gb) in zip(layers, grads):
        for j in range(len(W)):
            for i in range(len(W[j])):
                loss += alpha * W[j][i] ** 2
                W[j][i] -= lr * (gW[j][i] + 2 * alpha * W[j][i])
            loss += alpha * b[j] ** 2
            b[j] -= lr * (gb[j] + 2 * alpha * b[j])
    return loss


def w1_mlp(quick: bool) -> list:
    X, y = scalar_mlp.make_moons(40 if quick else 100, seed=0)
    Xl, yl = X.tolist(), y.tolist()

    model = scalar_mlp.MLP([2, 16, 16, 1], seed=0)

    def minigrad_step():
        loss, _ = scalar_mlp.loss_and_accuracy(model, X, y)
        for p in model.parameters():
            p.grad = 0.0
        loss.backward()
        for p in model.parameters():
            p.data -= 0.5 * p.grad

    hand = _hand_mlp()
    engines = [Engine("plain Python, hand-derived gradients", lambda: _hand_step(hand, Xl, yl), limit=True),
               Engine("minigrad Value", minigrad_step)]
    if HAS_MICROGRAD:
        from micrograd.engine import Value as MGValue
        from micrograd.nn import MLP as MGMLP

        random.seed(0)
        mg = MGMLP(2, [16, 16, 1])

        def micrograd_step():
            scores = [mg([MGValue(a), MGValue(b)]) for a, b in Xl]
            losses = [(1 + -t * s).relu() for t, s in zip(yl, scores)]
            loss = sum(losses) * (1.0 / len(losses)) + 1e-4 * sum(p * p for p in mg.parameters())
            mg.zero_grad()
            loss.backward()
            for p in mg.parameters():
                p.data -= 0.5 * p.grad

        engines.append(Engine("micrograd", micrograd_step))
    else:
        engines.append(Engine("micrograd", lambda: None, skip=NO_MICROGRAD))
    if HAS_TORCH:
        import torch

        torch.manual_seed(0)
        tparams = [[[torch.tensor(random.uniform(-1, 1), requires_grad=True) for _ in range(n_in)] for _ in range(n_out)]
                   for n_in, n_out in ((2, 16), (16, 16), (16, 1))]
        tbias = [[torch.tensor(0.0, requires_grad=True) for _ in range(n)] for n in (16, 16, 1)]
        flat = [w for layer in tparams for row in layer for w in row] + [b for layer in tbias for b in layer]

        def torch_step():
            total = 0
            for (a, b), t in zip(Xl, yl):
                h = [torch.tensor(a), torch.tensor(b)]
                for k in range(3):
                    h = [sum((w * v for w, v in zip(row, h)), tbias[k][j]) for j, row in enumerate(tparams[k])]
                    if k < 2:
                        h = [v.relu() for v in h]
                total = total + (1 - t * h[0]).relu()
            loss = total / len(Xl) + 1e-4 * sum(p * p for p in flat)
            for p in flat:
                p.grad = None
            loss.backward()
            with torch.no_grad():
                for p in flat:
                    p -= 0.5 * p.grad

        engines.append(Engine("torch, 0-d tensors", torch_step))
    else:
        engines.append(Engine("torch, 0-d tensors", lambda: None, skip=NO_TORCH))
    return measure("W1a MLP 2-16-16-1 step (two moons)", "step", engines, repeats=3 if quick else 5)


def w1_chains(quick: bool) -> list:
    rows = []
    for n in ((10**3, 10**4) if quick else (10**4, 10**5, 10**6)):
        def chain():
            x = Value(0.5)
            y = x
            for _ in range(n):
                y = y * 1.0000001
            y.backward()
            return x.grad

        def hand():
            values, x = [], 0.5
            for _ in range(n):  # forward, keeping what backward needs
                values.append(1.0000001)
                x = x * 1.0000001
            g = 1.0
            for c in reversed(values):
                g = g * c
            return g

        engines = [Engine("plain Python forward + backward", hand, limit=True), Engine("minigrad Value", chain)]
        if HAS_MICROGRAD:
            from micrograd.engine import Value as MGValue

            def mg_chain():
                x = MGValue(0.5)
                y = x
                for _ in range(n):
                    y = y * 1.0000001
                y.backward()

            try:
                mg_chain() if n <= 10**4 else None
                ok = n <= 10**4
            except RecursionError:
                ok = False
            engines.append(Engine("micrograd", mg_chain, skip="" if ok else "RecursionError (recursive topological sort)"))
        rows += measure(f"W1b chain of {n:,} ops, forward + backward", "op", engines, repeats=3)
    for row in rows:  # per op, and memory per node
        if row.median is not None:
            n = int(row.workload.split("chain of ")[1].split(" ")[0].replace(",", ""))
            row.median /= n
            row.samples = [s / n for s in row.samples]
            row.note = f"{row.peak_mb * 2**20 / n:.0f} bytes per node" if row.peak_mb else ""
    return rows


# ------------------------------------------------------------------ W2 linear regression

def _linreg_data(n=1000):
    X, y = minigrad.data.synthetic_data([2, -3.4], 4.2, n, seed=0)
    return X.numpy(), y.numpy()


def w2_linear_regression(quick: bool) -> list:
    X, y = _linreg_data()
    batch, lr = 10, 0.03
    epochs_steps = len(X) // batch
    rng = np.random.default_rng(0)
    state = {}

    def reset():
        state["order"] = np.random.default_rng(0).permutation(len(X))
        state["w"] = rng.normal(0, 0.01, (2, 1)).astype(np.float32)
        state["b"] = np.zeros(1, np.float32)

    def numpy_epoch():
        w, b, order = state["w"], state["b"], state["order"]
        for s in range(0, len(X), batch):
            idx = order[s:s + batch]
            Xb, yb = X[idx], y[idx]
            err = Xb @ w + b - yb  # gradient of sum((Xw + b - y)^2 / 2) / batch
            w -= lr * (Xb.T @ err) / batch
            b -= lr * err.sum(0) / batch

    def scratch_epoch():
        w = minigrad.tensor(state["w"], requires_grad=True)
        b = minigrad.tensor(state["b"], requires_grad=True)
        for Xb, yb in DataLoader((X, y), batch_size=batch, shuffle=True, seed=0):
            loss = ((Xb @ w + b - yb) ** 2 / 2).sum()
            loss.backward()
            with minigrad.no_grad():
                w -= lr * w.grad / batch
                b -= lr * b.grad / batch
            w.grad = b.grad = None

    def value_epoch():  # W4: the same model on the scalar engine, one Value per number
        w = [Value(float(v)) for v in state["w"][:, 0]]
        b = Value(0.0)
        order = state["order"]
        for s in range(0, len(X), batch):
            idx = order[s:s + batch]
            loss = sum(((w[0] * float(X[i, 0]) + w[1] * float(X[i, 1]) + b - float(y[i, 0])) ** 2 / 2 for i in idx),
                       Value(0.0))
            for p in (*w, b):
                p.grad = 0.0
            loss.backward()
            for p in (*w, b):
                p.data -= lr * p.grad / batch

    engines = [Engine("NumPy, hand-written", numpy_epoch, setup=reset, limit=True),
               Engine("minigrad Tensor, scratch", scratch_epoch, setup=reset),
               _minigrad_engine("minigrad Tensor, concise", X, y, batch, lr, state, reset, "MSELoss")]
    engines.append(_torch_engine(X, y, batch, lr, state, reset, "MSELoss"))
    engines.append(Engine("minigrad Value (scalar engine, W4)", value_epoch, setup=reset))
    rows = measure("W2 linear regression, batch 10", "epoch", engines, repeats=3 if quick else 7)
    return rows + _per_step(rows, epochs_steps, "W2 linear regression, batch 10")


def _minigrad_engine(name, X, y, batch, lr, state, reset, loss_name) -> Engine:
    """minigrad's concise loop (nn.Linear, a loss, SGD), the twin of :func:`_torch_engine`."""
    out_features = 1 if loss_name == "MSELoss" else int(y.max()) + 1

    def setup():
        reset()
        net = nn.Linear(X.shape[1], out_features)
        if "W" in state:  # start from the hand-written version's weights
            net.weight.data[...] = state["W"]
        state["net"], state["opt"] = net, optim.SGD(net.parameters(), lr=lr)

    def epoch():
        net, opt, loss_fn = state["net"], state["opt"], getattr(nn, loss_name)()
        for Xb, yb in DataLoader((X, y), batch_size=batch, shuffle=True, seed=0):
            loss = loss_fn(net(Xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()

    return Engine(name, epoch, setup=setup)


def _torch_engine(X, y, batch, lr, state, reset, loss_name) -> Engine:
    """PyTorch's concise loop (nn.Linear, a loss, SGD) over the same minibatch order."""
    if not HAS_TORCH:
        return Engine("torch CPU", lambda: None, skip=NO_TORCH)
    import torch

    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)
    out_features = 1 if loss_name == "MSELoss" else int(y.max()) + 1

    def setup():
        reset()
        net = torch.nn.Linear(X.shape[1], out_features)
        state["tnet"], state["topt"] = net, torch.optim.SGD(net.parameters(), lr=lr)

    def epoch():
        net, opt, loss_fn = state["tnet"], state["topt"], getattr(torch.nn, loss_name)()
        order = torch.from_numpy(state["order"])
        for s in range(0, len(X), batch):
            idx = order[s:s + batch]
            loss = loss_fn(net(Xt[idx]), yt[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()

    return Engine("torch CPU", epoch, setup=setup)


def _per_step(epoch_rows, steps, workload) -> list:
    out = []
    for r in epoch_rows:
        out.append(Row(workload, r.engine, None if r.median is None else r.median / steps, "step",
                       ratio=r.ratio, note=r.note))
    return out


# ------------------------------------------------------------------ W3 softmax regression

def _w3_data(quick: bool):
    shared = ROOT.parent / "shared" / "data"
    if (shared / "mnist").is_dir():
        from minigrad.datasets import load_mnist

        X, y = load_mnist(shared, split="test", download=False)
        X, y = np.tile(X.reshape(len(X), -1), (6, 1)), np.tile(y, 6)
        source = "the MNIST test set tiled 6x"
    else:
        rng = np.random.default_rng(0)
        X, y = rng.random((60000, 784), dtype=np.float32), rng.integers(0, 10, 60000)
        source = "random data of MNIST's shape"
    if quick:
        X, y = X[:6000], y[:6000]
    return np.ascontiguousarray(X, dtype=np.float32), y.astype(np.int64), source


def w3_softmax_regression(quick: bool) -> list:
    X, y, source = _w3_data(quick)
    rows = []
    for batch in (256, 8192):
        lr, steps = 0.1, -(-len(X) // batch)
        state = {}

        def reset():
            state["order"] = np.random.default_rng(0).permutation(len(X))
            state["W"] = np.random.default_rng(1).normal(0, 0.01, (10, 784)).astype(np.float32)
            state["b"] = np.zeros(10, np.float32)

        def numpy_epoch():
            W, b, order = state["W"], state["b"], state["order"]
            for s in range(0, len(X), batch):
                idx = order[s:s + batch]
                Xb, yb = X[idx], y[idx]
                z = Xb @ W.T + b
                z -= z.max(axis=1, keepdims=True)
                p = np.exp(z)
                p /= p.sum(axis=1, keepdims=True)
                p[np.arange(len(yb)), yb] -= 1  # softmax - onehot
                p /= len(yb)
                W -= lr * (p.T @ Xb)
                b -= lr * p.sum(axis=0)

        engines = [Engine("NumPy, hand-written", numpy_epoch, setup=reset, limit=True),
                   _minigrad_engine("minigrad, concise", X, y, batch, lr, state, reset, "CrossEntropyLoss")]
        engines.append(_torch_engine(X, y, batch, lr, state, reset, "CrossEntropyLoss"))
        name = f"W3 softmax regression 784→10, batch {batch}"
        epoch_rows = measure(name, "epoch", engines, repeats=3 if quick else 7)
        rows += epoch_rows + _per_step(epoch_rows, steps, name)
    for r in rows:
        r.note = (r.note + "; " if r.note else "") + f"{len(X):,} rows of {source}"
    return rows


# ------------------------------------------------------------------ W4 vectorization

def w4_vectorization(quick: bool) -> list:
    n = 10_000
    a, b = np.ones(n), np.ones(n)

    def loop():
        c = np.zeros(n)
        for i in range(n):
            c[i] = a[i] + b[i]

    def vectorized():
        for _ in range(100):
            a + b

    rows = measure("W4 add two 10,000-vectors", "call", [
        Engine("NumPy vectorized (100 calls)", vectorized, limit=True),
        Engine("Python loop over elements", loop)], repeats=3 if quick else 7, memory=False)
    rows[0].median /= 100
    rows[0].samples = [s / 100 for s in rows[0].samples]
    rows[1].ratio = rows[1].median / rows[0].median
    return rows


WORKLOADS = {"W1": [w1_mlp, w1_chains], "W2": [w2_linear_regression], "W3": [w3_softmax_regression],
             "W4": [w4_vectorization]}

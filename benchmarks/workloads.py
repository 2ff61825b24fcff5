"""The comparisons W1-W3: each builds the engines that one child process runs interleaved.

Every engine of a comparison runs the same algorithm on the same data; the hand-written
version (plain Python floats for scalar work, plain NumPy for tensors) is the *limit*
that the others are divided by. minigrad engines are built once per checkout being
measured (this one and, with ``--baseline``, another), from the same code, so a
before/after ratio compares exactly the same work. micrograd and PyTorch are optional
peers: absent, their rows say so.

The tensor workloads hand minigrad the batch as a tensor made from the gathered NumPy rows
(``as_tensor``, no copy; ``Tensor(array)`` in checkouts without it): the step measured is forward,
loss, backward and update, the same work the hand-written NumPy step does.

Examples
--------
>>> sorted(COMPARISONS)[:2]
['W1-chain-1e4', 'W1-chain-1e5']
"""

from __future__ import annotations

import gzip
import importlib.util
import random
from pathlib import Path

import numpy as np

from .harness import Engine

ROOT = Path(__file__).resolve().parents[1]
NO_TORCH = "skipped: torch not installed (pip install torch)"
NO_MICROGRAD = "skipped: micrograd not installed (pip install micrograd)"


def has(package: str) -> bool:
    """Whether an optional package can be imported (without importing it).

    Examples
    --------
    >>> has("numpy"), has("surely_not_a_package_name")
    (True, False)
    """
    return importlib.util.find_spec(package) is not None


# ------------------------------------------------------------------ W1 scalar engine

def make_mlp(V, sizes=(2, 16, 16, 1), seed=0):
    """A ReLU MLP as lists of ``(weights, bias)`` neurons of any scalar class ``V``.

    The same code builds it for minigrad's ``Value``, micrograd's ``Value`` and plain
    floats, from one seed, so every engine starts from the same numbers.

    Examples
    --------
    >>> layers = make_mlp(float)
    >>> [len(layer) for layer in layers], len(layers[1][0][0])
    ([16, 16, 1], 16)
    """
    rng = random.Random(seed)
    return [[([V(rng.uniform(-1, 1)) for _ in range(n_in)], V(0.0)) for _ in range(n_out)]
            for n_in, n_out in zip(sizes, sizes[1:])]


def mlp_step(layers, X, y, alpha=1e-4, lr=0.5):
    """One SGD step of the hinge loss plus L2 on a scalar-autograd MLP (micrograd's demo).

    Works for any engine whose scalars have ``+ * relu() backward() .data .grad``.
    """
    params = [p for layer in layers for ws, b in layer for p in (*ws, b)]
    last = len(layers) - 1
    scores = []
    for x in X:
        h = x
        for k, layer in enumerate(layers):
            h = [sum((w * a for w, a in zip(ws, h)), b) for ws, b in layer]
            if k < last:
                h = [v.relu() for v in h]
        scores.append(h[0])
    hinge = [(1 + -t * s).relu() for t, s in zip(y, scores)]
    loss = sum(hinge) * (1.0 / len(hinge)) + alpha * sum(p * p for p in params)
    for p in params:
        p.grad = 0.0
    loss.backward()
    for p in params:
        p.data -= lr * p.grad
    return loss


def _hand_step(layers, X, y, alpha=1e-4, lr=0.5):
    """The same step with gradients derived by hand on floats: the limit for W1."""
    grads = [([[0.0] * len(ws) for ws, _ in layer], [0.0] * len(layer)) for layer in layers]
    n, last = len(X), len(layers) - 1
    loss = 0.0
    for x, t in zip(X, y):
        acts = [list(x)]
        for k, layer in enumerate(layers):
            z = [b + sum(w * a for w, a in zip(ws, acts[-1])) for ws, b in layer]
            acts.append([v if v > 0 else 0.0 for v in z] if k < last else z)
        margin = 1.0 - t * acts[-1][0]
        if margin <= 0:
            continue
        loss += margin / n
        delta = [-t / n]
        for k in range(last, -1, -1):
            gW, gb = grads[k]
            a_in = acts[k]
            for j, d in enumerate(delta):
                gb[j] += d
                row = gW[j]
                for i, a in enumerate(a_in):
                    row[i] += d * a
            if k:
                ws = [w for w, _ in layers[k]]
                delta = [sum(delta[j] * ws[j][i] for j in range(len(ws))) * (1.0 if a_in[i] > 0 else 0.0)
                         for i in range(len(a_in))]
    for k, layer in enumerate(layers):
        gW, gb = grads[k]
        for j, (ws, b) in enumerate(layer):
            for i in range(len(ws)):
                loss += alpha * ws[i] ** 2
                ws[i] -= lr * (gW[j][i] + 2 * alpha * ws[i])
            loss += alpha * b ** 2
            layer[j] = (ws, b - lr * (gb[j] + 2 * alpha * b))
    return loss


def _moons(n, noise=0.1, seed=0):
    rng = np.random.default_rng(seed)
    t = rng.uniform(0, np.pi, n)
    upper = rng.random(n) < 0.5
    X = np.c_[np.where(upper, np.cos(t), 1 - np.cos(t)), np.where(upper, np.sin(t), 0.5 - np.sin(t))]
    X = X + rng.normal(0, noise, (n, 2))
    return X.tolist(), np.where(upper, -1, 1).tolist()


def w1_mlp(impls, quick, peers):
    X, y = _moons(20 if quick else 100)
    hand = make_mlp(float)
    engines = [Engine("plain Python, hand-derived gradients", lambda: _hand_step(hand, X, y), limit=True)]
    for label, mg in impls:
        model = make_mlp(mg.Value)
        for gc_on in (True, False):
            engines.append(Engine(f"{label} Value, gc {'on' if gc_on else 'off'}",
                                  lambda model=model: mlp_step(model, X, y), gc=gc_on))
    # The floor: the fastest one-object-per-node engine we could write (see bare.py)
    from .bare import BareValue

    bare = make_mlp(BareValue)
    engines.append(Engine("bare engine (floor), gc on", lambda: mlp_step(bare, X, y)))
    if has("micrograd"):
        from micrograd.engine import Value as MGValue

        mgm = make_mlp(MGValue)
        for gc_on in (True, False):
            engines.append(Engine(f"micrograd, gc {'on' if gc_on else 'off'}", lambda: mlp_step(mgm, X, y),
                                  gc=gc_on))
    else:
        engines += [Engine(f"micrograd, gc {s}", lambda: None, skip=NO_MICROGRAD) for s in ("on", "off")]
    title = f"W1 MLP 2-16-16-1, one SGD step on {len(X)} points (two moons)"
    return title, "step", engines, 1 if quick else 7


def _chain(n):
    def w1_chain(impls, quick, peers):
        def hand():
            values, x = [], 0.5
            for _ in range(n):  # forward, keeping what backward needs
                values.append(1.0000001)
                x = x * 1.0000001
            g = 1.0
            for c in reversed(values):
                g = g * c
            return g

        engines = [Engine("plain Python forward + backward", hand, units=n, limit=True)]
        for label, mg in impls:
            def chain(V=mg.Value):
                x = V(0.5)
                y = x
                for _ in range(n):
                    y = y * 1.0000001
                y.backward()
                return x.grad
            engines.append(Engine(f"{label} Value", chain, units=n))
        skip = "" if has("micrograd") else NO_MICROGRAD
        if not skip and n > 500:
            skip = "fails: RecursionError (micrograd's topological sort is recursive)"
        engines.append(Engine("micrograd", lambda: None, skip=skip))
        return f"W1 chain of {n:,} multiplications, forward + backward", "op", engines, 1 if quick else 3
    return w1_chain


# ------------------------------------------------------------------ tensor workloads

def _as_tensor(mg):
    # The batch is already a fresh array (a gather), as a DataLoader's batch is: wrap it
    # without another copy (``as_tensor``; older checkouts' ``Tensor(array)`` does not copy).
    return getattr(mg, "as_tensor", None) or mg.Tensor


def _assign(mg, param, array) -> None:
    """Set a parameter's values in place, through whichever API the checkout has."""
    try:
        param.data[...] = array  # .data an ndarray (older checkouts) or a Tensor sharing memory
    except (TypeError, AttributeError):
        with mg.no_grad():
            param.copy_(mg.tensor(array))


def _sgd_concise(mg, X, y, batch, lr, state, w0, b0, loss_name):
    """minigrad's concise loop: nn.Linear, a loss module, optim.SGD (d2l's concise chapters)."""
    wrap = _as_tensor(mg)

    def setup():
        net = mg.nn.Linear(X.shape[1], w0.shape[0])
        _assign(mg, net.weight, w0)
        _assign(mg, net.bias, b0)
        state[mg] = (net, getattr(mg.nn, loss_name)(), mg.optim.SGD(net.parameters(), lr=lr))

    def epoch():
        net, loss_fn, opt = state[mg]
        order = state["order"]
        for s in range(0, len(order) - batch + 1, batch):
            idx = order[s:s + batch]
            loss = loss_fn(net(wrap(X[idx])), wrap(y[idx]))
            opt.zero_grad()
            loss.backward()
            opt.step()

    return setup, epoch


def _torch_concise(X, y, batch, lr, state, w0, b0, loss_name):
    import torch

    torch.set_num_threads(1)

    def setup():
        net = torch.nn.Linear(X.shape[1], w0.shape[0])
        with torch.no_grad():
            net.weight.copy_(torch.from_numpy(w0))
            net.bias.copy_(torch.from_numpy(b0))
        state["torch"] = (net, getattr(torch.nn, loss_name)(), torch.optim.SGD(net.parameters(), lr=lr))

    def epoch():
        net, loss_fn, opt = state["torch"]
        order = state["order"]
        for s in range(0, len(order) - batch + 1, batch):
            idx = order[s:s + batch]
            loss = loss_fn(net(torch.from_numpy(X[idx])), torch.from_numpy(y[idx]))
            opt.zero_grad()
            loss.backward()
            opt.step()

    return setup, epoch


def _peer_torch(engines, peers, X, y, batch, lr, state, w0, b0, loss_name, steps, reset):
    if not peers:
        return
    if not has("torch"):
        engines.append(Engine("torch CPU, concise", lambda: None, skip=NO_TORCH))
        return
    setup, epoch = _torch_concise(X, y, batch, lr, state, w0, b0, loss_name)
    engines.append(Engine("torch CPU, concise", epoch, units=steps, setup=lambda: (reset(), setup())))


def book_sgd(no_grad):
    """The book's ``sgd`` (d2l 3.2), for any engine with ``no_grad``, ``-=`` and ``grad.zero_()``.

    The same lines as ``d2l.sgd`` (and ``minigrad.d2l.sgd``), so every engine runs the same
    code: PyTorch without the d2l package, and any minigrad checkout, baselines included.

    Examples
    --------
    >>> import minigrad
    >>> w = minigrad.tensor([1.0], requires_grad=True); (3 * w).sum().backward()
    >>> book_sgd(minigrad.no_grad)([w], 0.1, 1); round(w.item(), 4), w.grad.tolist()
    (0.7, [0.0])
    """
    def sgd(params, lr, batch_size):
        with no_grad():
            for param in params:
                param -= lr * param.grad / batch_size
                param.grad.zero_()
    return sgd


def _d2l_sgd(mg):
    # The book's lines on this engine's own no_grad: minigrad.d2l.sgd is the same code, but a
    # baseline checkout's d2l module would import the current minigrad, not itself.
    return book_sgd(mg.no_grad)


def w2_linear_regression(impls, quick, peers):
    rng = np.random.default_rng(0)
    n = 200 if quick else 1000
    X = rng.normal(0, 1, (n, 2)).astype(np.float32)
    y = (X @ np.array([[2.0], [-3.4]], np.float32) + 4.2 + rng.normal(0, 0.01, (n, 1))).astype(np.float32)
    batch, lr, steps = 10, 0.03, n // 10
    w0 = np.random.default_rng(1).normal(0, 0.01, (1, 2)).astype(np.float32)
    b0 = np.zeros(1, np.float32)
    state = {}

    def reset():
        state["order"] = np.random.default_rng(0).permutation(n)
        state["w"], state["b"] = w0.T.copy(), b0.copy()

    def numpy_epoch():
        w, b, order = state["w"], state["b"], state["order"]
        for s in range(0, n, batch):
            idx = order[s:s + batch]
            Xb, yb = X[idx], y[idx]
            err = Xb @ w + b - yb  # gradient of sum((Xw + b - y)^2 / 2) / batch
            w -= lr * (Xb.T @ err) / batch
            b -= lr * err.sum(0) / batch

    def scratch(key, wrap, tensor, no_grad):
        """d2l 3.2's loop, its sgd inside the step: the same code on every engine."""
        def setup():
            reset()
            state[key] = (tensor(w0.T.copy(), requires_grad=True), tensor(b0.copy(), requires_grad=True))

        def epoch(sgd=book_sgd(no_grad)):
            w, b = state[key]
            order = state["order"]
            for s in range(0, n, batch):
                idx = order[s:s + batch]
                loss = ((wrap(X[idx]) @ w + b - wrap(y[idx])) ** 2 / 2).sum()
                loss.backward()
                sgd([w, b], lr, batch)
        return setup, epoch

    from .bare_tensor import BareTensor, no_grad as bare_no_grad

    engines = [Engine("NumPy, hand-written", numpy_epoch, units=steps, setup=reset, limit=True)]
    setup, epoch = scratch("bare", BareTensor, BareTensor, bare_no_grad)
    engines.append(Engine("bare tensor engine (floor), scratch", epoch, units=steps, setup=setup))
    for label, mg in impls:
        setup, epoch = scratch(label, _as_tensor(mg), mg.tensor, mg.no_grad)
        engines.append(Engine(f"{label} Tensor, scratch", epoch, units=steps, setup=setup))
        setup, epoch = _sgd_concise(mg, X, y, batch, lr, state, w0, b0, "MSELoss")
        engines.append(Engine(f"{label}, concise", epoch, units=steps,
                              setup=lambda setup=setup: (reset(), setup())))
    _peer_torch(engines, peers, X, y, batch, lr, state, w0, b0, "MSELoss", steps, reset)
    if peers and has("torch"):
        import torch

        setup, epoch = scratch("torch scratch", torch.from_numpy, torch.tensor, torch.no_grad)
        engines.append(Engine("torch CPU, scratch", epoch, units=steps, setup=setup))
    elif peers:
        engines.append(Engine("torch CPU, scratch", lambda: None, skip=NO_TORCH))
    return (f"W2 linear regression 2→1, batch {batch}, one SGD step (scratch: the book's sgd in the step)",
            "step", engines, 3 if quick else 25)


def w2_sgd_update(impls, quick, peers):
    """The book's ``sgd`` alone (d2l 3.2) on W2's two parameters: eight tensor ops outside any
    graph (``lr * grad``, ``/ batch_size``, ``-=``, ``grad.zero_()``, twice), against the same
    updates on NumPy arrays. What an op costs when nothing is recorded."""
    lr, batch = 0.03, 10
    rng = np.random.default_rng(0)
    w0, b0 = rng.normal(0, 0.01, (2, 1)).astype(np.float32), np.zeros(1, np.float32)
    gw, gb = rng.normal(0, 1, (2, 1)).astype(np.float32), rng.normal(0, 1, 1).astype(np.float32)
    state, steps = {}, 100

    def numpy_setup():
        state["np"] = [(w0.copy(), gw.copy()), (b0.copy(), gb.copy())]

    def numpy_steps():
        for _ in range(steps):
            for param, grad in state["np"]:
                param -= lr * grad / batch
                grad.fill(0)

    engines = [Engine("NumPy, the same updates", numpy_steps, units=steps, setup=numpy_setup, limit=True)]
    for label, mg in impls:
        def setup(mg=mg, label=label):
            params = [mg.tensor(w0.copy(), requires_grad=True), mg.tensor(b0.copy(), requires_grad=True)]
            for p, g in zip(params, (gw, gb)):
                p.grad = mg.tensor(g.copy())
            state[label] = params

        def run(label=label, sgd=_d2l_sgd(mg)):
            params = state[label]
            for _ in range(steps):
                sgd(params, lr, batch)

        engines.append(Engine(f"{label}, d2l.sgd", run, units=steps, setup=setup))
    if peers and has("torch"):
        import torch

        def torch_setup():
            params = [torch.tensor(w0.copy(), requires_grad=True), torch.tensor(b0.copy(), requires_grad=True)]
            for p, g in zip(params, (gw, gb)):
                p.grad = torch.tensor(g.copy())
            state["torch"] = params

        def torch_run(sgd=book_sgd(torch.no_grad)):
            params = state["torch"]
            for _ in range(steps):
                sgd(params, lr, batch)

        engines.append(Engine("torch CPU, the book's sgd", torch_run, units=steps, setup=torch_setup))
    elif peers:
        engines.append(Engine("torch CPU, the book's sgd", lambda: None, skip=NO_TORCH))
    return "W2 update alone: the book's sgd on a (2, 1) weight and a (1,) bias", "update", engines, 3 if quick else 25


def mnist_rows(quick: bool):
    """Rows for W3: the MNIST test set from ``../shared/data`` tiled to 60,000 rows, or random
    data of that shape. Read directly from the IDX files so every checkout sees the same data.
    """
    folder = ROOT.parent / "shared" / "data" / "mnist"
    rows = 8192 if quick else 60000
    try:
        with gzip.open(folder / "t10k-images-idx3-ubyte.gz") as f:
            images = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 784)
        with gzip.open(folder / "t10k-labels-idx1-ubyte.gz") as f:
            labels = np.frombuffer(f.read(), np.uint8, offset=8)
        reps = -(-rows // len(images))
        X = np.tile(images.astype(np.float32) / 255, (reps, 1))[:rows]
        y = np.tile(labels.astype(np.int64), reps)[:rows]
        source = f"{rows:,} rows: the MNIST test set, tiled"
    except FileNotFoundError:
        rng = np.random.default_rng(0)
        X, y = rng.random((rows, 784), dtype=np.float32), rng.integers(0, 10, rows)
        source = f"{rows:,} rows of random data of MNIST's shape (MNIST not found)"
    return np.ascontiguousarray(X), y, source


def _softmax_scratch(lib, wrap, tensor, sgd, X, y, batch, lr, state, w0, b0, key):
    """d2l 3.6's scratch loop: its own softmax and cross_entropy (exp, sum, indexing, log), the
    book's ``sgd`` as updater on the summed loss. The same code runs on minigrad and PyTorch."""
    key = f"{key} scratch"

    def softmax(X):
        X_exp = X.exp()
        return X_exp / X_exp.sum(1, keepdim=True)

    def cross_entropy(y_hat, y):
        return -(y_hat[range(len(y_hat)), y]).log()

    def setup():
        state[key] = (tensor(w0.T.copy(), requires_grad=True), tensor(b0.copy(), requires_grad=True))

    def epoch():
        W, b = state[key]
        order = state["order"]
        for s in range(0, len(order) - batch + 1, batch):
            idx = order[s:s + batch]
            Xb, yb = wrap(X[idx]), wrap(y[idx])
            y_hat = softmax(Xb.reshape((-1, W.shape[0])) @ W + b)
            cross_entropy(y_hat, yb).sum().backward()
            sgd([W, b], lr, batch)

    return setup, epoch


def _w3(batch):
    def w3_softmax_regression(impls, quick, peers):
        X, y, source = mnist_rows(quick)
        lr, steps = 0.1, len(X) // batch
        w0 = np.random.default_rng(1).normal(0, 0.01, (10, 784)).astype(np.float32)
        b0 = np.zeros(10, np.float32)
        state = {}

        def reset():
            state["order"] = np.random.default_rng(0).permutation(len(X))
            state["W"], state["b"] = w0.copy(), b0.copy()

        def numpy_epoch():
            W, b, order = state["W"], state["b"], state["order"]
            for s in range(0, len(order) - batch + 1, batch):
                idx = order[s:s + batch]
                Xb, yb = X[idx], y[idx]
                z = Xb @ W.T + b
                z -= z.max(axis=1, keepdims=True)
                p = np.exp(z)
                p /= p.sum(axis=1, keepdims=True)
                p[np.arange(len(yb)), yb] -= 1  # d(mean cross-entropy)/dz = (softmax - onehot) / n
                p /= len(yb)
                W -= lr * (p.T @ Xb)
                b -= lr * p.sum(axis=0)

        engines = [Engine("NumPy, hand-written", numpy_epoch, units=steps, setup=reset, limit=True)]
        from .bare_tensor import BareTensor, no_grad as bare_no_grad

        setup, epoch = _softmax_scratch(None, BareTensor, lambda a, requires_grad: BareTensor(a, requires_grad),
                                        book_sgd(bare_no_grad), X, y, batch, lr, state, w0, b0, "bare")
        engines.append(Engine("bare tensor engine (floor), scratch", epoch, units=steps,
                              setup=lambda setup=setup: (reset(), setup())))
        for label, mg in impls:
            setup, epoch = _sgd_concise(mg, X, y, batch, lr, state, w0, b0, "CrossEntropyLoss")
            engines.append(Engine(f"{label}, concise", epoch, units=steps,
                                  setup=lambda setup=setup: (reset(), setup())))
            setup, epoch = _softmax_scratch(mg, _as_tensor(mg), mg.tensor, _d2l_sgd(mg), X, y, batch, lr, state,
                                            w0, b0, label)
            engines.append(Engine(f"{label}, scratch", epoch, units=steps,
                                  setup=lambda setup=setup: (reset(), setup())))
        _peer_torch(engines, peers, X, y, batch, lr, state, w0, b0, "CrossEntropyLoss", steps, reset)
        if peers and has("torch"):
            import torch

            setup, epoch = _softmax_scratch(torch, torch.from_numpy, torch.tensor, book_sgd(torch.no_grad), X, y,
                                            batch, lr, state, w0, b0, "torch")
            engines.append(Engine("torch CPU, scratch", epoch, units=steps, setup=lambda: (reset(), setup())))
        elif peers:
            engines.append(Engine("torch CPU, scratch", lambda: None, skip=NO_TORCH))
        title = f"W3 softmax regression 784→10, batch {batch:,}, one SGD step ({source})"
        return title, "step", engines, 3 if quick else 15
    return w3_softmax_regression


#: comparison id -> builder(impls, quick, peers) -> (title, unit, engines, repeats)
COMPARISONS = {
    "W1-mlp": w1_mlp,
    "W1-chain-1e4": _chain(10**4),
    "W1-chain-1e5": _chain(10**5),
    "W1-chain-1e6": _chain(10**6),
    "W2-b10": w2_linear_regression,
    "W2-sgd": w2_sgd_update,
    "W3-b256": _w3(256),
    "W3-b8192": _w3(8192),
}
QUICK = ["W1-mlp", "W1-chain-1e4", "W1-chain-1e5", "W2-b10", "W3-b256", "W3-b8192"]

#: (comparison, numerator engine, denominator engine or "limit", operator, threshold, text)
TARGETS = [
    ("W1-mlp", "micrograd, gc on", "minigrad Value, gc on", ">=", 8.0,
     "W1 MLP step: minigrad at least 8× faster than micrograd, collector on"),
    ("W1-mlp", "micrograd, gc on", "bare engine (floor), gc on", ">=", 8.0,
     "W1 floor: could any one-object-per-node engine be 8× faster? (bare.py, collector on)"),
    ("W2-b10", "minigrad Tensor, scratch", "limit", "<=", 4.0,
     "W2 step, the book's scratch code (its sgd in the step) ≤ 4× hand-written NumPy"),
    ("W2-b10", "minigrad, concise", "limit", "<=", 4.0, "W2 step (concise) ≤ 4× hand-written NumPy"),
    ("W2-b10", "minigrad Tensor, scratch", "torch CPU, scratch", "<=", 1.0,
     "W2 book's scratch step: minigrad faster than PyTorch running the same code"),
    ("W2-b10", "minigrad, concise", "torch CPU, concise", "<=", 1.0,
     "W2 concise step: minigrad faster than PyTorch's concise step"),
    ("W3-b256", "minigrad, concise", "limit", "<=", 1.3, "W3 batch 256 step ≤ 1.3× hand-written NumPy"),
    ("W3-b256", "minigrad, concise", "torch CPU, concise", "<=", 1.0,
     "W3 batch 256 concise step: minigrad faster than PyTorch's concise step"),
    ("W3-b256", "minigrad, scratch", "limit", "<=", 1.3,
     "W3 batch 256, the book's scratch code (own softmax, cross_entropy, sgd) ≤ 1.3× hand-written NumPy"),
    ("W3-b256", "minigrad, scratch", "torch CPU, scratch", "<=", 1.0,
     "W3 batch 256 scratch step: minigrad faster than PyTorch running the same code"),
    ("W3-b8192", "minigrad, concise", "limit", "<=", 1.1, "W3 batch 8192 step ≤ 1.1× hand-written NumPy"),
    ("W2-b10", "bare tensor engine (floor), scratch", "limit", "<=", 4.0,
     "W2 floor: could any one-object-per-op tensor engine run the book's scratch step within 4×? (bare_tensor.py)"),
    ("W3-b256", "bare tensor engine (floor), scratch", "limit", "<=", 1.3,
     "W3 b256 floor: could any one-object-per-op tensor engine run the book's scratch step within 1.3×? "
     "(bare_tensor.py)"),
]

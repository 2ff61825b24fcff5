"""Linear regression, as in Dive into Deep Learning 3.2 (from scratch) and 3.3 (concise).

True model y = X w + b + noise with w = [2, -3.4], b = 4.2; 1000 examples, minibatches of
10, learning rate 0.03, 3 epochs. Prints the loss per epoch, the estimation errors, and
the closed-form least-squares solution beside SGD's.

    python examples/linear_regression.py                  # both flavours
    python examples/linear_regression.py --flavour concise --epochs 5
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from tqdm.auto import tqdm

import minigrad
from minigrad.cli import HelpFormatter  # --help shows real defaults, never "(default: None)"
from minigrad import nn, optim
from minigrad.data import DataLoader, synthetic_data
from minigrad.plot import TrainingCurves
from minigrad.random import manual_seed

TRUE_W, TRUE_B = np.array([2.0, -3.4]), 4.2


@dataclass
class Result:
    w: np.ndarray
    b: float
    losses: list = field(default_factory=list)  # mean squared loss on all data, per epoch
    trajectory: list = field(default_factory=list)  # (w, b) after every step, when tracked


# --8<-- [start:scratch]
def squared_loss(y_hat, y):
    """d2l's loss: half the squared error, per example (the 1/2 cancels the 2 of the derivative)."""
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


def sgd(params, lr, batch_size):
    """Minibatch SGD. The loss was *summed* over the batch, so divide by its size here."""
    with minigrad.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad = None


def train_scratch(X, y, lr=0.03, batch_size=10, epochs=3, seed=0, w0=None, b0=0.0, track=False):
    rng = np.random.default_rng(seed)
    w = minigrad.tensor(rng.normal(0, 0.01, (X.shape[1], 1)) if w0 is None else w0, requires_grad=True,
                        dtype=X.dtype)
    b = minigrad.tensor([b0], requires_grad=True, dtype=X.dtype)
    result = Result(w=None, b=None)
    manual_seed(seed)  # the loader draws a new order every epoch from minigrad's one generator
    loader = DataLoader((X, y), batch_size=batch_size, shuffle=True)
    for _ in tqdm(range(epochs), desc="scratch", leave=False, disable=None):
        for Xb, yb in loader:
            loss = squared_loss(Xb @ w + b, yb)  # (batch, 1) losses
            loss.sum().backward()                # gradient of the *sum*
            sgd([w, b], lr, len(Xb))             # ... divided by the batch size
            if track:
                result.trajectory.append((w.detach().numpy().ravel().copy(), float(b.detach().numpy()[0])))
        with minigrad.no_grad():
            result.losses.append(float(squared_loss(X @ w + b, y).mean()))
    result.w, result.b = w.detach().numpy().ravel().copy(), float(b.detach().numpy()[0])
    return result
# --8<-- [end:scratch]


# --8<-- [start:concise]
def train_concise(X, y, lr=0.03, batch_size=10, epochs=3, seed=0, w0=None, b0=0.0, track=False):
    rng = np.random.default_rng(seed)
    net = nn.Linear(X.shape[1], 1, dtype=X.dtype)
    net.weight.data[...] = rng.normal(0, 0.01, (1, X.shape[1])) if w0 is None else np.reshape(w0, (1, -1))
    net.bias.data[...] = b0
    loss_fn = nn.MSELoss()  # mean of squared errors, no 1/2
    trainer = optim.SGD(net.parameters(), lr=lr)
    result = Result(w=None, b=None)
    manual_seed(seed)  # after nn.Linear's own draws: both flavours see the same batches
    loader = DataLoader((X, y), batch_size=batch_size, shuffle=True)
    for _ in tqdm(range(epochs), desc="concise", leave=False, disable=None):
        for Xb, yb in loader:
            loss = loss_fn(net(Xb), yb)
            trainer.zero_grad()
            loss.backward()
            trainer.step()
            if track:
                result.trajectory.append((net.weight.detach().numpy().ravel().copy(),
                                          float(net.bias.detach().numpy()[0])))
        with minigrad.no_grad():
            result.losses.append(float(squared_loss(net(X), y).mean()))
    result.w, result.b = net.weight.detach().numpy().ravel().copy(), float(net.bias.detach().numpy()[0])
    return result
# --8<-- [end:concise]


def closed_form(X, y):
    """Least squares via the normal equations, solved stably with lstsq: [w; b] = (A^T A)^-1 A^T y."""
    A = np.c_[np.asarray(X, dtype=np.float64), np.ones(len(X))]
    sol = np.linalg.lstsq(A, np.asarray(y, dtype=np.float64).ravel(), rcond=None)[0]
    return sol[:-1], float(sol[-1])


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=HelpFormatter)
    p.add_argument("--flavour", choices=["scratch", "concise", "both"], default="both")
    p.add_argument("--num-examples", type=int, default=1000)
    p.add_argument("--batch-size", type=int, default=10)
    p.add_argument("--lr", type=float, default=0.03)
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", type=Path, default=None, help="folder for the loss-curve figure")
    p.add_argument("--quick", action="store_true", help="a smaller, faster run (used by the tests)")
    return p.parse_args(argv)


def main(argv=None) -> dict:
    args = parse_args(argv)
    if args.quick:
        args.num_examples, args.epochs = 200, 2
    X, y = synthetic_data(TRUE_W, TRUE_B, args.num_examples, seed=args.seed)
    X, y = X.numpy(), y.numpy()
    w_cf, b_cf = closed_form(X, y)
    flavours = ["scratch", "concise"] if args.flavour == "both" else [args.flavour]
    summary = {"closed_form": (w_cf, b_cf)}
    for name in flavours:
        train = train_scratch if name == "scratch" else train_concise
        res = train(X, y, lr=args.lr, batch_size=args.batch_size, epochs=args.epochs, seed=args.seed)
        curves = TrainingCurves(["loss"], echo=None)
        for epoch, loss in enumerate(res.losses, 1):
            curves.add(epoch, loss=loss)
        print(f"\n[{name}] loss per epoch (half squared error, all data)\n{curves.table()}")
        print(f"  w = {np.round(res.w, 4)}   error |w - w_true| = {np.abs(res.w - TRUE_W).max():.5f}")
        print(f"  b = {res.b:.4f}            error |b - b_true| = {abs(res.b - TRUE_B):.5f}")
        print(f"  distance to the closed form: w {np.abs(res.w - w_cf).max():.5f}, b {abs(res.b - b_cf):.5f}")
        if args.out:
            args.out.mkdir(parents=True, exist_ok=True)
            curves.save(args.out / f"linear_regression_{name}_loss.svg", title=f"linear regression ({name})")
        summary[name] = res
    print(f"\nclosed form (least squares): w = {np.round(w_cf, 4)}, b = {b_cf:.4f}")
    return summary


if __name__ == "__main__":
    main()

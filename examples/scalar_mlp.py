"""A small MLP built from scalar ``Value``s, learning the two-moons toy problem.

Every weight and every intermediate number is its own graph node, as in micrograd:
slow, but each step of backpropagation can be drawn. A 2-16-16-1 network with ReLU,
the max-margin (hinge) loss plus L2 regularisation, plain SGD with a decaying step.

    python examples/scalar_mlp.py --out out/     # also plots the decision boundary
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

import numpy as np
from tqdm.auto import tqdm

from minigrad import Value
from minigrad.cli import HelpFormatter  # --help shows real defaults, never "(default: None)"


def make_moons(n: int = 100, noise: float = 0.1, seed: int = 0):
    """Two interleaving half circles in the plane; labels -1 and +1."""
    rng = np.random.default_rng(seed)
    t = rng.uniform(0, np.pi, n)
    upper = rng.random(n) < 0.5
    x = np.where(upper, np.cos(t), 1 - np.cos(t))
    y = np.where(upper, np.sin(t), 0.5 - np.sin(t))
    X = np.c_[x, y] + rng.normal(0, noise, (n, 2))
    return X, np.where(upper, -1, 1)


# --8<-- [start:mlp]
class Neuron:
    def __init__(self, n_in: int, relu: bool, rng: random.Random):
        self.w = [Value(rng.uniform(-1, 1)) for _ in range(n_in)]
        self.b = Value(0.0)
        self.relu = relu

    def __call__(self, x):
        act = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)
        return act.relu() if self.relu else act

    def parameters(self):
        return self.w + [self.b]


class MLP:
    def __init__(self, sizes, seed: int = 0):
        rng = random.Random(seed)
        self.layers = [[Neuron(sizes[i], i < len(sizes) - 2, rng) for _ in range(sizes[i + 1])]
                       for i in range(len(sizes) - 1)]

    def __call__(self, x):
        for layer in self.layers:
            x = [neuron(x) for neuron in layer]
        return x[0] if len(x) == 1 else x

    def parameters(self):
        return [p for layer in self.layers for n in layer for p in n.parameters()]


def loss_and_accuracy(model, X, y, alpha=1e-4):
    scores = [model(list(map(float, xi))) for xi in X]
    hinge = [(1 + -yi * si).relu() for yi, si in zip(y, scores)]  # max-margin loss
    data_loss = sum(hinge) * (1.0 / len(hinge))
    reg_loss = alpha * sum(p * p for p in model.parameters())       # L2 regularisation
    acc = np.mean([(yi > 0) == (si.data > 0) for yi, si in zip(y, scores)])
    return data_loss + reg_loss, acc


def train(X, y, steps=100, seed=0, echo=print):
    model = MLP([2, 16, 16, 1], seed=seed)
    for k in tqdm(range(steps), desc="steps", leave=False, disable=None):
        loss, acc = loss_and_accuracy(model, X, y)
        for p in model.parameters():
            p.grad = 0.0
        loss.backward()
        lr = 1.0 - 0.9 * k / steps  # decaying step size
        for p in model.parameters():
            p.data -= lr * p.grad
        if echo and (k % 10 == 0 or k == steps - 1):
            echo(f"step {k:3d}  loss {loss.data:.4f}  accuracy {acc:.2f}")
    return model, loss.data, acc
# --8<-- [end:mlp]


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=HelpFormatter)
    p.add_argument("--steps", type=int, default=100)
    p.add_argument("--points", type=int, default=100)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", type=Path, default=None, help="folder for the decision-boundary figure")
    p.add_argument("--quick", action="store_true", help="a smaller, faster run (used by the tests)")
    args = p.parse_args(argv)
    if args.quick:
        args.steps, args.points = 15, 40
    X, y = make_moons(args.points, seed=args.seed)
    model, loss, acc = train(X, y, steps=args.steps, seed=args.seed, echo=tqdm.write)
    print(f"\nsummary: {len(model.parameters())} scalar parameters, final loss {loss:.4f}, "
          f"training accuracy {acc:.2f}")
    if args.out:
        from minigrad.plot import decision_boundary

        args.out.mkdir(parents=True, exist_ok=True)
        predict = lambda pts: [model(list(map(float, q))).data for q in pts]  # noqa: E731
        decision_boundary(predict, X, y, steps=40, title="scalar MLP on two moons").savefig(
            args.out / "scalar_mlp_boundary.svg")
        print(f"decision boundary saved in {args.out}/scalar_mlp_boundary.svg")
    return model, loss, acc


if __name__ == "__main__":
    main()

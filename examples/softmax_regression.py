"""Softmax regression, as in Dive into Deep Learning 3.6 (from scratch) and 3.7 (concise).

Datasets: ``digits`` (scikit-learn's bundled 8x8 digits, offline, the default), ``mnist``
and ``fashion-mnist`` (IDX files from --data-dir, $MINIGRAD_DATA, the cache, or a
download). Minibatches of 256, learning rate 0.1, 10 epochs by default (d2l's settings);
on the 40x smaller digits set, minibatches of 32 and learning rate 0.5. Prints per epoch
the train loss, train accuracy, test accuracy and Qmean; saves the curves, prediction
grid, misclassified images, confusion matrix and the weights as images.

    python examples/softmax_regression.py
    python examples/softmax_regression.py --dataset mnist --test-split   # downloads MNIST once
    python examples/softmax_regression.py --dataset mnist --data-dir DIR  # DIR holds the IDX files
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
from minigrad.data import DataLoader
from minigrad.metrics import accuracy, confusion_matrix, qmean
from minigrad.random import manual_seed


@dataclass
class Result:
    W: np.ndarray  # (num_inputs, num_classes), the scratch layout
    b: np.ndarray
    history: dict = field(default_factory=lambda: {"train loss": [], "train acc": [], "test acc": [], "Qmean": []})
    trajectory: list = field(default_factory=list)


def load(dataset: str, data_dir=None, test_split: bool = False, seed: int = 0):
    """Return ((X_train, y_train), (X_test, y_test), class names), images as (N, H, W)."""
    from minigrad import datasets

    if dataset == "digits":
        return (*datasets.load_digits(seed=seed), datasets.MNIST_CLASSES)
    loader = datasets.load_mnist if dataset == "mnist" else datasets.load_fashion_mnist
    names = datasets.MNIST_CLASSES if dataset == "mnist" else datasets.FASHION_CLASSES
    if test_split:  # only the 10,000 test images: first 8,000 to train, last 2,000 to test
        X, y = loader(data_dir, split="test")
        return (X[:8000], y[:8000]), (X[8000:], y[8000:]), names
    return loader(data_dir, split="train"), loader(data_dir, split="test"), names


# --8<-- [start:scratch]
def softmax(X):
    """d2l's softmax, written out: exponentiate, then normalise each row."""
    X_exp = (X - X.amax(dim=1, keepdim=True).detach()).exp()  # shifting by the max avoids overflow
    return X_exp / X_exp.sum(dim=1, keepdim=True)


def cross_entropy(y_hat, y):
    """Minus the log of the probability given to the true class, per example."""
    return -y_hat[np.arange(len(y_hat)), y.numpy()].log()


def train_scratch(data, lr=0.1, batch_size=256, epochs=10, seed=0, W0=None, b0=None, track=False, echo=print):
    (X, y), (X_test, y_test) = data
    num_inputs, num_classes = int(np.prod(X.shape[1:])), int(y.max()) + 1
    rng = np.random.default_rng(seed)
    W = minigrad.tensor(rng.normal(0, 0.01, (num_inputs, num_classes)) if W0 is None else W0,
                        requires_grad=True, dtype=X.dtype)
    b = minigrad.tensor(np.zeros(num_classes) if b0 is None else b0, requires_grad=True, dtype=X.dtype)
    net = lambda X: X.reshape(-1, num_inputs) @ W + b  # noqa: E731  (logits)
    result = Result(W=None, b=None)
    manual_seed(seed)  # a new order every epoch, drawn from minigrad's one generator
    loader = DataLoader((X, y), batch_size=batch_size, shuffle=True)
    for _ in tqdm(range(epochs), desc="scratch", leave=False, disable=None):
        for Xb, yb in loader:
            loss = cross_entropy(softmax(net(Xb)), yb)
            loss.sum().backward()
            with minigrad.no_grad():  # sgd: the loss was summed, so divide by the batch size
                for p in (W, b):
                    p -= lr * p.grad / len(Xb)
                    p.grad = None
            if track:
                result.trajectory.append((W.detach().numpy().copy(), b.detach().numpy().copy()))
        _record(result, net, X, y, X_test, y_test, echo)
    result.W, result.b = W.detach().numpy().copy(), b.detach().numpy().copy()
    return result
# --8<-- [end:scratch]


# --8<-- [start:concise]
def train_concise(data, lr=0.1, batch_size=256, epochs=10, seed=0, W0=None, b0=None, track=False, echo=print):
    (X, y), (X_test, y_test) = data
    num_inputs, num_classes = int(np.prod(X.shape[1:])), int(y.max()) + 1
    net = nn.Sequential(nn.Flatten(), nn.Linear(num_inputs, num_classes, dtype=X.dtype))
    rng = np.random.default_rng(seed)
    net[1].weight.data[...] = rng.normal(0, 0.01, (num_inputs, num_classes)).T if W0 is None else W0.T
    net[1].bias.data[...] = 0 if b0 is None else b0
    loss_fn = nn.CrossEntropyLoss()  # mean over the batch; fused softmax + log
    trainer = optim.SGD(net.parameters(), lr=lr)
    result = Result(W=None, b=None)
    manual_seed(seed)  # a new order every epoch, drawn from minigrad's one generator
    loader = DataLoader((X, y), batch_size=batch_size, shuffle=True)
    for _ in tqdm(range(epochs), desc="concise", leave=False, disable=None):
        for Xb, yb in loader:
            loss = loss_fn(net(Xb), yb)
            trainer.zero_grad()
            loss.backward()
            trainer.step()
            if track:
                result.trajectory.append((net[1].weight.detach().numpy().T.copy(), net[1].bias.detach().numpy().copy()))
        _record(result, net, X, y, X_test, y_test, echo)
    result.W, result.b = net[1].weight.detach().numpy().T.copy(), net[1].bias.detach().numpy().copy()
    return result
# --8<-- [end:concise]


def _record(result, net, X, y, X_test, y_test, echo):
    """Evaluate on all training and test data after an epoch (outside the graph)."""
    with minigrad.no_grad():
        train_logits, test_logits = net(minigrad.Tensor(X)).numpy(), net(minigrad.Tensor(X_test)).numpy()
    h = result.history
    h["train loss"].append(-np.log(qmean(train_logits, y)))  # mean cross-entropy = -log Qmean
    h["train acc"].append(accuracy(train_logits, y))
    h["test acc"].append(accuracy(test_logits, y_test))
    h["Qmean"].append(qmean(test_logits, y_test))
    if echo:
        epoch = len(h["Qmean"])
        echo(f"epoch {epoch:3d}  " + "  ".join(f"{k} {v[-1]:.4f}" for k, v in h.items()))


def predict(W, b, X):
    return (X.reshape(len(X), -1) @ W + b).argmax(axis=1)


def save_figures(out: Path, prefix: str, res: Result, data, names):
    from minigrad import plot

    (_, _), (X_test, y_test) = data
    out.mkdir(parents=True, exist_ok=True)
    curves = plot.TrainingCurves(list(res.history), echo=None)
    for epoch in range(len(res.history["Qmean"])):
        curves.add(epoch + 1, **{k: v[epoch] for k, v in res.history.items()})
    curves.save(out / f"{prefix}_curves.svg", title=prefix)
    pred = predict(res.W, res.b, X_test)
    plot.prediction_grid(X_test, y_test, pred, names).savefig(out / f"{prefix}_predictions.svg")
    plot.misclassified_grid(X_test, y_test, pred, names).savefig(out / f"{prefix}_misclassified.svg")
    M = confusion_matrix(y_test, pred, len(names))
    plot.confusion_matrix_figure(M, names).savefig(out / f"{prefix}_confusion.svg")
    plot.weight_images(res.W.T, X_test.shape[1:], names).savefig(out / f"{prefix}_weights.svg")


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=HelpFormatter)
    p.add_argument("--flavour", choices=["scratch", "concise", "both"], default="both")
    p.add_argument("--dataset", choices=["digits", "mnist", "fashion-mnist"], default="digits")
    p.add_argument("--data-dir", type=Path, default=None, help="folder with the IDX files")
    p.add_argument("--test-split", action="store_true",
                   help="train on the first 8,000 test images, test on the last 2,000 (when only the test set is at hand)")
    p.add_argument("--batch-size", type=int, default=None,
                   help="default: 256 (d2l's), but 32 for digits")
    p.add_argument("--lr", type=float, default=None, help="default: 0.1 (d2l's), but 0.5 for digits")
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", type=Path, default=None, help="folder for the figures")
    p.add_argument("--quick", action="store_true", help="a smaller, faster run (used by the tests)")
    return p.parse_args(argv)


def main(argv=None) -> dict:
    args = parse_args(argv)
    # d2l's settings suit 60,000 images (235 steps per epoch). The 1,438 training digits
    # would give 6 steps per epoch at batch 256: smaller batches and a larger step instead.
    small = args.dataset == "digits"
    args.batch_size = args.batch_size or (32 if small else 256)
    args.lr = args.lr or (0.5 if small else 0.1)
    try:
        data_train, data_test, names = load(args.dataset, args.data_dir, args.test_split, args.seed)
    except minigrad.datasets.DatasetError as err:  # a missing data file: which one and how to get it, no traceback
        raise SystemExit(f"softmax_regression.py: {err}") from None
    if args.quick:
        args.epochs = 2
        data_train = (data_train[0][:1000], data_train[1][:1000])
    data = (data_train, data_test)
    print(f"{args.dataset}: {len(data_train[1])} training and {len(data_test[1])} test images of "
          f"{data_train[0].shape[1:]} pixels, {len(names)} classes; batch size {args.batch_size}, "
          f"learning rate {args.lr}, {args.epochs} epochs")
    flavours = ["scratch", "concise"] if args.flavour == "both" else [args.flavour]
    summary = {}
    for name in flavours:
        print(f"\n[{name}]")
        train = train_scratch if name == "scratch" else train_concise
        res = train(data, lr=args.lr, batch_size=args.batch_size, epochs=args.epochs, seed=args.seed,
                    echo=tqdm.write)
        if args.out:
            save_figures(args.out, f"softmax_{args.dataset}_{name}", res, data, names)
        summary[name] = res
    print("\nsummary: " + ", ".join(f"{n}: test accuracy {r.history['test acc'][-1]:.4f}, "
                                    f"Qmean {r.history['Qmean'][-1]:.4f}" for n, r in summary.items()))
    if args.out:
        print(f"figures saved in {args.out}/")
    return summary


if __name__ == "__main__":
    main()

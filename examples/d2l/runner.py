"""Run the book-style scripts of this folder on a data directory of your choice.

The scripts read Fashion-MNIST from ``../data`` as the book does, so this runner makes
a working directory next to a ``data`` directory laid out as torchvision's
(``data/FashionMNIST/raw/*-ubyte.gz``) and runs a script there, headless. The data can
be the real Fashion-MNIST, or a stand-in with the same format:

- ``digits``: scikit-learn's bundled 8x8 digits, resized to 28x28 (offline; the docs);
- ``mnist``: a local MNIST test set (10,000 images: the first 8,000 for training, the
  last 2,000 for testing);
- ``synthetic``: random images whose class shows as a bright band (the tests).

Examples
--------
``python examples/d2l/runner.py softmax_regression_concise --data mnist
--mnist-dir ../shared/data/mnist`` prints the script's output and its final figures.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import runpy
import sys
import tempfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
SCRIPTS = {
    "3.2": "linear_regression_scratch", "3.3": "linear_regression_concise",
    "3.5": "image_classification_dataset", "3.6": "softmax_regression_scratch",
    "3.7": "softmax_regression_concise",
    # d2l-zh, chapters 2 and 4 (2.2 needs pandas, 4.10 downloads Kaggle's data: not here)
    "2.1": "ch2_1_ndarray", "2.3": "ch2_3_linear_algebra", "2.4": "ch2_4_calculus",
    "2.5": "ch2_5_autograd", "2.6": "ch2_6_probability", "2.7": "ch2_7_lookup_api",
    "4.1": "ch4_1_mlp", "4.2": "ch4_2_mlp_scratch", "4.3": "ch4_3_mlp_concise",
    "4.4": "ch4_4_underfit_overfit", "4.5": "ch4_5_weight_decay", "4.6": "ch4_6_dropout",
    "4.8": "ch4_8_numerical_stability",
    # d2l.ai 1.0 (English), chapters 3 and 4 (3.6, 4.1, 4.6 and 4.7 have no code)
    "en3.1": "en3_1_linear_regression", "en3.2": "en3_2_oo_design",
    "en3.3": "en3_3_synthetic_regression_data", "en3.4": "en3_4_linear_regression_scratch",
    "en3.5": "en3_5_linear_regression_concise", "en3.7": "en3_7_weight_decay",
    "en4.2": "en4_2_image_classification_dataset", "en4.3": "en4_3_classification",
    "en4.4": "en4_4_softmax_regression_scratch", "en4.5": "en4_5_softmax_regression_concise",
}
IMPORTS = """\
import minigrad as torch                      # import torch
from minigrad import nn                       # from torch import nn
from minigrad.utils import data               # from torch.utils import data
from minigrad import vision as torchvision    # import torchvision
from minigrad.vision import transforms        # from torchvision import transforms
from minigrad import d2l                      # from d2l import torch as d2l
"""
TORCH_IMPORTS = """\
import torch
from torch import nn
from torch.utils import data
import torchvision
from torchvision import transforms
from d2l import torch as d2l
"""


def script_path(name: str) -> Path:
    """The file of a script, by section number ("3.6") or name."""
    name = SCRIPTS.get(name, name)
    return HERE / f"{name.removesuffix('.py')}.py"


def torch_version(name: str) -> str:
    """The script's text with the import block switched to PyTorch's (the only change)."""
    text = script_path(name).read_text()
    if IMPORTS not in text:
        raise ValueError(f"{name}: the import block is not the expected one")
    return text.replace(IMPORTS, TORCH_IMPORTS)


def write_split(root, images, labels, train: bool) -> None:
    from minigrad.vision.datasets import write_idx_pair

    write_idx_pair(root, "FashionMNIST", train=train, images=images, labels=labels)


def digits_as_fashion(root) -> None:
    """scikit-learn's 8x8 digits (1,797), resized to 28x28 uint8, as Fashion-MNIST files."""
    from minigrad.datasets import load_digits
    from minigrad.vision.transforms import Resize

    (X, y), (X_test, y_test) = load_digits(test_fraction=0.2, seed=0)
    resize = Resize((28, 28))
    for images, labels, train in ((X, y, True), (X_test, y_test, False)):
        big = np.stack([resize(np.rint(img * 255).astype(np.uint8)) for img in images])
        write_split(root, big, labels, train)


def mnist_as_fashion(root, mnist_dir, n_train: int = 8000) -> None:
    """A local MNIST test set split in two (first ``n_train`` / the rest), as Fashion-MNIST."""
    from minigrad.datasets import load_mnist

    X, y = load_mnist(mnist_dir, split="test", download=False)
    X = np.rint(X * 255).astype(np.uint8)
    write_split(root, X[:n_train], y[:n_train], True)
    write_split(root, X[n_train:], y[n_train:], False)


def synthetic_as_fashion(root, n_train: int = 1200, n_test: int = 300) -> None:
    """Random images with a class-dependent bright band (learnable), as Fashion-MNIST."""
    from minigrad.vision.datasets import write_idx_pair

    write_idx_pair(root, "FashionMNIST", train=True, n=n_train, seed=1)
    write_idx_pair(root, "FashionMNIST", train=False, n=n_test, seed=2)


def run(name: str, work, source: str | None = None) -> dict:
    """Run a script in the directory ``work`` (its ``../data`` holds the data), headless.

    Returns the script's globals plus ``"_stdout"`` (what it printed) and
    ``"_figures"`` (the matplotlib figures it left open, which are then closed).
    """
    import matplotlib

    matplotlib.use("Agg")  # headless, whatever the environment says
    from matplotlib import pyplot as plt

    work = Path(work)
    work.mkdir(parents=True, exist_ok=True)
    path = script_path(name)
    out = io.StringIO()
    before = os.getcwd()
    plt.close("all")
    try:
        os.chdir(work)
        with contextlib.redirect_stdout(out):
            if source is None:
                result = runpy.run_path(str(path), run_name="__main__")
            else:
                result = {"__name__": "__main__", "__file__": str(path)}
                exec(compile(source, str(path), "exec"), result)  # noqa: S102 (our own file)
    finally:
        os.chdir(before)
    result["_stdout"] = out.getvalue()
    result["_figures"] = [plt.figure(n) for n in plt.get_fignums()]
    plt.close("all")
    return result


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("script", help="section (3.2, 3.3, 3.5, 3.6, 3.7) or script name")
    parser.add_argument("--data", choices=["digits", "mnist", "synthetic", "real"], default="digits",
                        help="what stands in for Fashion-MNIST ('real': use ../data as it is)")
    parser.add_argument("--mnist-dir", default="../shared/data/mnist")
    parser.add_argument("--torch", action="store_true", help="run the PyTorch version (import block switched)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / "work" if args.data != "real" else Path.cwd()
        data_root = work.parent / "data"
        if args.data == "digits":
            digits_as_fashion(data_root)
        elif args.data == "mnist":
            mnist_as_fashion(data_root, args.mnist_dir)
        elif args.data == "synthetic":
            synthetic_as_fashion(data_root)
        result = run(args.script, work, torch_version(args.script) if args.torch else None)
    sys.stdout.write(result["_stdout"])
    for fig in result["_figures"]:
        titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
        print(f"figure: {len(fig.axes)} axes" + (f", titles {titles}" if titles else ""))


if __name__ == "__main__":
    main()

"""Run the book-style scripts of this folder on a data directory of your choice.

The scripts read Fashion-MNIST from ``../data`` as the book does, so this runner makes
a working directory next to a ``data`` directory laid out as torchvision's
(``data/FashionMNIST/raw/*-ubyte.gz``) and runs a script there, headless. The data can
be the real Fashion-MNIST, or a stand-in with the same format:

- ``digits``: scikit-learn's bundled 8x8 digits, resized to 28x28 (offline; the docs);
- ``mnist``: a local MNIST test set (10,000 images: the first 8,000 for training, the
  last 2,000 for testing);
- ``synthetic``: random images whose class shows as a bright band (the tests).

The first line printed says which data the script ran on. On a stand-in the figures'
titles show the digits' own labels ("3"), not the Fashion-MNIST class names the script
asks for ("dress"), which would be wrong for a picture of a 3.

Examples
--------
``python examples/d2l/runner.py 3.6 --out figures`` trains on the digits and writes its
figures to ``figures/``; ``python examples/d2l/runner.py 3.7 --data mnist --mnist-dir
DIR`` runs on an MNIST test set found in ``DIR`` (else in ``$MINIGRAD_DATA``, the cache,
or downloaded).
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

    X, y = load_mnist(mnist_dir, split="test", download=mnist_dir is None)  # a folder given must hold it
    X = np.rint(X * 255).astype(np.uint8)
    write_split(root, X[:n_train], y[:n_train], True)
    write_split(root, X[n_train:], y[n_train:], False)


def synthetic_as_fashion(root, n_train: int = 1200, n_test: int = 300) -> None:
    """Random images with a class-dependent bright band (learnable), as Fashion-MNIST."""
    from minigrad.vision.datasets import write_idx_pair

    write_idx_pair(root, "FashionMNIST", train=True, n=n_train, seed=1)
    write_idx_pair(root, "FashionMNIST", train=False, n=n_test, seed=2)


DATA_LINES = {
    "digits": "data: scikit-learn's bundled 8x8 digits (1,797 images, resized to 28x28) stand in for "
              "Fashion-MNIST; figure titles show the digits",
    "mnist": "data: an MNIST test set (handwritten digits) stands in for Fashion-MNIST; figure titles show "
             "the digits",
    "synthetic": "data: random images with a class-dependent bright band stand in for Fashion-MNIST; figure "
                 "titles show the class numbers",
    "real": "data: Fashion-MNIST from ../data (torchvision's layout), or from minigrad's cache",
}


def _class_numbers() -> dict:
    """Every spelling of a Fashion-MNIST class name the scripts use, to its class number."""
    from minigrad.datasets import FASHION_CLASSES
    from minigrad.vision.datasets import FashionMNIST

    return {name.lower(): str(i) for names in (FASHION_CLASSES, FashionMNIST.classes)
            for i, name in enumerate(names)}


def retitle_with_numbers(figures) -> int:
    """Replace Fashion-MNIST class names in the figures' titles by the class numbers.

    For stand-in data (digits, MNIST) the number is the true label; a title part that is
    not a class name is left as it is. Returns how many titles changed.
    """
    numbers, changed = _class_numbers(), 0
    for fig in figures:
        for ax in fig.axes:
            title = ax.get_title()
            new = "\n".join(numbers.get(part.strip().lower(), part) for part in title.split("\n"))
            if new != title:
                ax.set_title(new)
                changed += 1
    return changed


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
    from minigrad.cli import HelpFormatter
    from minigrad.datasets import DatasetError

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=HelpFormatter)
    parser.add_argument("script", help="section (3.2, 3.3, 3.5, 3.6, 3.7) or script name")
    parser.add_argument("--data", choices=["digits", "mnist", "synthetic", "real"], default="digits",
                        help="what stands in for Fashion-MNIST ('real': use ../data as it is)")
    parser.add_argument("--mnist-dir", default=None,
                        help="folder of the MNIST test set for --data mnist (else $MINIGRAD_DATA, the cache, "
                             "or a download)")
    parser.add_argument("--torch", action="store_true", help="run the PyTorch version (import block switched)")
    parser.add_argument("--out", type=Path, default=None, help="folder to write the script's figures to (PNG)")
    args = parser.parse_args(argv)
    print(DATA_LINES[args.data], flush=True)
    try:
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
    except DatasetError as err:  # a missing or broken data file: say which and how to get it, no traceback
        raise SystemExit(f"runner: {err}") from None
    sys.stdout.write(result["_stdout"])
    if args.data != "real":
        retitle_with_numbers(result["_figures"])
    stem = SCRIPTS.get(args.script, Path(args.script).stem).replace(".", "_")
    for i, fig in enumerate(result["_figures"], 1):
        titles = [ax.get_title().replace("\n", " / ") for ax in fig.axes if ax.get_title()]
        line = f"figure {i}: {len(fig.axes)} axes" + (f", titles {titles}" if titles else "")
        if args.out is not None:
            args.out.mkdir(parents=True, exist_ok=True)
            path = args.out / f"{stem}_figure{i}.png"
            fig.savefig(path, dpi=100, bbox_inches="tight")
            line += f"; wrote {path}"
        print(line)
    if not result["_figures"]:
        print("no figures")


if __name__ == "__main__":
    main()

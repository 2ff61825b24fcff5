"""Minibatches from arrays, and d2l's synthetic linear-regression data.

Examples
--------
>>> import numpy as np
>>> from minigrad.data import DataLoader, TensorDataset
>>> loader = DataLoader(TensorDataset(np.arange(10.0), np.arange(10)), batch_size=4)
>>> [len(xb) for xb, yb in loader]      # the last batch is partial unless drop_last
[4, 4, 2]
"""

from __future__ import annotations

import math

import numpy as np

from .tensor import Tensor, _leaf, as_array

__all__ = ["TensorDataset", "DataLoader", "synthetic_data"]


class TensorDataset:
    """Arrays of equal length, indexed together: ``dataset[i]`` is ``(X[i], y[i])``.

    Examples
    --------
    >>> ds = TensorDataset(np.zeros((5, 2)), np.arange(5))
    >>> len(ds), int(ds[1][1])
    (5, 1)
    """

    def __init__(self, *arrays):
        if not arrays:
            raise ValueError("TensorDataset needs at least one array")
        self.arrays = tuple(as_array(a) for a in arrays)
        lengths = {len(a) for a in self.arrays}
        if len(lengths) != 1:
            raise ValueError(f"TensorDataset: arrays have different lengths {[len(a) for a in self.arrays]}")

    def __len__(self) -> int:
        return len(self.arrays[0])

    def __getitem__(self, index):
        return tuple(a[index] for a in self.arrays)


class DataLoader:
    """Iterate over a dataset in minibatches of Tensors, as ``torch.utils.data.DataLoader``.

    Each batch is gathered with one vectorized index (``X[idx]``), not example by example.

    Parameters
    ----------
    dataset : TensorDataset or tuple of arrays
    batch_size : int
    shuffle : bool
        Draw a new random order every epoch (every ``iter()``).
    drop_last : bool
        Skip the last batch when it is smaller than ``batch_size``. By default it is kept,
        so every example is seen once per epoch; a mean loss over it is still a mean.
    seed : int, optional
        Seed of the shuffling generator, for reproducible epochs.
    """

    def __init__(self, dataset, batch_size: int = 1, shuffle: bool = False, drop_last: bool = False,
                 seed=None):
        if isinstance(dataset, (tuple, list)):
            dataset = TensorDataset(*dataset)
        if not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
            raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
        self.dataset, self.batch_size = dataset, int(batch_size)
        self.shuffle, self.drop_last = shuffle, drop_last
        self.rng = np.random.default_rng(seed)

    def __len__(self) -> int:
        n = len(self.dataset)
        return n // self.batch_size if self.drop_last else math.ceil(n / self.batch_size)

    def __iter__(self):
        n = len(self.dataset)
        order = self.rng.permutation(n) if self.shuffle else None
        for start in range(0, n, self.batch_size):
            stop = min(start + self.batch_size, n)
            if self.drop_last and stop - start < self.batch_size:
                return
            # in order: a slice is a view, no copy; shuffled: one gather per batch
            index = slice(start, stop) if order is None else order[start:stop]
            yield tuple(_leaf(a) for a in self.dataset[index])  # arrays checked once, up front


def synthetic_data(w, b: float, num_examples: int, noise: float = 0.01, seed=None):
    """d2l's data for linear regression: ``y = X w + b + noise``, X ~ N(0, 1).

    Returns
    -------
    X : Tensor, shape (num_examples, len(w)), float32
    y : Tensor, shape (num_examples, 1), float32

    Examples
    --------
    >>> X, y = synthetic_data([2, -3.4], 4.2, 1000, seed=0)
    >>> X.shape, y.shape
    ((1000, 2), (1000, 1))
    """
    rng = np.random.default_rng(seed)
    w = np.asarray(w, dtype=np.float64).reshape(-1)
    X = rng.normal(0, 1, (num_examples, len(w)))
    y = X @ w + b + rng.normal(0, noise, num_examples)
    return Tensor(X.astype(np.float32)), Tensor(y.reshape(-1, 1).astype(np.float32))

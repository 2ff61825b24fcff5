"""Datasets and minibatches, as ``torch.utils.data``; and d2l's synthetic regression data.

This module is also importable as ``minigrad.utils.data`` (the same module object), so
``from minigrad.utils import data`` then ``data.DataLoader(...)`` reads as in PyTorch.

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
import numbers
from collections.abc import Mapping, Sequence

import numpy as np

from . import random as _random
from .tensor import Tensor

__all__ = ["Dataset", "TensorDataset", "Subset", "DataLoader", "default_collate", "random_split", "synthetic_data"]


def _array(x) -> np.ndarray:
    """The NumPy data behind a Tensor (detached) or array, without copying."""
    return x.detach().numpy() if isinstance(x, Tensor) else np.asarray(x)


class Dataset:
    """Base class of map-style datasets: define ``__getitem__(i)`` and ``__len__()``.

    :class:`DataLoader` works with *any* object that has those two methods; subclassing
    only documents the intent (as ``torch.utils.data.Dataset``).

    Examples
    --------
    >>> class Squares(Dataset):
    ...     def __len__(self):
    ...         return 4
    ...     def __getitem__(self, i):
    ...         return float(i), i * i
    >>> [y.tolist() for _, y in DataLoader(Squares(), batch_size=2)]
    [[0, 1], [4, 9]]
    """

    def __getitem__(self, index):
        raise NotImplementedError(f"{type(self).__name__} must define __getitem__")


class TensorDataset(Dataset):
    """Tensors (or arrays) of equal length, indexed together: ``ds[i]`` is ``(X[i], y[i])``.

    Parameters
    ----------
    *tensors : Tensor or array_like
        Each with at least one dimension, all with the same first dimension. They are
        held without copying (gradients do not flow back into them); batches made by
        :class:`DataLoader` are always fresh copies.

    Examples
    --------
    >>> import minigrad
    >>> ds = TensorDataset(minigrad.zeros(5, 2), np.arange(5))
    >>> len(ds), int(ds[1][1])
    (5, 1)
    """

    def __init__(self, *tensors):
        if not tensors:
            raise ValueError("TensorDataset needs at least one tensor")
        arrays = []
        for i, t in enumerate(tensors):
            a = _array(t) if isinstance(t, (Tensor, np.ndarray)) else _array(Tensor(t))
            if a.dtype.kind not in "biuf":
                raise TypeError(f"TensorDataset: argument {i} has dtype {a.dtype}, not numbers")
            if a.ndim == 0:
                raise ValueError(f"TensorDataset: argument {i} is 0-d; each needs a first dimension to index")
            arrays.append(a)
        lengths = [len(a) for a in arrays]
        if len(set(lengths)) != 1:
            raise ValueError(f"TensorDataset: tensors have different lengths {lengths}")
        self._arrays = tuple(arrays)

    @property
    def tensors(self) -> tuple:
        """The held tensors (sharing memory with what was given).

        Examples
        --------
        >>> [tuple(t.shape) for t in TensorDataset(np.zeros((3, 2)), np.zeros(3)).tensors]
        [(3, 2), (3,)]
        """
        return tuple(Tensor(a) for a in self._arrays)

    def __len__(self) -> int:
        return len(self._arrays[0])

    def __getitem__(self, index):
        return tuple(Tensor(np.asarray(a[index])) for a in self._arrays)


def _is_int(x) -> bool:
    return isinstance(x, numbers.Integral) and not isinstance(x, (bool, np.bool_))


def _flag(value, name: str) -> bool:
    if value is None or isinstance(value, (bool, np.bool_)) or (_is_int(value) and value in (0, 1)):
        return bool(value)  # None is PyTorch's default for shuffle: no shuffling
    raise TypeError(f"DataLoader: {name} must be True or False, got {value!r}")


def _stack(arrays, what: str) -> Tensor:
    first = arrays[0].shape
    for i, a in enumerate(arrays):
        if a.shape != first:
            raise ValueError(f"default_collate: {what} in one batch must have equal shapes, "
                             f"got {first} at entry 0 and {a.shape} at entry {i}")
        if a.dtype.kind not in "biuf":
            raise TypeError(f"default_collate: entry {i} has dtype {a.dtype}, not numbers")
    return Tensor(np.stack(arrays))  # np.stack copies: a batch never shares the dataset's memory


def default_collate(batch):
    """Merge a list of dataset items into one batch, as PyTorch's ``default_collate``.

    Tensors and arrays are stacked along a new first dimension; Python ints become an
    int64 tensor, Python floats a float64 tensor (PyTorch's rule; ints then floats: float32,
    as ``tensor()`` infers), bools a bool tensor;
    tuples and lists are collated position by position (a list of batches), dicts key
    by key; strings are kept as a list. The result never shares memory with the items.

    Examples
    --------
    >>> import minigrad
    >>> images, labels = default_collate([(minigrad.zeros(1, 2), 3), (minigrad.ones(1, 2), 7)])
    >>> tuple(images.shape), labels.dtype, labels.tolist()
    ((2, 1, 2), dtype('int64'), [3, 7])
    """
    batch = list(batch)
    if not batch:
        raise ValueError("default_collate: the batch is empty")
    elem = batch[0]
    if isinstance(elem, (Tensor, np.ndarray)):
        if not all(isinstance(x, (Tensor, np.ndarray)) for x in batch):
            kinds = sorted({type(x).__name__ for x in batch})
            raise TypeError(f"default_collate: a batch mixes tensors with other kinds: {kinds}")
        return _stack([_array(x) for x in batch], "tensors")
    if isinstance(elem, (bool, np.bool_)):
        if not all(isinstance(x, (bool, np.bool_)) for x in batch):
            raise TypeError("default_collate: a batch mixes bools with other kinds")
        return Tensor(np.array(batch, dtype=np.bool_))
    if isinstance(elem, (numbers.Real, np.generic)) and not isinstance(elem, (str, bytes)):
        if not all(isinstance(x, (numbers.Real, np.generic)) and not isinstance(x, (bool, np.bool_))
                   for x in batch):
            kinds = sorted({type(x).__name__ for x in batch})
            raise TypeError(f"default_collate: a batch mixes numbers with other kinds: {kinds}")
        if all(isinstance(x, np.generic) for x in batch):
            return _stack([np.asarray(x) for x in batch], "numbers")
        if all(_is_int(x) for x in batch):
            return Tensor(np.array([int(x) for x in batch], dtype=np.int64))
        # a float among them, never truncated to an int: float64 when the first item is a float,
        # else (ints first) what tensor() infers, float32 (PyTorch's two rules)
        dtype = np.float64 if not _is_int(elem) else np.float32
        return Tensor(np.array([float(x) for x in batch], dtype=dtype))
    if isinstance(elem, (str, bytes)):
        return list(batch)
    if isinstance(elem, Mapping):
        for i, d in enumerate(batch):
            if not isinstance(d, Mapping) or set(d) != set(elem):
                raise ValueError(f"default_collate: item {i} of the batch does not have the keys {sorted(elem)}")
        return {key: default_collate([d[key] for d in batch]) for key in elem}
    if isinstance(elem, Sequence):
        for i, item in enumerate(batch):
            if not isinstance(item, Sequence) or isinstance(item, (str, bytes)) or len(item) != len(elem):
                raise ValueError(f"default_collate: every item of a batch must have the same length; "
                                 f"item 0 has {len(elem)} fields, item {i} is {type(item).__name__} "
                                 f"of length {len(item) if hasattr(item, '__len__') else '?'}")
        fields = [default_collate(list(column)) for column in zip(*batch)]
        if isinstance(elem, tuple) and hasattr(elem, "_fields"):  # namedtuple: keep its type
            return type(elem)(*fields)
        return fields
    raise TypeError(f"default_collate: items must be tensors, arrays, numbers, strings, dicts, tuples or "
                    f"lists; got {type(elem).__name__}")


class DataLoader:
    """Iterate over a dataset in minibatches of Tensors, as ``torch.utils.data.DataLoader``.

    Parameters
    ----------
    dataset : object with ``__getitem__`` and ``__len__``
        Any map-style dataset (e.g. one returning ``(image, label)``), a
        :class:`TensorDataset`, or, as a minigrad shortcut, a tuple of Tensors/arrays
        (made into a TensorDataset; PyTorch would read such a tuple as a list of items).
    batch_size : int
        A positive int (``True`` is refused, not read as 1).
    shuffle : bool
        Draw a new order every epoch (every ``iter()``) from minigrad's one generator,
        so ``minigrad.manual_seed`` makes a run repeatable. The arguments after it are
        keyword-only (PyTorch's fourth positional argument is a sampler, not supported).
    num_workers : int
        Accepted for PyTorch's signature (a non-negative int); loading always happens
        in this process, so every value behaves as 0.
    collate_fn : callable, optional
        Turns a list of items into a batch; :func:`default_collate` by default.
    drop_last : bool
        Skip the last batch when it is smaller than ``batch_size``. By default it is kept,
        so every example is seen once per epoch.
    seed : int, optional
        Shuffle with a private generator seeded with ``seed`` instead (repeatable runs
        independent of other draws; each epoch still differs).
    generator : minigrad.Generator or numpy.random.Generator, optional
        Shuffle with this generator instead (``torch.Generator().manual_seed(0)`` style).
    pin_memory, persistent_workers : bool
        Accepted for PyTorch's signature and ignored: there is no GPU memory to pin and
        no worker process to keep (loading happens in this process).

    Notes
    -----
    Batches never share memory with the dataset: editing a batch in place cannot
    change the data. A :class:`TensorDataset` is gathered with one vectorized index per
    batch; other datasets item by item.

    Examples
    --------
    >>> import minigrad
    >>> pairs = [(minigrad.tensor([float(i)]), i % 2) for i in range(5)]   # a list is a dataset
    >>> [(tuple(x.shape), y.tolist()) for x, y in DataLoader(pairs, batch_size=2, drop_last=True)]
    [((2, 1), [0, 1]), ((2, 1), [0, 1])]
    """

    def __init__(self, dataset, batch_size: int = 1, shuffle: bool = False, *, num_workers: int = 0,
                 collate_fn=None, drop_last: bool = False, seed=None, generator=None, pin_memory: bool = False,
                 persistent_workers: bool = False):
        if isinstance(dataset, tuple) and dataset and all(isinstance(a, (Tensor, np.ndarray)) for a in dataset):
            dataset = TensorDataset(*dataset)
        missing = [m for m in ("__getitem__", "__len__") if not hasattr(dataset, m)]
        if missing:
            raise TypeError(f"DataLoader: the dataset ({type(dataset).__name__}) needs __getitem__ and __len__; "
                            f"it has no {' or '.join(missing)} (iterable-style datasets are not supported)")
        if batch_size is None:
            raise ValueError("DataLoader: batch_size=None (no automatic batching) is not supported; "
                             "use batch_size=1")
        if not _is_int(batch_size) or batch_size < 1:
            raise ValueError(f"DataLoader: batch_size must be a positive integer, got {batch_size!r}")
        if not _is_int(num_workers) or num_workers < 0:
            raise ValueError(f"DataLoader: num_workers must be a non-negative integer, got {num_workers!r}")
        if collate_fn is not None and not callable(collate_fn):
            raise TypeError(f"DataLoader: collate_fn must be callable, got {type(collate_fn).__name__}")
        if seed is not None and generator is not None:
            raise ValueError("DataLoader: give seed= or generator=, not both")
        if seed is not None:
            if not _is_int(seed) or seed < 0:
                raise ValueError(f"DataLoader: seed must be a non-negative integer, got {seed!r}")
            generator = np.random.default_rng(int(seed))
        if generator is not None:
            generator = _random.as_numpy_generator(generator, "DataLoader")
        self.pin_memory = _flag(pin_memory, "pin_memory")
        self.persistent_workers = _flag(persistent_workers, "persistent_workers")
        self.dataset, self.batch_size = dataset, int(batch_size)
        self.shuffle, self.drop_last = _flag(shuffle, "shuffle"), _flag(drop_last, "drop_last")
        self.num_workers, self.collate_fn, self.generator = int(num_workers), collate_fn, generator

    def __len__(self) -> int:
        n = len(self.dataset)
        return n // self.batch_size if self.drop_last else math.ceil(n / self.batch_size)

    def _order(self, n: int):
        if not self.shuffle:
            return None
        rng = self.generator if self.generator is not None else _random.default_generator()
        return rng.permutation(n)

    def __iter__(self):
        n = len(self.dataset)
        order = self._order(n)
        ds = self.dataset
        fast = (self.collate_fn is None and isinstance(ds, TensorDataset)
                and type(ds).__getitem__ is TensorDataset.__getitem__)
        collate = self.collate_fn or default_collate
        for start in range(0, n, self.batch_size):
            stop = min(start + self.batch_size, n)
            if self.drop_last and stop - start < self.batch_size:
                return
            if fast:
                # one gather per batch; a slice is a view, so it is copied
                if order is None:
                    yield [Tensor(a[start:stop].copy()) for a in ds._arrays]
                else:
                    index = order[start:stop]
                    yield [Tensor(a[index]) for a in ds._arrays]  # fancy indexing copies
            else:
                indices = range(start, stop) if order is None else order[start:stop].tolist()
                yield collate([ds[i] for i in indices])


class Subset:
    """The items of ``dataset`` at ``indices``, as ``torch.utils.data.Subset`` (what :func:`random_split` returns).

    Examples
    --------
    >>> s = Subset([10, 11, 12, 13], [3, 0])
    >>> len(s), s[0], s.indices
    (2, 13, [3, 0])
    """

    def __init__(self, dataset, indices):
        self.dataset, self.indices = dataset, list(indices)

    def __getitem__(self, i):
        if isinstance(i, (list, tuple)):
            return [self.dataset[self.indices[j]] for j in i]
        return self.dataset[self.indices[i]]

    def __len__(self) -> int:
        return len(self.indices)


def random_split(dataset, lengths, generator=None) -> list:
    """Split ``dataset`` into non-overlapping random subsets, as ``torch.utils.data.random_split``.

    ``lengths`` are sizes that add up to ``len(dataset)``, or fractions that add up to 1
    (each rounded down, the remainder given one by one to the first subsets, as PyTorch).
    The permutation comes from ``generator`` (a :class:`minigrad.Generator`) or from
    minigrad's default generator.

    Examples
    --------
    >>> import minigrad
    >>> train, valid = random_split(range(10), [0.8, 0.2], generator=minigrad.Generator().manual_seed(0))
    >>> len(train), len(valid), sorted(list(train) + list(valid)) == list(range(10))
    (8, 2, True)
    """
    n = len(dataset)
    lengths = list(lengths)
    if lengths and all(isinstance(x, float) for x in lengths) and math.isclose(sum(lengths), 1) and sum(lengths) <= 1:
        if any(x < 0 for x in lengths):
            raise ValueError(f"random_split: fractions must be non-negative, got {lengths}")
        sizes = [int(math.floor(n * f)) for f in lengths]
        for i in range(n - sum(sizes)):
            sizes[i % len(sizes)] += 1
        lengths = sizes
    if not all(_is_int(x) and x >= 0 for x in lengths):
        raise ValueError(f"random_split: lengths must be non-negative integers or fractions adding up to 1, "
                         f"got {lengths}")
    if sum(lengths) != n:
        raise ValueError(f"random_split: the lengths add up to {sum(lengths)}, the dataset has {n} items")
    order = _random.as_numpy_generator(generator, "random_split").permutation(n).tolist()
    out, start = [], 0
    for k in lengths:
        out.append(Subset(dataset, order[start:start + k]))
        start += k
    return out


def synthetic_data(w, b: float, num_examples: int, noise: float = 0.01, seed=None):
    """d2l's data for linear regression: ``y = X w + b + noise``, X ~ N(0, 1).

    Drawn from minigrad's one generator (``minigrad.manual_seed`` repeats it), or from
    a private one when ``seed`` is given.

    Returns
    -------
    X : Tensor, shape (num_examples, len(w)), float32
    y : Tensor, shape (num_examples, 1), float32

    Examples
    --------
    >>> X, y = synthetic_data([2, -3.4], 4.2, 1000, seed=0)
    >>> tuple(X.shape), tuple(y.shape)
    ((1000, 2), (1000, 1))
    """
    if not _is_int(num_examples) or num_examples < 0:
        raise ValueError(f"synthetic_data: num_examples must be a non-negative integer, got {num_examples!r}")
    rng = np.random.default_rng(seed) if seed is not None else _random.default_generator()
    w = _array(w).astype(np.float64).reshape(-1)
    X = rng.normal(0, 1, (num_examples, len(w)))
    y = X @ w + float(b) + rng.normal(0, noise, num_examples)
    return Tensor(X.astype(np.float32)), Tensor(y.reshape(-1, 1).astype(np.float32))

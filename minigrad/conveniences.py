"""The Tensor's conveniences outside the graph: sizes, dtypes, conversions, comparisons.

None of these records an op (a comparison or an ``argmax`` has no gradient), so they
live apart from the engine in :mod:`minigrad.tensor`; :class:`~minigrad.tensor.Tensor`
inherits them. Results are made with ``self._leaf(array)``.
"""

from __future__ import annotations

import math

import numpy as np

from .convert import Size, bool_, float16, float32, float64, int32, int64, normalize_axes, to_numpy

__all__ = ["Conveniences"]


class Conveniences:
    """Methods every Tensor has that stay outside the graph (PyTorch's names).

    Examples
    --------
    >>> import minigrad
    >>> x = minigrad.tensor([[1.0, 5.0], [4.0, 2.0]])
    >>> x.size(), x.argmax(dim=1).tolist(), f"{x.sum():.1f}"
    (minigrad.Size([2, 2]), [1, 0], '12.0')
    """

    __slots__ = ()

    def argmax(self, dim=None, keepdim=False, *, axis=None):
        """Index of the maximum along ``dim`` (of the flattened tensor by default); int64."""
        d = dim if axis is None else axis
        if d is None:
            return self._leaf(np.asarray(np.argmax(self._data), dtype=int64))
        (ax,) = normalize_axes(d, self.ndim, "argmax") or (None,)
        return self._leaf(np.asarray(np.argmax(self._data, axis=ax, keepdims=keepdim), dtype=int64))

    def argmin(self, dim=None, keepdim=False, *, axis=None):
        """Index of the minimum (as :meth:`argmax`)."""
        return (-self.detach()).argmax(dim, keepdim, axis=axis)

    shape = property(lambda self: Size(self._data.shape), doc="The shape, a :class:`Size` (a tuple).")
    ndim = property(lambda self: self._data.ndim, doc="Number of dimensions.")
    dtype = property(lambda self: self._data.dtype, doc="NumPy dtype of the data.")
    is_leaf = property(lambda self: self._op is None, doc="Not computed by a recorded op.")

    def size(self, dim=None):
        """The shape (a :class:`Size`), or the size of dimension ``dim``."""
        if dim is None:
            return self.shape
        (d,) = normalize_axes(dim, self.ndim, "size") or (0,)
        return self._data.shape[d]

    def dim(self) -> int:
        """Number of dimensions."""
        return self._data.ndim

    def numel(self) -> int:
        """Number of elements."""
        return self._data.size

    def type(self, dtype=None):
        """With a dtype: ``to(dtype)``; without: the type's name as PyTorch spells it.

        Examples
        --------
        >>> import minigrad
        >>> minigrad.zeros(1).type(), minigrad.tensor([1]).type()
        ('minigrad.FloatTensor', 'minigrad.LongTensor')
        """
        if dtype is None:
            return f"minigrad.{_TYPE_NAMES[self.dtype.name]}"
        return self.to(dtype)

    def float(self): return self.to(float32)
    def double(self): return self.to(float64)
    def half(self): return self.to(float16)
    def long(self): return self.to(int64)
    def int(self): return self.to(int32)
    def bool(self): return self.to(bool_)
    def cpu(self): return self

    def numpy(self) -> np.ndarray:
        """The data as a NumPy array (shared, not copied); use ``detach().numpy()`` on a tensor that requires grad."""
        if self.requires_grad:
            raise RuntimeError("numpy() on a tensor that requires grad: use tensor.detach().numpy()")
        return self._data

    def __array__(self, dtype=None, copy=None):
        a = self.numpy()
        return a if dtype is None else a.astype(dtype)

    def item(self):
        """The single element as a Python number."""
        if self._data.size != 1:
            raise ValueError(f"item(): a tensor with {self._data.size} elements cannot be converted to a "
                             f"Python number (shape {tuple(self.shape)})")
        return self._data.item()

    def tolist(self):
        """The data as nested Python lists."""
        return self._data.tolist()

    def __float__(self) -> float:
        return float(self.item())

    def __int__(self) -> int:
        return int(self.item())

    def __index__(self) -> int:
        if self.dtype.kind not in "iub" or self._data.size != 1:
            raise TypeError(f"only integer tensors of a single element can be used as an index, "
                            f"got {self.dtype} of shape {tuple(self.shape)}")
        return int(self.item())

    def __bool__(self) -> bool:
        # As NumPy and PyTorch: only a one-element tensor has a truth value, so
        # `if a == b:` on arrays raises instead of being silently true.
        if self._data.size != 1:
            raise RuntimeError(f"the truth value of a tensor with {self._data.size} elements is ambiguous; "
                               "use .any() or .all()")
        return bool(self._data)

    def any(self): return self._leaf(np.asarray(self._data.any()))
    def all(self): return self._leaf(np.asarray(self._data.all()))

    def __format__(self, spec: str) -> str:
        # As PyTorch: a 0-d tensor formats as its number (f"{loss}" prints 0.25, not tensor(0.2500)).
        if self._data.ndim == 0 or (spec and self._data.size == 1):
            return format(self.item(), spec)
        return format(str(self), spec)

    def __len__(self) -> int:
        if self.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return len(self._data)

    def __iter__(self):
        if self.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(len(self._data)))

    def __repr__(self) -> str:
        # As PyTorch prints (see _format_array): 4 decimals, summarised over 1000 elements.
        body = _format_array(self._data, indent=len("tensor("))
        extra = "" if self.dtype in (float32, int64, bool_) else f", dtype=minigrad.{self.dtype}"
        if self._data.size == 0 and self.ndim != 1:
            extra = f", size={tuple(self.shape)}" + extra
        if self._op is not None:
            extra += f", op={self.op!r}"
        elif self.requires_grad:
            extra += ", requires_grad=True"
        return f"tensor({body}{extra})"

    # Comparisons and logic give boolean tensors, outside the graph.
    def __eq__(self, other): return self._leaf(np.asarray(self._data == to_numpy(other)))
    def __ne__(self, other): return self._leaf(np.asarray(self._data != to_numpy(other)))
    def __lt__(self, other): return self._leaf(np.asarray(self._data < to_numpy(other)))
    def __le__(self, other): return self._leaf(np.asarray(self._data <= to_numpy(other)))
    def __gt__(self, other): return self._leaf(np.asarray(self._data > to_numpy(other)))
    def __ge__(self, other): return self._leaf(np.asarray(self._data >= to_numpy(other)))
    def __invert__(self): return self._leaf(np.asarray(~self._data))
    def __and__(self, other): return self._leaf(np.asarray(self._data & to_numpy(other)))
    def __or__(self, other): return self._leaf(np.asarray(self._data | to_numpy(other)))


_TYPE_NAMES = {"float32": "FloatTensor", "float64": "DoubleTensor", "float16": "HalfTensor",
               "int64": "LongTensor", "int32": "IntTensor", "int16": "ShortTensor", "int8": "CharTensor",
               "uint8": "ByteTensor", "bool": "BoolTensor"}

# PyTorch's print options (torch.set_printoptions' defaults): what the book's outputs show.
PRECISION, THRESHOLD, EDGEITEMS, LINEWIDTH = 4, 1000, 3, 80


def _number_format(values: np.ndarray):
    """(format, width): one format for every shown number of a tensor, chosen as PyTorch does.

    Floats whose finite values are all whole print as ``1.``; otherwise with 4 decimals;
    in scientific notation when the magnitudes span more than 1000x or leave [1e-4, 1e8].
    The width comes from the nonzero finite values only (so ``-0.`` or ``nan`` may stick out).
    """
    if values.dtype.kind != "f":
        shown = [str(v) for v in values.tolist()]
        return str, max(map(len, shown), default=1)
    finite = values[np.isfinite(values)].astype(np.float64)
    nonzero = finite[finite != 0].tolist()
    special = {np.inf: "inf", -np.inf: "-inf"}

    def wrap(fmt):
        return lambda v: "nan" if v != v else special.get(v) or fmt.format(v)

    if not nonzero:
        return wrap("{:.0f}."), 1
    big, small = max(map(abs, nonzero)), min(map(abs, nonzero))
    if all(v == math.ceil(v) for v in nonzero):  # whole numbers: "3." unless spread over > 1000x or huge
        fmt = f"{{:.{PRECISION}e}}" if big / small > 1000 or big > 1e8 else "{:.0f}."
    elif big / small > 1000 or big > 1e8 or small < 1e-4:
        fmt = f"{{:.{PRECISION}e}}"
    else:
        fmt = f"{{:.{PRECISION}f}}"
    return wrap(fmt), max(len(fmt.format(v)) for v in nonzero)


def _format_array(a: np.ndarray, indent: int) -> str:
    """The bracketed body of a tensor's repr, laid out as PyTorch lays it out.

    Over ``THRESHOLD`` elements only ``EDGEITEMS`` rows/values at each end of every axis
    are shown, around ``...``; numbers are right-aligned to one width; a row too long for
    ``LINEWIDTH`` wraps.

    Examples
    --------
    >>> print(_format_array(np.array([0.5, 2.0, -1.0]), 7))
    [ 0.5000,  2.0000, -1.0000]
    >>> print(_format_array(np.arange(2000), 7))
    [   0,    1,    2,  ..., 1997, 1998, 1999]
    """
    summarize = a.size > THRESHOLD

    def shown(x):  # the values that will be printed (the formatter only looks at those)
        if x.ndim == 0:
            return x.reshape(1)
        if summarize and x.shape[0] > 2 * EDGEITEMS:
            x = np.concatenate([x[:EDGEITEMS], x[-EDGEITEMS:]])
        return np.concatenate([shown(row) for row in x]) if x.ndim > 1 else x

    values = shown(a) if a.size else a.reshape(-1)
    fmt, width = _number_format(values)

    def one(v):
        return fmt(v).rjust(width)

    def block(x, ind):
        if x.ndim == 0:
            return one(x.item())
        cut = summarize and x.shape[0] > 2 * EDGEITEMS
        if x.ndim == 1:
            items = [one(v) for v in x.tolist()] if not cut else (
                [one(v) for v in x[:EDGEITEMS].tolist()] + [" ..."] + [one(v) for v in x[-EDGEITEMS:].tolist()])
            per_line = max(1, (LINEWIDTH - ind) // (width + 2))
            lines = [", ".join(items[i:i + per_line]) for i in range(0, len(items), per_line)]
            return "[" + (",\n" + " " * (ind + 1)).join(lines) + "]"
        rows = [block(r, ind + 1) for r in (x if not cut else list(x[:EDGEITEMS]) + list(x[-EDGEITEMS:]))]
        if cut:
            rows = rows[:EDGEITEMS] + ["..."] + rows[EDGEITEMS:]
        return "[" + ("," + "\n" * (x.ndim - 1) + " " * (ind + 1)).join(rows) + "]"

    return block(a, indent)

"""The Tensor's conveniences outside the graph: sizes, dtypes, conversions, comparisons.

None of these records an op (a comparison or an ``argmax`` has no gradient), so they
live apart from the engine in :mod:`minigrad.tensor`; :class:`~minigrad.tensor.Tensor`
inherits them. Results are made with ``self._leaf(array)``.
"""

from __future__ import annotations

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
    ((2, 2), [1, 0], '12.0')
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
        """With a dtype: ``to(dtype)``; without: the type's name, e.g. ``'minigrad.FloatTensor'``."""
        if dtype is None:
            return f"minigrad.{self.dtype.name}"
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
        if spec and self._data.size == 1:
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
        body = np.array2string(self._data, separator=", ", prefix="tensor(", precision=4, threshold=20)
        extra = "" if self.dtype in (float32, int64) else f", dtype=minigrad.{self.dtype}"
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

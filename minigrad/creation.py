"""Module-level tensor functions with PyTorch's names: ``minigrad.zeros``, ``normal``, ``cat``...

So that code written for ``torch`` runs with ``import minigrad as torch``. Factories
make leaves (float32 by default, from :mod:`minigrad.random` when random); the others
are the Tensor methods or compositions of them, so gradients flow through them.
"""

from __future__ import annotations

import numpy as np

from .random import Generator, default_generator, manual_seed  # noqa: F401  (torch.manual_seed, torch.Generator)
from .convert import Size, _dtype, _shape_args, as_array, normalize_axes, result_type
from .tensor import Tensor, _make, apply_op, where

__all__ = ["tensor", "as_tensor", "from_numpy", "is_tensor", "zeros", "ones", "full", "empty",
           "zeros_like", "ones_like", "full_like", "eye", "arange", "linspace", "rand", "randn",
           "randint", "normal", "matmul", "exp", "log", "tanh", "sigmoid", "relu", "abs", "sqrt",
           "sum", "mean", "max", "min", "maximum", "minimum", "argmax", "argmin", "softmax", "log_softmax", "reshape",
           "numel", "clone", "cat", "concat", "stack", "where", "manual_seed", "Size", "Generator"]


def _leaf(array: np.ndarray, requires_grad: bool) -> Tensor:
    t = _make(array)
    return t.requires_grad_(True) if requires_grad else t


def tensor(data, dtype=None, requires_grad: bool = False, label: str = "", device=None) -> Tensor:
    """A new leaf tensor from array-like data (always a copy, as ``torch.tensor``).

    Examples
    --------
    >>> import minigrad
    >>> minigrad.tensor([[1, 2], [3, 4]]).shape
    minigrad.Size([2, 2])
    """
    t = _leaf(as_array(data, dtype, copy=True), requires_grad)
    t.label = label
    return t


def as_tensor(data, dtype=None, device=None) -> Tensor:
    """Like :func:`tensor`, but shares memory with an ndarray or Tensor when it can.

    Examples
    --------
    >>> import numpy as np, minigrad
    >>> a = np.zeros(2); minigrad.as_tensor(a).numpy() is a
    True
    """
    if isinstance(data, Tensor) and (dtype is None or _dtype(dtype) == data.dtype):
        return data
    return _make(as_array(data, dtype))


def from_numpy(array: np.ndarray) -> Tensor:
    """A tensor sharing memory with ``array`` (its dtype kept).

    Examples
    --------
    >>> import numpy as np, minigrad
    >>> minigrad.from_numpy(np.arange(3)).dtype
    dtype('int64')
    """
    if not isinstance(array, np.ndarray):
        raise TypeError(f"from_numpy: expected a numpy.ndarray, got {type(array).__name__}")
    return _make(as_array(array))


def is_tensor(obj) -> bool:
    """True for a minigrad Tensor.

    Examples
    --------
    >>> import minigrad
    >>> minigrad.is_tensor(minigrad.zeros(1)), minigrad.is_tensor([0.0])
    (True, False)
    """
    return isinstance(obj, Tensor)


def _factory(fill, size, dtype, requires_grad, op):
    shape = _shape_args(size, op)
    if any(n < 0 for n in shape):
        raise ValueError(f"{op}: sizes must be non-negative, got {shape}")
    return _leaf(fill(shape, _dtype(dtype) if dtype is not None else np.dtype("float32")), requires_grad)


def zeros(*sizes, size=None, dtype=None, requires_grad: bool = False, device=None) -> Tensor:
    """Zeros of the given shape, float32 by default.

    Examples
    --------
    >>> import minigrad
    >>> minigrad.zeros(2, 3).shape
    minigrad.Size([2, 3])
    """
    return _factory(np.zeros, sizes if size is None else (size,), dtype, requires_grad, "zeros")


def ones(*sizes, size=None, dtype=None, requires_grad: bool = False, device=None) -> Tensor:
    """Ones of the given shape, float32 by default.

    Examples
    --------
    >>> import minigrad
    >>> minigrad.ones(3).tolist()
    [1.0, 1.0, 1.0]
    """
    return _factory(np.ones, sizes if size is None else (size,), dtype, requires_grad, "ones")


def empty(*size, dtype=None, requires_grad: bool = False, device=None) -> Tensor:
    """A tensor of the given shape (filled with zeros here: never uninitialised memory).

    Examples
    --------
    >>> import minigrad
    >>> minigrad.empty(2).shape
    minigrad.Size([2])
    """
    return _factory(np.zeros, size, dtype, requires_grad, "empty")


def full(size, fill_value, dtype=None, requires_grad: bool = False, device=None) -> Tensor:
    """A tensor of ``fill_value`` (its dtype inferred from the value unless given).

    Examples
    --------
    >>> import minigrad
    >>> minigrad.full((2,), 7).tolist()
    [7, 7]
    """
    dt = _dtype(dtype) if dtype is not None else as_array(fill_value).dtype
    return _factory(lambda s, _: np.full(s, fill_value, dtype=dt), (size,), dt, requires_grad, "full")


def zeros_like(t, dtype=None, requires_grad: bool = False) -> Tensor:
    """Zeros with ``t``'s shape and dtype.

    Examples
    --------
    >>> import minigrad
    >>> minigrad.zeros_like(minigrad.tensor([1, 2])).tolist()
    [0, 0]
    """
    return _leaf(np.zeros(np.shape(t), dtype=_dtype(dtype) if dtype is not None else as_array(t).dtype), requires_grad)


def ones_like(t, dtype=None, requires_grad: bool = False) -> Tensor:
    """Ones with ``t``'s shape and dtype.

    Examples
    --------
    >>> import minigrad
    >>> minigrad.ones_like(minigrad.zeros(2)).tolist()
    [1.0, 1.0]
    """
    return _leaf(np.ones(np.shape(t), dtype=_dtype(dtype) if dtype is not None else as_array(t).dtype), requires_grad)


def full_like(t, fill_value, dtype=None, requires_grad: bool = False) -> Tensor:
    """``fill_value`` with ``t``'s shape and dtype.

    Examples
    --------
    >>> import minigrad
    >>> minigrad.full_like(minigrad.zeros(2), 3).tolist()
    [3.0, 3.0]
    """
    return _leaf(np.full(np.shape(t), fill_value, dtype=_dtype(dtype) if dtype is not None else as_array(t).dtype),
                 requires_grad)


def eye(n: int, m=None, dtype=None, requires_grad: bool = False) -> Tensor:
    """The n x m identity matrix (square by default), float32.

    Examples
    --------
    >>> import minigrad
    >>> minigrad.eye(2).tolist()
    [[1.0, 0.0], [0.0, 1.0]]
    """
    return _factory(lambda s, dt: np.eye(s[0], s[1], dtype=dt), (n, n if m is None else m), dtype, requires_grad, "eye")


def arange(start, end=None, step=1, dtype=None, requires_grad: bool = False) -> Tensor:
    """``start, start+step, ...`` below ``end``; int64 for integer arguments, else float32.

    Examples
    --------
    >>> import minigrad
    >>> minigrad.arange(3).tolist(), minigrad.arange(0, 1, 0.5).tolist()
    ([0, 1, 2], [0.0, 0.5])
    """
    if end is None:
        start, end = 0, start
    if step == 0:
        raise ValueError("arange: step must be nonzero")
    ints = all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in (start, end, step))
    dt = _dtype(dtype) if dtype is not None else np.dtype("int64" if ints else "float32")
    if ints:
        return _leaf(np.arange(start, end, step).astype(dt), requires_grad)
    # As PyTorch: ceil((end - start) / step) values start + i * step, each computed in float64
    # (NumPy's arange adds a rounded step instead, and its last values drift).
    n = int(np.ceil((float(end) - float(start)) / float(step)))  # (max() is minigrad.max here)
    n = n if n > 0 else 0
    return _leaf((float(start) + np.arange(n, dtype=np.float64) * float(step)).astype(dt), requires_grad)


def linspace(start, end, steps: int, dtype=None, requires_grad: bool = False) -> Tensor:
    """``steps`` evenly spaced values from ``start`` to ``end`` (inclusive), float32.

    Examples
    --------
    >>> import minigrad
    >>> minigrad.linspace(0, 1, 3).tolist()
    [0.0, 0.5, 1.0]
    """
    return _leaf(np.linspace(start, end, steps).astype(_dtype(dtype) if dtype is not None else np.float32), requires_grad)


def rand(*sizes, size=None, dtype=None, requires_grad: bool = False, generator=None) -> Tensor:
    """Uniform draws from [0, 1), float32, from :mod:`minigrad.random`.

    Examples
    --------
    >>> import minigrad
    >>> bool(((minigrad.rand(100) >= 0) & (minigrad.rand(100) < 1)).all())
    True
    """
    g = generator or default_generator()
    return _factory(lambda s, dt: g.random(s).astype(dt), sizes if size is None else (size,), dtype, requires_grad, "rand")


def randn(*sizes, size=None, dtype=None, requires_grad: bool = False, generator=None) -> Tensor:
    """Standard normal draws, float32, from :mod:`minigrad.random`.

    Examples
    --------
    >>> import minigrad
    >>> minigrad.randn(2, 3).shape
    minigrad.Size([2, 3])
    """
    g = generator or default_generator()
    return _factory(lambda s, dt: g.standard_normal(s).astype(dt), sizes if size is None else (size,), dtype, requires_grad, "randn")


def randint(low, high=None, size=(), dtype=None, requires_grad: bool = False, generator=None) -> Tensor:
    """Integers in [low, high) (``randint(high, size)`` starts at 0), int64.

    Examples
    --------
    >>> import minigrad
    >>> int(minigrad.randint(0, 3, (5,)).max()) < 3
    True
    """
    if high is None or isinstance(high, (tuple, list)):  # randint(high, size), PyTorch's short form
        low, high, size = 0, low, size if high is None else high
    g = generator or default_generator()
    dt = _dtype(dtype) if dtype is not None else np.dtype("int64")
    return _leaf(g.integers(low, high, _shape_args((size,), "randint")).astype(dt), requires_grad)


def normal(mean=0.0, std=1.0, size=None, *, dtype=None, requires_grad: bool = False, generator=None) -> Tensor:
    """Draws from N(mean, std²): ``normal(0, 0.01, size=(2, 1), requires_grad=True)`` as in the book.

    ``mean`` and ``std`` may be tensors (one draw per element, broadcast); with
    ``size`` they are numbers. float32 by default.

    Examples
    --------
    >>> import minigrad
    >>> w = minigrad.normal(0, 0.01, size=(2, 1), requires_grad=True)
    >>> w.shape, w.dtype, w.requires_grad
    (minigrad.Size([2, 1]), dtype('float32'), True)
    """
    if not (np.all(np.asarray(std if not isinstance(std, Tensor) else std._data) >= 0)):
        raise ValueError(f"normal: std must be >= 0, got {std!r}")
    g = generator or default_generator()
    m = mean._data if isinstance(mean, Tensor) else mean
    s = std._data if isinstance(std, Tensor) else std
    shape = _shape_args((size,), "normal") if size is not None else np.broadcast_shapes(np.shape(m), np.shape(s))
    dt = _dtype(dtype) if dtype is not None else (result_type(*(x for x in (mean, std) if isinstance(x, Tensor)))
                                                  if isinstance(mean, Tensor) or isinstance(std, Tensor) else np.dtype("float32"))
    return _leaf(g.normal(m, s, shape).astype(dt), requires_grad)


def _tensor_arg(x) -> Tensor:
    return x if isinstance(x, Tensor) else Tensor(x)


def matmul(a, b) -> Tensor:
    """Matrix product ``a @ b``.

    Examples
    --------
    >>> import minigrad
    >>> minigrad.matmul(minigrad.ones(2, 3), minigrad.ones(3)).tolist()
    [3.0, 3.0]
    """
    return apply_op("matmul", a, b)


def _method(name: str, doc: str):
    def fn(input, *args, **kwargs):  # noqa: A002  (PyTorch's argument name)
        return getattr(_tensor_arg(input), name)(*args, **kwargs)
    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"""{doc}, as ``input.{name}(...)``.

    Examples
    --------
    >>> import minigrad
    >>> x = minigrad.tensor([1.0, 2.0])
    >>> minigrad.{name}(x).tolist() == x.{name}().tolist() if minigrad.is_tensor(x.{name}()) else True
    True
    """
    return fn


exp = _method("exp", "Element-wise exponential")
log = _method("log", "Element-wise natural logarithm")
tanh = _method("tanh", "Element-wise tanh")
sigmoid = _method("sigmoid", "Element-wise logistic sigmoid")
relu = _method("relu", "Element-wise max(x, 0)")
abs = _method("abs", "Element-wise absolute value")  # noqa: A001
sqrt = _method("sqrt", "Element-wise square root")
sum = _method("sum", "Sum over dimensions")  # noqa: A001
mean = _method("mean", "Mean over dimensions")
max = _method("max", "Maximum (values, indices) along a dimension, or of all elements")  # noqa: A001
min = _method("min", "Minimum (values, indices) along a dimension, or of all elements")  # noqa: A001
argmax = _method("argmax", "Index of the maximum")


def maximum(input, other) -> Tensor:  # noqa: A002
    """Element-wise maximum; at ties each input gets half the gradient, as ``torch.maximum``.

    Examples
    --------
    >>> import minigrad
    >>> minigrad.maximum(minigrad.tensor([1.0, 5.0]), minigrad.tensor([3.0, 2.0])).tolist()
    [3.0, 5.0]
    """
    return _tensor_arg(input).maximum(_tensor_arg(other))


def minimum(input, other) -> Tensor:  # noqa: A002
    """Element-wise minimum; at ties each input gets half the gradient, as ``torch.minimum``.

    Examples
    --------
    >>> import minigrad
    >>> minigrad.minimum(minigrad.tensor([1.0, 5.0]), minigrad.tensor([3.0, 2.0])).tolist()
    [1.0, 2.0]
    """
    return _tensor_arg(input).minimum(_tensor_arg(other))
argmin = _method("argmin", "Index of the minimum")
softmax = _method("softmax", "Softmax along a dimension")
log_softmax = _method("log_softmax", "Log-softmax along a dimension")
clone = _method("clone", "A copy through which gradients flow")
numel = _method("numel", "Number of elements")


def reshape(input, shape) -> Tensor:  # noqa: A002
    """The same data in a new shape, as ``input.reshape(shape)``.

    Examples
    --------
    >>> import minigrad
    >>> minigrad.reshape(minigrad.arange(6), (2, 3)).shape
    minigrad.Size([2, 3])
    """
    return _tensor_arg(input).reshape(shape)


def cat(tensors, dim: int = 0, *, axis=None) -> Tensor:
    """Join tensors along an existing dimension; gradients flow back to each piece.

    Composed, with no backward code: each piece is placed into the result's shape
    (``scatter_add``, whose VJP is indexing) and the pieces are added.

    Examples
    --------
    >>> import minigrad
    >>> minigrad.cat([minigrad.zeros(1, 2), minigrad.ones(2, 2)]).shape
    minigrad.Size([3, 2])
    """
    parts = [_tensor_arg(t) for t in tensors]
    dim = dim if axis is None else axis  # PyTorch's alias
    if not parts:
        raise ValueError("cat: expected a non-empty list of tensors")
    ndim = parts[0].ndim
    for i, p in enumerate(parts):
        if p.ndim == 0:
            raise ValueError(f"cat: zero-dimensional tensor (at position {i}) cannot be concatenated; "
                             "use minigrad.stack, or reshape it to 1 element first")
    (axis,) = normalize_axes(dim, ndim, "cat") or (0,)
    for i, p in enumerate(parts):
        if p.ndim != ndim or p.shape[:axis] + p.shape[axis + 1:] != parts[0].shape[:axis] + parts[0].shape[axis + 1:]:
            raise ValueError(f"cat: tensor {i} has shape {tuple(p.shape)}, which does not fit {tuple(parts[0].shape)} "
                             f"outside dimension {axis}")
    dtype = result_type(*parts)
    parts = [p.to(dtype) for p in parts]
    shape = list(parts[0].shape)
    shape[axis] = int(np.sum([p.shape[axis] for p in parts]))
    if not any(p.requires_grad for p in parts):
        return _make(np.concatenate([p._data for p in parts], axis=axis))
    out, start = None, 0
    for p in parts:
        index = (slice(None),) * axis + (slice(start, start + p.shape[axis]),)
        placed = apply_op("scatter_add", p, shape=tuple(shape), index=index)
        out = placed if out is None else out + placed
        start += p.shape[axis]
    return out


concat = cat


def stack(tensors, dim: int = 0, *, axis=None) -> Tensor:
    """Join same-shaped tensors along a new dimension (``cat`` of ``unsqueeze(dim)``).

    Examples
    --------
    >>> import minigrad
    >>> minigrad.stack([minigrad.zeros(2), minigrad.ones(2)], dim=1).shape
    minigrad.Size([2, 2])
    """
    parts = [_tensor_arg(t) for t in tensors]
    if not parts:
        raise ValueError("stack: expected a non-empty list of tensors")
    for i, p in enumerate(parts):
        if p.shape != parts[0].shape:
            raise ValueError(f"stack: tensor {i} has shape {tuple(p.shape)}, tensor 0 has {tuple(parts[0].shape)}")
    (ax,) = normalize_axes(dim if axis is None else axis, parts[0].ndim + 1, "stack")  # axis: PyTorch's alias
    return cat([p.unsqueeze(ax) for p in parts], ax)


# ------------------------------------------------------------------ the book's chapter 2 (issue 21)

def dot(input, other) -> Tensor:  # noqa: A002
    """Inner product of two 1-D tensors, as ``torch.dot``.

    Examples
    --------
    >>> import minigrad
    >>> minigrad.dot(minigrad.tensor([1.0, 2.0]), minigrad.tensor([3.0, 4.0]))
    tensor(11.)
    """
    return _tensor_arg(input).dot(other)


def mm(input, mat2) -> Tensor:  # noqa: A002
    """Product of two matrices, as ``torch.mm``.

    Examples
    --------
    >>> import minigrad
    >>> minigrad.mm(minigrad.ones(2, 3), minigrad.ones(3, 1)).tolist()
    [[3.0], [3.0]]
    """
    return _tensor_arg(input).mm(mat2)


def mv(input, vec) -> Tensor:  # noqa: A002
    """Matrix times vector, as ``torch.mv``.

    Examples
    --------
    >>> import minigrad
    >>> minigrad.mv(minigrad.eye(2), minigrad.tensor([1.0, 2.0]))
    tensor([1., 2.])
    """
    return _tensor_arg(input).mv(vec)


def norm(input, p="fro", dim=None, keepdim=False) -> Tensor:  # noqa: A002
    """The ``p``-norm of ``input`` (all elements, or over ``dim``), as ``torch.norm``.

    Examples
    --------
    >>> import minigrad
    >>> minigrad.norm(minigrad.tensor([3.0, -4.0])), minigrad.norm(minigrad.ones((4, 9)))
    (tensor(5.), tensor(6.))
    """
    return _tensor_arg(input).norm(p, dim, keepdim)


def cumsum(input, dim=None, *, axis=None) -> Tensor:  # noqa: A002
    """Running sum along ``dim``, as ``torch.cumsum``.

    Examples
    --------
    >>> import minigrad
    >>> minigrad.cumsum(minigrad.tensor([1.0, 2.0, 3.0]), dim=0)
    tensor([1., 3., 6.])
    """
    return _tensor_arg(input).cumsum(dim, axis=axis)


def clamp(input, min=None, max=None) -> Tensor:  # noqa: A002
    """Clip to [min, max]; the gradient is 0 where clipped (``torch.clamp``).

    Examples
    --------
    >>> import minigrad
    >>> minigrad.clamp(minigrad.tensor([-1.0, 0.5, 2.0]), min=0, max=1)
    tensor([0.0000, 0.5000, 1.0000])
    """
    return _tensor_arg(input).clamp(min, max)


clip = clamp
__all__ += ["dot", "mm", "mv", "norm", "cumsum", "clamp", "clip"]

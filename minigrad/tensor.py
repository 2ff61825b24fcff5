"""The tensor engine: :class:`Tensor`, a NumPy array that records the ops applied to it.

Unlike ``Value``, only *leaves* that require a gradient (inputs, parameters) keep
``.grad`` after ``backward()``, as in PyTorch; call ``retain_grad()`` on an
intermediate result to keep its gradient too. ``.data`` and ``.grad`` are NumPy arrays.
"""

from __future__ import annotations

import numpy as np

from . import tensor_ops  # noqa: F401  (registers the tensor primitives)
from .autograd import Node, _State, check_finite, reverse_pass
from .registry import REGISTRY
from .tensor_ops import ShapeError, sum_to_shape

__all__ = ["Tensor", "tensor", "zeros", "ones", "as_array"]


def as_array(data, dtype=None, copy: bool = False) -> np.ndarray:
    """The one place that turns user data into an array for a Tensor.

    Python floats (and lists of them) become float32, PyTorch's default; Python ints
    become int64; NumPy arrays keep their dtype. Non-numeric or ragged data raises.

    Examples
    --------
    >>> as_array([1.0, 2.0]).dtype
    dtype('float32')
    >>> as_array(np.zeros(2)).dtype
    dtype('float64')
    """
    if isinstance(data, Tensor):
        data = data.data
    from_python = not isinstance(data, (np.ndarray, np.generic))
    try:
        arr = np.array(data, dtype=dtype, copy=copy or None)
    except (ValueError, TypeError) as err:
        raise TypeError(f"tensor(): cannot make a numeric array from {type(data).__name__}: {err}") from None
    if arr.dtype.kind not in "biuf":
        raise TypeError(
            f"tensor(): data must be numbers (bool, int or float), got dtype {arr.dtype} "
            f"from {type(data).__name__}"
        )
    if dtype is None and from_python and arr.dtype == np.float64:
        arr = arr.astype(np.float32)
    return arr


class Tensor(Node):
    """An n-dimensional array node of the computational graph.

    Parameters
    ----------
    data : array_like
        Numbers; converted by :func:`as_array` (not copied if already an ndarray).
    requires_grad : bool
        Record operations on this tensor so that ``backward()`` can fill ``.grad``.
    dtype : numpy dtype, optional
    label : str, optional
        A name shown in graph drawings.

    Examples
    --------
    >>> import minigrad
    >>> w = minigrad.tensor([1.0, -2.0], requires_grad=True)
    >>> loss = (w * w).sum()
    >>> loss.backward()
    >>> w.grad
    array([ 2., -4.], dtype=float32)
    """

    __slots__ = ("data", "grad", "requires_grad", "label", "_parents", "_retains_grad", "_scope", "_kwargs")
    __array_ufunc__ = None  # ndarray + Tensor: NumPy steps aside so Tensor.__radd__ runs
    __hash__ = Node.__hash__  # == is element-wise, hashing stays by identity

    def __init__(self, data, requires_grad: bool = False, dtype=None, label: str = ""):
        self.data = as_array(data, dtype)
        self.grad = None
        self.requires_grad_(bool(requires_grad))
        self.label = label
        self._retains_grad, self._scope = False, None
        self._parents, self._vjps, self._op, self._kwargs = (), None, None, None

    # ----------------------------------------------------------- graph bookkeeping
    def _backward(self, g):
        """(parent, gradient) for each input that requires grad. Every gradient passes
        through ``_conform``: the one place where broadcasting is undone."""
        return [(p, p._conform(vjp(g))) for p, vjp in zip(self._parents, self._vjps) if p.requires_grad]

    def _conform(self, g):
        g = sum_to_shape(g, self.data.shape) if g.shape != self.data.shape else g
        return g if g.dtype == self.data.dtype else g.astype(self.data.dtype)

    def _accumulate(self, g):
        if self._vjps is None or self._retains_grad:
            # a VJP may share one array between several nodes: store a private copy
            self.grad = np.array(g) if self.grad is None else self.grad + g

    def retain_grad(self) -> "Tensor":
        """Keep ``.grad`` on this intermediate result after ``backward()``."""
        self._retains_grad = True
        return self

    def requires_grad_(self, requires_grad: bool = True) -> "Tensor":
        """Set ``requires_grad`` in place and return self (PyTorch's spelling)."""
        if requires_grad and self.data.dtype.kind != "f":
            raise TypeError(f"only floating-point tensors can require gradients, got dtype {self.data.dtype}")
        self.requires_grad = requires_grad
        return self

    def backward(self, gradient=None, retain_graph: bool = False) -> None:
        """Add d(self)/d(leaf) into ``leaf.grad`` for every leaf that requires grad.

        Parameters
        ----------
        gradient : array_like, optional
            d(loss)/d(self), needed when ``self`` is not a scalar.
        retain_graph : bool
            Keep the graph so that ``backward()`` can run through it again.

        Examples
        --------
        >>> import minigrad
        >>> x = minigrad.tensor([1.0, 2.0, 3.0], requires_grad=True)
        >>> (x * 2).backward(gradient=[1.0, 0.0, 1.0])
        >>> x.grad
        array([2., 0., 2.], dtype=float32)
        """
        if not self.requires_grad:
            raise RuntimeError(
                "backward() on a tensor that does not require grad: none of its inputs has "
                "requires_grad=True, or it was computed under no_grad()"
            )
        if gradient is None:
            if self.data.size != 1:
                raise RuntimeError(
                    f"backward() without gradient= needs a scalar output, got shape {self.shape}; "
                    "pass gradient= (same shape) or reduce first, e.g. loss.sum()"
                )
            seed = np.ones_like(self.data)
        else:
            seed = as_array(gradient, dtype=self.dtype)
            if seed.shape != self.shape:
                raise ShapeError(f"backward(): gradient has shape {seed.shape} but the output has shape {self.shape}")
        for node, g, _ in reverse_pass(self, seed, free_graph=not retain_graph):
            node._accumulate(g)

    def detach(self) -> "Tensor":
        """Return a tensor with the same data, cut from the graph (no gradient flows back)."""
        return Tensor(self.data)

    # ----------------------------------------------------------- array facts
    shape = property(lambda self: self.data.shape, doc="Tuple of dimensions.")
    ndim = property(lambda self: self.data.ndim, doc="Number of dimensions.")
    dtype = property(lambda self: self.data.dtype, doc="NumPy dtype of the data.")
    size = property(lambda self: self.data.size, doc="Number of elements (NumPy's meaning).")
    T = property(lambda self: self.permute(*reversed(range(self.ndim))), doc="Axes reversed.")

    def numel(self) -> int:
        """Number of elements (PyTorch's name)."""
        return self.data.size

    def numpy(self) -> np.ndarray:
        """The data as a NumPy array (shared, not copied)."""
        return self.data

    def item(self) -> float:
        """The single element as a Python number."""
        if self.data.size != 1:
            raise ValueError(f"item() needs a tensor with one element, got shape {self.shape}")
        return self.data.item()

    def tolist(self):
        """The data as nested Python lists."""
        return self.data.tolist()

    def float(self) -> "Tensor":
        """A float32 copy, cut from the graph (for counting, e.g. ``(pred == y).float()``)."""
        return Tensor(self.data.astype(np.float32))

    def argmax(self, axis=None, dim=None) -> "Tensor":
        """Indices of the maxima along ``axis`` (no gradient)."""
        return Tensor(self.data.argmax(axis=dim if axis is None else axis))

    def __float__(self) -> float:
        return float(self.item())

    def __bool__(self) -> bool:
        # As NumPy and PyTorch: only a one-element tensor has a truth value, so
        # `if a == b:` on arrays raises instead of being silently true.
        return bool(self.data)

    def __len__(self) -> int:
        return len(self.data)

    def __repr__(self) -> str:
        body = np.array2string(self.data, separator=", ", prefix="tensor(", precision=4, threshold=20)
        extra = "" if self.dtype in (np.float32, np.int64) else f", dtype={self.dtype}"
        if self._op is not None:
            extra += f", op={self._op.name!r}"
        elif self.requires_grad:
            extra += ", requires_grad=True"
        return f"tensor({body}{extra})"

    # ----------------------------------------------------------- operators
    def __add__(self, other): return _apply("add", self, other)
    def __radd__(self, other): return _apply("add", other, self)
    def __sub__(self, other): return _apply("sub", self, other)
    def __rsub__(self, other): return _apply("sub", other, self)
    def __mul__(self, other): return _apply("mul", self, other)
    def __rmul__(self, other): return _apply("mul", other, self)
    def __truediv__(self, other): return _apply("div", self, other)
    def __rtruediv__(self, other): return _apply("div", other, self)
    def __pow__(self, other): return _apply("pow", self, other)
    def __rpow__(self, other): return _apply("pow", other, self)
    def __matmul__(self, other): return _apply("matmul", self, other)
    def __rmatmul__(self, other): return _apply("matmul", other, self)
    def __neg__(self): return _apply("neg", self)

    def exp(self):
        """Element-wise \\(e^x\\); its derivative is \\(e^x\\) itself."""
        return _apply("exp", self)

    def log(self):
        """Element-wise natural logarithm; derivative \\(1/x\\)."""
        return _apply("log", self)

    def tanh(self):
        """Element-wise \\(\\tanh x\\); derivative \\(1 - \\tanh^2 x\\). Finite at any input."""
        return _apply("tanh", self)

    def sigmoid(self):
        """Element-wise \\(\\sigma(x) = 1/(1+e^{-x})\\), computed without overflow; derivative \\(\\sigma(1-\\sigma)\\)."""
        return _apply("sigmoid", self)

    def relu(self):
        """Element-wise \\(\\max(x, 0)\\); derivative 1 where \\(x > 0\\), else 0 (also at 0)."""
        return _apply("relu", self)

    # Comparisons give plain boolean tensors, outside the graph.
    def __eq__(self, other): return Tensor(self.data == _data(other))
    def __ne__(self, other): return Tensor(self.data != _data(other))
    def __lt__(self, other): return Tensor(self.data < _data(other))
    def __le__(self, other): return Tensor(self.data <= _data(other))
    def __gt__(self, other): return Tensor(self.data > _data(other))
    def __ge__(self, other): return Tensor(self.data >= _data(other))

    # In-place updates (``p -= lr * p.grad``) change .data and are only for no_grad().
    def _inplace(self, ufunc, other):
        if _State.grad_enabled and self.requires_grad:
            raise RuntimeError(
                "in-place update of a tensor that requires grad while recording the graph; "
                "do parameter updates inside `with minigrad.no_grad():`"
            )
        ufunc(self.data, _data(other), out=self.data, casting="same_kind")
        return self

    def __iadd__(self, other): return self._inplace(np.add, other)
    def __isub__(self, other): return self._inplace(np.subtract, other)
    def __imul__(self, other): return self._inplace(np.multiply, other)
    def __itruediv__(self, other): return self._inplace(np.divide, other)

    # ----------------------------------------------------------- reductions and shapes
    def sum(self, axis=None, keepdims=False, *, dim=None, keepdim=None):
        """Sum over ``axis`` (``dim``/``keepdim`` are accepted as PyTorch spells them)."""
        axis, keepdims = _axis(axis, keepdims, dim, keepdim)
        return _apply("sum", self, axis=axis, keepdims=keepdims)

    def mean(self, axis=None, keepdims=False, *, dim=None, keepdim=None):
        """Mean over ``axis``: a sum divided by the count (composed, no backward code)."""
        axis, keepdims = _axis(axis, keepdims, dim, keepdim)
        axes = range(self.ndim) if axis is None else ((axis,) if np.isscalar(axis) else axis)
        count = int(np.prod([self.shape[a] for a in axes]))
        return self.sum(axis=axis, keepdims=keepdims) / count

    def max(self, axis=None, keepdims=False, *, dim=None, keepdim=None):
        """Maximum over ``axis`` (values only; ties share the gradient)."""
        axis, keepdims = _axis(axis, keepdims, dim, keepdim)
        return _apply("max", self, axis=axis, keepdims=keepdims)

    def logsumexp(self, axis=None, keepdims=False, *, dim=None, keepdim=None):
        """log(sum(exp(x))) over ``axis``, computed without overflow."""
        axis, keepdims = _axis(axis, keepdims, dim, keepdim)
        return _apply("logsumexp", self, axis=axis, keepdims=keepdims)

    def softmax(self, axis=-1, *, dim=None):
        """Softmax along ``axis``; see :func:`minigrad.functional.softmax`."""
        from .functional import softmax
        return softmax(self, axis if dim is None else dim)

    def log_softmax(self, axis=-1, *, dim=None):
        """Log-softmax along ``axis``; see :func:`minigrad.functional.log_softmax`."""
        from .functional import log_softmax
        return log_softmax(self, axis if dim is None else dim)

    def reshape(self, *shape):
        """Same data, new shape; ``reshape(2, 3)`` and ``reshape((2, 3))`` both work."""
        shape = tuple(shape[0]) if len(shape) == 1 and not np.isscalar(shape[0]) else shape
        return _apply("reshape", self, shape=shape)

    def permute(self, *axes):
        """Reorder all axes (PyTorch's ``permute``; NumPy's ``transpose(axes)``)."""
        axes = tuple(axes[0]) if len(axes) == 1 and not np.isscalar(axes[0]) else axes
        return _apply("transpose", self, axes=tuple(int(a) for a in axes))

    def transpose(self, dim0=-2, dim1=-1):
        """Swap two axes, as PyTorch's ``transpose(dim0, dim1)``; default: the last two."""
        axes = list(range(self.ndim))
        axes[dim0], axes[dim1] = axes[dim1], axes[dim0]
        return self.permute(*axes)

    def __getitem__(self, index):
        if isinstance(index, tuple):
            index = tuple(_data(i) for i in index)
        else:
            index = _data(index)
        return _apply("getitem", self, index=index)


def _data(x):
    """The raw data behind an operand or index (Tensors unwrap; the rest passes through)."""
    return x.data if isinstance(x, Tensor) else x


def _axis(axis, keepdims, dim, keepdim):
    """Accept PyTorch's ``dim``/``keepdim`` as aliases of ``axis``/``keepdims``."""
    return (axis if dim is None else dim), (keepdims if keepdim is None else keepdim)


_new = object.__new__


def _leaf(array: np.ndarray) -> Tensor:
    """A constant leaf around an array that needs no checking (made by NumPy or already
    validated): skips ``as_array``, since constants are made on every step."""
    t = _new(Tensor)
    t.data, t.grad, t.requires_grad, t.label = array, None, False, ""
    t._parents, t._vjps, t._op, t._kwargs, t._retains_grad, t._scope = (), None, None, None, False, None
    return t


def _constant(x, like: Tensor) -> Tensor:
    """Wrap a non-Tensor operand as a constant; a Python number takes ``like``'s dtype."""
    if isinstance(x, (int, float)) and not isinstance(x, bool) and like.data.dtype.kind == "f":
        return _leaf(np.asarray(x, dtype=like.data.dtype))
    return Tensor(x)


def _apply(name: str, *operands, **kwargs) -> Tensor:
    """Run one tensor primitive and, when recording, link the result into the graph.

    Written as one flat loop on purpose: it runs for every op of every training step.
    """
    spec = REGISTRY[name]
    like = operands[0] if isinstance(operands[0], Tensor) else operands[1]
    parents, arrays, requires_grad = [], [], False
    for x in operands:
        if not isinstance(x, Tensor):
            x = _constant(x, like)
        parents.append(x)
        arrays.append(x.data)
        requires_grad = requires_grad or x.requires_grad
    try:
        data, vjps = spec.tensor(*arrays, **kwargs)
    except ShapeError:
        raise
    except ValueError as err:  # NumPy's broadcasting/reshape errors, made to name the op
        shapes = " and ".join(str(a.shape) for a in arrays)
        raise ShapeError(f"{name}: shapes {shapes} do not fit: {err}") from None
    if _State.anomaly:
        check_finite(data, "forward", name, [a.shape for a in arrays])
    out = _new(Tensor)
    out.data = data if type(data) is np.ndarray else np.asarray(data)
    out.grad, out.label, out._retains_grad, out._scope = None, "", False, _State.scope
    if requires_grad and _State.grad_enabled:
        out.requires_grad, out._parents, out._vjps, out._op = True, tuple(parents), vjps, spec
        out._kwargs = kwargs or None
    else:
        out.requires_grad, out._parents, out._vjps, out._op, out._kwargs = False, (), None, None, None
    return out


def tensor(data, requires_grad: bool = False, dtype=None, label: str = "") -> Tensor:
    """Create a leaf tensor from array-like data (always a copy, as ``torch.tensor``).

    Examples
    --------
    >>> import minigrad
    >>> minigrad.tensor([[1, 2], [3, 4]]).shape
    (2, 2)
    """
    return Tensor(as_array(data, dtype, copy=True), requires_grad=requires_grad, label=label)


def zeros(*shape, requires_grad: bool = False, dtype=np.float32) -> Tensor:
    """A tensor of zeros, float32 by default.

    Examples
    --------
    >>> import minigrad
    >>> minigrad.zeros(2, 3).shape
    (2, 3)
    """
    shape = tuple(shape[0]) if len(shape) == 1 and not np.isscalar(shape[0]) else shape
    return Tensor(np.zeros(shape, dtype=dtype), requires_grad=requires_grad)


def ones(*shape, requires_grad: bool = False, dtype=np.float32) -> Tensor:
    """A tensor of ones, float32 by default.

    Examples
    --------
    >>> import minigrad
    >>> minigrad.ones(3).tolist()
    [1.0, 1.0, 1.0]
    """
    shape = tuple(shape[0]) if len(shape) == 1 and not np.isscalar(shape[0]) else shape
    return Tensor(np.ones(shape, dtype=dtype), requires_grad=requires_grad)

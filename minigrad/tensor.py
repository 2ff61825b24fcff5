"""The tensor engine: :class:`Tensor`, a NumPy array that records the ops applied to it.

The file reads top to bottom as an op runs: :func:`apply_op` records it (operands
converted and promoted by :mod:`minigrad.convert`'s one conversion and one dtype rule),
``Tensor._backward`` applies its VJPs and ``_conform`` undoes broadcasting, then come the
version counter and the in-place API, the differentiable ops and the compositions built
from them. The conveniences outside the graph live in :mod:`minigrad.conveniences`;
``minigrad/simple.py`` is the same engine without the speed paths and the checks.

As in PyTorch, only *leaves* that require a gradient (inputs, parameters) keep
``.grad`` after ``backward()`` (``retain_grad()`` keeps an intermediate's);
``.data`` and ``.grad`` are Tensors; every in-place change is counted, and a
backward pass that would read a changed value raises instead of using it.
``backward()`` frees what the VJPs saved and keeps the graph, so it can be drawn.
"""

from __future__ import annotations

import math
from collections import namedtuple

import numpy as np

from . import tensor_ops  # noqa: F401  (registers the tensor primitives)
from .autograd import Node, freed, _State, backward as _backward_roots, check_finite, next_seq
from .random import default_generator
from .registry import REGISTRY
from .tensor_ops import ShapeError, call, sum_to_shape
from .convert import _DEFAULT_FLOAT, _dtype, _shape_args, as_array, normalize_axes, result_type, to_numpy
from .conveniences import Conveniences
from .devices import as_device, device

__all__ = ["Tensor", "apply_op", "where", "to_numpy", "as_array"]

# ------------------------------------------------------------------ construction

def _init(t: "Tensor", array: np.ndarray, requires_grad: bool = False, parents: tuple = (), op=None,
          kwargs=None, saved=None) -> "Tensor":
    """Fill a Tensor's slots around an array that is already valid: the one constructor.

    A recorded result passes its ``parents``, ``op``, ``kwargs`` and ``saved`` (its
    inputs' versions) here, so that each slot is written once: this runs for every op.
    """
    t._data = array  # one store per line: a multiple assignment would build a tuple first
    t._grad = None
    t.requires_grad = requires_grad
    t.label = ""
    t._parents = parents
    t._op = op
    t._kwargs = kwargs
    t._saved = saved
    t._vc = [0]  # the version counter, in a list that detach() and .data share
    t._stash = None
    t._retains_grad, t._scope, t._seq = False, None, next_seq()
    return t


def _make(array: np.ndarray, requires_grad: bool = False) -> "Tensor":
    """A new leaf around an array that is already valid (skips :func:`as_array`)."""
    return _init(_new(Tensor), array, requires_grad)


_new = object.__new__
_ONES: dict = {}


def _one(dtype) -> np.ndarray:
    """A read-only 1 of ``dtype``: the seed of backward() (VJPs never write into their g)."""
    one = _ONES.get(dtype)
    if one is None:
        one = _ONES[dtype] = np.ones((), dtype)
        one.flags.writeable = False
    return one


# ------------------------------------------------------------------ recording

_CONSTANTS: dict = {}  # (type, number, dtype) -> a shared read-only leaf: `x ** 2`, `lr * g` every step


def _operand(x, dtype) -> "Tensor":
    """A non-Tensor operand (number, list, array) as a constant leaf of ``dtype``.

    Python numbers are made once per value and dtype and shared: they are leaves that
    never require grad, their arrays are read-only, so no graph can change them.
    """
    if (type(x) is float or type(x) is int) and x != 0:  # (0.0 and -0.0 would share a key)
        key = (type(x), x, dtype)
        t = _CONSTANTS.get(key)
        if t is None:
            a = np.asarray(x, dtype=dtype)
            a.flags.writeable = False
            t = _make(a)
            if len(_CONSTANTS) < 1024:
                _CONSTANTS[key] = t
        return t
    return _make(np.asarray(x, dtype=dtype) if isinstance(x, (int, float, np.generic)) else as_array(x, dtype))


def apply_op(name: str, *operands, **kwargs) -> "Tensor":
    """Run the registered tensor primitive ``name`` and, when recording, link the result in.

    The public way to call an op you registered yourself (see ``examples/custom_op.py``).
    Operands are promoted to one dtype (:func:`result_type`); ops registered with
    ``floats=True`` promote integers to float32. NumPy's errors are re-raised naming
    the op and its operands.

    Examples
    --------
    >>> import minigrad
    >>> apply_op("mul", minigrad.tensor([1.0, 2.0]), 3).tolist()
    [3.0, 6.0]
    """
    spec = REGISTRY[name]
    parents = None  # stays None when the general dtype rule is needed
    if len(operands) == 2:  # the common cases, decided without it: two tensors of one
        a, b = operands     # dtype, or a float tensor and a Python number (a shared constant)
        if isinstance(a, Tensor):
            if isinstance(b, Tensor):
                if a._data.dtype == b._data.dtype:
                    parents = operands
            elif (type(b) is float or type(b) is int) and a._data.dtype.kind == "f":
                parents = a, _operand(b, a._data.dtype)
        elif (type(a) is float or type(a) is int) and isinstance(b, Tensor) and b._data.dtype.kind == "f":
            parents = _operand(a, b._data.dtype), b
        if parents is not None:
            a, b = parents
            arrays = a._data, b._data
            requires_grad = a.requires_grad or b.requires_grad
    elif len(operands) == 1 and isinstance(operands[0], Tensor):
        parents = operands
        arrays = (operands[0]._data,)
        requires_grad = operands[0].requires_grad
    if parents is None:  # more operands (linear's three), or mixed ones
        arrays, requires_grad = [], False
        for x in operands:  # tensors of one dtype need no rule either
            if not isinstance(x, Tensor) or (arrays and x._data.dtype != arrays[0].dtype):
                break
            arrays.append(x._data)
            requires_grad = requires_grad or x.requires_grad
        else:
            parents = operands
    if parents is None:  # the general rule: one dtype for all, constants made in it
        dtype = result_type(*operands)
        parents = tuple(x if isinstance(x, Tensor) else _operand(x, dtype) for x in operands)
        arrays = [p._data if p._data.dtype == dtype else p._data.astype(dtype) for p in parents]
        requires_grad = any(p.requires_grad for p in parents)
    if spec.floats and arrays[0].dtype.kind != "f":
        arrays = [a.astype(_DEFAULT_FLOAT) if a.dtype.kind != "f" else a for a in arrays]
    try:
        data = spec.tensor(*arrays, **kwargs) if kwargs else spec.tensor(*arrays)
        if spec.saves:
            data, stash = data
    except ShapeError:
        raise
    except (ValueError, TypeError, IndexError) as err:
        raise _op_error(name, arrays, err) from None
    if _State.anomaly:
        check_finite(data, "forward", name, [a.shape for a in arrays])
    if type(data) is not np.ndarray:
        data = np.asarray(data)
    if requires_grad and _State.grad_enabled:  # recorded: linked to its inputs, whose versions
        if len(parents) == 2:                  # it saves to catch later in-place edits
            saved = parents[0]._vc[0], parents[1]._vc[0]
        else:  # (a loop: a comprehension would cost a function call)
            saved = ()
            for p in parents:
                saved += (p._vc[0],)
        out = _init(_new(Tensor), data, True, parents, spec, kwargs, saved)
        if spec.saves:
            out._stash = stash
    else:  # nothing to record: a plain result (no_grad, or no input requires grad)
        out = _init(_new(Tensor), data)
    scope = _State.scope
    if scope is not None:  # inside an nn.Module's forward: drawings group its ops
        out._scope = scope
    return out


def _op_error(name: str, arrays: list, err: Exception) -> Exception:
    """NumPy's error, saying which op and operands it was about (and whether shapes are to blame)."""
    described = ", ".join(f"{a.shape} {a.dtype}" for a in arrays)
    if len(arrays) > 1 and isinstance(err, ValueError):
        try:
            np.broadcast_shapes(*(a.shape for a in arrays))
        except ValueError:
            if name in ("add", "sub", "mul", "div", "pow", "where"):
                return ShapeError(f"{name}: shapes {' and '.join(str(a.shape) for a in arrays)} "
                                  "cannot be broadcast together")
    return type(err)(f"{name}: {err} (operands: {described})")


# ------------------------------------------------------------------ the Tensor

_MaxResult = namedtuple("max", ["values", "indices"])


class Tensor(Conveniences, Node):
    """An n-dimensional array node of the computational graph.

    Parameters
    ----------
    data : array_like
        Numbers; converted by :func:`as_array` (an ndarray is not copied).
    requires_grad : bool
        Record operations on this tensor so that ``backward()`` can fill ``.grad``.
    dtype : dtype, optional
    label : str, optional
        A name shown in graph drawings.

    Examples
    --------
    >>> import minigrad
    >>> w = minigrad.tensor([1.0, -2.0], requires_grad=True)
    >>> loss = (w * w).sum()
    >>> loss.backward()
    >>> w.grad
    tensor([ 2., -4.])
    """

    __slots__ = ("_data", "_grad", "requires_grad", "label", "_parents", "_kwargs", "_saved", "_vc", "_stash",
                 "_retains_grad", "_scope", "__weakref__")
    __hash__ = Node.__hash__  # == is element-wise, hashing stays by identity
    _record = staticmethod(apply_op)  # what tensor_ops.call uses on a Tensor
    _leaf = staticmethod(lambda array: _make(array))  # what the conveniences return

    def __init__(self, data, requires_grad: bool = False, dtype=None, label: str = ""):
        _init(self, as_array(data, dtype))
        self.label = label
        if requires_grad:
            self.requires_grad_(True)

    # ---------------------------------------------------------- backward
    def _check_versions(self) -> None:
        """Raise if an input this node saved was changed in place after the forward."""
        for i, (p, v) in enumerate(zip(self._parents, self._saved)):
            if p._vc[0] != v:
                name = f" '{p.label}'" if p.label else ""
                raise RuntimeError(
                    f"one of the tensors needed for gradient computation has been modified by an in-place "
                    f"operation: input {i}{name} of '{self._op.name}' (shape {tuple(p.shape)}, {p.dtype}) is at "
                    f"version {p._vc[0]}; expected version {v}. Change it after backward(), or compute "
                    "on a copy (x.clone()).")

    def _backward(self, g, create_graph: bool = False):
        """(parent, gradient) for each input that requires grad. Every gradient passes
        through ``_conform``: the one place where broadcasting is undone."""
        parents, saved, op, kw = self._parents, self._saved, self._op, self._kwargs
        if len(parents) == 2 and not (kw or op.saves or create_graph):
            # A binary op on arrays (add, mul, matmul, ...), the usual node: the general
            # code below, unrolled, since it runs for every node of every backward pass.
            a, b = parents
            if a._vc[0] != saved[0] or b._vc[0] != saved[1]:
                self._check_versions()  # raises, naming the op and the input
            x, y, out = a._data, b._data, self._data
            vjp_a, vjp_b = op.tensor_vjps
            result = []
            if a.requires_grad:  # a constant's VJP never runs
                result.append((a, a._conform(vjp_a(g, x, y, out))))
            if b.requires_grad:
                result.append((b, b._conform(vjp_b(g, x, y, out))))
            return result
        if len(parents) == 1 and not (op.saves or create_graph):
            # A unary op on arrays (sum, exp, reshape, ...): unrolled the same way.
            (a,) = parents
            if a._vc[0] != saved[0]:
                self._check_versions()
            if not a.requires_grad:
                return []
            (vjp,) = op.tensor_vjps
            ga = vjp(g, a._data, self._data, **kw) if kw else vjp(g, a._data, self._data)
            return [(a, a._conform(ga))]
        inputs = []
        for p, version in zip(parents, saved):
            if p._vc[0] != version:
                self._check_versions()
            inputs.append(p._data)
        if op.saves:  # the forward's intermediates: plain arrays, so only for a first-order pass
            kw = {**kw, "saved": None if create_graph else self._stash}
        if create_graph:  # the VJPs run on nodes while recording: the gradient gets a graph
            g = g if isinstance(g, Tensor) else _make(np.asarray(g))
            inputs, out = parents, self
        else:
            out = self._data
        result = []
        for p, vjp in zip(parents, op.tensor_vjps):
            if p.requires_grad:  # a constant's VJP never runs
                gp = vjp(g, *inputs, out, **kw) if kw else vjp(g, *inputs, out)
                result.append((p, p._conform(gp)))
        return result

    def _conform(self, g):
        """The gradient in this tensor's shape (broadcast undone) and dtype."""
        data = self._data
        if g.shape != data.shape:
            g = sum_to_shape(g, data.shape)
        if g.dtype is not data.dtype and g.dtype != data.dtype:  # (`is` first: dtypes are shared)
            g = call("cast", g, dtype=data.dtype) if isinstance(g, Tensor) else np.asarray(g, data.dtype)
        return g

    def _free(self) -> None:
        """Let go of what the VJPs needed (saved versions, the forward's intermediates,
        keyword arguments) once backward() used them, as PyTorch frees its saved tensors.
        Parents, data and gradients stay: ``loss.backward(); draw(loss)`` works."""
        self._op = freed(self._op)
        self._kwargs = self._saved = self._stash = None

    def _accumulate(self, g, create_graph: bool = False) -> None:
        grad = self._grad
        if grad is None and not create_graph:  # the first gradient, the usual case
            self._grad = _init(_new(Tensor), np.array(g))  # a VJP may share one array between nodes: a copy
        elif create_graph or grad.requires_grad:
            g = g if isinstance(g, Tensor) else _make(np.asarray(g))
            self._grad = g if grad is None else grad + g
        else:
            np.add(grad._data, g, out=grad._data)  # accumulate in place, as PyTorch
            grad._vc[0] += 1

    def _seed(self, gradient, what: str):
        if not self.requires_grad:
            raise RuntimeError(
                f"{what}() on a tensor that does not require grad: none of its inputs has "
                "requires_grad=True, or it was computed under no_grad()")
        if gradient is None:
            if self._data.size != 1:
                raise RuntimeError(
                    f"{what}() without a gradient needs a scalar output, got shape {tuple(self.shape)}; "
                    "pass gradient= (same shape) or reduce first, e.g. loss.sum()")
            return _one(self._data.dtype).reshape(self._data.shape)  # a view: the shared 1 stays read-only
        seed = gradient if isinstance(gradient, Tensor) and gradient.requires_grad else as_array(gradient, self.dtype)
        if seed.shape != self._data.shape:
            raise ShapeError(f"{what}(): gradient has shape {tuple(seed.shape)} but the output has shape {tuple(self.shape)}")
        return seed

    def _wrap_grad(self, g, create_graph: bool):
        return g if isinstance(g, Tensor) else _make(np.array(g))

    def backward(self, gradient=None, retain_graph=None, create_graph: bool = False) -> None:
        """Add d(self)/d(leaf) into ``leaf.grad`` for every leaf that requires grad.

        Parameters
        ----------
        gradient : array_like, optional
            d(loss)/d(self), needed when ``self`` is not a scalar.
        retain_graph : bool, optional
            Keep the graph so that ``backward()`` can run through it again (default:
            ``create_graph``).
        create_graph : bool
            Record the backward pass, so that ``.grad`` can be differentiated again.

        Examples
        --------
        >>> import minigrad
        >>> x = minigrad.tensor([1.0, 2.0, 3.0], requires_grad=True)
        >>> (x * 2).backward(gradient=[1.0, 0.0, 1.0])
        >>> x.grad
        tensor([2., 0., 2.])
        """
        _backward_roots([self], [gradient], retain_graph, create_graph)

    def retain_grad(self) -> "Tensor":
        """Keep ``.grad`` on this intermediate result after ``backward()``."""
        self._retains_grad = True
        return self

    def requires_grad_(self, requires_grad: bool = True) -> "Tensor":
        """Set ``requires_grad`` on a leaf, in place, and return it (PyTorch's rules).

        Only floating-point tensors can require gradients; a non-leaf's flag cannot be
        turned off (use ``detach()``).
        """
        if self._op is not None and not requires_grad:
            raise RuntimeError("requires_grad_(False) on a tensor computed by an op (a non-leaf): its flag "
                               "follows its inputs. Use y.detach() for a copy outside the graph")
        if requires_grad and self._data.dtype.kind != "f":
            raise TypeError(f"only floating-point tensors can require gradients, got dtype {self.dtype}")
        self.requires_grad = bool(requires_grad)
        return self

    @property
    def grad(self):
        """d(output)/d(self) after ``backward()``: a Tensor, or None."""
        return self._grad

    @grad.setter
    def grad(self, value):
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError(f"assigned grad must be a Tensor or None, got {type(value).__name__}")
            if value.shape != self.shape:
                raise ShapeError(f"assigned grad has shape {tuple(value.shape)}, the tensor has {tuple(self.shape)}")
        self._grad = value

    @property
    def grad_fn(self):
        """The op that made this tensor (None for a leaf), PyTorch's name for it."""
        return self._op

    # ---------------------------------------------------------- data and versions
    @property
    def data(self) -> "Tensor":
        """The same numbers outside the graph: shares memory *and* the version counter.

        Writing through it (``w.data.normal_(0, 0.01)``) changes ``w``; unlike PyTorch,
        a backward pass that would read the changed value raises.
        """
        return self.detach()

    @data.setter
    def data(self, value):
        self._data = as_array(value)
        self._vc[0] += 1

    @property
    def _version(self) -> int:
        """How many in-place changes this tensor (and its ``.data``/``detach()`` views) had."""
        return self._vc[0]

    def detach(self) -> "Tensor":
        """A tensor with the same data (shared) and version counter, cut from the graph."""
        t = _make(self._data)
        t._vc = self._vc
        return t

    def _write(self, what: str, fn, *args) -> "Tensor":
        """Every in-place change goes through here: permission, ``fn(array, *args)``, the version bump."""
        if self.requires_grad and _State.grad_enabled:
            if self._op is None:
                raise RuntimeError(
                    f"{what}: a leaf tensor that requires grad is being changed in place while the graph is "
                    "recorded; do parameter updates inside `with minigrad.no_grad():`, or on `.data`")
            raise RuntimeError(
                f"{what}: in-place change of a tensor computed by '{self.op}' inside a recorded graph; "
                "minigrad does not rewrite graphs: write `y = y + ...` instead")
        try:
            fn(self._data, *args)
        except (ValueError, TypeError) as err:
            raise type(err)(f"{what}: {err} (tensor {tuple(self.shape)} {self.dtype})") from None
        self._vc[0] += 1
        return self

    def _ufunc_(self, ufunc, other, what):
        """``self = ufunc(self, other)`` in place (``+=``, ``sub_``, ...)."""
        if isinstance(other, Tensor):
            if other.requires_grad:
                _refuse_graph_operand(other, what)
            other = other._data
        else:
            other = to_numpy(other)
        # ufunc(a, other, a): the third argument is `out`, the array itself; a ufunc
        # casts "same_kind" by default (float64 into float32 yes, float into int no).
        return self._write(what, ufunc, other, self._data)

    def __iadd__(self, other): return self._ufunc_(np.add, other, "+=")
    def __isub__(self, other): return self._ufunc_(np.subtract, other, "-=")
    def __imul__(self, other): return self._ufunc_(np.multiply, other, "*=")
    def __itruediv__(self, other): return self._ufunc_(np.divide, other, "/=")

    def add_(self, other, alpha=1):
        """In place: ``self += alpha * other``."""
        return self._ufunc_(np.add, to_numpy(other) * alpha if alpha != 1 else other, "add_")

    def sub_(self, other, alpha=1):
        """In place: ``self -= alpha * other``."""
        return self._ufunc_(np.subtract, to_numpy(other) * alpha if alpha != 1 else other, "sub_")

    def mul_(self, other):
        """In place: ``self *= other``."""
        return self._ufunc_(np.multiply, other, "mul_")

    def div_(self, other):
        """In place: ``self /= other``."""
        return self._ufunc_(np.divide, other, "div_")

    def zero_(self):
        """Fill with zeros, in place (``w.grad.zero_()``)."""
        return self._write("zero_", lambda a: a.fill(0))

    def fill_(self, value):
        """Fill with ``value``, in place (``net[0].bias.data.fill_(0)``)."""
        return self._write("fill_", lambda a: a.fill(to_numpy(value)))

    def copy_(self, src):
        """Copy ``src`` (broadcast to this shape) into this tensor, in place."""
        _refuse_graph_operand(src, "copy_")
        return self._write("copy_", lambda a: np.copyto(a, to_numpy(src), casting="same_kind"))

    def normal_(self, mean=0.0, std=1.0):
        """Fill with draws from N(mean, std²), in place, from :mod:`minigrad.random`."""
        return self._write("normal_", lambda a: np.copyto(a, default_generator().normal(mean, std, a.shape), casting="unsafe"))

    def uniform_(self, a=0.0, b=1.0):
        """Fill with draws from U(a, b), in place, from :mod:`minigrad.random`."""
        return self._write("uniform_", lambda x: np.copyto(x, default_generator().uniform(a, b, x.shape), casting="unsafe"))

    def clamp_(self, min=None, max=None):  # noqa: A002  (PyTorch's names)
        """Clip to [min, max], in place."""
        return self._write("clamp_", lambda a: np.clip(a, min, max, out=a))

    def __setitem__(self, index, value):
        _refuse_graph_operand(value, "setitem")
        index = _index(index)
        self._write("setitem", lambda a: a.__setitem__(index, to_numpy(value)))

    # ---------------------------------------------------------- differentiable ops
    def __add__(self, other): return apply_op("add", self, other)
    def __radd__(self, other): return apply_op("add", other, self)
    def __sub__(self, other): return apply_op("sub", self, other)
    def __rsub__(self, other): return apply_op("sub", other, self)
    def __mul__(self, other): return apply_op("mul", self, other)
    def __rmul__(self, other): return apply_op("mul", other, self)
    def __truediv__(self, other): return apply_op("div", self, other)
    def __rtruediv__(self, other): return apply_op("div", other, self)
    def __pow__(self, other): return apply_op("pow", self, other)
    def __rpow__(self, other): return apply_op("pow", other, self)
    def __matmul__(self, other): return apply_op("matmul", self, other)
    def __rmatmul__(self, other): return apply_op("matmul", other, self)
    def __neg__(self): return apply_op("neg", self)
    def __abs__(self): return apply_op("abs", self)

    def exp(self):
        """Element-wise \\(e^x\\); its derivative is \\(e^x\\) itself."""
        return apply_op("exp", self)

    def log(self):
        """Element-wise natural logarithm; derivative \\(1/x\\)."""
        return apply_op("log", self)

    def tanh(self):
        """Element-wise \\(\\tanh x\\); derivative \\(1 - \\tanh^2 x\\). Finite at any input."""
        return apply_op("tanh", self)

    def sigmoid(self):
        """Element-wise \\(\\sigma(x) = 1/(1+e^{-x})\\), without overflow; derivative \\(\\sigma(1-\\sigma)\\)."""
        return apply_op("sigmoid", self)

    def relu(self):
        """Element-wise \\(\\max(x, 0)\\); derivative 1 where \\(x > 0\\), else 0 (also at 0)."""
        return apply_op("relu", self)

    def abs(self):
        """Element-wise \\(|x|\\); derivative sign(x), 0 at 0."""
        return apply_op("abs", self)

    def matmul(self, other):
        """Matrix product, as ``self @ other``."""
        return apply_op("matmul", self, other)

    def sum(self, dim=None, keepdim=False, *, axis=None, keepdims=None):
        """Sum over ``dim`` (all elements by default); ``axis``/``keepdims`` are NumPy's names."""
        return apply_op("sum", self, **self._reduce_args(dim, axis, keepdim, keepdims, "sum"))

    def amax(self, dim=None, keepdim=False, *, axis=None, keepdims=None):
        """Largest value over ``dim``; ties share the gradient equally."""
        return apply_op("max", self, **self._reduce_args(dim, axis, keepdim, keepdims, "amax"))

    def logsumexp(self, dim=None, keepdim=False, *, axis=None, keepdims=None):
        """\\(\\log\\sum e^x\\) over ``dim``, computed without overflow (-inf over an empty axis)."""
        return apply_op("logsumexp", self, **self._reduce_args(dim, axis, keepdim, keepdims, "logsumexp"))

    def reshape(self, *shape):
        """Same data, new shape; ``reshape(2, 3)`` and ``reshape((2, 3))`` both work, -1 is inferred."""
        shape = _shape_args(shape, "reshape")
        known = int(np.prod([n for n in shape if n != -1], dtype=np.int64))
        size = self._data.size
        if shape.count(-1) > 1 or any(n < -1 for n in shape) or (
                size != known if -1 not in shape else (known == 0 or size % known)):
            raise ShapeError(f"reshape: cannot view shape {tuple(self.shape)} ({size} elements) as {shape}")
        return apply_op("reshape", self, shape=shape)

    view = reshape

    def permute(self, *dims):
        """Reorder all axes (negative axes count from the end)."""
        dims = _shape_args(dims, "permute")
        axes = normalize_axes(dims, self.ndim, "permute")
        if len(axes) != self.ndim:
            raise ValueError(f"permute: {dims} must name each of the {self.ndim} dimensions exactly once")
        return apply_op("transpose", self, axes=axes)

    def transpose(self, dim0=-2, dim1=-1):
        """Swap two axes (the last two by default)."""
        (d0,) = normalize_axes(dim0, self.ndim, "transpose") or (0,)
        (d1,) = normalize_axes(dim1, self.ndim, "transpose") or (0,)
        if self.ndim < 2 or d0 == d1:
            return self
        axes = list(range(self.ndim))
        axes[d0], axes[d1] = axes[d1], axes[d0]
        return apply_op("transpose", self, axes=tuple(axes))

    def expand(self, *sizes):
        """Broadcast to a larger shape (-1 keeps a size), as an explicit op."""
        sizes = _shape_args(sizes, "expand")
        lead = len(sizes) - self.ndim
        shape = tuple(self.shape[i - lead] if n == -1 else n for i, n in enumerate(sizes))
        try:
            np.broadcast_shapes(self.shape, shape)
        except ValueError:
            raise ShapeError(f"expand: shape {tuple(self.shape)} cannot be expanded to {sizes}") from None
        return apply_op("expand", self, shape=shape)

    def __getitem__(self, index):
        try:
            return apply_op("getitem", self, index=_index(index))
        except IndexError as err:
            raise IndexError(f"{err} (indexing a tensor of shape {tuple(self.shape)})") from None

    def to(self, dtype=None, *args, **kwargs):
        """A copy of another dtype (``self`` if it already has it); a device must be the CPU.

        Between float dtypes the cast is recorded (gradients flow back, cast again); to
        an integer or bool dtype the result is outside the graph, as in PyTorch.
        ``to("cpu")``, ``to(minigrad.device("cpu"))`` and ``to(device=...)`` return ``self``;
        a GPU raises (minigrad is CPU only).
        """
        if "device" in kwargs:
            as_device(kwargs["device"], "to")
        if isinstance(dtype, device) or (isinstance(dtype, str) and dtype.split(":")[0] in ("cpu", "cuda", "mps")):
            as_device(dtype, "to")
            dtype = kwargs.get("dtype", args[0] if args else None)
        else:
            dtype = kwargs.get("dtype", dtype)
        if dtype is None or _dtype(dtype) == self.dtype:
            return self
        dt = _dtype(dtype)
        return apply_op("cast", self, dtype=dt) if dt.kind == "f" else _make(self._data.astype(dt))

    def clone(self):
        """A copy with its own memory; gradients flow back through it."""
        return apply_op("cast", self, dtype=self.dtype)

    # ---------------------------------------------------------- compositions (no backward code)
    def mean(self, dim=None, keepdim=False, *, axis=None, keepdims=None):
        """Mean over ``dim``: a sum divided by the count. Floating point only, as PyTorch."""
        if self._data.dtype.kind != "f":
            raise TypeError(f"mean(): needs a floating-point tensor, got {self.dtype}; convert with .float()")
        kw = self._reduce_args(dim, axis, keepdim, keepdims, "mean")
        shape, axes = self._data.shape, kw["axis"]
        count = math.prod(shape if axes is None else [shape[i] for i in axes])
        return apply_op("sum", self, **kw) / count

    def max(self, dim=None, keepdim=False, *, axis=None, keepdims=None):
        """Maximum: of all elements (ties share the gradient), or ``(values, indices)`` along ``dim``.

        Along a dimension the gradient goes to the first maximum (the index returned),
        as PyTorch. ``max(other_tensor)`` is the element-wise maximum.
        """
        if isinstance(dim, Tensor):
            return where(self >= dim, self, dim)
        d = dim if axis is None else axis
        if d is None:
            return self.amax()
        k = keepdim if keepdims is None else keepdims
        if self.ndim == 0:  # a 0-d tensor along dim 0 or -1: itself, at index 0
            normalize_axes(d, 0, "max")
            return _MaxResult(self.reshape(()), _make(np.asarray(0)))
        (ax,) = normalize_axes(d, self.ndim, "max")
        indices = self.argmax(ax, keepdim=True)
        values = self._gather(ax, indices._data)
        if not k:
            values, indices = values.squeeze(ax), indices.squeeze(ax)
        return _MaxResult(values, indices)

    def min(self, dim=None, keepdim=False, *, axis=None, keepdims=None):
        """Minimum, as :meth:`max` (``-max(-x)``)."""
        if isinstance(dim, Tensor):
            return where(self <= dim, self, dim)
        result = (-self).max(dim, keepdim, axis=axis, keepdims=keepdims)
        if isinstance(result, Tensor):
            return -result
        return _MaxResult(-result.values, result.indices)

    def _gather(self, axis: int, indices: np.ndarray) -> "Tensor":
        """Pick one element per position along ``axis`` (indices keep the axis as size 1)."""
        grid = list(np.indices(indices.shape, sparse=True))
        grid[axis] = indices
        return self[tuple(grid)] if self.ndim else self

    def log_softmax(self, dim=-1):
        """\\(x_i - \\log\\sum_j e^{x_j}\\) along ``dim``: stable for logits of any size."""
        return self - self.logsumexp(dim, keepdim=True)

    def softmax(self, dim=-1):
        """\\(e^{x_i} / \\sum_j e^{x_j}\\) along ``dim``, as ``exp(log_softmax)``: no overflow."""
        return self.log_softmax(dim).exp()

    def sqrt(self):
        """\\(\\sqrt x = x^{1/2}\\); gradient \\(1/(2\\sqrt x)\\)."""
        return self ** 0.5

    def square(self):
        """\\(x^2\\), as ``x * x``."""
        return self * self

    def pow(self, exponent):
        """``self ** exponent``."""
        return self ** exponent

    def clamp(self, min=None, max=None):  # noqa: A002
        """Clip to [min, max]; the gradient is 0 where clipped."""
        out = self
        if min is not None:
            out = where(out < min, min, out)
        if max is not None:
            out = where(out > max, max, out)
        return out

    def unsqueeze(self, dim):
        """Insert a size-1 axis at ``dim``."""
        (d,) = normalize_axes(dim, self.ndim + 1, "unsqueeze")
        return self.reshape(self.shape[:d] + (1,) + self.shape[d:])

    def squeeze(self, dim=None):
        """Remove size-1 axes (all, or ``dim`` if it has size 1)."""
        axes = normalize_axes(dim, self.ndim, "squeeze")
        keep = [n for i, n in enumerate(self.shape) if n != 1 or (axes is not None and i not in axes)]
        return self.reshape(tuple(keep))

    def flatten(self, start_dim=0, end_dim=-1):
        """Merge the axes ``start_dim..end_dim`` into one."""
        if self.ndim == 0:
            return self.reshape(1)
        (s,) = normalize_axes(start_dim, self.ndim, "flatten")
        (e,) = normalize_axes(end_dim, self.ndim, "flatten")
        return self.reshape(self.shape[:s] + (-1,) + self.shape[e + 1:])

    def t(self):
        """Transpose a matrix (a 0-d or 1-D tensor is returned as is)."""
        if self.ndim > 2:
            raise ValueError(f"t() expects a tensor with <= 2 dimensions, got {self.ndim}; use transpose(a, b)")
        return self.transpose(0, 1) if self.ndim == 2 else self

    T = property(lambda self: apply_op("transpose", self, axes=tuple(reversed(range(self.ndim)))),
                 doc="Axes reversed.")

    # ---------------------------------------------------------- the book's chapter 2 (issue 21)
    def cumsum(self, dim=None, *, axis=None):
        """Running sum along ``dim`` (``axis`` is NumPy's name); integers and bools give int64.

        Examples
        --------
        >>> import minigrad
        >>> minigrad.tensor([[1, 2], [3, 4]]).cumsum(dim=0).tolist()
        [[1, 2], [4, 6]]
        """
        d = dim if axis is None else axis
        if d is None:
            raise TypeError("cumsum() missing the dimension: pass dim= (or axis=), as PyTorch requires")
        (ax,) = normalize_axes(d, self.ndim, "cumsum") or (0,)
        x = self if self.ndim else self.reshape(1)  # a 0-d tensor is its own running sum
        out = apply_op("cumsum", x.long() if x.dtype.kind in "bui" else x, axis=ax)
        return out if self.ndim else out.reshape(())

    def norm(self, p="fro", dim=None, keepdim=False):
        """The ``p``-norm over ``dim`` (all elements by default): 2 (``"fro"``), 1, inf, -inf or any p > 0.

        The 2-norm is a primitive (its gradient ``x / ||x||`` is 0 at ``x = 0``, where a
        composed ``sqrt(sum(x**2))`` would give nan); the others are compositions.

        Examples
        --------
        >>> import minigrad
        >>> minigrad.tensor([3.0, -4.0]).norm(), minigrad.tensor([3.0, -4.0]).norm(p=1)
        (tensor(5.), tensor(7.))
        """
        if self.dtype.kind != "f":
            raise TypeError(f"norm(): needs a floating-point tensor, got {self.dtype}; convert with .float()")
        kw = self._reduce_args(dim, None, keepdim, None, "norm")
        if p in ("fro", 2, 2.0):
            return apply_op("norm", self, **kw)
        if isinstance(p, str) or not (p > 0 or p == -math.inf):
            raise ValueError(f"norm(): p must be 'fro', inf, -inf or a number > 0, got {p!r}")
        if p == math.inf:
            return self.abs().amax(dim, keepdim)
        if p == -math.inf:
            return -(-self.abs()).amax(dim, keepdim)
        if p == 1:
            return self.abs().sum(dim, keepdim)
        return (self.abs() ** p).sum(dim, keepdim) ** (1 / p)

    def dot(self, other):
        """Inner product of two 1-D tensors of the same length (``torch.dot``): a matmul.

        Examples
        --------
        >>> import minigrad
        >>> minigrad.tensor([1.0, 2.0]).dot(minigrad.tensor([3.0, 4.0]))
        tensor(11.)
        """
        _check_matrix_args("dot", self, other, 1, 1)
        return apply_op("matmul", self, other)

    def mm(self, other):
        """Product of two matrices (2-D only, as ``torch.mm``): a matmul.

        Examples
        --------
        >>> import minigrad
        >>> minigrad.ones(2, 3).mm(minigrad.ones(3, 4)).shape
        minigrad.Size([2, 4])
        """
        _check_matrix_args("mm", self, other, 2, 2)
        return apply_op("matmul", self, other)

    def mv(self, vec):
        """Matrix times vector (2-D and 1-D, as ``torch.mv``): a matmul.

        Examples
        --------
        >>> import minigrad
        >>> minigrad.ones(2, 3).mv(minigrad.arange(3.0))
        tensor([3., 3.])
        """
        _check_matrix_args("mv", self, vec, 2, 1)
        return apply_op("matmul", self, vec)
    # ---------------------------------------------------------- end of the chapter-2 block

    # ---------------------------------------------------------- outside the graph
    def _reduce_args(self, dim, axis, keepdim, keepdims, op):
        axes = dim if axis is None else axis
        return {"axis": None if axes is None else normalize_axes(axes, self._data.ndim, op),  # None: every axis
                "keepdims": bool(keepdim if keepdims is None else keepdims)}

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        # ndarray + Tensor and np.exp(t) are recorded ops, as t + ndarray is; any other
        # NumPy function (np.isfinite, np.allclose) sees the plain arrays, outside the graph.
        name = _UFUNC_OPS.get(ufunc)
        if method == "__call__" and name is not None and not kwargs:
            return apply_op(name, *inputs)
        arrays = [x.numpy() if isinstance(x, Tensor) else x for x in inputs]
        if "out" in kwargs:
            kwargs["out"] = tuple(x.numpy() if isinstance(x, Tensor) else x for x in kwargs["out"])
        return getattr(ufunc, method)(*arrays, **kwargs)



_UFUNC_OPS = {np.add: "add", np.subtract: "sub", np.multiply: "mul", np.true_divide: "div",
              np.power: "pow", np.matmul: "matmul", np.negative: "neg", np.absolute: "abs",
              np.exp: "exp", np.log: "log", np.tanh: "tanh"}


def _check_matrix_args(op: str, a, b, ndim_a: int, ndim_b: int) -> None:
    """dot, mm and mv take exactly 1-D/2-D operands (matmul would broadcast): say so otherwise."""
    b_ndim = np.ndim(b._data if isinstance(b, Tensor) else b)
    if a.ndim != ndim_a or b_ndim != ndim_b:
        raise ShapeError(f"{op}: expects {ndim_a}-D and {ndim_b}-D operands, got shapes {tuple(a.shape)} "
                         f"and {tuple(np.shape(b._data if isinstance(b, Tensor) else b))}")


def _refuse_graph_operand(value, what: str) -> None:
    """An in-place write would drop the graph of a value that requires grad: say so."""
    if isinstance(value, Tensor) and value.requires_grad and _State.grad_enabled:
        raise RuntimeError(f"{what}: the value written requires grad, and an in-place write would drop its "
                           "gradient; minigrad records no in-place ops: build the result with "
                           "minigrad.cat / stack / where, or write under no_grad() if no gradient is wanted")


def _index(index):
    """An index with Tensors, lists and ranges made into arrays NumPy understands."""
    def one(i):
        if isinstance(i, Tensor):
            return i._data
        if isinstance(i, (list, range)):
            return np.asarray(i)
        return i
    return tuple(one(i) for i in index) if isinstance(index, tuple) else one(index)


def where(condition, input, other):  # noqa: A002  (PyTorch's names)
    """Element-wise ``input`` where ``condition`` holds, else ``other`` (both differentiable).

    Examples
    --------
    >>> import minigrad
    >>> x = minigrad.tensor([-1.0, 2.0])
    >>> where(x > 0, x, 0.0).tolist()
    [0.0, 2.0]
    """
    cond = to_numpy(condition).astype(bool)
    return apply_op("where", input, other, condition=cond)

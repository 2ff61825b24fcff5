"""The tensor engine: :class:`Tensor`, a NumPy array that records the ops applied to it.

The file reads top to bottom as an op runs: :func:`apply_op` records it (operands
converted and promoted by :mod:`minigrad.convert`'s one conversion and one dtype rule;
the operators ``+ - * / ** @`` on their usual operands take a measured shortcut, :func:`_arith`),
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
import operator
from collections import namedtuple

import numpy as np

from . import tensor_ops  # noqa: F401  (registers the tensor primitives)
from .autograd import Node, freed, _anomaly, _grad_enabled, _scope, backward as _backward_roots, check_finite, next_seq
from .registry import REGISTRY
from .tensor_ops import ShapeError, call, sum_to_shape, view_of
from .inplace import InPlace, _index
from .convert import _DEFAULT_FLOAT, _dtype, _shape_args, as_array, normalize_axes, result_type, to_numpy
from .conveniences import Conveniences
from .devices import as_device, device

__all__ = ["Tensor", "apply_op", "where", "to_numpy", "as_array"]

# ------------------------------------------------------------------ construction

def _init(t: "Tensor", array: np.ndarray, requires_grad: bool = False, parents: tuple = (), op=None,
          kwargs=None, versions=None) -> "Tensor":
    """Fill a Tensor's slots around an array that is already valid: the one constructor.

    A recorded result passes its ``parents``, ``op``, ``kwargs`` and ``versions`` (its
    inputs' versions) here, so that each slot is written once: this runs for every op.
    """
    t._data = array  # one store per line: a multiple assignment would build a tuple first
    t._grad = None
    t._rg = requires_grad
    t.label = ""
    t._inputs = parents
    t._op = op
    t._kwargs = kwargs
    t._versions = versions  # the versions of the inputs and (last) of the output when recorded
    t._vc = [0]  # the version counter, in a list that views, detach() and .data share
    t._stash = None
    t._base = t._prior = None  # (see _view_of and InPlace._inplace)
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
            requires_grad = a._rg or b._rg
            if a._base is not None or b._base is not None:
                _refresh_views(parents)
    elif len(operands) == 1 and isinstance(operands[0], Tensor):
        parents = operands
        arrays = (operands[0]._data,)
        requires_grad = operands[0]._rg
        if operands[0]._base is not None:
            _refresh_views(parents)
    if parents is None:  # more operands (linear's three), or mixed ones
        arrays, requires_grad, views = [], False, False
        for x in operands:  # tensors of one dtype need no rule either
            if not isinstance(x, Tensor) or (arrays and x._data.dtype != arrays[0].dtype):
                break
            arrays.append(x._data)
            requires_grad = requires_grad or x._rg
            views = views or x._base is not None
        else:
            parents = operands
            if views:
                _refresh_views(parents)
    if parents is None:  # the general rule: one dtype for all, constants made in it
        dtype = result_type(*operands)
        parents = tuple(x if isinstance(x, Tensor) else _operand(x, dtype) for x in operands)
        arrays = [p._data if p._data.dtype == dtype else p._data.astype(dtype) for p in parents]
        requires_grad = any(p._rg for p in parents)
        _refresh_views(parents)
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
    if _anomaly():
        check_finite(data, "forward", name, [a.shape for a in arrays])
    if type(data) is not np.ndarray:
        data = np.asarray(data)
    # A result that is a view of its input (basic indexing, reshape, transpose, expand, ...)
    # shares its memory, as in PyTorch, and so its version counter too.
    view = data.base is not None and len(parents) == 1 and np.may_share_memory(data, parents[0]._data)
    if requires_grad and _grad_enabled():  # recorded: linked to its inputs, whose versions
        if len(parents) == 2:                  # it saves (and its own) to catch later in-place edits
            versions = parents[0]._vc[0], parents[1]._vc[0], parents[0]._vc[0] if view else 0
        else:  # (a loop: a comprehension would cost a function call)
            versions = ()
            for p in parents:
                versions += (p._vc[0],)
            versions += (parents[0]._vc[0] if view else 0,)
        out = _init(_new(Tensor), data, True, parents, spec, kwargs, versions)
        if spec.saves:
            out._stash = stash
    else:  # nothing to record: a plain result (no_grad, or no input requires grad)
        out = _init(_new(Tensor), data)
    if view:
        _view_of(out, parents[0], name, kwargs)
    scope = _scope()
    if scope is not None:  # inside an nn.Module's forward: drawings group its ops
        out._scope = scope
    return out


def _arith(name: str, a, b) -> "Tensor":
    """``a + b``, ``x ** 2``, ``X @ w``, ``lr * g``: the operators' entry, for their usual operands.

    Two tensors of one dtype, or a float tensor and a Python number, need no dtype rule,
    and none of these ops' results is a view: NumPy computes the result here and, when it
    is recorded, it is linked in here with the slots :func:`apply_op` fills. Anything else
    goes through :func:`apply_op`: mixed dtypes, an integer division, an input that is a
    view (its history may need a refresh), anomaly mode, an error to name.

    Measured against the operators going through :func:`apply_op`: in instructions
    (``python -m benchmarks.instructions``, a count that repeats run after run), the W2
    scratch step 0.953x, the concise step 0.968x; in time (benchmarks, 3 processes, side
    by side), the book's ``sgd`` alone (W2-sgd) 0.89x (0.89-0.92).
    """
    if isinstance(a, Tensor):
        x = a._data
        if isinstance(b, Tensor):
            y = b._data
            if y.dtype is not x.dtype:
                return apply_op(name, a, b)
        elif (type(b) is float or type(b) is int) and x.dtype.kind == "f":
            b = _operand(b, x.dtype)
            y = b._data
        else:
            return apply_op(name, a, b)
    elif isinstance(b, Tensor) and (type(a) is float or type(a) is int) and b._data.dtype.kind == "f":
        y = b._data
        a = _operand(a, y.dtype)
        x = a._data
    else:
        return apply_op(name, a, b)
    record = (a._rg or b._rg) and _grad_enabled()
    if _anomaly() or (record and (a._base is not None or b._base is not None)):
        return apply_op(name, a, b)
    spec = REGISTRY[name]
    if spec.floats and x.dtype.kind != "f":
        return apply_op(name, a, b)
    try:
        data = spec.tensor(x, y)
    except Exception:  # noqa: BLE001  (apply_op raises it again, naming the op and the operands)
        return apply_op(name, a, b)
    if type(data) is not np.ndarray:  # (a 0-d result is a NumPy scalar)
        data = np.asarray(data)
    if record:  # the inputs' versions, and 0 for the output (not a view), as apply_op saves them
        out = _init(_new(Tensor), data, True, (a, b), spec, None, (a._vc[0], b._vc[0], 0))
    else:
        out = _init(_new(Tensor), data)
    scope = _scope()
    if scope is not None:  # inside an nn.Module's forward (as apply_op)
        out._scope = scope
    return out


def _operator(name: str, reflected: bool = False):
    """The method behind ``x + y`` (``y + x`` when ``reflected``): :func:`_arith`."""
    if reflected:
        def method(self, other):
            return _arith(name, other, self)
    else:
        def method(self, other):
            return _arith(name, self, other)
    method.__name__ = f"__{'r' if reflected else ''}{name}__"
    return method


def _view_of(out: "Tensor", src: "Tensor", name: str, kwargs) -> None:
    """Make ``out`` a view of ``src``: one version counter, and the way back to the root base.

    ``_base`` is ``[root, chain, seq, recorded]``: the tensor that owns the memory, the
    view ops that lead from it to ``out``, the root's node number when ``out``'s history
    was last set, and whether it was made with grad mode on. An in-place op through the
    view rebases the root (:meth:`InPlace._inplace`); a view whose root was rebased since
    gets its history again from the root when used (not one made under ``no_grad``, as
    PyTorch). A write that is not recorded changes no history: nothing to redo.
    """
    out._vc = src._vc
    up = src._base
    recorded = _grad_enabled()
    out._base = ([up[0], up[1] + ((name, kwargs),), up[0]._seq, recorded] if up
                 else [src, ((name, kwargs),), src._seq, recorded])


def _refresh_views(parents) -> None:
    """Each input that is a view of a root rebased since: its history as the view of the root now."""
    if not _grad_enabled():  # nothing is recorded now: refresh at the next recorded use
        return
    for view in parents:
        base = view._base
        if base is not None and base[3] and base[2] != base[0]._seq:
            view._adopt(view_of(base[0], base[1]), view._hidden())
            base[2] = base[0]._seq


def _as_of(p: "Tensor", seq: int) -> "Tensor":
    """``p`` as it was when node number ``seq`` used it: before later in-place ops rebased it."""
    while p._seq >= seq:  # p was rebased after that use (or by it): its earlier self is p._prior
        p = p._prior
    return p


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

_data_of = operator.attrgetter("_data")
_MaxResult = namedtuple("max", ["values", "indices"])
_NODE_SLOTS = ("_data", "_rg", "_inputs", "_op", "_kwargs", "_versions", "_vc", "_stash", "_prior", "_scope", "_seq")


class Tensor(InPlace, Conveniences, Node):
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

    __slots__ = ("_data", "_grad", "_rg", "label", "_inputs", "_kwargs", "_versions", "_vc", "_stash",
                 "_base", "_prior", "_retains_grad", "_scope", "__weakref__")
    __hash__ = Node.__hash__  # == is element-wise, hashing stays by identity
    _record = staticmethod(apply_op)  # what tensor_ops.call uses on a Tensor
    _leaf = staticmethod(lambda array: _make(array))  # what the conveniences return

    def __init__(self, data, requires_grad: bool = False, dtype=None, label: str = ""):
        _init(self, as_array(data, dtype))
        self.label = label
        if requires_grad:
            self.requires_grad_(True)

    # ---------------------------------------------------------- the graph
    @property
    def _parents(self) -> tuple:
        """The inputs this node was computed from, each as it was then (before later in-place ops)."""
        inputs, seq = self._inputs, self._seq
        for p in inputs:
            if p._seq >= seq:  # rebased by an in-place op since (or by this one): its earlier self
                return tuple(_as_of(p, seq) for p in inputs)
        return inputs

    def _hidden(self) -> "Tensor":
        """A new node holding this tensor's current identity (history, number, memory, counter).

        An in-place op or a view refresh gives the tensor a new history; the nodes that
        used it before keep pointing at it, and reach this copy through ``_prior``
        (:func:`_as_of`), so their gradients go to what they really used.
        """
        old = _new(Tensor)
        for slot in _NODE_SLOTS:
            setattr(old, slot, getattr(self, slot))
        old._grad, old._retains_grad, old._base, old.label = None, False, None, self.label
        return old

    def _adopt(self, result: "Tensor", prior: "Tensor") -> None:
        """Take over the history of ``result`` (the recorded out-of-place twin of an in-place op)."""
        self._inputs, self._op, self._kwargs, self._stash = result._inputs, result._op, result._kwargs, result._stash
        self._versions = None if result._versions is None else result._versions[:-1] + (self._vc[0],)
        self._rg, self._seq, self._prior, self._scope = result._rg, result._seq, prior, result._scope

    # ---------------------------------------------------------- backward
    def _check_versions(self, parents: tuple, checks: tuple) -> None:
        """Raise if a value a running VJP reads was changed in place after the forward."""
        versions, n = self._versions, len(parents)
        for i in checks:
            p = parents[i] if i < n else self
            if p._vc[0] != versions[i]:
                name = f" '{p.label}'" if p.label else ""
                what = f"input {i}{name}" if i < n else "the output"
                raise RuntimeError(
                    f"one of the tensors needed for gradient computation has been modified by an in-place "
                    f"operation: {what} of '{self._op.name}' (shape {tuple(p.shape)}, {p.dtype}) is at "
                    f"version {p._vc[0]}; expected version {versions[i]}. Change it after backward(), or compute "
                    "on a copy (x.clone()).")

    def _backward(self, g, create_graph: bool = False):
        """(parent, gradient) for each input that requires grad. Every gradient passes
        through ``_conform``: the one place where broadcasting is undone.

        Before a VJP runs, the values it reads (the registry's ``reads``: PyTorch's saved
        tensors) must still be at the versions the forward saw; nothing else is checked.
        """
        op, seq, parents, versions = self._op, self._seq, self._inputs, self._versions
        if len(parents) == 2 and not (self._kwargs or op.saves or create_graph):
            # A binary op on arrays (add, mul, matmul, ...), the usual node: the general
            # code below, unrolled, since it runs for every node of every backward pass.
            # Measured against the general code alone (benchmarks, 3 processes, side by side):
            # the W2 step 0.91x the time (0.91-0.95), the W3 b256 scratch step 0.97x (0.95-0.99).
            a, b = parents
            if a._seq >= seq:  # rebased by an in-place op since: the tensor this node used
                a = _as_of(a, seq)
            if b._seq >= seq:
                b = _as_of(b, seq)
            ra, rb = a._rg, b._rg
            for i in op.checks[ra + 2 * rb]:
                if (a if i == 0 else b if i == 1 else self)._vc[0] != versions[i]:
                    self._check_versions((a, b), op.checks[ra + 2 * rb])  # raises, naming the value
            x, y, out = a._data, b._data, self._data
            if ra:  # a constant's VJP never runs
                ga = op.tensor_vjps[0](g, x, y, out)
                if ga.shape != x.shape or ga.dtype is not x.dtype:
                    ga = a._conform(ga)
                if not rb:
                    return ((a, ga),)
            elif not rb:  # (a leaf's requires_grad turned off since the forward)
                return ()
            gb = op.tensor_vjps[1](g, x, y, out)
            if gb.shape != y.shape or gb.dtype is not y.dtype:
                gb = b._conform(gb)
            return ((a, ga), (b, gb)) if ra else ((b, gb),)
        if len(parents) == 1 and not (op.saves or create_graph):
            # A unary op on arrays (sum, exp, reshape, ...): unrolled the same way.
            (a,) = parents
            if a._seq >= seq:
                a = _as_of(a, seq)
            if not a._rg:
                return ()
            for i in op.checks[1]:
                if (a if i == 0 else self)._vc[0] != versions[i]:
                    self._check_versions((a,), op.checks[1])
            kw, x = self._kwargs, a._data
            ga = op.tensor_vjps[0](g, x, self._data, **kw) if kw else op.tensor_vjps[0](g, x, self._data)
            if ga.shape != x.shape or ga.dtype is not x.dtype:
                ga = a._conform(ga)
            return ((a, ga),)
        for p in parents:  # each as this node used it (an input rebased since: its earlier self)
            if p._seq >= seq:
                parents = self._parents
                break
        wanted = 0
        for i, p in enumerate(parents):
            wanted += p._rg << i
        checks = op.checks[wanted]
        if create_graph and op.saves:  # the VJP recomputes from its inputs, not from its saved copies
            checks = tuple(sorted(set(checks) | set(range(len(parents)))))
        for i in checks:
            if (parents[i] if i < len(parents) else self)._vc[0] != versions[i]:
                self._check_versions(parents, checks)
        kw = self._kwargs
        if op.saves:  # the forward's intermediates: plain arrays, so only for a first-order pass
            kw = {**kw, "saved": None if create_graph else self._stash}
        if create_graph:  # the VJPs run on nodes while recording: the gradient gets a graph
            g = g if isinstance(g, Tensor) else _make(np.asarray(g))
            inputs, out = parents, self
        else:
            inputs, out = list(map(_data_of, parents)), self._data
        result = []
        for p, vjp in zip(parents, op.tensor_vjps):
            if p._rg:  # a constant's VJP never runs
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
        op = self._op
        self._op = op.freed or freed(op)
        self._kwargs = self._versions = self._stash = None

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
            one = _one(self._data.dtype)  # a loss is 0-d; otherwise a view: the shared 1 stays read-only
            return one if self._data.ndim == 0 else one.reshape(self._data.shape)
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
        turned off (use ``detach()``). Assigning ``t.requires_grad = ...`` runs the same checks.
        """
        if self._op is not None and not requires_grad:
            raise RuntimeError("requires_grad_(False) on a tensor computed by an op (a non-leaf): its flag "
                               "follows its inputs. Use y.detach() for a copy outside the graph")
        if requires_grad and self._data.dtype.kind != "f":
            raise TypeError(f"only floating-point tensors can require gradients, got dtype {self.dtype}")
        self._rg = bool(requires_grad)
        return self

    requires_grad = property(operator.attrgetter("_rg"), lambda self, value: self.requires_grad_(value),
                             doc="Record operations on this tensor (see :meth:`requires_grad_`).")

    def _set_grad(self, value):
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError(f"assigned grad must be a Tensor or None, got {type(value).__name__}")
            if value.shape != self.shape:
                raise ShapeError(f"assigned grad has shape {tuple(value.shape)}, the tensor has {tuple(self.shape)}")
        self._grad = value

    # (read by every optimizer step: a C getter, no Python call)
    grad = property(operator.attrgetter("_grad"), _set_grad,
                    doc="d(output)/d(self) after ``backward()``: a Tensor, or None (assigning checks type and shape).")

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

    # ---------------------------------------------------------- differentiable ops
    __add__, __radd__ = _operator("add"), _operator("add", reflected=True)
    __sub__, __rsub__ = _operator("sub"), _operator("sub", reflected=True)
    __mul__, __rmul__ = _operator("mul"), _operator("mul", reflected=True)
    __truediv__, __rtruediv__ = _operator("div"), _operator("div", reflected=True)
    __pow__, __rpow__ = _operator("pow"), _operator("pow", reflected=True)
    __matmul__, __rmatmul__ = _operator("matmul"), _operator("matmul", reflected=True)
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
            return self.maximum(dim)
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
            return self.minimum(dim)
        result = (-self).max(dim, keepdim, axis=axis, keepdims=keepdims)
        if isinstance(result, Tensor):
            return -result
        return _MaxResult(-result.values, result.indices)

    def maximum(self, other):
        """Element-wise maximum of two tensors; at ties each gets half the gradient, as PyTorch."""
        return _pick(self, other, np.greater)

    def minimum(self, other):
        """Element-wise minimum of two tensors; at ties each gets half the gradient, as PyTorch."""
        return _pick(self, other, np.less)

    def _gather(self, axis: int, indices: np.ndarray) -> "Tensor":
        """Pick one element per position along ``axis`` (indices keep the axis as size 1)."""
        grid = list(np.indices(indices.shape, sparse=True))
        grid[axis] = indices
        return self[tuple(grid)] if self.ndim else self

    def log_softmax(self, dim=-1, *, axis=None):
        """\\(x_i - \\log\\sum_j e^{x_j}\\) along ``dim``: stable for logits of any size.

        A row holding +inf is NaN, values and gradient, as in PyTorch (whose shift by the
        row's maximum computes inf - inf); ``x - logsumexp`` alone would give -inf beside it.
        """
        dim = dim if axis is None else axis
        lse = self.logsumexp(dim, keepdim=True)
        if np.isposinf(lse._data).any():
            shift = _make(np.where(np.isposinf(lse._data), np.inf, 0).astype(lse.dtype))  # a constant
            return (self - shift).log_softmax(dim)
        return self - lse

    def softmax(self, dim=-1, *, axis=None):
        """\\(e^{x_i} / \\sum_j e^{x_j}\\) along ``dim`` (or ``axis``), as ``exp(log_softmax)``: no overflow."""
        return self.log_softmax(dim if axis is None else axis).exp()

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

    def unsqueeze(self, dim=None, *, axis=None):
        """Insert a size-1 axis at ``dim`` (``axis``: PyTorch's alias)."""
        dim = dim if axis is None else axis
        if dim is None:
            raise TypeError("unsqueeze() missing the dimension: unsqueeze(dim)")
        (d,) = normalize_axes(dim, self.ndim + 1, "unsqueeze")
        return self.reshape(self.shape[:d] + (1,) + self.shape[d:])

    def squeeze(self, dim=None, *, axis=None):
        """Remove size-1 axes (all, or ``dim`` if it has size 1; ``axis``: PyTorch's alias)."""
        axes = normalize_axes(dim if axis is None else axis, self.ndim, "squeeze")
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


def _pick(a, b, wins) -> Tensor:
    """``a`` where ``wins(a, b)``, ``b`` where ``wins(b, a)``, their mean at ties (half the gradient each)."""
    x, y = to_numpy(a), to_numpy(b)
    tie = where(wins(y, x), b, (a + b) * 0.5)
    return where(wins(x, y), a, tie)


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

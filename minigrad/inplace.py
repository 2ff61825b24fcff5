"""In-place operations (``+=``, ``add_``, ``relu_``, ``x[i] = v``, ...): PyTorch's rules.

Every in-place op goes through :meth:`InPlace._inplace`. Outside the graph (``no_grad``,
or nothing involved requires grad) it writes into the tensor's memory and bumps its
version counter, which its views, ``.data`` and ``detach()`` share. Inside the graph
(the tensor, its base or an operand requires grad) it does what PyTorch does:

* the op is recorded as its out-of-place twin (``add`` for ``add_``, ``setitem`` for
  ``x[i] = v``), computed from the tensor's current value;
* the result is written into the tensor's memory, and the tensor takes over the new
  node's history: the tensor *is* the in-place op's output from now on. Its old
  identity moves into a hidden node (``_prior``), so the ops that used the tensor
  before still send their gradients to what they used;
* through a view (``y[1:].mul_(2)``), the view's root base is rebased too, with a
  ``write_view`` node (PyTorch's CopySlices);
* if the op's backward needs the value it overwrites (``mul_`` by a tensor that
  requires grad), that value is cloned first; a value some *other* node saved and
  this op overwrites makes that node's backward raise (the version counters).

Refused, as in PyTorch: an in-place op on a leaf that requires grad (or on a view of
one) while the graph is recorded, and a float result written into an integer tensor.
"""

from __future__ import annotations

import numpy as np

from .autograd import _grad_enabled
from .convert import result_type, to_numpy
from .random import default_generator
from .registry import REGISTRY
from .tensor_ops import ShapeError, view_of

__all__ = ["InPlace"]

# PyTorch's names for dtypes, for its casting message
_TORCH_NAMES = {"float32": "Float", "float64": "Double", "float16": "Half", "int64": "Long", "int32": "Int",
                "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool"}


def _cast_error(what: str, result, target) -> RuntimeError:
    def name(dt):
        return _TORCH_NAMES.get(np.dtype(dt).name, np.dtype(dt).name)
    return RuntimeError(f"{what}: result type {name(result)} can't be cast to the desired output type "
                        f"{name(target)}")


def _index(index):
    """An index with Tensors, lists and ranges made into arrays NumPy understands (``[]`` selects nothing)."""
    def one(i):
        if isinstance(i, InPlace):
            return i._data
        if isinstance(i, (list, range)):
            a = np.asarray(i)
            return a.astype(np.intp) if a.size == 0 else a
        return i
    return tuple(one(i) for i in index) if isinstance(index, tuple) else one(index)


def _reads_self(name: str, wanted: tuple) -> bool:
    """Whether the VJPs of op ``name`` for the ``wanted`` inputs read input 0 (the overwritten value)."""
    reads = REGISTRY[name].reads
    return reads is None or any(w and 0 in rs for rs, w in zip(reads, wanted))


def _wants(x) -> bool:
    return isinstance(x, InPlace) and x._rg


class InPlace:
    """The in-place methods of :class:`~minigrad.tensor.Tensor` (PyTorch's names and rules).

    Examples
    --------
    >>> import minigrad
    >>> x = minigrad.tensor([1.0, -2.0, 3.0], requires_grad=True)
    >>> h = x * 2
    >>> h[h < 0] = 0          # in place, on a tensor inside the graph
    >>> h.sum().backward()
    >>> x.grad
    tensor([2., 0., 2.])
    """

    __slots__ = ()

    # ---------------------------------------------------------- the one driver
    def _inplace(self, what: str, fn, direct=None, operands=(), reads_self: bool = False, casting="same_kind"):
        """``self = fn(self)``, in this tensor's memory.

        ``fn`` builds the new value with recorded ops (its first argument is the
        tensor's current value, cloned when ``reads_self``: the op's backward reads it).
        ``direct(array)``, if given, writes the same result straight into the array
        when nothing is recorded (no temporary: ``x[i] = v`` in a loop stays cheap).
        ``casting`` is how the result may be cast to this tensor's dtype: "same_kind"
        for arithmetic (PyTorch refuses a float result in an int tensor), "unsafe" for
        writes of values (``x[i] = 1.5``, ``copy_``, ``fill_``).
        """
        base = self._base
        root = base[0] if base is not None else None
        record = _grad_enabled() and (self._rg or (root is not None and root._rg) or any(map(_wants, operands)))
        if not self._data.flags.writeable:
            raise RuntimeError(
                f"{what}: this tensor's memory is read-only: it is an expanded view (expand, broadcast) "
                "whose elements share memory, or a shared constant; clone() the tensor before the in-place op")
        if record:
            if self._op is None and self._rg:
                raise RuntimeError(
                    f"{what}: a leaf tensor that requires grad is being used in an in-place operation while the "
                    "graph is recorded; do parameter updates inside `with minigrad.no_grad():`, or on `.data`")
            if root is not None and root._rg and not base[3]:
                raise RuntimeError(
                    f"{what}: a view made under no_grad() of a tensor that requires grad is being changed in "
                    "place with grad mode on; its base would not see the change in its history. Make the view "
                    "with grad mode on, or write under no_grad() too")
            if root is not None and root._op is None and root._rg:
                raise RuntimeError(
                    f"{what}: a view of a leaf tensor that requires grad is being used in an in-place operation "
                    "while the graph is recorded; write under `with minigrad.no_grad():`, or on a clone()")
        elif direct is not None:
            try:
                direct(self._data)
            except (ValueError, TypeError, IndexError) as err:
                raise _write_error(what, self, err) from None
            self._vc[0] += 1
            return self
        src = self._record("cast", self, dtype=self.dtype) if record and reads_self else self
        result = fn(src)
        self._store(what, result._data, casting)
        if not record or not result._rg:
            return self
        if root is None:
            self._adopt(result, self._hidden())
            return self
        # Through a view: the root base becomes write_view(root, result); the view, a view of it again.
        root._adopt(self._record("write_view", root, result, chain=base[1]), root._hidden())
        self._adopt(view_of(root, base[1]), self._hidden())
        base[2] = root._seq
        return self

    def _store(self, what: str, array: np.ndarray, casting: str) -> None:
        """Write ``array`` (the new value, same shape) into this tensor's memory; bump the version."""
        dst = self._data
        if array.shape != dst.shape:
            raise ShapeError(f"{what}: output with shape {tuple(dst.shape)} doesn't match the broadcast shape "
                             f"{tuple(array.shape)}")
        if not np.can_cast(array.dtype, dst.dtype, casting):
            raise _cast_error(what, array.dtype, dst.dtype)
        np.copyto(dst, array, casting=casting)
        self._vc[0] += 1

    def _write(self, what: str, fn, *args):
        """A write that is not an op (random fills, optimizer steps): ``fn(array, *args)``.

        Inside the graph, the new values are computed on a copy and written as ``x[...] = values``
        (no gradient reaches the old values).
        """
        base = self._base
        if not (_grad_enabled() and (self._rg or (base is not None and base[0]._rg))) \
                and self._data.flags.writeable:  # nothing recorded: straight into the array
            try:
                fn(self._data, *args)
            except (ValueError, TypeError) as err:
                raise _write_error(what, self, err) from None
            self._vc[0] += 1
            return self

        def fill(s):
            new = s._data.copy()
            fn(new, *args)
            return s._record("setitem", s, new, index=Ellipsis)
        return self._inplace(what, fill, lambda a: fn(a, *args), casting="unsafe")

    def _binary_(self, name: str, other, what: str):
        """``self = op(self, other)`` in place (``+=``, ``mul_``, ...)."""
        base, a = self._base, self._data
        if _grad_enabled() and (self._rg or _wants(other) or (base is not None and base[0]._rg)):
            reads = _reads_self(name, (True, _wants(other)))
            return self._inplace(what, lambda s: s._record(name, s, other), None, (other,), reads)
        # Nothing recorded (the optimizer step, `w -= lr * w.grad` under no_grad): straight into the array.
        o = other._data if isinstance(other, InPlace) else other
        if a.dtype.kind != "f" or getattr(o, "dtype", a.dtype).kind not in "biuf":
            dt = result_type(self, other)
            if dt.kind != "f" and REGISTRY[name].floats:  # true division of integers is a float
                dt = np.dtype(np.float32)
            if not np.can_cast(dt, a.dtype, "same_kind"):
                raise _cast_error(what, dt, a.dtype)
        try:
            _UFUNCS[name](a, o if isinstance(o, (np.ndarray, int, float)) else to_numpy(o), out=a)
        except (ValueError, TypeError) as err:
            if not a.flags.writeable:  # (checked only now: the usual write pays nothing for it)
                return self._inplace(what, None)  # raises the read-only error
            raise _write_error(what, self, err) from None
        self._vc[0] += 1
        return self

    def _unary_(self, name: str, what: str):
        """``self = op(self)`` in place (``relu_``, ``exp_``, ...)."""
        return self._inplace(what, lambda s: s._record(name, s), None, (), _reads_self(name, (True,)))

    # ---------------------------------------------------------- arithmetic
    def __iadd__(self, other): return self._binary_("add", other, "+=")
    def __isub__(self, other): return self._binary_("sub", other, "-=")
    def __imul__(self, other): return self._binary_("mul", other, "*=")
    def __itruediv__(self, other): return self._binary_("div", other, "/=")
    def __ipow__(self, other): return self._binary_("pow", other, "**=")

    def add_(self, other, alpha=1):
        """In place: ``self += alpha * other``.

        Examples
        --------
        >>> import minigrad
        >>> minigrad.tensor([1.0, 2.0]).add_(1.0, alpha=2).tolist()
        [3.0, 4.0]
        """
        return self._binary_("add", other if alpha == 1 else _scaled(other, alpha), "add_")

    def sub_(self, other, alpha=1):
        """In place: ``self -= alpha * other``.

        Examples
        --------
        >>> import minigrad
        >>> minigrad.tensor([1.0, 2.0]).sub_(1.0).tolist()
        [0.0, 1.0]
        """
        return self._binary_("sub", other if alpha == 1 else _scaled(other, alpha), "sub_")

    def mul_(self, other):
        """In place: ``self *= other``.

        Examples
        --------
        >>> import minigrad
        >>> minigrad.tensor([1.0, 2.0]).mul_(3).tolist()
        [3.0, 6.0]
        """
        return self._binary_("mul", other, "mul_")

    def div_(self, other):
        """In place: ``self /= other``.

        Examples
        --------
        >>> import minigrad
        >>> minigrad.tensor([1.0, 2.0]).div_(2).tolist()
        [0.5, 1.0]
        """
        return self._binary_("div", other, "div_")

    def pow_(self, exponent):
        """In place: ``self **= exponent``.

        Examples
        --------
        >>> import minigrad
        >>> minigrad.tensor([1.0, 2.0]).pow_(2).tolist()
        [1.0, 4.0]
        """
        return self._binary_("pow", exponent, "pow_")

    # ---------------------------------------------------------- element-wise functions
    def relu_(self):
        """In place: ``max(self, 0)`` (``nn.ReLU(inplace=True)``).

        Examples
        --------
        >>> import minigrad
        >>> minigrad.tensor([-1.0, 2.0]).relu_().tolist()
        [0.0, 2.0]
        """
        return self._unary_("relu", "relu_")

    def sigmoid_(self):
        """In place: the logistic sigmoid.

        Examples
        --------
        >>> import minigrad
        >>> minigrad.tensor([0.0]).sigmoid_().tolist()
        [0.5]
        """
        return self._unary_("sigmoid", "sigmoid_")

    def tanh_(self):
        """In place: ``tanh``.

        Examples
        --------
        >>> import minigrad
        >>> minigrad.tensor([0.0]).tanh_().tolist()
        [0.0]
        """
        return self._unary_("tanh", "tanh_")

    def exp_(self):
        """In place: ``e ** self``.

        Examples
        --------
        >>> import minigrad
        >>> minigrad.tensor([0.0]).exp_().tolist()
        [1.0]
        """
        return self._unary_("exp", "exp_")

    def log_(self):
        """In place: the natural logarithm.

        Examples
        --------
        >>> import minigrad
        >>> minigrad.tensor([1.0]).log_().tolist()
        [0.0]
        """
        return self._unary_("log", "log_")

    def neg_(self):
        """In place: ``-self``.

        Examples
        --------
        >>> import minigrad
        >>> minigrad.tensor([1.0]).neg_().tolist()
        [-1.0]
        """
        return self._unary_("neg", "neg_")

    def abs_(self):
        """In place: ``|self|``.

        Examples
        --------
        >>> import minigrad
        >>> minigrad.tensor([-1.0]).abs_().tolist()
        [1.0]
        """
        return self._unary_("abs", "abs_")

    def clamp_(self, min=None, max=None):  # noqa: A002  (PyTorch's names)
        """Clip to [min, max], in place (the gradient is 0 where clipped).

        Examples
        --------
        >>> import minigrad
        >>> minigrad.tensor([-2.0, 0.5, 2.0]).clamp_(-1, 1).tolist()
        [-1.0, 0.5, 1.0]
        """
        return self._inplace("clamp_", lambda s: s.clamp(min, max), lambda a: np.clip(a, min, max, out=a),
                             _tensors(min, max))

    def masked_fill_(self, mask, value):
        """In place: ``value`` where ``mask`` is true (attention scores before a softmax).

        Examples
        --------
        >>> import minigrad
        >>> minigrad.tensor([1.0, 2.0]).masked_fill_(minigrad.tensor([True, False]), -1.0).tolist()
        [-1.0, 2.0]
        """
        m = to_numpy(mask).astype(bool)
        return self._inplace("masked_fill_", lambda s: s.masked_fill(m, value),
                             lambda a: np.copyto(a, to_numpy(value), casting="unsafe", where=np.broadcast_to(m, a.shape)),
                             (value,), casting="unsafe")

    def masked_fill(self, mask, value):
        """``value`` where ``mask`` is true, else ``self`` (both differentiable); ``mask`` broadcasts.

        Examples
        --------
        >>> import minigrad
        >>> minigrad.tensor([1.0, 2.0]).masked_fill(minigrad.tensor([False, True]), 0.0).tolist()
        [1.0, 0.0]
        """
        m = to_numpy(mask).astype(bool)
        return self._record("where", value, self, condition=np.broadcast_to(m, np.broadcast_shapes(m.shape, self.shape)))

    # ---------------------------------------------------------- writes of values
    def zero_(self):
        """Fill with zeros, in place (``w.grad.zero_()``).

        Examples
        --------
        >>> import minigrad
        >>> minigrad.ones(2).zero_().tolist()
        [0.0, 0.0]
        """
        return self._write("zero_", np.ndarray.fill, 0)  # not fill_'s general path: 1 µs less per optimizer step

    def fill_(self, value):
        """Fill with ``value``, in place (``net[0].bias.data.fill_(0)``); a 0-d tensor value gets a gradient.

        Examples
        --------
        >>> import minigrad
        >>> minigrad.zeros(2).fill_(3).tolist()
        [3.0, 3.0]
        """
        return self._inplace("fill_", lambda s: s._record("setitem", s, value, index=Ellipsis),
                             lambda a: a.fill(to_numpy(value)), (value,), casting="unsafe")

    def copy_(self, src):
        """Copy ``src`` (broadcast to this shape) into this tensor, in place; gradients flow to ``src``.

        Examples
        --------
        >>> import minigrad
        >>> minigrad.zeros(2).copy_(minigrad.tensor([1.0, 2.0])).tolist()
        [1.0, 2.0]
        """
        return self._inplace("copy_", lambda s: s._record("setitem", s, src, index=Ellipsis),
                             lambda a: np.copyto(a, to_numpy(src), casting="unsafe"), (src,), casting="unsafe")

    def normal_(self, mean=0.0, std=1.0):
        """Fill with draws from N(mean, std²), in place, from :mod:`minigrad.random`.

        Examples
        --------
        >>> import minigrad
        >>> minigrad.zeros(3).normal_(0, 0.01).shape
        minigrad.Size([3])
        """
        return self._write("normal_", lambda a: np.copyto(a, default_generator().normal(mean, std, a.shape),
                                                          casting="unsafe"))

    def uniform_(self, a=0.0, b=1.0):
        """Fill with draws from U(a, b), in place, from :mod:`minigrad.random`.

        Examples
        --------
        >>> import minigrad
        >>> bool((minigrad.zeros(3).uniform_(0, 1) < 1).all())
        True
        """
        return self._write("uniform_", lambda x: np.copyto(x, default_generator().uniform(a, b, x.shape),
                                                           casting="unsafe"))

    def __setitem__(self, index, value):
        index = _index(index)
        if isinstance(value, (InPlace, list, tuple, np.ndarray)):
            try:
                value = _fit(value, self._data[index].ndim)
            except IndexError as err:
                raise IndexError(f"{err} (indexing a tensor of shape {tuple(self.shape)})") from None
        self._inplace("setitem", lambda s: s._record("setitem", s, value, index=index),
                      lambda a: a.__setitem__(index, to_numpy(value)), (value,), casting="unsafe")


_UFUNCS = {"add": np.add, "sub": np.subtract, "mul": np.multiply, "div": np.divide, "pow": np.power}


def _scaled(other, alpha):
    return other * alpha if isinstance(other, InPlace) else to_numpy(other) * alpha


def _tensors(*xs) -> tuple:
    return tuple(x for x in xs if isinstance(x, InPlace))


def _fit(value, ndim: int):
    """``value`` without the leading size-1 axes it has beyond ``ndim`` (PyTorch's setitem drops them:
    ``x[i] = tensor([5.])`` writes one element)."""
    shape = np.shape(value) if not isinstance(value, InPlace) else value.shape
    k = 0
    while len(shape) - k > ndim and shape[k] == 1:
        k += 1
    if not k:
        return value
    return value.reshape(tuple(shape[k:])) if isinstance(value, InPlace) else np.reshape(value, shape[k:])


def _write_error(what: str, t, err: Exception) -> Exception:
    """NumPy's error in a direct write, naming the op and the tensor (never NumPy's own error classes)."""
    kind = ShapeError if isinstance(err, ValueError) and "broadcast" in str(err) else (
        IndexError if isinstance(err, IndexError) else RuntimeError if isinstance(err, TypeError) else ValueError)
    return kind(f"{what}: {err} (tensor {tuple(t.shape)} {t.dtype})")

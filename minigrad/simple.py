"""The engine in one sitting: minigrad's autograd with nothing but the idea.

The ops come from the rule table the real engine runs (``registry.REGISTRY``: forwards and
vector-Jacobian products, VJPs), so both compute the same numbers, as the tests check for
every op and order. What the real engine adds, and why, is on the page "Read the engine".

>>> x = Value(3.0); y = x * x + 2 * x; y.backward(); x.grad   # dy/dx = 2x + 2
8.0
>>> w = Tensor([1.0, -2.0], requires_grad=True); (w * w).sum().backward(); w.grad
array([ 2., -4.], dtype=float32)
"""
from itertools import count
import numpy as np

from . import scalar, tensor_ops  # noqa: F401  (importing them fills REGISTRY with their rules)
from .autograd import Node  # only the type: a rule asks "is this a node or a plain number?"
from .convert import _shape_args, as_array, normalize_axes, result_type
from .registry import REGISTRY
from .tensor_ops import sum_to_shape

__all__ = ["Value", "Tensor", "apply", "where", "linear", "cross_entropy"]
_numbers = count(1)  # a node's number says when it was made

class _Node(Node):
    """One vertex of the graph; ``Value`` and ``Tensor`` below differ only in their data."""
    grad = None  # d(output)/d(this node), once a backward pass reached it
    def __float__(self): return float(self.data)  # the rules test float(x) > 0 on nodes too
    def __init__(self, data, parents=(), op=None, kwargs=None, saved=None, label="", requires_grad=False):
        self.data, self.label, self._seq = data, label, next(_numbers)  # inputs exist first: smaller numbers
        self._parents, self._op, self._kwargs, self._saved = parents, op, kwargs or {}, saved
        self.requires_grad = requires_grad or any(p.requires_grad for p in parents)  # constants: False

    @classmethod
    def _result(cls, data, parents, op, kwargs=None, saved=None):
        node = object.__new__(cls)  # not cls(...): a result is made by an op, not from user data
        _Node.__init__(node, data, parents, op, kwargs, saved)
        return node

    def backward(self, create_graph=False):
        """Add d(self)/d(node) into ``node.grad`` for every node that requires grad."""
        if not self.requires_grad:
            raise RuntimeError("backward() on a node that does not require grad")
        nodes, stack = {self}, [self]  # 1. every node self depends on, by following parents
        while stack:
            for parent in stack.pop()._parents:
                if parent not in nodes:
                    nodes.add(parent)
                    stack.append(parent)
        grads = {self: self._one(create_graph)}  # d(self)/d(self) = 1
        # 2. newest first: every user of a node is newer, so it has sent its share already
        for node in sorted(nodes, key=lambda n: n._seq, reverse=True):
            g = grads.pop(node, None)
            if g is None:  # no gradient reached it (a constant)
                continue
            node.grad = g if node.grad is None else node.grad + g  # adds up, as PyTorch's
            if node._op is None:  # a leaf: nothing to pass on
                continue
            # 3. the chain rule: the op's VJPs give each parent its share. They run on plain numbers,
            # or under create_graph on the nodes themselves: then they record the gradient's own graph.
            inputs, out = (node._parents, node) if create_graph else ([p.data for p in node._parents], node.data)
            for parent, pg in zip(node._parents, node._vjps(g, inputs, out)):
                if parent.requires_grad:  # a node used twice gets two shares: they add up
                    grads[parent] = grads[parent] + pg if parent in grads else pg

# x + y calls __add__, made here from the "add" row of the table (2 + x calls __radd__)
for _name, _op in [("add", "add"), ("sub", "sub"), ("mul", "mul"), ("truediv", "div"), ("pow", "pow")]:
    setattr(_Node, f"__{_name}__", lambda x, y, op=_op: x._apply(op, x, y))
    setattr(_Node, f"__r{_name}__", lambda x, y, op=_op: x._apply(op, y, x))
for _op in ["neg", "exp", "log", "tanh", "sigmoid", "relu"]:
    setattr(_Node, "__neg__" if _op == "neg" else _op, lambda x, op=_op: x._apply(op, x))

class Value(_Node):
    """A scalar node: ``data`` is a Python float; every Value keeps its ``grad``."""
    grad = 0.0

    def __init__(self, data, label=""):
        super().__init__(float(data), label=label, requires_grad=True)

    @staticmethod
    def _apply(name, *operands):
        # a number in an expression (the 2 of x * 2) becomes a node with no parents: a constant
        xs = tuple(x if isinstance(x, Value) else Value._result(float(x), (), None) for x in operands)
        return Value._result(REGISTRY[name].scalar(*[x.data for x in xs]), xs, REGISTRY[name])

    def _vjps(self, g, inputs, out):  # one function for all inputs: vjp(g, *inputs, out)
        return self._op.scalar_vjp(g, *inputs, out)

    def _one(self, create_graph): return 1.0
    def __repr__(self): return f"Value(data={self.data:.6g}, grad={float(self.grad):.6g})"

def apply(name, *operands, **kwargs):
    """Run tensor op ``name`` of the table and record it: parents, op, keyword arguments, saved."""
    spec = REGISTRY[name]
    dtype = result_type(*operands)  # PyTorch's type promotion, the real engine's rule
    dtype = np.dtype("float32") if spec.floats and dtype.kind != "f" else dtype  # exp(int): float32
    xs = [x if isinstance(x, Tensor) else Tensor(as_array(x, dtype)) for x in operands]  # constants
    xs = tuple(x if x.dtype == dtype else apply("cast", x, dtype=dtype) for x in xs)  # a visible cast
    out = spec.tensor(*[x.data for x in xs], **kwargs)
    out, saved = out if spec.saves else (out, None)  # cross_entropy keeps its exponentials
    return Tensor._result(np.asarray(out), xs, spec, kwargs, saved)

class Tensor(_Node):
    """An array node: ``data`` is a NumPy array; the methods of ``minigrad.Tensor``."""
    __array_ufunc__ = None  # ndarray * Tensor: NumPy steps aside, so Tensor.__rmul__ runs
    _apply = _record = staticmethod(apply)  # _record: what a rule's tensor_ops.call(name, node) runs
    _data = property(lambda self: self.data)  # the name a rule reads an input's array by
    shape, ndim, dtype = (property(lambda self, a=a: getattr(self.data, a)) for a in ("shape", "ndim", "dtype"))

    def __init__(self, data, requires_grad=False, dtype=None, label=""):
        super().__init__(as_array(data, dtype), label=label, requires_grad=requires_grad)

    def _vjps(self, g, inputs, out):  # one VJP per input, each gradient summed to its input's shape
        kw = dict(self._kwargs, saved=None if out is self else self._saved) if self._op.saves else self._kwargs
        return [sum_to_shape(vjp(g, *inputs, out, **kw), p.shape) if p.requires_grad else None
                for p, vjp in zip(self._parents, self._op.tensor_vjps)]  # (broadcasting undone)

    def _one(self, create_graph):  # under create_graph the seed is a node too (a constant)
        return Tensor(np.ones_like(self.data)) if create_graph else np.ones_like(self.data)

    __matmul__ = matmul = lambda x, y: apply("matmul", x, y)
    __rmatmul__ = lambda x, y: apply("matmul", y, x)
    __abs__ = abs = lambda x: apply("abs", x)
    __getitem__ = lambda x, index: apply("getitem", x, index=index)
    to = lambda x, dtype: apply("cast", x, dtype=np.dtype(dtype))
    reshape = lambda x, *shape: apply("reshape", x, shape=_shape_args(shape, "reshape"))
    expand = lambda x, *shape: apply("expand", x, shape=_shape_args(shape, "expand"))
    permute = lambda x, *dims: apply("transpose", x, axes=normalize_axes(_shape_args(dims, "permute"), x.ndim, "permute"))
    T = property(lambda x: apply("transpose", x, axes=tuple(reversed(range(x.ndim)))))
    cumsum = lambda x, dim: apply("cumsum", x, axis=normalize_axes(dim, x.ndim, "cumsum")[0])

    def _reduce(self, name, dim=None, keepdim=False, *, axis=None, keepdims=None):
        axes = normalize_axes(dim if axis is None else axis, self.ndim, name)
        return apply(name, self, axis=axes, keepdims=bool(keepdim if keepdims is None else keepdims))

    def sum(self, dim=None, keepdim=False, **kw): return self._reduce("sum", dim, keepdim, **kw)
    def amax(self, dim=None, keepdim=False, **kw): return self._reduce("max", dim, keepdim, **kw)
    def logsumexp(self, dim=None, keepdim=False, **kw): return self._reduce("logsumexp", dim, keepdim, **kw)
    def norm(self, *, dim=None, keepdim=False): return self._reduce("norm", dim, keepdim)  # the 2-norm only
    def mean(self, *args, **kwargs):  # a composition: the sum over how many numbers each sum adds
        total = self.sum(*args, **kwargs)
        return total / (self.data.size // max(total.data.size, 1))
    def softmax(self, dim=-1):  # a composition: exp(x - logsumexp x)
        return (self - self.logsumexp(dim, keepdim=True)).exp()

    def __repr__(self): return f"Tensor({self.data!r})"

# The ops that are functions in the real engine: minigrad.where, minigrad.functional.linear, ...
def where(condition, input, other): return apply("where", input, other, condition=np.asarray(condition, bool))  # noqa: A002
def linear(x, weight, bias): return apply("linear", x, weight, bias)
def cross_entropy(logits, target, reduction="mean"): return apply("cross_entropy", logits, target=np.asarray(target), reduction=reduction)

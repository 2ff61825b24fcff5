"""The graph core shared by both engines: nodes in creation order, one reverse pass.

A result of an operation is a *node*. It remembers its parents (the nodes it was
computed from) and its ``_op``, the :class:`~minigrad.registry.OpSpec` whose VJPs map
the gradient of the final output with respect to this node (``g``) to each parent's
share of it — the chain rule, one edge at a time.

Backpropagation is then: sort the graph so that every node comes after its parents,
walk it backwards, and push gradients along the edges, adding up where a node feeds
several others. That walk is :func:`reverse_pass`; ``backward()``, :func:`grad`,
``gradcheck``, ``viz.draw`` and ``viz.backward_trace`` all use it.

The rules both engines follow (as PyTorch does):

* ``backward()`` *adds* into ``.grad``; gradients accumulate until you reset them.
* ``backward()`` frees what the VJPs needed (the versions and intermediates an op saved),
  as PyTorch frees its saved tensors; it keeps the graph's structure, values and
  gradients, so ``loss.backward(); draw(loss)`` works as in micrograd and torchviz. A
  second ``backward()`` through it raises, unless the first passed ``retain_graph=True``.
* With ``create_graph=True`` the VJPs run on the graph's own nodes while recording, so
  the gradients are themselves differentiable (gradients of gradients).
* Grad mode (``no_grad``) is per thread (and per ``asyncio`` task: the switches are ContextVars).
"""

from __future__ import annotations

import contextvars
import functools
import inspect
import itertools
import math
import operator
from typing import Any, Callable, Iterator


__all__ = [
    "Node", "Freed", "no_grad", "enable_grad", "set_grad_enabled", "is_grad_enabled", "detect_anomaly",
    "toposort", "reverse_pass", "grad", "backward",
]


# The switches, per thread (and per asyncio task), as PyTorch's grad mode is per thread:
# grad mode, anomaly mode, and the nn.Module whose forward is running (so drawings can
# cluster its ops). ContextVars, not a threading.local: every op reads them, and get() is
# one C call, a third of the instructions of a threading.local attribute read. Counted
# against a threading.local (python -m benchmarks.instructions):
# the W1 MLP step 0.948x the instructions, the W2 scratch step 0.984x.
_GRAD_ENABLED: contextvars.ContextVar = contextvars.ContextVar("minigrad_grad_enabled", default=True)
_ANOMALY: contextvars.ContextVar = contextvars.ContextVar("minigrad_anomaly", default=False)
_SCOPE: contextvars.ContextVar = contextvars.ContextVar("minigrad_scope", default=None)
_grad_enabled, _anomaly, _scope = _GRAD_ENABLED.get, _ANOMALY.get, _SCOPE.get


class _Switch:
    """A context manager that is also a decorator, with or without parentheses.

    ``@no_grad`` and ``@no_grad()`` both work (as in PyTorch 2); on a generator function
    the mode holds inside the generator's body each time it resumes, not only while
    the generator object is created.
    """

    __slots__ = ("_saved", "__dict__")  # (the state a `with` restores: no dict made per `with no_grad()`)
    var: contextvars.ContextVar = _GRAD_ENABLED
    value: Any = False

    def __new__(cls, *args):
        if args and cls.__init__ is object.__init__ and len(args) == 1 and callable(args[0]):
            return cls()(args[0])  # used bare, as @no_grad
        return object.__new__(cls)

    def __enter__(self):
        self._saved = self.var.get()
        self.var.set(self.value)
        return self

    def __exit__(self, exc_type, exc, tb):
        self.var.set(self._saved)
        return False

    def clone(self) -> "_Switch":
        """A fresh switch with the same setting (each ``with`` needs its own saved state)."""
        new = object.__new__(type(self))
        new.__dict__.update({k: v for k, v in self.__dict__.items() if k != "_saved"})
        return new

    def __call__(self, fn: Callable) -> Callable:
        if inspect.isgeneratorfunction(fn):
            @functools.wraps(fn)
            def generator(*args, **kwargs):
                gen = fn(*args, **kwargs)
                with self.clone():
                    request = next(gen)
                while True:
                    try:
                        response = yield request
                    except GeneratorExit:
                        gen.close()
                        raise
                    except BaseException as err:  # noqa: BLE001  (forward throw() into the body)
                        with self.clone():
                            request = gen.throw(err)
                        continue
                    with self.clone():
                        try:
                            request = gen.send(response)
                        except StopIteration as stop:
                            return stop.value

            return generator

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with self.clone():
                return fn(*args, **kwargs)

        return wrapper


class no_grad(_Switch):
    """Context manager and decorator that stops recording the graph (in this thread).

    Results computed inside have no parents and ``requires_grad=False``: use it for
    parameter updates and evaluation. ``@no_grad`` works with or without parentheses.

    Examples
    --------
    >>> import minigrad
    >>> w = minigrad.tensor([1.0, 2.0], requires_grad=True)
    >>> with minigrad.no_grad():
    ...     y = w * 2
    >>> y.requires_grad
    False
    >>> @minigrad.no_grad
    ... def evaluate(x):
    ...     return x * 2
    >>> evaluate(w).requires_grad
    False
    """

    value = False


class enable_grad(_Switch):
    """Context manager and decorator that turns graph recording back on inside ``no_grad``.

    Examples
    --------
    >>> import minigrad
    >>> with minigrad.no_grad(), minigrad.enable_grad():
    ...     minigrad.is_grad_enabled()
    True
    """

    value = True


class set_grad_enabled(_Switch):
    """Turn recording on or off: as a call (until changed) or as a context manager.

    Parameters
    ----------
    mode : bool

    Examples
    --------
    >>> import minigrad
    >>> with minigrad.set_grad_enabled(False):
    ...     minigrad.is_grad_enabled()
    False
    >>> minigrad.is_grad_enabled()
    True
    """

    def __init__(self, mode: bool):
        self.value = bool(mode)
        self._before = _GRAD_ENABLED.get()
        _GRAD_ENABLED.set(self.value)  # takes effect now, as torch.set_grad_enabled(False)

    def __exit__(self, *exc):
        _GRAD_ENABLED.set(self._saved if self._before is None else self._before)
        return False

    def __call__(self, fn: Callable) -> Callable:
        _GRAD_ENABLED.set(self._before)  # as a decorator it changes nothing now, as PyTorch
        return super().__call__(fn)

    def clone(self) -> "_Switch":
        new = super().clone()
        new._before = None  # each call of a decorated function restores the mode it found
        return new


class detect_anomaly(_Switch):
    """Context manager and decorator: raise as soon as an op makes NaN or inf.

    Inside it, every forward result and every gradient is checked; the first non-finite
    one raises :class:`FloatingPointError` naming the op and its inputs' shapes, instead
    of letting a NaN travel silently to the loss.

    Examples
    --------
    >>> import minigrad
    >>> x = minigrad.tensor([0.0, 1.0], requires_grad=True)
    >>> with minigrad.detect_anomaly():
    ...     x.log()
    Traceback (most recent call last):
    ...
    FloatingPointError: detect_anomaly: forward of 'log' produced -inf (input shapes: (2,))
    """

    var, value = _ANOMALY, True


def is_grad_enabled() -> bool:
    """Return True when operations are being recorded in this thread (outside ``no_grad``).

    Examples
    --------
    >>> import minigrad
    >>> minigrad.is_grad_enabled()
    True
    """
    return _GRAD_ENABLED.get()


def check_finite(values: Any, what: str, op: str, shapes: list) -> None:
    """Raise FloatingPointError if ``values`` holds NaN or inf (used by detect_anomaly)."""
    data = getattr(values, "_data", getattr(values, "data", values))
    if type(data) is float:  # a Value's number: no NumPy, so the scalar engine runs without it
        if math.isfinite(data):
            return
        bad = "nan" if data != data else ("-inf" if data < 0 else "inf")
    else:
        import numpy as np

        arr = np.asarray(data)
        if arr.dtype.kind not in "fc" or np.isfinite(arr).all():
            return
        bad = "nan" if np.isnan(arr).any() else ("-inf" if np.any(arr == -np.inf) else "inf")
    shapes_text = ", ".join(str(tuple(s)) for s in shapes)
    raise FloatingPointError(
        f"detect_anomaly: {what} of '{op}' produced {bad} (input shapes: {shapes_text})"
    )


class Freed:
    """A node's ``_op`` once a backward pass without ``retain_graph`` released what the op saved.

    It keeps the op's name and rule, so drawings and text views still show the graph
    after ``backward()``; it has no VJPs, so a second backward through the node raises.
    One per op (:func:`freed`), so freeing a node costs no new object.

    Examples
    --------
    >>> from minigrad import Value
    >>> x = Value(2.0); y = x * x; y.backward()
    >>> y.op, type(y._op).__name__
    ('mul', 'Freed')
    """

    __slots__ = ("spec",)

    def __init__(self, spec):
        self.spec = spec

    name = property(lambda self: self.spec.name)
    latex = property(lambda self: self.spec.latex)

    def __repr__(self) -> str:
        return f"<freed {self.spec.name}>"


def freed(spec) -> Freed:
    """The :class:`Freed` marker of op ``spec`` (``spec`` itself if it is one already)."""
    if type(spec) is Freed:
        return spec
    marker = spec.freed  # made once per op and kept on it: freeing a node costs no new object
    if marker is None:
        marker = spec.freed = Freed(spec)
    return marker


class Node:
    """What both ``Value`` and ``Tensor`` are: one vertex of the computational graph.

    Subclasses provide ``requires_grad``, ``_parents`` (a tuple), ``_backward(g,
    create_graph)`` (the chain rule at this node: ``(parent, gradient)`` pairs for the
    parents that require grad; a constant's gradient goes nowhere),
    ``_free()`` (let go of what the VJPs saved) and ``_accumulate(g)``.
    ``_op`` is the OpSpec that made the node, None for a leaf, a :class:`Freed` once a
    backward pass released it; ``_seq`` is the node's number in creation order (from
    :func:`next_seq`). Nodes hash by identity, so they can be dictionary keys even
    when ``==`` is element-wise.
    """

    __slots__ = ("_op", "_seq")

    @property
    def is_leaf(self) -> bool:
        """True for a node that was not computed by a recorded op (inputs, parameters)."""
        return self._op is None

    @property
    def op(self) -> str:
        """Name of the op that produced this node, or ``""`` for a leaf."""
        op = self._op
        return "" if op is None else op.name


# Every node takes the next number when it is created. An op can only use nodes that
# already exist, so a node's parents always have smaller numbers: creation order *is* a
# topological order, and the reverse pass visits nodes from the highest number down
# (PyTorch's engine orders its nodes by the same kind of sequence number). Safe across
# threads: the GIL makes each call atomic.
next_seq: Callable[[], int] = itertools.count(1).__next__
_creation_order = operator.attrgetter("_seq")


def toposort(roots) -> list:
    """Return the nodes ``roots`` depend on, each after all of its parents.

    The nodes are found by following parents (an explicit stack, so a chain of a
    million ops does not hit Python's recursion limit, where micrograd's recursive
    search stops near 1,000). Results come in creation order, which is a topological
    order because an op's inputs exist before its result; each leaf comes just before
    the first result that uses it (not by its own number: a shared constant may have
    been made long before, and drawings should not depend on that). ``roots`` is one
    node or a list.

    Examples
    --------
    >>> from minigrad import Value
    >>> a = Value(2.0, label="a"); b = a * a; c = b + a
    >>> [n.label or n.op for n in toposort(c)]
    ['a', 'mul', 'add']
    """
    roots = list(roots) if isinstance(roots, (list, tuple)) else [roots]
    stack, seen = list(roots), set(roots)
    while stack:
        for parent in stack.pop()._parents:
            if parent not in seen:
                seen.add(parent)
                stack.append(parent)
    order, placed = [], set()
    for node in sorted((n for n in seen if n._op is not None), key=_creation_order):
        for parent in node._parents:
            if parent._op is None and parent not in placed:
                placed.add(parent)
                order.append(parent)
        order.append(node)
    for root in roots:  # a root that is itself a leaf
        if root._op is None and root not in placed:
            placed.add(root)
            order.append(root)
    return order


def reverse_pass(roots, seeds, free_graph: bool = False, record: bool = False,
                 create_graph: bool = False) -> Iterator[tuple]:
    """Walk the graph of ``roots`` backwards, applying the chain rule edge by edge.

    Yields ``(node, grad, contributions)`` with every node after all the nodes that
    use it, where ``grad`` is d(root)/d(node) summed over every path, and
    ``contributions`` lists ``(parent, gradient it sent to that parent)`` when
    ``record`` is true (the step-by-step trace wants them; ``backward()`` does not).
    Gradients from several paths are added by building new arrays, never in place,
    because a VJP may hand the same array to two parents (``add`` passes ``g`` through
    to both).

    The order comes from the nodes' creation numbers: a node waits in ``waiting``
    (keyed by its number) from the first gradient it receives, and the walk takes the
    numbers from the highest down, so every user of a node, being newer, has already
    sent its share. Leaves have no parents and need no order: they come last.
    (``minigrad/simple.py`` sorts the nodes instead, and a heap of waiting nodes would
    be shorter still; counting down is kept because a heap made a W1 MLP step 1.24-1.30x
    slower, measured in one process, alternating the two.)

    Parameters
    ----------
    roots : Node or list of Node
        The outputs to differentiate.
    seeds : gradient or list of gradients
        d(loss)/d(root) for each root; 1.0 for a scalar loss.
    free_graph : bool
        Release what each node saved for its VJPs once the whole walk succeeded
        (``backward()``'s default); if it fails part-way, the graph stays intact.
    create_graph : bool
        Run the VJPs on nodes while recording, so the gradients form a graph too.

    Examples
    --------
    >>> from minigrad import Value
    >>> x = Value(3.0, label="x"); y = x * x
    >>> [(n.label or n.op, g) for n, g, _ in reverse_pass(y, 1.0)]
    [('mul', 1.0), ('x', 6.0)]
    """
    if not isinstance(roots, (list, tuple)):
        roots, seeds = [roots], [seeds]
    grads: dict = {}   # node -> d(root)/d(node) so far
    waiting: dict = {}  # creation number -> a non-leaf node that has received a gradient
    leaves: list = []
    number = 0  # the newest root: where the count down starts
    for root, seed in zip(roots, seeds):
        if root in grads:
            grads[root] = grads[root] + seed
        else:
            grads[root] = seed
            if root._op is None:
                leaves.append(root)
            else:
                waiting[root._seq] = root
                if root._seq > number:
                    number = root._seq
    anomaly = _ANOMALY.get()
    walked = []
    misses = 0
    take, gradient_of = waiting.pop, grads.get  # bound once: this loop runs per node
    while waiting:
        node = take(number, None)
        number -= 1
        if node is None:  # a number from another graph (or a node no root uses)
            misses += 1
            if misses > len(waiting):  # many in a row: jump to the newest waiting node
                number, misses = max(waiting), 0
            continue
        misses = 0
        op = node._op
        if op.__class__ is Freed:
            raise RuntimeError(
                "Trying to backward through the graph a second time (or directly access saved "
                "values after they have already been freed): the first backward() released them. "
                "Pass retain_graph=True to the first backward() call if you need to do this."
            )
        g = grads.pop(node)
        contributions = [] if record else ()
        for parent, pg in node._backward(g, create_graph):  # the chain rule at this node
            if anomaly:
                check_finite(pg, "backward", op.name, [p.shape for p in node._parents])
            prev = gradient_of(parent)
            if prev is None:  # its first gradient: queue it by number, or as a leaf
                grads[parent] = pg
                if parent._op is None:
                    leaves.append(parent)
                else:
                    waiting[parent._seq] = parent
            else:
                grads[parent] = prev + pg
            if record:
                contributions.append((parent, pg))
        walked.append(node)
        yield node, g, contributions
    for leaf in leaves:
        yield leaf, grads.pop(leaf), ()
    if free_graph:  # after the whole walk, so that an error part-way leaves the graph intact
        for node in walked:
            node._free()


def _as_list(x) -> list:
    return x if type(x) is list else list(x) if isinstance(x, tuple) else [x]


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph: bool = False) -> None:
    """Add the gradients of ``tensors`` into ``.grad`` of every leaf that requires grad.

    ``minigrad.autograd.backward([a, b])`` is ``a.backward(); b.backward()`` in one pass.

    Examples
    --------
    >>> import minigrad
    >>> x = minigrad.tensor([1.0, 2.0], requires_grad=True)
    >>> minigrad.autograd.backward([(x * x).sum(), x.sum()])
    >>> x.grad
    tensor([3., 5.])
    """
    roots = tensors if type(tensors) is list else _as_list(tensors)  # (Tensor.backward passes lists)
    given = grad_tensors if type(grad_tensors) is list else [None] * len(roots) if grad_tensors is None \
        else _as_list(grad_tensors)
    if len(given) != len(roots):
        raise ValueError(f"backward: {len(roots)} tensors but {len(given)} grad_tensors")
    seeds = [root._seed(g, "backward") for root, g in zip(roots, given)]
    free = not (create_graph if retain_graph is None else retain_graph)
    saved = _GRAD_ENABLED.get()
    _GRAD_ENABLED.set(create_graph)  # record only to build a graph of gradients
    try:
        for node, g, _ in reverse_pass(roots, seeds, free_graph=free, create_graph=create_graph):
            if node._op is None or node._retains_grad:
                node._accumulate(g, create_graph)
    finally:
        _GRAD_ENABLED.set(saved)


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph: bool = False,
         allow_unused: bool = False) -> tuple:
    """Return d(outputs)/d(inputs) as a tuple, without touching any ``.grad``.

    As ``torch.autograd.grad``: ``grad_outputs`` seeds each output (needed for
    non-scalar outputs); an input the outputs do not depend on raises unless
    ``allow_unused=True`` (then its gradient is None); ``create_graph=True`` returns
    gradients that carry a graph, so they can be differentiated again.

    Examples
    --------
    >>> import minigrad
    >>> x = minigrad.tensor(3.0, requires_grad=True)
    >>> (dy,) = minigrad.autograd.grad(x ** 3, x, create_graph=True)   # 3x^2
    >>> (d2y,) = minigrad.autograd.grad(dy, x)                          # 6x
    >>> float(dy), float(d2y)
    (27.0, 18.0)
    """
    outs, ins = _as_list(outputs), _as_list(inputs)
    given = _as_list(grad_outputs) if grad_outputs is not None else [None] * len(outs)
    if len(given) != len(outs):
        raise ValueError(f"grad: {len(outs)} outputs but {len(given)} grad_outputs")
    for i, x in enumerate(ins):
        if not getattr(x, "requires_grad", False):
            raise RuntimeError(f"grad: input {i} does not require grad, so it has no gradient")
    seeds = [out._seed(g, "grad") for out, g in zip(outs, given)]
    wanted = set(ins)
    found: dict = {}
    free = not (create_graph if retain_graph is None else retain_graph)
    saved = _GRAD_ENABLED.get()
    _GRAD_ENABLED.set(create_graph)  # record only to build a graph of gradients
    try:
        for node, g, _ in reverse_pass(outs, seeds, free_graph=free, create_graph=create_graph):
            if node in wanted:
                found[node] = g
    finally:
        _GRAD_ENABLED.set(saved)
    result = []
    for i, x in enumerate(ins):
        if x not in found:
            if not allow_unused:
                raise RuntimeError(
                    f"grad: input {i} (shape {tuple(x.shape)}) was not used to compute the outputs; "
                    "pass allow_unused=True if this is what you want")
            result.append(None)
        else:
            result.append(x._wrap_grad(found[x], create_graph))
    return tuple(result)

"""The graph core shared by both engines: nodes, one topological sort, one reverse pass.

A result of an operation is a *node*. It remembers three things:

``_parents``
    the nodes it was computed from;
``_vjps``
    one vector-Jacobian product per parent: ``vjp(g)`` maps the gradient of the final
    output with respect to this node (``g``) to its contribution to that parent's
    gradient (the chain rule, one edge at a time);
``_op``
    the :class:`~minigrad.registry.OpSpec` that made it (its name, derivative, ...).

Backpropagation is then: sort the graph so that every node comes after its parents,
walk it backwards, and push gradients along the edges, adding up where a node feeds
several others. That walk is :func:`reverse_pass`; ``backward()``, ``gradcheck``,
``viz.draw`` and ``viz.backward_trace`` all use it.

The one rule both engines follow (as PyTorch does):

* ``backward()`` *adds* into ``.grad``; gradients accumulate across separate graphs
  until you reset them (``zero_grad()``).
* ``backward()`` frees the graph it walked: a second ``backward()`` through the same
  graph raises, unless the first passed ``retain_graph=True``.  (micrograd silently
  double-counts here.)
"""

from __future__ import annotations

import functools
from typing import Any, Callable, Iterator

import numpy as np

__all__ = [
    "Node",
    "no_grad",
    "enable_grad",
    "is_grad_enabled",
    "detect_anomaly",
    "toposort",
    "reverse_pass",
]


class _State:
    """Process-wide switches. Plain class attributes: read on every op, so kept cheap."""

    grad_enabled = True
    anomaly = False
    scope = None  # the nn.Module whose forward is running, so drawings can cluster its ops


class _Switch:
    """Base of the context managers below; also usable as a decorator."""

    attr = ""
    value = False

    def __enter__(self):
        self._saved = getattr(_State, self.attr)
        setattr(_State, self.attr, self.value)
        return self

    def __exit__(self, *exc):
        setattr(_State, self.attr, self._saved)
        return False

    def __call__(self, fn: Callable) -> Callable:
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with type(self)():
                return fn(*args, **kwargs)

        return wrapper


class no_grad(_Switch):
    """Context manager and decorator that stops recording the graph.

    Results computed inside have no parents and ``requires_grad=False``: use it for
    parameter updates and evaluation.

    Examples
    --------
    >>> import minigrad
    >>> w = minigrad.tensor([1.0, 2.0], requires_grad=True)
    >>> with minigrad.no_grad():
    ...     y = w * 2
    >>> y.requires_grad
    False
    """

    attr, value = "grad_enabled", False


class enable_grad(_Switch):
    """Context manager and decorator that turns graph recording back on inside ``no_grad``.

    Examples
    --------
    >>> import minigrad
    >>> with minigrad.no_grad(), minigrad.enable_grad():
    ...     minigrad.is_grad_enabled()
    True
    """

    attr, value = "grad_enabled", True


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

    attr, value = "anomaly", True


def is_grad_enabled() -> bool:
    """Return True when operations are being recorded (i.e. outside ``no_grad``).

    Examples
    --------
    >>> import minigrad
    >>> minigrad.is_grad_enabled()
    True
    """
    return _State.grad_enabled


def check_finite(values: Any, what: str, op: str, shapes: list) -> None:
    """Raise FloatingPointError if ``values`` holds NaN or inf (used by detect_anomaly)."""
    arr = np.asarray(values)
    if arr.dtype.kind in "fc" and not np.isfinite(arr).all():
        bad = "nan" if np.isnan(arr).any() else ("-inf" if np.any(arr == -np.inf) else "inf")
        shapes_text = ", ".join(str(tuple(s)) for s in shapes)
        raise FloatingPointError(
            f"detect_anomaly: {what} of '{op}' produced {bad} (input shapes: {shapes_text})"
        )


class _Freed:
    """Marks a node whose VJPs were released by a backward pass without retain_graph."""

    def __repr__(self) -> str:
        return "<freed>"


FREED: Any = _Freed()


class Node:
    """What both ``Value`` and ``Tensor`` are: one vertex of the computational graph.

    Subclasses provide ``requires_grad``, ``_parents`` (a tuple) and ``_backward(g)``
    (the chain rule at this node: ``(parent, gradient)`` pairs); their ``backward()``
    decides where the gradients that :func:`reverse_pass` yields are kept.
    Nodes hash by identity, so they can be dictionary keys even when ``==`` is
    element-wise.
    """

    __slots__ = ("_vjps", "_op")

    @property
    def is_leaf(self) -> bool:
        """True for a node that was not computed by a recorded op (inputs, parameters)."""
        return self._vjps is None

    @property
    def op(self) -> str:
        """Name of the op that produced this node, or ``""`` for a leaf."""
        return self._op.name if self._op is not None else ""


_DONE = object()  # stack marker: "the node under me has had all its parents visited"


def toposort(root: Node) -> list:
    """Return the nodes ``root`` depends on, each after all of its parents.

    Iterative depth-first search with an explicit stack, so a chain of a million ops
    does not hit Python's recursion limit (micrograd's recursive version stops near
    1,000).

    Examples
    --------
    >>> from minigrad import Value
    >>> a = Value(2.0, label="a"); b = a * a; c = b + a
    >>> [n.label or n.op for n in toposort(c)]
    ['a', 'mul', 'add']
    """
    order: list = []
    visited: set = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if node is _DONE:  # all parents of the node below the marker are in order
            order.append(stack.pop())
            continue
        if node in visited:
            continue
        visited.add(node)
        stack.append(node)
        stack.append(_DONE)
        for parent in node._parents:
            if parent not in visited:
                stack.append(parent)
    return order


def reverse_pass(root: Node, seed: Any, free_graph: bool = False, record: bool = False) -> Iterator[tuple]:
    """Walk the graph of ``root`` backwards, applying the chain rule edge by edge.

    Yields ``(node, grad, contributions)`` in reverse topological order, where ``grad``
    is d(root)/d(node) summed over every path, and ``contributions`` lists
    ``(parent, gradient it sent to that parent)`` when ``record`` is true (the
    step-by-step trace wants them; ``backward()`` does not). Gradients from several paths are
    added by building new arrays, never in place, because a VJP may hand the same
    array to two parents (``add`` passes ``g`` through to both).

    Parameters
    ----------
    root : Node
        The output to differentiate.
    seed : float or ndarray
        d(loss)/d(root); 1.0 for a scalar loss.
    free_graph : bool
        Release each node's VJPs once used (what ``backward()`` does by default).
    """
    grads = {root: seed}
    anomaly = _State.anomaly
    for node in reversed(toposort(root)):
        g = grads.pop(node, None)
        if g is None:  # no path from this node to root needs a gradient
            continue
        if node._vjps is None:  # a leaf: nothing above it
            yield node, g, ()
            continue
        if node._vjps is FREED:
            raise RuntimeError(
                f"Trying to backward through the graph a second time (at op '{node.op}'): "
                "its saved values were freed by the first backward(). Pass "
                "retain_graph=True to the first backward() call if you need to do this."
            )
        contributions = [] if record else ()
        for parent, pg in node._backward(g):  # the chain rule at this node, one VJP per input
            if not parent.requires_grad:  # a constant: its gradient is not kept
                continue
            if anomaly:
                check_finite(pg, "backward", node.op, [p.shape for p in node._parents])
            prev = grads.get(parent)
            grads[parent] = pg if prev is None else prev + pg
            if record:
                contributions.append((parent, pg))
        if free_graph:
            node._vjps = FREED
        yield node, g, contributions

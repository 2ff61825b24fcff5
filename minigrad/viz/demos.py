"""Small graphs worth drawing, used by ``minigrad graph`` and the docs' gallery.

Each function builds a graph and returns its output, before any ``backward()``.

Examples
--------
>>> from minigrad.viz.demos import DEMOS
>>> sorted(DEMOS)
['expression', 'linreg', 'neuron', 'softmax']
>>> float(DEMOS["expression"]().data)
-8.0
"""

from __future__ import annotations

import numpy as np

__all__ = ["DEMOS", "expression", "neuron", "linear_regression", "softmax_regression"]


def expression():
    """A scalar expression: L = (a * b + c) * f.

    Examples
    --------
    >>> L = expression(); L.label, float(L.data)
    ('L', -8.0)
    """
    from minigrad import Value

    a, b, c, f = Value(2.0, label="a"), Value(-3.0, label="b"), Value(10.0, label="c"), Value(-2.0, label="f")
    e = a * b
    e.label = "e"
    d = e + c
    d.label = "d"
    L = d * f
    L.label = "L"
    return L


def neuron():
    """One neuron whose two inputs share a weight: o = tanh(x1 w + x2 w + b).

    x1 and x2 are data (``requires_grad=False``: inputs, no gradient); w and b are
    parameters. w is used twice (weight sharing, as a convolution reuses its kernel at
    every position), so its two gradients add: do/dw = (1 - o^2)(x1 + x2).

    Examples
    --------
    >>> o = neuron(); round(float(o.data), 4)   # b makes n = 0.8814, so o = 1/sqrt(2)
    0.7071
    """
    from minigrad import Value

    x1, x2 = Value(2.0, label="x1", requires_grad=False), Value(1.0, label="x2", requires_grad=False)
    w, b = Value(-3.0, label="w"), Value(9.8813735870195432, label="b")
    n = x1 * w + x2 * w + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    return o


def linear_regression():
    """Linear regression's squared loss on a batch of 4: mean((X w + b - y)^2 / 2).

    Examples
    --------
    >>> loss = linear_regression(); loss.label, tuple(loss.shape)
    ('loss', ())
    """
    import minigrad

    rng = np.random.default_rng(0)
    features = rng.normal(size=(4, 2)).astype(np.float32)
    X = minigrad.Tensor(features, label="X")
    y = minigrad.Tensor((features @ [[2.0], [-3.4]] + 4.2).astype(np.float32), label="y")
    w = minigrad.Tensor(rng.normal(0, 0.01, (2, 1)).astype(np.float32), requires_grad=True, label="w")
    b = minigrad.Tensor(np.zeros(1, np.float32), requires_grad=True, label="b")
    y_hat = X @ w + b  # b, shape (1,), is broadcast over the batch
    y_hat.label = "y_hat"
    loss = ((y_hat - y) ** 2 / 2).mean()
    loss.label = "loss"
    return loss


def softmax_regression():
    """Softmax regression's cross-entropy on a batch of 4 (composed, so every step shows).

    Examples
    --------
    >>> loss = softmax_regression(); loss.label, tuple(loss.shape)
    ('loss', ())
    """
    import minigrad
    from minigrad import functional as F

    # the one generator (minigrad.manual_seed; nn.manual_seed in older cores) draws the weights
    (getattr(minigrad, "manual_seed", None) or minigrad.nn.manual_seed)(0)
    rng = np.random.default_rng(1)
    X = minigrad.Tensor(rng.random((4, 5)).astype(np.float32), label="X")
    net = minigrad.nn.Linear(5, 3)
    net.weight.label, net.bias.label = "W", "b"
    logits = net(X)
    logits.label = "logits"
    loss = F.cross_entropy(logits, np.array([0, 2, 1, 2]), fused=False)
    loss.label = "loss"
    return loss


DEMOS = {"expression": expression, "neuron": neuron, "linreg": linear_regression, "softmax": softmax_regression}

"""Layers and losses with PyTorch's names: ``Module``, ``Linear``, ``Sequential``, ...

A :class:`Module` finds its parameters by looking at its own attributes: every
:class:`Parameter` and every sub-``Module`` assigned to ``self`` is part of it, in the
order assigned. There is no other registration to forget.
"""

from __future__ import annotations

import difflib
import math
from collections import OrderedDict

import numpy as np

from . import functional as F
from .autograd import _State
from .tensor import Tensor, as_array

__all__ = ["Parameter", "Module", "Linear", "Sequential", "Flatten", "ReLU", "MSELoss",
           "CrossEntropyLoss", "init", "manual_seed"]

_rng = np.random.default_rng()


def manual_seed(seed: int) -> None:
    """Seed the generator that initialises parameters (PyTorch's ``torch.manual_seed``).

    Examples
    --------
    >>> from minigrad import nn
    >>> nn.manual_seed(0); a = nn.Linear(2, 1).weight.tolist()
    >>> nn.manual_seed(0); a == nn.Linear(2, 1).weight.tolist()
    True
    """
    global _rng
    _rng = np.random.default_rng(seed)


class Parameter(Tensor):
    """A tensor that a Module owns and an optimizer updates (``requires_grad=True``).

    Examples
    --------
    >>> from minigrad.nn import Parameter
    >>> Parameter([1.0, 2.0]).requires_grad
    True
    """

    __slots__ = ()

    def __init__(self, data, requires_grad: bool = True):
        super().__init__(as_array(data, copy=True), requires_grad=requires_grad)

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()


class init:
    """In-place initialisers, as ``torch.nn.init`` (a namespace of functions).

    Examples
    --------
    >>> from minigrad import nn
    >>> layer = nn.Linear(784, 10)
    >>> _ = nn.init.normal_(layer.weight, std=0.01)   # d2l's initialisation
    >>> _ = nn.init.zeros_(layer.bias)
    >>> float(abs(layer.weight.data).max()) < 0.1
    True
    """

    @staticmethod
    def normal_(t: Tensor, mean: float = 0.0, std: float = 1.0) -> Tensor:
        """Fill ``t`` with samples of N(mean, std²)."""
        t.data[...] = _rng.normal(mean, std, size=t.shape)
        return t

    @staticmethod
    def uniform_(t: Tensor, a: float = 0.0, b: float = 1.0) -> Tensor:
        """Fill ``t`` with samples of U(a, b)."""
        t.data[...] = _rng.uniform(a, b, size=t.shape)
        return t

    @staticmethod
    def zeros_(t: Tensor) -> Tensor:
        """Fill ``t`` with zeros."""
        t.data[...] = 0
        return t


class Module:
    """Base class of layers and models: subclass it, assign parameters and layers to
    ``self`` in ``__init__``, and write ``forward``.

    Examples
    --------
    >>> from minigrad import nn
    >>> class Net(nn.Module):
    ...     def __init__(self):
    ...         self.hidden = nn.Linear(4, 8)
    ...         self.out = nn.Linear(8, 3)
    ...     def forward(self, x):
    ...         return self.out(self.hidden(x).relu())
    >>> [name for name, _ in Net().named_parameters()]
    ['hidden.weight', 'hidden.bias', 'out.weight', 'out.bias']
    """

    training = True

    def forward(self, *args):
        raise NotImplementedError(f"{type(self).__name__} must define forward()")

    def __call__(self, *args):
        # Results made inside forward() remember this module, so drawings can group them.
        saved = _State.scope
        _State.scope = self
        try:
            return self.forward(*args)
        finally:
            _State.scope = saved

    def __getattr__(self, name):
        # Only reached when normal lookup fails: make a typo loud and helpful.
        if name.startswith("__"):
            raise AttributeError(name)
        close = difflib.get_close_matches(name, list(vars(self)) + dir(type(self)), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise AttributeError(f"{type(self).__name__} has no attribute {name!r}{hint}")

    def children(self):
        """Direct sub-modules, in assignment order."""
        return [(k, v) for k, v in vars(self).items() if isinstance(v, Module)]

    def named_parameters(self, prefix: str = ""):
        """Yield ``(dotted name, Parameter)`` for this module and its sub-modules."""
        for name, value in vars(self).items():
            if isinstance(value, Parameter):
                yield prefix + name, value
            elif isinstance(value, Module):
                yield from value.named_parameters(prefix + name + ".")

    def parameters(self):
        """List of all parameters (what an optimizer is given)."""
        return [p for _, p in self.named_parameters()]

    def zero_grad(self) -> None:
        """Reset every parameter's gradient (to None, as PyTorch's default)."""
        for p in self.parameters():
            p.grad = None

    def train(self, mode: bool = True) -> "Module":
        """Set training mode on this module and its children; returns self."""
        self.training = mode
        for _, child in self.children():
            child.train(mode)
        return self

    def eval(self) -> "Module":
        """Set evaluation mode (``train(False)``); returns self."""
        return self.train(False)

    def state_dict(self) -> "OrderedDict[str, np.ndarray]":
        """Copies of all parameters' data, by dotted name."""
        return OrderedDict((name, p.data.copy()) for name, p in self.named_parameters())

    def load_state_dict(self, state: dict) -> None:
        """Copy arrays into the parameters; names and shapes must match exactly."""
        own = dict(self.named_parameters())
        missing, unexpected = sorted(own.keys() - state.keys()), sorted(state.keys() - own.keys())
        if missing or unexpected:
            raise KeyError(f"load_state_dict: missing keys {missing}, unexpected keys {unexpected}")
        for name, p in own.items():
            value = np.asarray(state[name])
            if value.shape != p.shape:
                raise ValueError(f"load_state_dict: {name!r} has shape {value.shape}, the model expects {p.shape}")
        for name, p in own.items():  # only after every check passed: all or nothing
            p.data[...] = state[name]

    def extra_repr(self) -> str:
        return ""

    def __repr__(self) -> str:
        lines = [f"  ({name}): " + repr(child).replace("\n", "\n  ") for name, child in self.children()]
        if not lines:
            return f"{type(self).__name__}({self.extra_repr()})"
        return f"{type(self).__name__}(\n" + "\n".join(lines) + "\n)"


class Linear(Module):
    """``y = x @ weight.T + bias``, with ``weight`` of shape (out_features, in_features).

    Initialised as PyTorch does: weight and bias uniform in ±1/sqrt(in_features).

    Examples
    --------
    >>> import minigrad
    >>> layer = minigrad.nn.Linear(2, 1)
    >>> layer.weight.shape, layer(minigrad.zeros(5, 2)).shape
    ((1, 2), (5, 1))
    """

    def __init__(self, in_features: int, out_features: int, bias: bool = True, dtype=np.float32):
        self.in_features, self.out_features = in_features, out_features
        bound = 1 / math.sqrt(in_features)
        self.weight = Parameter(_rng.uniform(-bound, bound, (out_features, in_features)).astype(dtype))
        self.bias = Parameter(_rng.uniform(-bound, bound, out_features).astype(dtype)) if bias else None

    def forward(self, x: Tensor) -> Tensor:
        if x.shape[-1] != self.in_features:
            raise ValueError(f"Linear({self.in_features}, {self.out_features}) got input of shape {x.shape}: "
                             f"its last dimension must be {self.in_features}")
        return F.linear(x, self.weight, self.bias)

    def extra_repr(self) -> str:
        return f"in_features={self.in_features}, out_features={self.out_features}, bias={self.bias is not None}"


class Sequential(Module):
    """Apply layers in order; ``net[0]`` is the first.

    Examples
    --------
    >>> from minigrad import nn
    >>> net = nn.Sequential(nn.Flatten(), nn.Linear(4, 2))
    >>> net[1].weight.shape
    (2, 4)
    """

    def __init__(self, *layers: Module):
        for i, layer in enumerate(layers):
            setattr(self, str(i), layer)

    def __getitem__(self, i: int) -> Module:
        return [m for _, m in self.children()][i]

    def __len__(self) -> int:
        return len(self.children())

    def forward(self, x):
        for _, layer in self.children():
            x = layer(x)
        return x


class Flatten(Module):
    """Flatten every dimension from ``start_dim`` on: (N, 8, 8) -> (N, 64)."""

    def __init__(self, start_dim: int = 1):
        self.start_dim = start_dim

    def forward(self, x: Tensor) -> Tensor:
        return x.reshape(*x.shape[: self.start_dim], -1)


class ReLU(Module):
    """Element-wise ``max(x, 0)``."""

    def forward(self, x: Tensor) -> Tensor:
        return x.relu()


class MSELoss(Module):
    """Mean squared error, see :func:`minigrad.functional.mse_loss`."""

    def __init__(self, reduction: str = "mean"):
        self.reduction = reduction

    def forward(self, pred, target):
        return F.mse_loss(pred, target, reduction=self.reduction)

    def extra_repr(self) -> str:
        return f"reduction={self.reduction!r}"


class CrossEntropyLoss(Module):
    """Softmax cross-entropy on logits, see :func:`minigrad.functional.cross_entropy`."""

    def __init__(self, reduction: str = "mean", fused: bool = True):
        self.reduction, self.fused = reduction, fused

    def forward(self, logits, target):
        return F.cross_entropy(logits, target, reduction=self.reduction, fused=self.fused)

    def extra_repr(self) -> str:
        return f"reduction={self.reduction!r}"

"""Layers and losses with PyTorch's names: ``Module``, ``Linear``, ``Sequential``, ...

A :class:`Module` finds its parameters by looking at its own attributes: every
:class:`Parameter` and every sub-``Module`` assigned to ``self`` is part of it, in the
order assigned. There is no other registration to forget.

A module or parameter reachable by two paths (``Sequential(layer, layer)``, one layer
under two attribute names) is listed once by :meth:`Module.parameters`,
:meth:`Module.children` and :meth:`Module.modules`, as in PyTorch, so an optimizer
steps it once. :meth:`Module.state_dict` lists it under every name, as PyTorch does.

``minigrad.nn.functional`` is :mod:`minigrad.functional` (``from minigrad.nn import
functional as F`` works as with torch).
"""

from __future__ import annotations

import difflib
import math
import numbers
import sys
import warnings
from collections import OrderedDict, namedtuple

import numpy as np

from . import functional
from . import functional as F
from . import random as _random
from .autograd import _SCOPE, no_grad
from .tensor import Tensor

# `import minigrad.nn.functional` works too, as `import torch.nn.functional` does.
sys.modules[__name__ + ".functional"] = functional

__all__ = ["Parameter", "Module", "ModuleList", "Linear", "Sequential", "Flatten", "ReLU", "MSELoss",
           "CrossEntropyLoss", "init", "functional", "manual_seed"]
__all__ += ["Dropout", "LazyLinear", "UninitializedParameter"]  # the book's chapter 4 (issue 21)


def manual_seed(seed: int):
    """Seed minigrad's one generator (same as :func:`minigrad.random.manual_seed`).

    Kept under ``nn`` for older code; ``minigrad.manual_seed`` is the PyTorch spelling.

    Examples
    --------
    >>> from minigrad import nn
    >>> _ = nn.manual_seed(0); a = nn.Linear(2, 1).weight.tolist()
    >>> _ = nn.manual_seed(0); a == nn.Linear(2, 1).weight.tolist()
    True
    """
    return _random.manual_seed(seed)


def _array(x) -> np.ndarray:
    """The NumPy data behind a Tensor (detached) or array-like, without copying."""
    return x.detach().numpy() if isinstance(x, Tensor) else np.asarray(x)


class Parameter(Tensor):
    """A tensor that a Module owns and an optimizer updates (``requires_grad=True``).

    The data is copied, so a Parameter never shares memory with what it was made from.

    Examples
    --------
    >>> from minigrad.nn import Parameter
    >>> Parameter([1.0, 2.0]).requires_grad
    True
    """

    __slots__ = ()

    def __init__(self, data, requires_grad: bool = True):
        if isinstance(data, (Tensor, np.ndarray, np.generic)):
            data = np.array(_array(data), copy=True)
        super().__init__(data, requires_grad=requires_grad)

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()


def _check_tensor(t, fn: str) -> Tensor:
    if not isinstance(t, Tensor):
        raise TypeError(f"nn.init.{fn}: expected a Tensor (e.g. layer.weight), got {type(t).__name__}")
    return t


def _fans(t: Tensor, fn: str):
    if t.ndim < 2:
        raise ValueError(f"nn.init.{fn}: fan in and fan out need a tensor with at least 2 dimensions, "
                         f"got shape {tuple(t.shape)}")
    receptive = math.prod(t.shape[2:])
    return t.shape[1] * receptive, t.shape[0] * receptive


class init:
    """In-place initialisers, as ``torch.nn.init`` (a namespace of functions).

    Each fills the tensor through the core's in-place methods under ``no_grad()`` (so the
    version counter records the change), draws from minigrad's one generator (seeded by
    ``minigrad.manual_seed``) and returns the tensor.

    Examples
    --------
    >>> from minigrad import nn
    >>> layer = nn.Linear(784, 10)
    >>> _ = nn.init.normal_(layer.weight, std=0.01)   # d2l's initialisation
    >>> _ = nn.init.zeros_(layer.bias)
    >>> float(layer.weight.detach().abs().max()) < 0.1
    True
    """

    @staticmethod
    def normal_(tensor: Tensor, mean: float = 0.0, std: float = 1.0) -> Tensor:
        """Fill ``tensor`` with samples of N(mean, std²).

        Examples
        --------
        >>> import minigrad
        >>> w = minigrad.nn.init.normal_(minigrad.zeros(1000), mean=5.0, std=0.1)
        >>> 4.9 < float(w.mean()) < 5.1
        True
        """
        with no_grad():
            return _check_tensor(tensor, "normal_").normal_(mean, std)

    @staticmethod
    def uniform_(tensor: Tensor, a: float = 0.0, b: float = 1.0) -> Tensor:
        """Fill ``tensor`` with samples of U(a, b).

        Examples
        --------
        >>> import minigrad
        >>> w = minigrad.nn.init.uniform_(minigrad.zeros(100), -1.0, 1.0)
        >>> bool((w >= -1).numpy().all() and (w <= 1).numpy().all())
        True
        """
        with no_grad():
            return _check_tensor(tensor, "uniform_").uniform_(a, b)

    @staticmethod
    def constant_(tensor: Tensor, val: float) -> Tensor:
        """Fill ``tensor`` with ``val``.

        Examples
        --------
        >>> import minigrad
        >>> minigrad.nn.init.constant_(minigrad.zeros(2), 0.5).tolist()
        [0.5, 0.5]
        """
        with no_grad():
            return _check_tensor(tensor, "constant_").fill_(val)

    @staticmethod
    def zeros_(tensor: Tensor) -> Tensor:
        """Fill ``tensor`` with zeros.

        Examples
        --------
        >>> import minigrad
        >>> minigrad.nn.init.zeros_(minigrad.ones(2)).tolist()
        [0.0, 0.0]
        """
        with no_grad():
            return _check_tensor(tensor, "zeros_").zero_()

    @staticmethod
    def ones_(tensor: Tensor) -> Tensor:
        """Fill ``tensor`` with ones.

        Examples
        --------
        >>> import minigrad
        >>> minigrad.nn.init.ones_(minigrad.zeros(2)).tolist()
        [1.0, 1.0]
        """
        with no_grad():
            return _check_tensor(tensor, "ones_").fill_(1.0)

    @staticmethod
    def xavier_uniform_(tensor: Tensor, gain: float = 1.0) -> Tensor:
        r"""Glorot initialisation: U(-a, a) with \(a = \text{gain}\sqrt{6/(\text{fan\_in}+\text{fan\_out})}\).

        Examples
        --------
        >>> import minigrad
        >>> w = minigrad.nn.init.xavier_uniform_(minigrad.zeros(3, 5))
        >>> bool((w.detach().abs() <= (6 / 8) ** 0.5).numpy().all())
        True
        """
        fan_in, fan_out = _fans(_check_tensor(tensor, "xavier_uniform_"), "xavier_uniform_")
        a = gain * math.sqrt(6.0 / (fan_in + fan_out)) if fan_in + fan_out else 0.0
        with no_grad():
            return tensor.uniform_(-a, a)

    @staticmethod
    def xavier_normal_(tensor: Tensor, gain: float = 1.0) -> Tensor:
        r"""Glorot initialisation: N(0, std²) with \(\text{std} = \text{gain}\sqrt{2/(\text{fan\_in}+\text{fan\_out})}\).

        Examples
        --------
        >>> import minigrad
        >>> minigrad.nn.init.xavier_normal_(minigrad.zeros(3, 5)).shape
        minigrad.Size([3, 5])
        """
        fan_in, fan_out = _fans(_check_tensor(tensor, "xavier_normal_"), "xavier_normal_")
        std = gain * math.sqrt(2.0 / (fan_in + fan_out)) if fan_in + fan_out else 0.0
        with no_grad():
            return tensor.normal_(0.0, std)


_IncompatibleKeys = namedtuple("IncompatibleKeys", ["missing_keys", "unexpected_keys"])


class Module:
    """Base class of layers and models: subclass it, assign parameters and layers to
    ``self`` in ``__init__``, and write ``forward``.

    Examples
    --------
    >>> from minigrad import nn
    >>> class Net(nn.Module):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.hidden = nn.Linear(4, 8)
    ...         self.out = nn.Linear(8, 3)
    ...     def forward(self, x):
    ...         return self.out(self.hidden(x).relu())
    >>> [name for name, _ in Net().named_parameters()]
    ['hidden.weight', 'hidden.bias', 'out.weight', 'out.bias']
    """

    training = True

    def forward(self, *args, **kwargs):
        """The computation; every subclass defines it (call the module, not ``forward``).

        Examples
        --------
        >>> from minigrad import nn
        >>> nn.ReLU().forward(nn.Parameter([-1.0, 2.0])).tolist()
        [0.0, 2.0]
        """
        raise NotImplementedError(f"{type(self).__name__} must define forward()")

    def __call__(self, *args, **kwargs):
        # Results made inside forward() remember this module, so drawings can group them.
        token = _SCOPE.set(self)
        try:
            return self.forward(*args, **kwargs)
        finally:
            _SCOPE.reset(token)

    def __setattr__(self, name, value):
        # Modules in a plain list or dict are invisible to parameters() (as in PyTorch):
        # an optimizer would silently never train them, so say so where it happens.
        if isinstance(value, (list, tuple, dict)) and not isinstance(value, Module):
            items = value.values() if isinstance(value, dict) else value
            if any(isinstance(v, (Module, Parameter)) for v in items):
                warnings.warn(f"{type(self).__name__}.{name} is a plain {type(value).__name__} holding modules or "
                              "parameters: parameters() will not find them; use nn.ModuleList or nn.Sequential",
                              UserWarning, stacklevel=2)
        object.__setattr__(self, name, value)

    def __getattr__(self, name):
        # Only reached when normal lookup fails: make a typo loud and helpful.
        if name.startswith("__"):
            raise AttributeError(name)
        close = difflib.get_close_matches(name, list(vars(self)) + dir(type(self)), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise AttributeError(f"{type(self).__name__} has no attribute {name!r}{hint}")

    # ------------------------------------------------------------------ the tree
    def _own_modules(self):
        """(name, sub-module) for every attribute holding a Module, repeats included
        (what ``forward``, ``repr`` and ``state_dict`` walk)."""
        return [(k, v) for k, v in vars(self).items() if isinstance(v, Module)]

    def named_children(self):
        """Yield ``(attribute name, module)`` for each direct sub-module, each module once.

        Examples
        --------
        >>> from minigrad import nn
        >>> [name for name, _ in nn.Sequential(nn.Linear(2, 2), nn.ReLU()).named_children()]
        ['0', '1']
        """
        seen = set()
        for name, module in self._own_modules():
            if id(module) not in seen:
                seen.add(id(module))
                yield name, module

    def children(self):
        """Yield each direct sub-module once (the modules; see :meth:`named_children`).

        Examples
        --------
        >>> from minigrad import nn
        >>> [type(m).__name__ for m in nn.Sequential(nn.Linear(2, 2), nn.ReLU()).children()]
        ['Linear', 'ReLU']
        """
        for _, module in self.named_children():
            yield module

    def named_modules(self, memo=None, prefix: str = "", remove_duplicate: bool = True):
        """Yield ``(dotted name, module)`` for this module (name ``''``) and every module below.

        Examples
        --------
        >>> from minigrad import nn
        >>> [name for name, _ in nn.Sequential(nn.Linear(2, 2)).named_modules()]
        ['', '0']
        """
        if memo is None:
            memo = set()
        if remove_duplicate:
            if id(self) in memo:
                return
            memo.add(id(self))
        yield prefix, self
        for name, module in self._own_modules():
            yield from module.named_modules(memo, prefix + ("." if prefix else "") + name, remove_duplicate)

    def modules(self):
        """Yield this module and every module below it, each once.

        Examples
        --------
        >>> from minigrad import nn
        >>> layer = nn.Linear(2, 2)
        >>> len(list(nn.Sequential(layer, layer).modules()))   # the shared layer once
        2
        """
        for _, module in self.named_modules():
            yield module

    def apply(self, fn) -> "Module":
        """Call ``fn`` on every sub-module (children first, as PyTorch) and on self; return self.

        Examples
        --------
        >>> from minigrad import nn
        >>> def init_weights(m):
        ...     if type(m) == nn.Linear:
        ...         nn.init.normal_(m.weight, std=0.01)
        >>> net = nn.Sequential(nn.Flatten(), nn.Linear(4, 2)).apply(init_weights)
        >>> float(net[1].weight.detach().abs().max()) < 0.1
        True
        """
        for module in self.children():
            module.apply(fn)
        fn(self)
        return self

    def named_parameters(self, prefix: str = "", recurse: bool = True, remove_duplicate: bool = True):
        """Yield ``(dotted name, Parameter)``; a shared parameter once, under its first name.

        Examples
        --------
        >>> from minigrad import nn
        >>> layer = nn.Linear(2, 2)
        >>> [name for name, _ in nn.Sequential(layer, layer).named_parameters()]
        ['0.weight', '0.bias']
        """
        seen = set()
        modules = (self.named_modules(prefix=prefix, remove_duplicate=remove_duplicate) if recurse
                   else [(prefix, self)])
        for mod_prefix, module in modules:
            for name, value in vars(module).items():
                if isinstance(value, Parameter):
                    if remove_duplicate:
                        if id(value) in seen:
                            continue
                        seen.add(id(value))
                    yield mod_prefix + ("." if mod_prefix else "") + name, value

    def parameters(self, recurse: bool = True):
        """Yield every parameter once (what an optimizer is given).

        Examples
        --------
        >>> from minigrad import nn
        >>> [tuple(p.shape) for p in nn.Linear(3, 2).parameters()]
        [(2, 3), (2,)]
        """
        for _, p in self.named_parameters(recurse=recurse):
            yield p

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Reset every parameter's gradient: to None (PyTorch's default) or to zeros.

        Examples
        --------
        >>> from minigrad import nn
        >>> layer = nn.Linear(2, 1)
        >>> layer(nn.Parameter([[1.0, 2.0]])).sum().backward()
        >>> layer.zero_grad(); layer.weight.grad is None
        True
        """
        for p in self.parameters():
            if set_to_none or p.grad is None:
                p.grad = None
            else:
                with no_grad():  # a gradient made with create_graph=True is part of a graph
                    p.grad.zero_()

    def train(self, mode: bool = True) -> "Module":
        """Set training mode on this module and everything below it; return self.

        Examples
        --------
        >>> from minigrad import nn
        >>> nn.Sequential(nn.Linear(2, 2)).train().training
        True
        """
        if not isinstance(mode, (bool, np.bool_)):
            raise TypeError(f"train(mode): mode must be a bool, got {mode!r}")
        for module in self.modules():
            module.training = bool(mode)
        return self

    def eval(self) -> "Module":
        """Set evaluation mode (``train(False)``); return self.

        Examples
        --------
        >>> from minigrad import nn
        >>> net = nn.Sequential(nn.Linear(2, 2)).eval()
        >>> net.training, net[0].training
        (False, False)
        """
        return self.train(False)

    def to(self, *args, **kwargs) -> "Module":
        """Move to a device (the CPU: nothing to do) and/or cast floating parameters; return self.

        ``net.to(minigrad.device("cpu"))`` and ``net.to("cpu")`` are accepted so that GPU-ready
        code runs; a GPU raises (minigrad is CPU only). A float dtype casts every
        parameter's data in place (the same Parameter objects, so an optimizer keeps them).

        Examples
        --------
        >>> import minigrad
        >>> net = minigrad.nn.Linear(2, 1)
        >>> net.to(minigrad.device("cpu")) is net, net.to(minigrad.float64).weight.dtype
        (True, dtype('float64'))
        """
        from .convert import _dtype
        from .devices import as_device, device

        dtype = kwargs.pop("dtype", None)
        for where in [kwargs.pop("device", None), *args]:
            if where is None:
                continue
            if isinstance(where, device) or (isinstance(where, str) and where.split(":")[0] in ("cpu", "cuda", "mps")):
                as_device(where, "Module.to")
            else:
                dtype = where
        if dtype is not None:
            dt = _dtype(dtype)
            if dt.kind != "f":
                raise TypeError(f"Module.to: only floating-point dtypes are accepted, got {dt}")
            for p in self.parameters():
                p._data = p._data.astype(dt)
                p._vc[0] += 1
                if p._grad is not None:
                    p._grad = None
        return self

    # ------------------------------------------------------------------ checkpoints
    def _state_items(self, prefix: str = ""):
        """(dotted name, Parameter) under every name, shared ones repeated (as PyTorch's
        state_dict, so a checkpoint of ``Sequential(l, l)`` has ``0.*`` and ``1.*``)."""
        for name, value in vars(self).items():
            if isinstance(value, Parameter):
                yield prefix + name, value
            elif isinstance(value, Module):
                yield from value._state_items(prefix + name + ".")

    def state_dict(self) -> "OrderedDict[str, Tensor]":
        """Copies of all parameters by dotted name, a shared one under each of its names.

        Unlike PyTorch, the values are *copies* (detached tensors): a ``best =
        net.state_dict()`` taken during training keeps those weights, instead of
        silently following later updates.

        Examples
        --------
        >>> from minigrad import nn
        >>> list(nn.Linear(3, 2).state_dict())
        ['weight', 'bias']
        """
        return OrderedDict((name, Tensor(np.array(_array(p), copy=True))) for name, p in self._state_items())

    def load_state_dict(self, state_dict, strict: bool = True):
        """Copy values into the parameters, all or nothing.

        Every value is checked first (names, shape, a numeric kind that fits the
        parameter's dtype); only when all pass is anything written, so a refused load
        leaves the model exactly as it was.

        Parameters
        ----------
        state_dict : mapping of str to Tensor or array
        strict : bool
            Missing or unexpected names raise ``KeyError``; with ``False`` they are
            returned (``missing_keys``, ``unexpected_keys``) and the rest is loaded.

        Examples
        --------
        >>> from minigrad import nn
        >>> a, b = nn.Linear(3, 2), nn.Linear(3, 2)
        >>> b.load_state_dict(a.state_dict())
        IncompatibleKeys(missing_keys=[], unexpected_keys=[])
        >>> a.weight.tolist() == b.weight.tolist()
        True
        """
        if not hasattr(state_dict, "keys") or not hasattr(state_dict, "__getitem__"):
            raise TypeError(f"load_state_dict: expected a mapping of names to tensors, got {type(state_dict).__name__}")
        own = OrderedDict(self._state_items())
        missing = [k for k in own if k not in state_dict]
        unexpected = [k for k in state_dict.keys() if k not in own]
        if strict and (missing or unexpected):
            raise KeyError(f"load_state_dict: missing keys {missing}, unexpected keys {unexpected}")
        staged = []
        for name, p in own.items():
            if name not in state_dict:
                continue
            value = state_dict[name]
            try:
                arr = _array(value)
            except (TypeError, ValueError) as err:
                raise TypeError(f"load_state_dict: {name!r} is a {type(value).__name__}, not a tensor: {err}") from None
            if arr.dtype.kind not in "biuf":
                raise TypeError(f"load_state_dict: {name!r} has dtype {arr.dtype}, not a real number "
                                f"type; the model's {name!r} is {p.dtype}")
            if p.dtype.kind in "biu" and arr.dtype.kind == "f":
                raise TypeError(f"load_state_dict: {name!r} has dtype {arr.dtype}; it cannot be stored in the "
                                f"model's {p.dtype} parameter without losing its values")
            if tuple(arr.shape) != tuple(p.shape):
                raise ValueError(f"load_state_dict: {name!r} has shape {tuple(arr.shape)}, "
                                 f"the model expects {tuple(p.shape)}")
            # a private copy, converted now: a failure can no longer happen while writing
            staged.append((p, Tensor(np.array(arr, dtype=p.dtype, copy=True))))
        with no_grad():  # only after every check passed: all or nothing
            for p, value in staged:
                p.copy_(value)
        return _IncompatibleKeys(missing, unexpected)

    def extra_repr(self) -> str:
        """Settings shown inside the parentheses of ``repr`` (override in layers).

        Examples
        --------
        >>> from minigrad import nn
        >>> nn.Flatten().extra_repr()
        'start_dim=1, end_dim=-1'
        """
        return ""

    def __repr__(self) -> str:
        lines = [f"  ({name}): " + repr(child).replace("\n", "\n  ") for name, child in self._own_modules()]
        if not lines:
            return f"{type(self).__name__}({self.extra_repr()})"
        return f"{type(self).__name__}(\n" + "\n".join(lines) + "\n)"


def _check_size(value, what: str, layer: str) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{layer}: {what} must be a non-negative int, got {value!r} ({type(value).__name__})")
    if value < 0:
        raise ValueError(f"{layer}: {what} must be a non-negative int, got {value}")
    return int(value)


class Linear(Module):
    """``y = x @ weight.T + bias``, with ``weight`` of shape (out_features, in_features).

    Initialised as PyTorch does: weight and bias uniform in ±1/sqrt(in_features), drawn
    from minigrad's one generator; with ``in_features == 0`` (allowed, as in PyTorch) the
    weight is empty and the bias zero.

    Examples
    --------
    >>> import minigrad
    >>> layer = minigrad.nn.Linear(2, 1)
    >>> tuple(layer.weight.shape), tuple(layer(minigrad.zeros(5, 2)).shape)
    ((1, 2), (5, 1))
    """

    def __init__(self, in_features: int, out_features: int, bias: bool = True, dtype=None):
        self.in_features = _check_size(in_features, "in_features", "Linear")
        self.out_features = _check_size(out_features, "out_features", "Linear")
        dtype = np.dtype(np.float32 if dtype is None else dtype)  # float32 by default, as torch
        if dtype.kind != "f":
            raise TypeError(f"Linear: parameters need a floating-point dtype, got {dtype}")
        bound = 1 / math.sqrt(self.in_features) if self.in_features else 0.0
        self.weight = Parameter(np.zeros((self.out_features, self.in_features), dtype=dtype))
        self.bias = Parameter(np.zeros(self.out_features, dtype=dtype)) if bias else None
        init.uniform_(self.weight, -bound, bound)
        if self.bias is not None:
            init.uniform_(self.bias, -bound, bound)

    def forward(self, x: Tensor) -> Tensor:
        shape = x._data.shape if isinstance(x, Tensor) else np.shape(x)
        if len(shape) == 0 or shape[-1] != self.in_features:
            raise ValueError(f"Linear({self.in_features}, {self.out_features}) got input of shape {tuple(shape)}: "
                             f"it needs at least one dimension, the last of size {self.in_features}")
        return F.linear(x, self.weight, self.bias)

    def extra_repr(self) -> str:
        """``in_features=..., out_features=..., bias=...``.

        Examples
        --------
        >>> from minigrad import nn
        >>> nn.Linear(3, 2).extra_repr()
        'in_features=3, out_features=2, bias=True'
        """
        return f"in_features={self.in_features}, out_features={self.out_features}, bias={self.bias is not None}"


class ModuleList(Module):
    """A list of modules whose parameters the owner finds (a plain list hides them).

    Examples
    --------
    >>> from minigrad import nn
    >>> class Net(nn.Module):
    ...     def __init__(self):
    ...         self.layers = nn.ModuleList([nn.Linear(2, 2) for _ in range(3)])
    ...     def forward(self, x):
    ...         for layer in self.layers:
    ...             x = layer(x)
    ...         return x
    >>> len(list(Net().parameters())), len(Net().layers)
    (6, 3)
    """

    def __init__(self, modules=()):
        for module in modules:
            self.append(module)

    def append(self, module: Module) -> "ModuleList":
        """Add ``module`` at the end; return self.

        Examples
        --------
        >>> from minigrad import nn
        >>> len(nn.ModuleList().append(nn.ReLU()))
        1
        """
        if not isinstance(module, Module):
            raise TypeError(f"ModuleList.append: expected a Module, got {type(module).__name__}")
        setattr(self, str(len(self)), module)
        return self

    def __getitem__(self, i):
        layers = [m for _, m in self._own_modules()]
        if isinstance(i, slice):
            return ModuleList(layers[i])
        try:
            return layers[i]
        except IndexError:
            raise IndexError(f"ModuleList index {i} is out of range: it has {len(layers)} modules") from None

    def __len__(self) -> int:
        return len(self._own_modules())

    def __iter__(self):
        return iter([m for _, m in self._own_modules()])


class Sequential(Module):
    """Apply layers in order; ``net[0]`` is the first, ``net[1:]`` a Sequential of the rest.

    A layer given twice runs twice (its parameters are still listed once).

    Examples
    --------
    >>> from minigrad import nn
    >>> net = nn.Sequential(nn.Flatten(), nn.Linear(4, 2))
    >>> tuple(net[1].weight.shape), len(net)
    ((2, 4), 2)
    """

    def __init__(self, *layers: Module):
        for i, layer in enumerate(layers):
            if not isinstance(layer, Module):
                raise TypeError(f"Sequential: argument {i} is a {type(layer).__name__}, not a Module")
            setattr(self, str(i), layer)

    def _layers(self) -> list:
        return [m for _, m in self._own_modules()]

    def __getitem__(self, i):
        layers = self._layers()
        if isinstance(i, slice):
            return Sequential(*layers[i])
        try:
            return layers[i]
        except IndexError:
            raise IndexError(f"Sequential index {i} is out of range: it has {len(layers)} layers") from None

    def __len__(self) -> int:
        return len(self._layers())

    def __iter__(self):
        return iter(self._layers())

    def forward(self, x):
        """Feed ``x`` through every layer in order.

        Examples
        --------
        >>> import minigrad
        >>> from minigrad import nn
        >>> nn.Sequential(nn.ReLU(), nn.ReLU())(minigrad.tensor([-1.0, 1.0])).tolist()
        [0.0, 1.0]
        """
        for layer in self._layers():
            x = layer(x)
        return x


class Flatten(Module):
    """Flatten dimensions ``start_dim..end_dim`` into one: (N, 8, 8) -> (N, 64).

    Examples
    --------
    >>> import minigrad
    >>> tuple(minigrad.nn.Flatten()(minigrad.zeros(2, 8, 8)).shape)
    (2, 64)
    """

    def __init__(self, start_dim: int = 1, end_dim: int = -1):
        self.start_dim, self.end_dim = start_dim, end_dim

    def forward(self, x: Tensor) -> Tensor:
        """Reshape ``x`` with the chosen dimensions merged.

        Examples
        --------
        >>> import minigrad
        >>> tuple(minigrad.nn.Flatten(0)(minigrad.zeros(2, 3)).shape)
        (6,)
        """
        shape = tuple(x.shape)
        n = max(len(shape), 1)  # a 0-d tensor flattens to one element, as in PyTorch
        s = self.start_dim + n if self.start_dim < 0 else self.start_dim
        e = self.end_dim + n if self.end_dim < 0 else self.end_dim
        if not (0 <= s < n and 0 <= e < n) or s > e:
            raise ValueError(f"Flatten(start_dim={self.start_dim}, end_dim={self.end_dim}) does not fit "
                             f"an input of shape {shape}")
        if not shape:
            return x.reshape(1)
        return x.reshape(*shape[:s], math.prod(shape[s:e + 1]), *shape[e + 1:])

    def extra_repr(self) -> str:
        """``start_dim=..., end_dim=...``.

        Examples
        --------
        >>> from minigrad import nn
        >>> nn.Flatten(2).extra_repr()
        'start_dim=2, end_dim=-1'
        """
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


class ReLU(Module):
    """Element-wise ``max(x, 0)``; ``inplace=True`` overwrites the input (``x.relu_()``), as PyTorch.

    Examples
    --------
    >>> import minigrad
    >>> minigrad.nn.ReLU()(minigrad.tensor([-2.0, 3.0])).tolist()
    [0.0, 3.0]
    """

    def __init__(self, inplace: bool = False):
        self.inplace = inplace

    def forward(self, x: Tensor) -> Tensor:
        """``x.relu()`` (``x.relu_()`` when in place).

        Examples
        --------
        >>> import minigrad
        >>> minigrad.nn.ReLU().forward(minigrad.tensor([-1.0])).tolist()
        [0.0]
        """
        return x.relu_() if self.inplace else x.relu()

    def extra_repr(self) -> str:
        """``inplace=True`` when set, as PyTorch prints it.

        Examples
        --------
        >>> from minigrad import nn
        >>> nn.ReLU(inplace=True).extra_repr()
        'inplace=True'
        """
        return "inplace=True" if self.inplace else ""


_REDUCTIONS = ("mean", "sum", "none")


def _check_reduction(reduction, loss: str) -> str:
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{loss}: reduction must be one of {_REDUCTIONS}, got {reduction!r}")
    return reduction


class MSELoss(Module):
    """Mean squared error, see :func:`minigrad.functional.mse_loss`.

    Examples
    --------
    >>> import minigrad
    >>> minigrad.nn.MSELoss()(minigrad.tensor([1.0, 3.0]), minigrad.tensor([0.0, 1.0])).item()
    2.5
    """

    def __init__(self, reduction: str = "mean"):
        self.reduction = _check_reduction(reduction, "MSELoss")

    def forward(self, input, target):
        """The loss of ``input`` against ``target`` (same shapes).

        Examples
        --------
        >>> import minigrad
        >>> minigrad.nn.MSELoss(reduction="sum").forward(minigrad.tensor([2.0]), minigrad.tensor([0.0])).item()
        4.0
        """
        return F.mse_loss(input, target, reduction=self.reduction)

    def extra_repr(self) -> str:
        """``reduction=...``.

        Examples
        --------
        >>> from minigrad import nn
        >>> nn.MSELoss().extra_repr()
        "reduction='mean'"
        """
        return f"reduction={self.reduction!r}"


class CrossEntropyLoss(Module):
    """Softmax cross-entropy on logits, see :func:`minigrad.functional.cross_entropy`.

    ``reduction='none'`` gives one loss per example (d2l's concise softmax regression).

    Examples
    --------
    >>> import minigrad
    >>> loss = minigrad.nn.CrossEntropyLoss(reduction="none")
    >>> tuple(loss(minigrad.zeros(4, 3), minigrad.tensor([0, 1, 2, 0])).shape)
    (4,)
    """

    def __init__(self, reduction: str = "mean", fused: bool = True):
        self.reduction, self.fused = _check_reduction(reduction, "CrossEntropyLoss"), fused

    def forward(self, input, target):
        """The loss of logits ``input`` (N, C) against class indices ``target`` (N,).

        Examples
        --------
        >>> import minigrad
        >>> round(minigrad.nn.CrossEntropyLoss().forward(minigrad.zeros(1, 2), minigrad.tensor([1])).item(), 4)
        0.6931
        """
        return F.cross_entropy(input, target, reduction=self.reduction, fused=self.fused)

    def extra_repr(self) -> str:
        """``reduction=...``.

        Examples
        --------
        >>> from minigrad import nn
        >>> nn.CrossEntropyLoss(reduction="none").extra_repr()
        "reduction='none'"
        """
        return f"reduction={self.reduction!r}"


# ------------------------------------------------------------------ the book's chapter 4 (issue 21)

class Dropout(Module):
    """Zero each element with probability ``p`` while training, scaling the rest by ``1/(1-p)``.

    In ``eval()`` mode it is the identity. The kept elements are a constant mask times
    the input, so the gradient is that same mask (``mul``'s rule): 0 where dropped,
    ``1/(1-p)`` where kept. Masks are drawn from minigrad's one generator.
    ``inplace`` is accepted for PyTorch's signature; the result is always a new tensor
    (minigrad records no in-place ops).

    Examples
    --------
    >>> import minigrad
    >>> drop = minigrad.nn.Dropout(0.5)
    >>> sorted(set(drop(minigrad.ones(100)).tolist())), drop.eval()(minigrad.ones(2)).tolist()
    ([0.0, 2.0], [1.0, 1.0])
    """

    def __init__(self, p: float = 0.5, inplace: bool = False):
        if isinstance(p, bool) or not isinstance(p, numbers.Real) or not 0 <= p <= 1:
            raise ValueError(f"Dropout: p must be a probability in [0, 1], got {p!r}")
        self.p, self.inplace = float(p), inplace

    def forward(self, x: Tensor) -> Tensor:
        """``x`` times a fresh mask of 0 and ``1/(1-p)`` (training), or ``x`` (eval).

        Examples
        --------
        >>> import minigrad
        >>> minigrad.nn.Dropout(1.0)(minigrad.ones(3)).tolist()
        [0.0, 0.0, 0.0]
        """
        if not self.training or self.p == 0:
            return x
        if self.p == 1:  # everything dropped: zeros, and a zero gradient (no 0/0)
            return x * 0
        keep = _random.default_generator().random(x.shape) >= self.p
        return x * (keep / (1 - self.p)).astype(x.dtype)

    def extra_repr(self) -> str:
        """``p=..., inplace=...``.

        Examples
        --------
        >>> from minigrad import nn
        >>> nn.Dropout(0.2).extra_repr()
        'p=0.2, inplace=False'
        """
        return f"p={self.p}, inplace={self.inplace}"


class UninitializedParameter(Parameter):
    """A :class:`LazyLinear`'s parameter before the first forward: no shape yet.

    As in PyTorch: its ``.data`` is an empty tensor (writes to it change nothing, and
    the first forward then initialises the parameter as usual); using it in any
    other way raises. The first forward fills this same object in place, so an optimizer
    made before it trains the right tensors.

    Examples
    --------
    >>> from minigrad import nn
    >>> nn.UninitializedParameter()
    <UninitializedParameter>
    """

    __slots__ = ()

    def __init__(self, requires_grad: bool = True):
        super().__init__(np.zeros(0, dtype=np.float32), requires_grad=requires_grad)

    def __repr__(self) -> str:
        return "<UninitializedParameter>"

    def _refuse(self, what: str):
        raise ValueError(f"{what}: this parameter of a lazy module (nn.LazyLinear) is not initialised yet: "
                         "call the module on a batch first (its first forward gives it a shape)")

    shape = property(lambda self: self._refuse("shape"))

    def _write(self, what: str, fn, *args):
        self._refuse(what)

    def materialize(self, shape, dtype=np.float32) -> Parameter:
        """Give the parameter its shape (zeros), in place, and make it a plain Parameter.

        Examples
        --------
        >>> from minigrad import nn
        >>> p = nn.UninitializedParameter(); _ = p.materialize((2, 3))
        >>> type(p).__name__, tuple(p.shape)
        ('Parameter', (2, 3))
        """
        self._data = np.zeros(shape, dtype=dtype)
        self._vc[0] += 1
        self.__class__ = Parameter
        return self


class LazyLinear(Linear):
    """A :class:`Linear` whose ``in_features`` is read from its first input (d2l's ``nn.LazyLinear(1)``).

    Until the first forward the weight and bias are :class:`UninitializedParameter`;
    the first forward fills them in place and initialises them as ``Linear`` does
    (uniform in ±1/sqrt(in_features)), then the module *is* a ``Linear``.

    Examples
    --------
    >>> import minigrad
    >>> layer = minigrad.nn.LazyLinear(2)
    >>> tuple(layer(minigrad.zeros(5, 3)).shape), type(layer).__name__, tuple(layer.weight.shape)
    ((5, 2), 'Linear', (2, 3))
    """

    def __init__(self, out_features: int, bias: bool = True, dtype=None):
        self.in_features = 0
        self.out_features = _check_size(out_features, "out_features", "LazyLinear")
        self._dtype = np.dtype(np.float32 if dtype is None else dtype)
        self.weight = UninitializedParameter()
        self.bias = UninitializedParameter() if bias else None

    def forward(self, x: Tensor) -> Tensor:
        """Initialise from ``x``'s last dimension (first call only), then ``Linear.forward``."""
        shape = x._data.shape if isinstance(x, Tensor) else np.shape(x)
        if len(shape) == 0:
            raise ValueError(f"LazyLinear({self.out_features}) got a 0-d input: it needs (..., in_features)")
        self.in_features = shape[-1]
        bound = 1 / math.sqrt(self.in_features) if self.in_features else 0.0
        init.uniform_(self.weight.materialize((self.out_features, self.in_features), self._dtype), -bound, bound)
        if self.bias is not None:
            init.uniform_(self.bias.materialize((self.out_features,), self._dtype), -bound, bound)
        del self._dtype
        self.__class__ = Linear  # from now on an ordinary Linear, as PyTorch's LazyLinear becomes one
        return Linear.forward(self, x)

    def extra_repr(self) -> str:
        """``in_features=0, out_features=..., bias=...`` until the first forward."""
        return f"in_features=0, out_features={self.out_features}, bias={self.bias is not None}"

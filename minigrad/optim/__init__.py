"""Optimizers that follow PyTorch's update rules step for step.

Each optimizer keeps ``param_groups`` (``param_groups[0]["lr"]`` is the current learning
rate, which a scheduler changes). A step computes the update in NumPy and writes it
with one in-place Tensor operation per parameter under ``no_grad()``, so every step
bumps the parameter's version counter: a backward pass through a graph that saved the
old value raises instead of silently using the new one.
"""

from __future__ import annotations

import numbers

import numpy as np

from ..autograd import enable_grad, no_grad
from ..tensor import Tensor, to_numpy
from . import lr_scheduler  # noqa: F401  (minigrad.optim.lr_scheduler, as in torch)

__all__ = ["Optimizer", "SGD", "Adam", "lr_scheduler"]


def _check_nonnegative(name: str, value, optimizer: str) -> None:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{optimizer}: {name} must be a real number, got {value!r} ({type(value).__name__})")
    if not value >= 0:  # also refuses NaN
        raise ValueError(f"{optimizer}: invalid {name}: {value} (must be >= 0)")


def _is_leaf(t: Tensor) -> bool:
    leaf = getattr(t, "is_leaf", None)
    return bool(leaf) if leaf is not None else not (t.requires_grad and getattr(t, "_op", None) is not None)


class Optimizer:
    """Base class: holds parameter groups, validates them and resets gradients.

    Parameters
    ----------
    params : iterable of Tensor, or iterable of dict
        The tensors to optimize (e.g. ``net.parameters()``), or parameter groups: dicts
        with a ``"params"`` entry and per-group hyper-parameters. A single Tensor is
        refused (``TypeError``), as in PyTorch: iterating it would walk its rows.
        Tensors with ``requires_grad=False`` are accepted and never updated.
    defaults : dict
        Hyper-parameters for groups that do not set their own.

    Examples
    --------
    >>> import minigrad
    >>> opt = minigrad.optim.SGD(minigrad.nn.Linear(2, 1).parameters(), lr=0.1)
    >>> isinstance(opt, minigrad.optim.Optimizer), len(opt.param_groups[0]["params"])
    (True, 2)
    """

    def __init__(self, params, defaults: dict):
        if isinstance(params, Tensor):
            raise TypeError("params argument given to the optimizer should be an iterable of Tensors or "
                            f"dicts, but got a Tensor of shape {tuple(params.shape)}; wrap it: [w]")
        if isinstance(params, dict):
            raise TypeError("params argument given to the optimizer should be an iterable of Tensors or "
                            "dicts (parameter groups), but got one dict; wrap it: [group]")
        self.defaults = dict(defaults)
        self._validate(self.defaults)
        self.param_groups: list = []
        self.state: dict = {}
        groups = list(params)
        if not groups:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)

    def _validate(self, group: dict) -> None:
        """Refuse invalid hyper-parameters, naming the value (subclasses add theirs)."""
        name = type(self).__name__
        for key in ("lr", "momentum", "weight_decay", "eps"):
            if key in group:
                _check_nonnegative("learning rate" if key == "lr" else key, group[key], name)
        if "betas" in group:
            betas = group["betas"]
            if not isinstance(betas, (tuple, list)) or len(betas) != 2:
                raise ValueError(f"{name}: betas must be a pair (beta1, beta2), got {betas!r}")
            for i, beta in enumerate(betas):
                if isinstance(beta, (bool, np.bool_)) or not isinstance(beta, numbers.Real):
                    raise TypeError(f"{name}: beta parameter at index {i} must be a real number, got {beta!r}")
                if not 0.0 <= beta < 1.0:
                    raise ValueError(f"{name}: invalid beta parameter at index {i}: {beta} (must be in [0, 1))")

    def add_param_group(self, param_group: dict) -> None:
        """Add a group of parameters with its own hyper-parameters (as PyTorch).

        Examples
        --------
        >>> import minigrad
        >>> net = minigrad.nn.Linear(2, 1)
        >>> opt = minigrad.optim.SGD([net.weight], lr=0.1)
        >>> opt.add_param_group({"params": [net.bias], "lr": 0.01})
        >>> [g["lr"] for g in opt.param_groups]
        [0.1, 0.01]
        """
        if not isinstance(param_group, dict):
            raise TypeError(f"a parameter group must be a dict, got {type(param_group).__name__}")
        params = param_group.get("params")
        if params is None:
            raise ValueError("a parameter group needs a 'params' entry")
        params = [params] if isinstance(params, Tensor) else list(params)  # a group may hold one tensor
        seen = {id(p) for g in self.param_groups for p in g["params"]}
        ids = set()
        for i, p in enumerate(params):
            if not isinstance(p, Tensor):
                raise TypeError(f"optimizer can only optimize Tensors, but parameter {i} is a {type(p).__name__}")
            if not _is_leaf(p):
                raise ValueError(f"can't optimize a non-leaf Tensor (parameter {i}, made by an op); "
                                 "pass the leaf tensors (parameters) themselves")
            if id(p) in ids:
                raise ValueError(f"parameter {i} appears twice in one parameter group: it would be updated twice "
                                 "per step (a module used twice? pass net.parameters(), which lists it once)")
            if id(p) in seen:
                raise ValueError(f"parameter {i} already appears in another parameter group")
            ids.add(id(p))
        group = {**self.defaults, **param_group, "params": params}
        self._validate(group)
        self.param_groups.append(group)

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Reset every parameter's gradient: to None (PyTorch's default) or to zeros.

        Examples
        --------
        >>> import minigrad
        >>> w = minigrad.nn.Parameter([1.0])
        >>> (w * 2).sum().backward()
        >>> opt = minigrad.optim.SGD([w], lr=0.1); opt.zero_grad(); w.grad is None
        True
        """
        for group in self.param_groups:
            for p in group["params"]:
                if set_to_none or p.grad is None:
                    p.grad = None
                else:
                    with no_grad():  # a gradient made with create_graph=True is part of a graph
                        p.grad.zero_()

    def state_dict(self) -> dict:
        """The optimizer's state as PyTorch lays it out: ``{"state": {i: {...}}, "param_groups": [...]}``.

        Parameters are numbered in the order of the groups (``"params"`` holds the numbers),
        state arrays are copied as Tensors; :meth:`load_state_dict` takes the same layout.

        Examples
        --------
        >>> import minigrad
        >>> w = minigrad.nn.Parameter([1.0])
        >>> opt = minigrad.optim.SGD([w], lr=0.1, momentum=0.9)
        >>> (w * 2).sum().backward(); opt.step()
        >>> sd = opt.state_dict()
        >>> sd["param_groups"][0]["params"], sd["state"][0]["momentum_buffer"].tolist()
        ([0], [2.0])
        """
        index = {id(p): i for i, p in enumerate(p for g in self.param_groups for p in g["params"])}
        state = {}
        for p, st in self.state.items():
            state[index[id(p)]] = {k: Tensor(np.array(v)) if isinstance(v, np.ndarray) else v for k, v in st.items()}
        groups = [{**{k: v for k, v in g.items() if k != "params"}, "params": [index[id(p)] for p in g["params"]]}
                  for g in self.param_groups]
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: dict) -> None:
        """Restore hyper-parameters and state saved by :meth:`state_dict` (same groups and sizes).

        Examples
        --------
        >>> import minigrad
        >>> w = minigrad.nn.Parameter([1.0])
        >>> opt = minigrad.optim.SGD([w], lr=0.1)
        >>> opt.load_state_dict({"state": {}, "param_groups": [{**opt.state_dict()["param_groups"][0], "lr": 0.5}]})
        >>> opt.param_groups[0]["lr"]
        0.5
        """
        groups = state_dict.get("param_groups") if isinstance(state_dict, dict) else None
        if groups is None or "state" not in state_dict:
            raise ValueError("load_state_dict: expected a dict with 'state' and 'param_groups' "
                             "(what optimizer.state_dict() returns)")
        if len(groups) != len(self.param_groups):
            raise ValueError(f"load_state_dict: the saved state has {len(groups)} parameter groups, "
                             f"this optimizer has {len(self.param_groups)}")
        params = []
        for i, (saved, group) in enumerate(zip(groups, self.param_groups)):
            if len(saved["params"]) != len(group["params"]):
                raise ValueError(f"load_state_dict: group {i} has {len(saved['params'])} parameters in the saved "
                                 f"state and {len(group['params'])} here")
            params += list(zip(saved["params"], group["params"]))
        by_index = dict(params)
        state = {}
        for i, st in state_dict["state"].items():
            p = by_index.get(int(i))
            if p is None:
                raise ValueError(f"load_state_dict: the state names parameter {i}, which no group has")
            entry = {}
            for k, v in st.items():
                if isinstance(v, (Tensor, np.ndarray)):
                    v = np.array(to_numpy(v), dtype=p.dtype)
                    if v.shape != tuple(p.shape):
                        raise ValueError(f"load_state_dict: state {k!r} of parameter {i} has shape {v.shape}, "
                                         f"the parameter has {tuple(p.shape)}")
                entry[k] = v
            state[p] = entry
        for saved, group in zip(groups, self.param_groups):
            group.update({k: v for k, v in saved.items() if k != "params"})
            self._validate(group)
        self.state = state

    def _grads(self):
        """Yield (group, param, gradient array with weight decay added) for each trainable
        parameter that has a gradient."""
        for group in self.param_groups:
            wd = group["weight_decay"]
            for p in group["params"]:
                grad = p.grad
                if grad is None or not p.requires_grad:
                    continue
                g, data = grad._data, p._data  # both Tensors (the grad setter refuses anything else)
                if g.shape != data.shape:
                    raise ValueError(f"{type(self).__name__}.step: a parameter of shape {data.shape} "
                                     f"has a gradient of shape {g.shape}")
                if wd:
                    g = g + wd * data  # the L2 penalty's gradient, added as torch adds it
                yield group, p, g

    @staticmethod
    def _closure(closure):
        if closure is None:
            return None
        with enable_grad():
            return closure()

    def _write(self, p: Tensor, update: np.ndarray) -> None:
        """``p -= update`` as one in-place Tensor write (counted by the version counter);
        the update is cast to p's dtype ("same_kind"). Called under ``no_grad()``."""
        p._write(f"{type(self).__name__}.step", np.subtract, update, p._data)


class SGD(Optimizer):
    """Stochastic gradient descent with optional momentum, dampening, Nesterov and weight decay.

    ``v <- momentum * v + (1 - dampening) g`` (``v = g`` on the first step);
    ``p <- p - lr * v``, or with ``nesterov=True`` ``p <- p - lr * (g + momentum * v)``
    (as ``torch.optim.SGD``).

    Examples
    --------
    >>> import minigrad
    >>> w = minigrad.nn.Parameter([1.0])
    >>> (w * 0.5).sum().backward()
    >>> minigrad.optim.SGD([w], lr=0.1).step()
    >>> w.tolist()
    [0.949999988079071]
    """

    def __init__(self, params, lr: float = 1e-3, momentum: float = 0.0, dampening: float = 0.0,
                 weight_decay: float = 0.0, nesterov: bool = False):
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("SGD: Nesterov momentum requires a momentum and zero dampening")
        super().__init__(params, dict(lr=lr, momentum=momentum, dampening=dampening, weight_decay=weight_decay,
                                      nesterov=nesterov))

    def step(self, closure=None):
        """Apply one update to every trainable parameter that has a gradient.

        ``closure``, if given, is called first (with gradients recorded) and its loss
        returned, as in PyTorch.

        Examples
        --------
        >>> import minigrad
        >>> w = minigrad.nn.Parameter([0.0])
        >>> (w * 1.0).sum().backward()
        >>> opt = minigrad.optim.SGD([w], lr=0.5); opt.step(); w.tolist()
        [-0.5]
        """
        loss = self._closure(closure)
        with no_grad():
            for group, p, g in self._grads():
                if group["momentum"]:
                    buf = self.state.get(p, {}).get("momentum_buffer")
                    if buf is None:
                        buf = np.array(g, dtype=p.dtype)
                        self.state[p] = {"momentum_buffer": buf}
                    else:
                        buf *= group["momentum"]
                        buf += (1 - group.get("dampening", 0)) * g if group.get("dampening") else g
                    g = g + group["momentum"] * buf if group.get("nesterov") else buf
                self._write(p, group["lr"] * g)
        return loss


class Adam(Optimizer):
    """Adam with bias correction (Kingma & Ba), as ``torch.optim.Adam``.

    ``m <- b1 m + (1-b1) g``, ``v <- b2 v + (1-b2) g^2``,
    ``p <- p - lr * (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps)``.

    Examples
    --------
    >>> import minigrad
    >>> w = minigrad.nn.Parameter([1.0])
    >>> (w * 0.5).sum().backward()
    >>> minigrad.optim.Adam([w], lr=0.1).step()   # first Adam step moves by ~lr
    >>> round(w.item(), 4)
    0.9
    """

    def __init__(self, params, lr: float = 1e-3, betas=(0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0.0):
        super().__init__(params, dict(lr=lr, betas=tuple(betas) if isinstance(betas, list) else betas,
                                      eps=eps, weight_decay=weight_decay))

    def step(self, closure=None):
        """Apply one update to every trainable parameter that has a gradient.

        ``closure``, if given, is called first (with gradients recorded) and its loss
        returned, as in PyTorch.

        Examples
        --------
        >>> import minigrad
        >>> w = minigrad.nn.Parameter([0.0])
        >>> (w * 3.0).sum().backward()
        >>> opt = minigrad.optim.Adam([w], lr=0.5); opt.step(); round(w.item(), 4)
        -0.5
        """
        loss = self._closure(closure)
        with no_grad():
            for group, p, g in self._grads():
                b1, b2 = group["betas"]
                st = self.state.get(p)
                if st is None:
                    zeros = np.zeros(tuple(p.shape), dtype=p.dtype)
                    st = self.state[p] = {"step": 0, "exp_avg": zeros, "exp_avg_sq": zeros.copy()}
                st["step"] += 1
                m, v, t = st["exp_avg"], st["exp_avg_sq"], st["step"]
                m *= b1
                m += (1 - b1) * g
                v *= b2
                v += (1 - b2) * g * g
                m_hat = m / (1 - b1 ** t)
                v_hat = v / (1 - b2 ** t)
                self._write(p, group["lr"] * m_hat / (np.sqrt(v_hat) + group["eps"]))
        return loss

"""Optimizers that follow PyTorch's update rules step for step.

Each optimizer keeps ``param_groups`` (``param_groups[0]["lr"]`` is the current learning
rate, which a scheduler changes) and updates ``p.data`` in place, with its state
buffers allocated once, on the first step.
"""

from __future__ import annotations

import numpy as np

from . import lr_scheduler  # noqa: F401  (minigrad.optim.lr_scheduler, as in torch)

__all__ = ["Optimizer", "SGD", "Adam", "lr_scheduler"]


class Optimizer:
    """Base class: holds parameter groups and resets gradients.

    Parameters
    ----------
    params : iterable of Parameter
    defaults : dict
        Hyper-parameters copied into the parameter group.
    """

    def __init__(self, params, defaults: dict):
        params = list(params)
        if not params:
            raise ValueError("optimizer got an empty parameter list")
        if any(not getattr(p, "requires_grad", False) for p in params):
            raise ValueError("optimizer got a tensor that does not require grad")
        if defaults.get("lr", 0) < 0:
            raise ValueError(f"invalid learning rate: {defaults['lr']}")
        self.param_groups = [{"params": params, **defaults}]
        self.state: dict = {}

    def zero_grad(self) -> None:
        """Set every parameter's gradient to None (PyTorch's default ``set_to_none``)."""
        for group in self.param_groups:
            for p in group["params"]:
                p.grad = None

    def _grads(self):
        """Yield (group, param, gradient with weight decay added) for params that have a grad."""
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                g = p.grad
                if group["weight_decay"]:
                    g = g + group["weight_decay"] * p.data  # L2 penalty's gradient, as torch adds it
                yield group, p, g


class SGD(Optimizer):
    """Stochastic gradient descent with optional momentum (no dampening) and weight decay.

    ``v <- momentum * v + g`` (``v = g`` on the first step); ``p <- p - lr * v``.

    Examples
    --------
    >>> import minigrad
    >>> w = minigrad.nn.Parameter([1.0])
    >>> w.grad = w.data * 0 + 0.5
    >>> minigrad.optim.SGD([w], lr=0.1).step()
    >>> w.tolist()
    [0.949999988079071]
    """

    def __init__(self, params, lr: float, momentum: float = 0.0, weight_decay: float = 0.0):
        super().__init__(params, dict(lr=lr, momentum=momentum, weight_decay=weight_decay))

    def step(self) -> None:
        """Apply one update to every parameter that has a gradient."""
        for group, p, g in self._grads():
            if group["momentum"]:
                buf = self.state.get(id(p))
                if buf is None:
                    buf = self.state[id(p)] = np.array(g, dtype=p.dtype)
                else:
                    buf *= group["momentum"]
                    buf += g
                g = buf
            p.data -= (group["lr"] * g).astype(p.dtype, copy=False)


class Adam(Optimizer):
    """Adam with bias correction (Kingma & Ba), as ``torch.optim.Adam``.

    ``m <- b1 m + (1-b1) g``, ``v <- b2 v + (1-b2) g^2``,
    ``p <- p - lr * (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps)``.

    Examples
    --------
    >>> import minigrad
    >>> w = minigrad.nn.Parameter([1.0])
    >>> w.grad = w.data * 0 + 0.5
    >>> minigrad.optim.Adam([w], lr=0.1).step()   # first Adam step moves by ~lr
    >>> round(w.item(), 4)
    0.9
    """

    def __init__(self, params, lr: float = 1e-3, betas=(0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0.0):
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay))

    def step(self) -> None:
        """Apply one update to every parameter that has a gradient."""
        for group, p, g in self._grads():
            b1, b2 = group["betas"]
            st = self.state.get(id(p))
            if st is None:
                st = self.state[id(p)] = {"t": 0, "m": np.zeros_like(p.data), "v": np.zeros_like(p.data)}
            st["t"] += 1
            st["m"] *= b1
            st["m"] += (1 - b1) * g
            st["v"] *= b2
            st["v"] += (1 - b2) * g * g
            m_hat = st["m"] / (1 - b1 ** st["t"])
            v_hat = st["v"] / (1 - b2 ** st["t"])
            p.data -= (group["lr"] * m_hat / (np.sqrt(v_hat) + group["eps"])).astype(p.dtype, copy=False)

"""minigrad: a small reverse-mode autodiff engine for learning how gradients are computed.

Reading order follows the import order below: the graph core (``autograd``) and the op
registry, the scalar engine (``Value``), the tensor engine (``Tensor``), then
``functional``, ``nn``, ``optim``, ``gradcheck``, ``data`` and ``viz``.

Examples
--------
>>> import minigrad
>>> x = minigrad.tensor([1.0, 2.0], requires_grad=True)
>>> (x * x).sum().backward()
>>> x.grad
array([2., 4.], dtype=float32)
"""

from .autograd import detect_anomaly, enable_grad, is_grad_enabled, no_grad
from .registry import REGISTRY, explain
from .scalar import Value
from .tensor import Tensor, ones, tensor, zeros
from .tensor_ops import ShapeError
from . import functional, nn, optim  # noqa: E402  (reachable as attributes, as with torch)
from .gradcheck import GradcheckError, gradcheck
from .serialization import load, save

__version__ = "0.1.0"

__all__ = [
    "Value", "Tensor", "tensor", "zeros", "ones", "no_grad", "enable_grad", "is_grad_enabled",
    "detect_anomaly", "explain", "REGISTRY", "gradcheck", "GradcheckError", "ShapeError",
    "functional", "nn", "optim", "data", "viz", "testing", "save", "load",
]

_LAZY = ("viz", "data", "testing", "metrics", "plot", "datasets")


def __getattr__(name):
    # Submodules with heavier or optional dependencies load on first use.
    if name in _LAZY:
        import importlib

        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'minigrad' has no attribute {name!r}")

"""minigrad: a small reverse-mode autodiff engine for learning how gradients are computed.

Reading order follows the import order below: the graph core (``autograd``) and the op
registry, the scalar engine (``Value``), the tensor engine (``tensor_ops``, ``Tensor``)
and its module-level functions (``creation``: ``minigrad.zeros``, ``normal``, ``cat``...,
so that ``import minigrad as torch`` runs PyTorch code), then ``functional``, ``nn``,
``optim``, ``gradcheck``, ``data`` and ``viz``.

Examples
--------
>>> import minigrad
>>> x = minigrad.tensor([1.0, 2.0], requires_grad=True)
>>> (x * x).sum().backward()
>>> x.grad
tensor([2., 4.])
"""

from . import autograd  # noqa: F401  (minigrad.autograd.grad, as torch.autograd.grad)
from .autograd import detect_anomaly, enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .registry import REGISTRY
from .scalar import Value

__version__ = "0.1.0"

try:  # the tensor engine needs NumPy; the graph core and the scalar engine above do not
    import numpy as _numpy  # noqa: F401
except ModuleNotFoundError as _err:
    if _err.name != "numpy":
        raise
    _numpy = None

if _numpy is None:  # e.g. Pyodide in the docs' Play page: the scalar engine alone
    __all__ = ["Value", "no_grad", "enable_grad", "set_grad_enabled", "is_grad_enabled", "detect_anomaly",
               "REGISTRY", "autograd"]
else:
    from .convert import (Size, bool_ as bool, float16, float32, float64, int8, int16, int32,  # noqa: A004
                          int64, uint8)
    from .tensor import Tensor, apply_op  # apply_op here: minigrad.tensor is the function tensor()
    from .tensor_ops import ShapeError
    from .creation import *  # noqa: F401,F403  (tensor, zeros, normal, cat, ... as torch.*)
    from .creation import __all__ as _creation_names
    from . import random  # noqa: E402
    from . import functional, nn, optim  # noqa: E402  (reachable as attributes, as with torch)
    from .gradcheck import GradcheckError, gradcheck
    from .introspect import explain
    from .serialization import load, save
    from .devices import device  # noqa: E402  (torch.device; minigrad is CPU only)
    from . import cuda  # noqa: E402  (cuda.device_count() == 0, as d2l's num_gpus() asks)
    from . import distributions  # noqa: E402  (distributions.multinomial.Multinomial)

    half, double, long = float16, float64, int64  # torch's other names for them

    __all__ = [
        "Value", "Tensor", "apply_op", "Size", "no_grad", "enable_grad", "set_grad_enabled", "is_grad_enabled",
        "detect_anomaly", "explain", "REGISTRY", "gradcheck", "GradcheckError", "ShapeError",
        "autograd", "functional", "nn", "optim", "data", "viz", "testing", "save", "load", "random",
        "float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8", "bool",
        *_creation_names,
        "device", "cuda", "distributions",  # the book's chapters 2 and 4
    ]

_LAZY = ("viz", "data", "testing", "metrics", "plot", "datasets", "utils", "vision", "d2l", "exercises")


def __getattr__(name):
    # Submodules with heavier or optional dependencies load on first use.
    if _numpy is None and name != "viz" and not name.startswith("_"):  # viz draws Value graphs without NumPy
        raise ImportError(f"minigrad.{name} needs NumPy, which is not installed: only the scalar engine "
                          "(minigrad.Value) and minigrad.viz work without it ('pip install numpy')")
    if name in _LAZY:
        import importlib

        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'minigrad' has no attribute {name!r}")

"""From user data to arrays: the one conversion, the one dtype rule, the one axis normaliser.

Everything that decides what an op receives lives here, before any graph exists:
:func:`as_array` (what ``minigrad.tensor(...)`` accepts), :func:`result_type`
(PyTorch's type promotion), :func:`normalize_axes` (negative axes) and the parser
of shape arguments.
"""

from __future__ import annotations

import numpy as np

from .autograd import Node

__all__ = ["as_array", "to_numpy", "result_type", "normalize_axes", "Size",
           "float32", "float64", "float16", "int8", "int16", "int32", "int64", "uint8", "bool_"]

float16, float32, float64 = np.dtype("float16"), np.dtype("float32"), np.dtype("float64")
int8, int16, int32, int64, uint8, bool_ = (np.dtype(n) for n in ("int8", "int16", "int32", "int64", "uint8", "bool"))
_DEFAULT_FLOAT = float32  # PyTorch's default dtype: what Python floats become
_PY_TYPES = {float: float64, int: int64, bool: bool_}  # dtype=float means float64, as in torch


def _dtype(dtype):
    """A dtype argument (np.float32, "float32", minigrad.float32, float) as a NumPy dtype."""
    try:
        dt = _PY_TYPES.get(dtype) or np.dtype(dtype)
    except TypeError:
        raise TypeError(f"dtype {dtype!r} is not a dtype (use e.g. minigrad.float32)") from None
    if dt.kind not in "biuf":
        raise TypeError(f"dtype {dt} is not supported: tensors hold bool, integer or float numbers")
    return dt


def as_array(data, dtype=None, copy: bool = False) -> np.ndarray:
    """The one place that turns user data into the array of a Tensor.

    Python floats (and lists of them) become float32, PyTorch's default; Python ints
    int64; bools bool; NumPy arrays and Tensors keep their dtype. ``None``, strings,
    ragged lists and other objects raise :class:`TypeError` naming what was given —
    even with ``dtype=`` (NumPy would turn None into NaN and parse "1" as 1.0).

    Examples
    --------
    >>> as_array([1.0, 2.0]).dtype
    dtype('float32')
    >>> as_array(np.zeros(2)).dtype
    dtype('float64')
    >>> as_array(None, dtype="float32")
    Traceback (most recent call last):
    ...
    TypeError: tensor(): data must be numbers (bool, int or float), got NoneType None
    """
    if type(data) is np.ndarray and dtype is None and not copy and data.dtype.kind in "biuf":
        return data  # already an array of numbers, the common case (a batch): nothing to do
    if isinstance(data, Node):  # a Tensor: its array
        if not hasattr(data, "_data"):  # a Value: a scalar node of the other engine, not an array
            raise TypeError(f"tensor(): data must be numbers or a Tensor, got {type(data).__name__} {data!r}; "
                            "a Value is a node of the scalar engine: pass its number, v.data")
        data = data._data
    from_python = not isinstance(data, (np.ndarray, np.generic))
    try:
        arr = np.array(data, copy=copy or None) if not from_python else np.array(data)
    except (ValueError, TypeError) as err:  # ragged lists
        raise TypeError(f"tensor(): cannot make a numeric array from {type(data).__name__}: {err}") from None
    if arr.dtype.kind not in "biuf":
        shown = repr(data) if len(repr(data)) < 60 else repr(data)[:57] + "..."
        raise TypeError(f"tensor(): data must be numbers (bool, int or float), got {type(data).__name__} {shown}")
    if dtype is not None:
        target = _dtype(dtype)
        if arr.dtype != target:
            arr = arr.astype(target)
    elif from_python and arr.dtype == float64:
        arr = arr.astype(_DEFAULT_FLOAT)
    return arr


def to_numpy(x) -> np.ndarray:
    """The array behind a Tensor (shared, no check), or ``np.asarray`` of anything else.

    For code inside minigrad (metrics, drawings) that reads values outside the graph.

    Examples
    --------
    >>> import minigrad
    >>> to_numpy(minigrad.tensor([1.0], requires_grad=True))
    array([1.], dtype=float32)
    """
    return x._data if isinstance(x, Node) else np.asarray(x)




def _category(dt: np.dtype) -> int:
    return 2 if dt.kind == "f" else 0 if dt.kind == "b" else 1


def _promote(a, b):
    """PyTorch's promote_types: a float wins over any integer (int64 + float32 = float32)."""
    if a is None or b is None:
        return a if b is None else b
    ca, cb = _category(a), _category(b)
    if ca != cb:
        return a if ca > cb else b
    return np.promote_types(a, b)


def result_type(*operands) -> np.dtype:
    """The one dtype rule: PyTorch's type promotion for the operands of an op.

    Operands come in three priorities — tensors with dimensions, 0-d tensors (and NumPy
    scalars), Python numbers — and a lower one only changes the result when it is of a
    higher *category* (bool < integer < float). So float32 stays float32 against int64
    tensors, NumPy integers and Python floats, and int64 + 2.5 is float32.

    Examples
    --------
    >>> import minigrad
    >>> x = minigrad.zeros(2)                                  # float32
    >>> result_type(x, minigrad.tensor([1, 2])), result_type(x, np.float64(2.0))
    (dtype('float32'), dtype('float32'))
    >>> result_type(minigrad.tensor([1, 2]), 2.5)
    dtype('float32')
    """
    dim = zero = wrapped = None
    for x in operands:
        if isinstance(x, (Node, np.ndarray, np.generic)):
            dt = x.dtype
            if x.ndim:
                dim = _promote(dim, dt)
            else:
                zero = _promote(zero, dt)
        elif isinstance(x, bool):
            wrapped = _promote(wrapped, bool_)
        elif isinstance(x, int):
            wrapped = _promote(wrapped, int64)
        elif isinstance(x, float):
            wrapped = _promote(wrapped, _DEFAULT_FLOAT)
        else:
            dim = _promote(dim, as_array(x).dtype)  # lists: converted as tensor() would
    rest = _combine(zero, wrapped)
    return _combine(dim, rest)


def _combine(higher, lower):
    """Mix two priority groups: the lower one counts only if its category is higher."""
    if higher is None or lower is None:
        return higher if lower is None else lower
    if _category(lower) > _category(higher):
        return _promote(higher, lower) if _category(lower) == 2 else lower
    return higher


def normalize_axes(axes, ndim: int, op: str):
    """The one axis normaliser: None, an int or a sequence -> None or a tuple of axes >= 0.

    Negative axes count from the end; a 0-d tensor accepts axis 0 and -1 (as PyTorch).

    Examples
    --------
    >>> normalize_axes(-1, 3, "sum"), normalize_axes((0, -2), 3, "sum"), normalize_axes(0, 0, "sum")
    ((2,), (0, 1), ())
    >>> normalize_axes(2, 2, "sum")
    Traceback (most recent call last):
    ...
    IndexError: sum: dimension 2 is out of range for a tensor with 2 dimensions (expected -2..1)
    """
    if axes is None:
        return None
    many = isinstance(axes, (tuple, list))
    items = tuple(axes) if many else (axes,)
    bound = max(ndim, 1)
    out = []
    for a in items:
        if isinstance(a, bool) or not isinstance(a, (int, np.integer)):
            raise TypeError(f"{op}: a dimension must be an int, got {type(a).__name__} {a!r}")
        if not -bound <= a < bound:
            raise IndexError(f"{op}: dimension {a} is out of range for a tensor with {ndim} dimensions "
                             f"(expected {-bound}..{bound - 1})")
        out.append(int(a) % bound)
    if len(set(out)) != len(out):
        raise ValueError(f"{op}: dimension {items} names an axis twice")
    return () if ndim == 0 else tuple(out)


def _shape_args(args, op: str) -> tuple:
    """``f(2, 3)``, ``f((2, 3))`` and ``f([2, 3])`` all mean shape (2, 3): parsed once, here."""
    shape = tuple(args[0]) if len(args) == 1 and isinstance(args[0], (tuple, list, Size)) else tuple(args)
    for n in shape:
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
            raise TypeError(f"{op}: a size must be an int, got {type(n).__name__} {n!r} in {shape}")
    return tuple(int(n) for n in shape)


class Size(tuple):
    """A tensor's shape: a tuple, as ``torch.Size``.

    Examples
    --------
    >>> import minigrad
    >>> minigrad.zeros(2, 3).size(), minigrad.zeros(2, 3).size(-1)
    (minigrad.Size([2, 3]), 3)
    >>> minigrad.zeros(2, 3).shape == (2, 3)
    True
    """

    def numel(self) -> int:
        """Product of the sizes."""
        return int(np.prod(self, dtype=np.int64))

    def __repr__(self) -> str:
        # As torch.Size prints (torch.Size([2, 3])), so that the book's outputs read the same.
        return f"minigrad.Size({list(self)})"

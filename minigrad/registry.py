"""The op registry: one record per primitive, the single source of truth about it.

Each primitive is registered where it is implemented, with a decorator that sits right
above its forward and VJP::

    @primitive("tanh", engine="tensor", latex=r"\\frac{d}{dx}\\tanh x = 1 - \\tanh^2 x",
               reference=lambda x: ...)
    def tanh(x):
        y = np.tanh(x)
        return y, (lambda g: g * (1 - y * y),)   # reuse the forward result

A primitive's implementation takes plain data (floats for the scalar engine, NumPy
arrays for the tensor engine) and returns ``(output, vjps)``: one VJP per input. From
this registry the property tests generate cases for every op (so a new op is tested by
registering it), the docs render their table of derivatives, ``gradcheck`` re-checks
each recorded op, and :func:`explain` prints a rule.
"""

from __future__ import annotations

import inspect
import sys
from dataclasses import dataclass, field
from typing import Callable, Optional

__all__ = ["OpSpec", "primitive", "explain", "REGISTRY", "KINDS", "DOMAINS"]

#: How the tests build inputs for an op (see :mod:`minigrad.testing`).
KINDS = ("elementwise", "reduction", "matmul", "linear", "reshape", "transpose", "getitem", "loss")

#: Input domains: where an op is smooth and defined, so finite differences are valid.
DOMAINS = {
    "real": "any real number (tests draw from [-3, 3])",
    "positive": "x > 0 (tests draw from [0.2, 4])",
    "nonzero": "|x| >= 0.5, away from a pole",
    "away_from_zero": "|x| >= 0.1, away from a kink at 0",
    "distinct": "values at least 0.05 apart, so a maximum is unique",
}


@dataclass
class OpSpec:
    """Everything minigrad knows about one primitive.

    Attributes
    ----------
    name : str
        Op name as shown in graphs and errors (``"mul"``, ``"logsumexp"``).
    arity : int
        Number of differentiable inputs.
    latex : str
        One-line derivative in LaTeX.
    kind : str
        One of :data:`KINDS`; tells the tests how to build inputs.
    domain : tuple of str
        One entry of :data:`DOMAINS` per input.
    reference : callable
        An independent plain-NumPy forward, for tests to compare against.
    broadcasts : bool
        True for element-wise binary ops whose operands broadcast.
    scalar, tensor : callable or None
        The implementations for the ``Value`` and ``Tensor`` engines. A tensor
        implementation returns ``(output, vjps)``, one VJP closure per input; a scalar
        one returns the output, and its VJP is ``scalar_vjp``.
    scalar_vjp : callable or None
        ``scalar_vjp(g, *inputs, output)`` -> one gradient per input; a plain function
        shared by every node of the op (no per-node closure).

    Examples
    --------
    >>> from minigrad.registry import REGISTRY
    >>> REGISTRY["mul"].arity
    2
    """

    name: str
    arity: int
    latex: str
    kind: str
    domain: tuple
    reference: Callable
    broadcasts: bool = False
    scalar: Optional[Callable] = None
    scalar_vjp: Optional[Callable] = None
    tensor: Optional[Callable] = None
    notes: str = field(default="")


#: name -> OpSpec, in registration order.
REGISTRY: dict = {}


def primitive(name: str, engine: str, vjp: Optional[Callable] = None, **meta) -> Callable:
    """Register ``fn`` as the ``engine`` ("scalar" or "tensor") implementation of ``name``.

    A scalar implementation also passes ``vjp``: ``vjp(g, *inputs, output)``.

    The first registration of a name must give the metadata (``latex``, ``kind``,
    ``domain``, ``reference``, optionally ``arity``, ``broadcasts``, ``notes``); the other
    engine's registration then only adds its implementation.

    Examples
    --------
    >>> import numpy as np
    >>> @primitive("square_demo", engine="tensor", latex=r"\\frac{d}{dx}x^2 = 2x",
    ...            kind="elementwise", domain=("real",), reference=np.square)
    ... def square(x):
    ...     return x * x, (lambda g: g * 2 * x,)
    >>> REGISTRY.pop("square_demo").arity
    1
    """
    if engine not in ("scalar", "tensor"):
        raise ValueError(f"engine must be 'scalar' or 'tensor', got {engine!r}")
    if (engine == "scalar") != (vjp is not None):
        raise TypeError(f"op {name!r}: a scalar implementation needs vjp=..., a tensor one returns its VJPs")

    def register(fn: Callable) -> Callable:
        spec = REGISTRY.get(name)
        if spec is None:
            missing = {"latex", "kind", "domain", "reference"} - meta.keys()
            if missing:
                raise TypeError(f"first registration of op {name!r} needs {sorted(missing)}")
            if meta["kind"] not in KINDS:
                raise ValueError(f"op {name!r}: kind must be one of {KINDS}, got {meta['kind']!r}")
            domain = tuple(meta["domain"])
            unknown = [d for d in domain if d not in DOMAINS]
            if unknown:
                raise ValueError(f"op {name!r}: unknown domain {unknown}; known: {list(DOMAINS)}")
            spec = OpSpec(name=name, arity=meta.pop("arity", len(domain)), **{**meta, "domain": domain})
            REGISTRY[name] = spec
        elif meta:
            raise TypeError(f"op {name!r} is already registered; give its metadata only once")
        if getattr(spec, engine) is not None:
            raise ValueError(f"op {name!r} already has a {engine} implementation")
        setattr(spec, engine, fn)
        if vjp is not None:
            spec.scalar_vjp = vjp
        return fn

    return register


def explain(name: str, file=None) -> None:
    """Print the derivative rule of a registered op and the code that implements it.

    Parameters
    ----------
    name : str
        A key of :data:`REGISTRY`, e.g. ``"tanh"``.
    file : file-like, optional
        Where to print (default: standard output).

    Examples
    --------
    >>> import minigrad
    >>> minigrad.explain("tanh")  # doctest: +ELLIPSIS
    tanh: elementwise, 1 input (domain: real)
      rule: \\frac{d}{dx}\\tanh x = 1 - \\tanh^2 x
    ...
    """
    if name not in REGISTRY:
        raise KeyError(f"no op named {name!r}; registered ops: {', '.join(REGISTRY)}")
    spec = REGISTRY[name]
    out = file or sys.stdout
    inputs = "input" if spec.arity == 1 else "inputs"
    print(f"{spec.name}: {spec.kind}, {spec.arity} {inputs} (domain: {', '.join(spec.domain)})", file=out)
    print(f"  rule: {spec.latex}", file=out)
    if spec.notes:
        print(f"  note: {spec.notes}", file=out)
    for engine in ("scalar", "tensor"):
        fn = getattr(spec, engine)
        if fn is None:
            continue
        source = inspect.getsource(fn)
        where = f"{fn.__module__}, line {inspect.getsourcelines(fn)[1]}"
        if engine == "scalar" and spec.scalar_vjp.__name__ != "<lambda>":
            source = inspect.getsource(spec.scalar_vjp) + "\n" + source  # a VJP defined apart
        print(f"  {engine} engine ({where}):", file=out)
        for line in source.rstrip().splitlines():
            print(f"    {line}", file=out)

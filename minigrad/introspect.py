"""``minigrad.explain``: print an op's derivative rule, where it was tested, and its code.

Kept apart from the registry because it reads the test facts of :mod:`minigrad.testing`
as well, which itself builds on the registry.
"""

from __future__ import annotations

import inspect
import sys

from .registry import REGISTRY

__all__ = ["explain"]


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
    tanh: 1 input
      rule: \\frac{d}{dx}\\tanh x = 1 - \\tanh^2 x
    ...
    """
    if name not in REGISTRY:
        raise KeyError(f"no op named {name!r}; registered ops: {', '.join(REGISTRY)}")
    spec = REGISTRY[name]
    out = file or sys.stdout
    print(f"{spec.name}: {spec.arity} input{'s' if spec.arity != 1 else ''}", file=out)
    print(f"  rule: {spec.latex}", file=out)
    if spec.notes:
        print(f"  note: {spec.notes}", file=out)
    try:  # the tests' input domain, if the test helpers are installed
        from .testing import domain_text
        domain = domain_text(name)
    except Exception:  # noqa: BLE001  (hypothesis missing, or no case for a user's op)
        domain = ""
    if domain:
        print(f"  tested on: {domain}", file=out)
    for engine in ("scalar", "tensor"):
        fn = getattr(spec, engine)
        if fn is None:
            continue
        if engine == "scalar":  # its row of the scalar table: forward and VJP on one line
            fn = spec.scalar_vjp
        _print_source(f"{engine} engine", fn, out)
        vjps = (spec.scalar_vjp,) if engine == "scalar" else spec.tensor_vjps
        shown = {fn}
        for vjp in vjps:  # a VJP written as a named function (matmul's, sum's): its code too
            if vjp.__name__ != "<lambda>" and vjp not in shown:
                shown.add(vjp)
                _print_source(f"{engine} VJP {vjp.__name__}", vjp, out)
        for helper in _helpers(vjps):  # and the functions of the same file that the VJPs call
            if helper not in shown:
                shown.add(helper)
                _print_source(f"{helper.__name__}, which the {engine} VJP calls", helper, out)


def _print_source(what: str, fn, out) -> None:
    lines, start = inspect.getsourcelines(fn)
    print(f"  {what} ({fn.__module__}, line {start}):", file=out)
    for line in "".join(lines).rstrip().splitlines():
        print(f"    {line}", file=out)


# Shared plumbing every rule may call: explaining it once per op would bury the rule itself.
_PLUMBING = {"call", "_raw", "sum_to_shape", "broadcast_axes"}


def _helpers(vjps) -> list:
    """Functions of a VJP's own module that it calls by name (one level deep), in order of use."""
    found = []
    for vjp in vjps:
        codes = [vjp.__code__]
        codes += [c for c in vjp.__code__.co_consts if inspect.iscode(c)]  # lambdas inside it
        for code in codes:
            for name in code.co_names:
                obj = vjp.__globals__.get(name)
                if (inspect.isfunction(obj) and obj.__module__ == vjp.__module__ and name not in _PLUMBING
                        and obj not in found and obj not in vjps):
                    found.append(obj)
    return found

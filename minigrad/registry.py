"""The op registry: one record per primitive, shared by both engines.

Two things live here and nowhere else:

* :data:`RULES`, the table of derivative rules (LaTeX and a note) — one row per op,
  whichever engines implement it. The docs' table of derivatives and :func:`explain`
  read it.
* :func:`primitive`, the decorator each engine puts right above an op's forward, with
  the op's vector-Jacobian products (VJPs) in the decorator itself::

      @primitive("mul", "tensor",
                 lambda g, a, b, out: g * b,     # d(ab)/da = b
                 lambda g, a, b, out: g * a)     # d(ab)/db = a
      def mul(a, b):
          return a * b

A VJP receives the gradient ``g`` of the final output with respect to the op's output,
the op's inputs and its output (so a rule can reuse the forward result, as
``exp`` does), and the op's keyword arguments. Usually they are plain numbers or NumPy
arrays; under ``create_graph=True`` they are the graph's own nodes, so the same line of
code records the gradient's computation and can be differentiated again.

The facts that only tests need (input domains, independent NumPy references) live
beside the hypothesis strategies in :mod:`minigrad.testing`.

Adding an op is the same for users: register it here with :func:`primitive`, give its
rule in ``RULES`` (or ``rule=``), and call it with :func:`minigrad.apply_op`;
``examples/custom_op.py`` walks through it.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Callable, Optional

__all__ = ["OpSpec", "RULES", "REGISTRY", "primitive"]

#: name -> (derivative rule in LaTeX, note). One row per op, for both engines.
RULES: dict = {
    "add": (r"\frac{\partial (a+b)}{\partial a} = 1,\quad \frac{\partial (a+b)}{\partial b} = 1", ""),
    "sub": (r"\frac{\partial (a-b)}{\partial a} = 1,\quad \frac{\partial (a-b)}{\partial b} = -1", ""),
    "mul": (r"\frac{\partial (ab)}{\partial a} = b,\quad \frac{\partial (ab)}{\partial b} = a", ""),
    "div": (r"\frac{\partial (a/b)}{\partial a} = \frac{1}{b},\quad \frac{\partial (a/b)}{\partial b} = -\frac{a}{b^2}", ""),
    "pow": (r"\frac{\partial a^b}{\partial a} = b\,a^{b-1},\quad \frac{\partial a^b}{\partial b} = a^b \ln a",
            "as PyTorch: the base's gradient is 0 where b = 0, the exponent's is 0 where a = 0 and b >= 0"),
    "neg": (r"\frac{d(-x)}{dx} = -1", ""),
    "abs": (r"\frac{d|x|}{dx} = \operatorname{sign}(x)", "|x|'(0) is taken as 0, as PyTorch does"),
    "exp": (r"\frac{d}{dx} e^x = e^x", "the VJP reuses the forward result"),
    "log": (r"\frac{d}{dx} \ln x = \frac{1}{x}", ""),
    "tanh": (r"\frac{d}{dx}\tanh x = 1 - \tanh^2 x", ""),
    "sigmoid": (r"\frac{d}{dx}\sigma(x) = \sigma(x)\,(1 - \sigma(x))", ""),
    "relu": (r"\frac{d}{dx}\max(x, 0) = [x > 0]", "relu'(0) is taken as 0, as PyTorch does"),
    "sum": (r"\frac{\partial}{\partial x_i} \sum_j x_j = 1", ""),
    "max": (r"\frac{\partial}{\partial x_i} \max_j x_j = [x_i = \max_j x_j] \,/\, \#\text{ties}",
            "ties share the gradient equally; in a row holding NaN the NaN is the maximum"),
    "logsumexp": (r"\frac{\partial}{\partial x_i} \log\sum_j e^{x_j} = \frac{e^{x_i}}{\sum_j e^{x_j}} = \mathrm{softmax}(x)_i", ""),
    "matmul": (r"\frac{\partial (AB)}{\partial A} = G B^\top,\quad \frac{\partial (AB)}{\partial B} = A^\top G", ""),
    "linear": (r"y = xW^\top + b:\quad \bar x = G W,\quad \bar W = G^\top x,\quad \bar b = \textstyle\sum_n G_n",
               "PyTorch's F.linear: one node for nn.Linear instead of transpose, matmul and add"),
    "reshape": (r"\frac{\partial\,\mathrm{reshape}(x)}{\partial x}: G \mapsto \mathrm{reshape}(G, \mathrm{shape}(x))", ""),
    "transpose": (r"\frac{\partial\, x^\top}{\partial x}: G \mapsto G^\top \text{ (inverse permutation)}", ""),
    "expand": (r"\frac{\partial\,\mathrm{expand}(x)}{\partial x}: G \mapsto \textstyle\sum_{\text{stretched axes}} G",
               "broadcasting made explicit; its VJP is the one broadcast reduction, sum_to_shape"),
    "getitem": (r"\frac{\partial x[I]}{\partial x}: G \mapsto \text{zeros with } G \text{ added at } I",
                "repeated integer indices add up (np.add.at)"),
    "scatter_add": (r"\frac{\partial\, \mathrm{zeros}[I] \mathrel{+}= u}{\partial u}: G \mapsto G[I]",
                    "getitem's VJP as an op, so that it can be differentiated again"),
    "cat": (r"\frac{\partial\, [x_1; x_2; \dots]}{\partial x_k}: G \mapsto G[\text{slice of } x_k]", ""),
    "where": (r"\frac{\partial\, \mathrm{where}(c, a, b)}{\partial a} = [c],\quad \frac{\partial}{\partial b} = [\lnot c]", ""),
    "cast": (r"\frac{\partial\, \mathrm{cast}(x)}{\partial x}: G \mapsto \mathrm{cast}^{-1}(G)",
             "a change of floating-point precision; the gradient is cast back"),
    "cumsum": (r"\frac{\partial}{\partial x_i} \sum_{j \le k} x_j = [i \le k]:\quad \bar x_i = \textstyle\sum_{k \ge i} G_k",
               "the VJP is a cumulative sum from the other end: sum(G) - cumsum(G) + G"),
    "norm": (r"\frac{\partial \lVert x\rVert_2}{\partial x} = \frac{x}{\lVert x\rVert_2}",
             "at x = 0 the gradient is taken as 0, as PyTorch (sqrt of a sum of squares would give nan)"),
    "cross_entropy": (r"\frac{\partial \ell}{\partial z_{ij}} = \frac{\mathrm{softmax}(z_i)_j - [j = y_i]}{N}"
                      r"\quad(\text{reduction mean})",
                      "the fused form; functional.cross_entropy(..., fused=False) lets the engine derive it"),
}


@dataclass
class OpSpec:
    """Everything the engines know about one primitive.

    Attributes
    ----------
    name : str
        Op name as shown in graphs and errors (``"mul"``, ``"logsumexp"``).
    latex, notes : str
        The derivative rule and a remark, from :data:`RULES`.
    scalar : callable or None
        ``Value`` engine forward on floats.
    scalar_vjp : callable or None
        ``scalar_vjp(g, *inputs, out)`` -> one gradient per input (one shared function,
        no per-node closure: scalar graphs have millions of nodes).
    tensor : callable or None
        ``Tensor`` engine forward on arrays.
    tensor_vjps : tuple of callables
        One VJP per input, ``vjp(g, *inputs, out, **kwargs)``; only the VJPs of inputs
        that need a gradient run.
    floats : bool
        The op is only defined on floating point: integer inputs are promoted to float32.
    saves : bool
        The forward returns ``(output, saved)``: intermediate arrays its first-order VJP
        reuses (passed as ``saved=``; None under ``create_graph``, where the VJP must
        recompute them with ops so that they differentiate too).
    reads : tuple or None
        What each VJP reads, one tuple per input: input positions and ``"out"``
        (stored with ``"out"`` as position ``arity``), e.g. ``((1,), (0,))`` for ``mul``.
        Backward checks the version of exactly these values (PyTorch's saved tensors):
        an in-place edit of something no running VJP reads is allowed. None: every VJP
        reads every input and the output (the safe default for a custom op).
    checks : tuple
        ``reads`` as backward uses it: for each bit mask of the inputs that want a
        gradient (bit i: input i), the positions whose versions to check.

    Examples
    --------
    >>> from minigrad.registry import REGISTRY
    >>> len(REGISTRY["mul"].tensor_vjps)
    2
    """

    name: str
    latex: str
    notes: str = ""
    scalar: Optional[Callable] = None
    scalar_vjp: Optional[Callable] = None
    tensor: Optional[Callable] = None
    tensor_vjps: tuple = ()
    floats: bool = False
    saves: bool = False
    reads: Optional[tuple] = None
    checks: tuple = ()

    def __post_init__(self):
        self.freed = None  # its Freed marker once a backward pass frees a node (autograd.freed)

    @property
    def arity(self) -> int:
        """Number of differentiable inputs."""
        if self.tensor is not None:
            return len(self.tensor_vjps)
        return len(inspect.signature(self.scalar_vjp).parameters) - 2  # vjp(g, *inputs, out)


#: name -> OpSpec, in registration order.
REGISTRY: dict = {}


def primitive(name: str, engine: str, *vjps: Callable, floats: bool = False, saves: bool = False,
              rule=None, reads=None) -> Callable:
    """Register the decorated forward as the ``engine`` implementation of op ``name``.

    Parameters
    ----------
    name : str
        The op's name; its rule comes from :data:`RULES` unless ``rule`` is given.
    engine : {"scalar", "tensor"}
    *vjps : callable
        Scalar engine: one function returning a gradient per input. Tensor engine: one
        function per input. Each takes ``(g, *inputs, out, **kwargs)``.
    floats : bool
        Tensor engine: promote integer inputs to float32 (``exp``, ``log``, ...).
    saves : bool
        Tensor engine: the forward returns ``(output, saved)`` for its VJPs (see :class:`OpSpec`).
    rule : (str, str), optional
        The derivative rule in LaTeX and a note, for an op that has no row in ``RULES``.
    reads : tuple, optional
        Tensor engine: what each VJP reads, e.g. ``reads=((1,), (0,))`` for ``mul``,
        ``(("out",),)`` for ``exp`` (see :class:`OpSpec`); only these are version-checked.

    Examples
    --------
    >>> import numpy as np
    >>> @primitive("square_demo", "tensor", lambda g, x, out: 2 * x * g,   # d x^2/dx = 2x
    ...            rule=(r"\\frac{d}{dx}x^2 = 2x", ""))
    ... def square(x):
    ...     return x * x
    >>> REGISTRY.pop("square_demo").arity
    1
    """
    if engine not in ("scalar", "tensor"):
        raise ValueError(f"engine must be 'scalar' or 'tensor', got {engine!r}")
    if not vjps or (engine == "scalar" and len(vjps) != 1):
        raise TypeError(f"op {name!r}: the {engine} engine needs "
                        + ("one VJP function" if engine == "scalar" else "one VJP per input"))
    if reads is not None:
        if len(reads) != len(vjps) or any(r != "out" and not (isinstance(r, int) and 0 <= r < len(vjps))
                                           for rs in reads for r in rs):
            raise ValueError(f"op {name!r}: reads= needs one tuple per VJP of input positions and 'out', got {reads!r}")
        reads = tuple(tuple(len(vjps) if r == "out" else r for r in rs) for rs in reads)
    if rule is not None:
        RULES[name] = tuple(rule)
    if name not in RULES:
        raise KeyError(f"op {name!r} has no derivative rule: add it to registry.RULES or pass rule=(latex, note)")

    def register(fn: Callable) -> Callable:
        spec = REGISTRY.get(name)
        if spec is None:
            spec = REGISTRY[name] = OpSpec(name, *RULES[name])
        if getattr(spec, engine) is not None:
            raise ValueError(f"op {name!r} already has a {engine} implementation")
        if engine == "scalar":
            spec.scalar, spec.scalar_vjp = fn, vjps[0]
        else:
            spec.tensor, spec.tensor_vjps, spec.floats, spec.saves = fn, tuple(vjps), floats, saves
            spec.reads = reads
            n = len(vjps)
            wants = [range(n + 1)] * n if reads is None else reads  # undeclared: everything
            spec.checks = tuple(tuple(sorted({i for k, rs in enumerate(wants) if mask >> k & 1 for i in rs}))
                                for mask in range(2 ** n))
        return fn

    return register

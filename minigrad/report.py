"""Tables and comparing sentences written from numbers, for pages built from code.

Two mistakes a generated page makes silently: a table cell that holds a ``|`` (the ``|x|``
of a formula) splits the row, and a sentence names a winner that the noise of the
experiment could have picked. :func:`md_table` escapes every cell; :class:`Spread` holds
one result repeated over seeds, and :func:`compare` writes the sentence — a winner only
when the difference of the means is larger than the spread (one standard deviation of
each side, added); otherwise a tie. :func:`claim` is the check behind it: it raises when
a winner is claimed inside the spread, so a page that claims one fails its build.

Examples
--------
>>> a, b = Spread([0.97, 0.96, 0.97, 0.98, 0.97]), Spread([0.90, 0.91, 0.90, 0.89, 0.90])
>>> compare({"lr 0.5": a, "lr 0.01": b}, "{a} is ahead of {b} ({sa} against {sb} over {n} seeds)",
...         "{a} and {b} tie ({sa} against {sb} over {n} seeds)")
'lr 0.5 is ahead of lr 0.01 (0.9700 ± 0.0071 against 0.9000 ± 0.0071 over 5 seeds)'
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

__all__ = ["md_table", "Spread", "separated", "claim", "compare", "best"]

_MATH = re.compile(r"(\\\(.*?\\\))", re.S)
_CODE = re.compile(r"(`[^`]*`)")


def _cell(value) -> str:
    """One table cell: ``|`` escaped outside code, written ``\\vert`` inside a formula."""
    text = str(value).replace("\n", " ")
    out = []
    for piece in _MATH.split(text):
        if piece.startswith("\\(") and piece.endswith("\\)"):
            out.append(piece.replace("|", r"\vert "))     # same glyph; a bare | would end the cell
        else:
            out.append("".join(p if p.startswith("`") and p.endswith("`") and len(p) > 1 else p.replace("|", r"\|")
                               for p in _CODE.split(piece)))
    return "".join(out)


def md_table(header, rows) -> str:
    """A markdown table whose cells may hold anything: ``|`` cannot split a row.

    Inside a formula ``\\( ... \\)`` a ``|`` becomes ``\\vert`` (KaTeX draws the same bar);
    elsewhere it is escaped as ``\\|``; inside a code span it is left alone (the table
    parser skips code spans). Line breaks become spaces.

    Examples
    --------
    >>> print(md_table(["op", "derivative"], [["abs", r"\\(\\frac{d|x|}{dx} = \\operatorname{sign}(x)\\)"]]))
    | op | derivative |
    | --- | --- |
    | abs | \\(\\frac{d\\vert x\\vert }{dx} = \\operatorname{sign}(x)\\) |
    """
    header = [_cell(h) for h in header]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join("---" for _ in header) + " |"]
    for row in rows:
        row = [_cell(c) for c in row]
        if len(row) != len(header):
            raise ValueError(f"md_table: a row has {len(row)} cells, the header {len(header)}: {row}")
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


@dataclass(frozen=True)
class Spread:
    """One result repeated over seeds: its mean and spread (sample standard deviation).

    Examples
    --------
    >>> s = Spread([0.5, 0.7, 0.6])
    >>> s.n, round(s.mean, 4), round(s.std, 4), str(s)
    (3, 0.6, 0.1, '0.6000 ± 0.1000')
    """

    samples: tuple

    def __init__(self, samples):
        values = tuple(float(v) for v in np.asarray(samples, dtype=float).ravel())
        if not values:
            raise ValueError("Spread: no samples")
        if not all(math.isfinite(v) for v in values):
            raise ValueError(f"Spread: a sample is not finite: {values}")
        object.__setattr__(self, "samples", values)

    @property
    def n(self) -> int:
        return len(self.samples)

    @property
    def mean(self) -> float:
        return float(np.mean(self.samples))

    @property
    def std(self) -> float:
        return float(np.std(self.samples, ddof=1)) if self.n > 1 else 0.0

    def format(self, digits: int = 4) -> str:
        return f"{self.mean:.{digits}f} ± {self.std:.{digits}f}"

    def __str__(self) -> str:
        return self.format()


def separated(a: Spread, b: Spread, min_seeds: int = 5) -> bool:
    """True when ``a``'s mean exceeds ``b``'s by more than the spread (``a.std + b.std``).

    Fewer than ``min_seeds`` runs on either side is not evidence of anything: an error.

    Examples
    --------
    >>> separated(Spread([1, 1.1, 0.9, 1, 1]), Spread([0, 0.1, -0.1, 0, 0]))
    True
    >>> separated(Spread([1, 2, 0, 1, 1]), Spread([0.5, 0.6, 0.4, 0.5, 0.5]))
    False
    """
    for s in (a, b):
        if s.n < min_seeds:
            raise ValueError(f"a comparison needs at least {min_seeds} seeds per side, got {s.n}: {s.samples}")
    return a.mean - b.mean > a.std + b.std


def claim(winner: Spread, loser: Spread, what: str = "", min_seeds: int = 5) -> None:
    """Raise unless ``winner`` is ahead of ``loser`` by more than the spread.

    A page calls this (through :func:`compare`) before it says that one thing beats another,
    so a sentence that claims a winner inside the noise fails the build.

    Examples
    --------
    >>> claim(Spread([0.90, 0.91, 0.89, 0.90, 0.90]), Spread([0.89, 0.90, 0.91, 0.90, 0.90]), "batch 32 over 8")
    Traceback (most recent call last):
    ...
    ValueError: claim: batch 32 over 8: 0.9000 ± 0.0071 against 0.9000 ± 0.0071 is a tie (difference 0.0000, spread 0.0141)
    """
    if not separated(winner, loser, min_seeds):
        raise ValueError(f"claim: {what + ': ' if what else ''}{winner} against {loser} is a tie "
                         f"(difference {winner.mean - loser.mean:.4f}, spread {winner.std + loser.std:.4f})")


def compare(results: dict, ahead: str, tie: str, digits: int = 4, higher_is_better: bool = True) -> str:
    """A sentence comparing two results, chosen from the numbers.

    ``results`` maps two names to their :class:`Spread`. ``ahead`` is used when one is
    better by more than the spread, ``tie`` otherwise; both are ``str.format`` templates
    with ``{a}`` (the better name, or the first for a tie), ``{b}`` (the other), ``{sa}``
    and ``{sb}`` (their means ± spreads) and ``{n}`` (the number of seeds). Set
    ``higher_is_better=False`` for a loss.

    Examples
    --------
    >>> r = {"SGD": Spread([0.95, 0.96, 0.95, 0.94, 0.95]), "Adam": Spread([0.955, 0.94, 0.96, 0.95, 0.95])}
    >>> compare(r, "{a} beats {b}", "{a} and {b} tie: {sa} against {sb} over {n} seeds")
    'SGD and Adam tie: 0.9500 ± 0.0071 against 0.9510 ± 0.0074 over 5 seeds'
    """
    if len(results) != 2:
        raise ValueError(f"compare: two results, got {len(results)}")
    (na, a), (nb, b) = results.items()
    sign = 1 if higher_is_better else -1
    flip = lambda s: Spread([sign * v for v in s.samples])  # noqa: E731
    if separated(flip(b), flip(a)):
        (na, a), (nb, b) = (nb, b), (na, a)
    won = separated(flip(a), flip(b))
    if won:
        claim(flip(a), flip(b), f"{na} over {nb}")
    return (ahead if won else tie).format(a=na, b=nb, sa=a.format(digits), sb=b.format(digits), n=min(a.n, b.n))


def best(results: dict, higher_is_better: bool = True) -> tuple:
    """The best result by mean, and every other one tied with it (inside the spread).

    Returns ``(name of the best, [names tied with it], [names behind it])``.

    Examples
    --------
    >>> best({"a": Spread([1, 1.1, 0.9, 1, 1]), "b": Spread([0.98, 1.0, 0.99, 1.0, 0.97]),
    ...       "c": Spread([0, 0.1, 0, 0, 0])})
    ('a', ['b'], ['c'])
    """
    sign = 1 if higher_is_better else -1
    flip = {k: Spread([sign * v for v in s.samples]) for k, s in results.items()}
    top = max(flip, key=lambda k: flip[k].mean)
    tied = [k for k in results if k != top and not separated(flip[top], flip[k])]
    behind = [k for k in results if k != top and k not in tied]
    return top, tied, behind

"""minigrad.report: generated tables cannot be split by what they hold, and a comparing
sentence names a winner only outside the spread of repeated runs."""

import re

import numpy as np
import pytest
from hypothesis import given, strategies as st

from minigrad.report import Spread, best, claim, compare, md_table, separated


def _cells(table: str) -> int:
    """How many cells Python-Markdown's table extension (the site's) makes of the table's first body row."""
    markdown = pytest.importorskip("markdown")
    html = markdown.markdown(table, extensions=["tables"])
    body = re.search(r"<tbody>\s*<tr>(.*?)</tr>", html, re.S)
    return len(re.findall(r"<td", body[1])) if body else 0


@given(st.lists(st.text(alphabet="ab|x\\()` ", max_size=12), min_size=1, max_size=4))
def test_no_cell_content_splits_a_row(cells):
    table = md_table([f"h{i}" for i in range(len(cells))], [cells])
    assert _cells(table) == len(cells), table


def test_a_bar_inside_a_formula_stays_a_bar():
    table = md_table(["op", "rule"], [["abs", r"\(\frac{d|x|}{dx}\)"]])
    assert r"\vert x\vert" in table and _cells(table) == 2
    assert md_table(["a"], [["`x | y`"]]).splitlines()[2] == "| `x | y` |"   # code spans are left alone


def test_a_row_of_the_wrong_length_is_an_error():
    with pytest.raises(ValueError, match="2 cells"):
        md_table(["a"], [["1", "2"]])


def test_spread_needs_finite_samples():
    with pytest.raises(ValueError):
        Spread([])
    with pytest.raises(ValueError, match="not finite"):
        Spread([1.0, float("nan")])
    s = Spread(np.array([1.0, 2.0, 3.0]))
    assert s.mean == 2.0 and s.std == pytest.approx(1.0) and s.n == 3


def test_a_winner_inside_the_spread_is_refused():
    a = Spread([0.9686, 0.9652, 0.9721, 0.9686, 0.9686])
    b = Spread([0.9652, 0.9686, 0.9686, 0.9652, 0.9721])
    with pytest.raises(ValueError, match="tie"):
        claim(a, b, "batch 32 over batch 8")
    assert compare({"batch 32": a, "batch 8": b}, "{a} wins", "{a} and {b} tie") == "batch 32 and batch 8 tie"


def test_fewer_than_five_seeds_is_no_evidence():
    with pytest.raises(ValueError, match="at least 5 seeds"):
        separated(Spread([1.0, 1.0, 1.0]), Spread([0.0, 0.0, 0.0]))
    with pytest.raises(ValueError, match="at least 5 seeds"):
        compare({"a": Spread([1.0]), "b": Spread([0.0])}, "{a}", "{a}")


def test_a_clear_winner_is_named_whichever_comes_first():
    hi = Spread([0.97, 0.96, 0.97, 0.98, 0.97])
    lo = Spread([0.90, 0.91, 0.90, 0.89, 0.90])
    assert compare({"x": lo, "y": hi}, "{a} beats {b}", "tie") == "y beats x"
    # for a loss lower is better
    assert compare({"x": lo, "y": hi}, "{a} beats {b}", "tie", higher_is_better=False) == "x beats y"
    text = compare({"x": hi, "y": lo}, "{a} ({sa}) beats {b} ({sb}), {n} seeds", "tie")
    assert re.fullmatch(r"x \(0\.9700 ± 0\.0071\) beats y \(0\.9000 ± 0\.0071\), 5 seeds", text), text


@given(st.lists(st.floats(0, 1), min_size=5, max_size=8), st.lists(st.floats(0, 1), min_size=5, max_size=8))
def test_compare_names_a_winner_exactly_when_claim_accepts_it(xs, ys):
    a, b = Spread(xs), Spread(ys)
    text = compare({"a": a, "b": b}, "{a} wins", "tie")
    if text == "tie":
        for w, l in ((a, b), (b, a)):
            with pytest.raises(ValueError):
                claim(w, l)
    else:
        winner, loser = (a, b) if text == "a wins" else (b, a)
        claim(winner, loser)
        assert winner.mean - loser.mean > winner.std + loser.std


def test_best_splits_tied_from_behind():
    top, tied, behind = best({"a": Spread([1, 1.1, 0.9, 1, 1]), "b": Spread([0.98, 1.0, 0.99, 1.0, 0.97]),
                              "c": Spread([0, 0.1, 0, 0, 0])})
    assert (top, tied, behind) == ("a", ["b"], ["c"])
    assert best({"x": Spread([1, 2, 3, 4, 5]), "y": Spread([0, 0, 0, 0, 0.1])}, higher_is_better=False)[0] == "y"

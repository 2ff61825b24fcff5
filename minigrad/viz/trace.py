"""Backpropagation step by step: what the reverse pass does at each node.

:func:`backward_trace` walks the graph with the same reverse pass as ``backward()``
(changing no ``.grad``) and records, per op node: the gradient arriving from above,
the op's derivative rule from the registry, what it sends to each input, and each
input's gradient accumulated so far. The trace prints as a table, or becomes one
drawing per step, or one self-contained HTML page with previous/next buttons.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field


from ..autograd import reverse_pass, toposort
from .graph import _seed, draw, node_names, summary

__all__ = ["backward_trace", "Trace", "Step"]


@dataclass
class Step:
    """One node's turn in the reverse pass.

    Examples
    --------
    >>> from minigrad import Value
    >>> a = Value(3.0, label="a"); y = a * a; y.label = "y"
    >>> step = backward_trace(y).steps[0]
    >>> step.name, step.op, step.upstream, [float(c) for _, c in step.contributions]
    ('y', 'mul', 1.0, [3.0, 3.0])
    """

    index: int
    node: object
    name: str
    op: str
    upstream: object  # d(root)/d(node), complete when the node's turn comes
    rule: str  # the op's derivative, LaTeX, from the registry
    contributions: list = field(default_factory=list)  # (input node, what this op sent it)
    accumulated: list = field(default_factory=list)  # (input node, its gradient so far)


@dataclass
class Trace:
    """The ordered steps of one reverse pass; see :func:`backward_trace`.

    Examples
    --------
    >>> from minigrad import Value
    >>> a = Value(3.0, label="a"); y = (a * a).tanh()
    >>> t = backward_trace(y)
    >>> len(t.steps), float(t.grads[a]) == float(2 * 3.0 * (1 - y.data ** 2))
    (2, True)
    """

    root: object
    steps: list
    grads: dict  # final d(root)/d(node) for every node reached
    names: dict

    def table(self, markdown: bool = False) -> str:
        """The steps as a text table (or a Markdown table).

        Examples
        --------
        >>> from minigrad import Value
        >>> a = Value(3.0, label="a"); y = a * a; y.label = "y"
        >>> print(backward_trace(y).table(markdown=True))
        | step | node | op | upstream grad | sends | accumulated |
        |---|---|---|---|---|---|
        | 1 | y | mul | 1 | a += 3; a += 3 | a = 3; a = 6 |
        """
        head = ["step", "node", "op", "upstream grad", "sends", "accumulated"]
        rows = []
        for s in self.steps:
            sends = "; ".join(f"{self.names[p]} += {summary(c, 3)}" for p, c in s.contributions) or "—"
            acc = "; ".join(f"{self.names[p]} = {summary(a, 3)}" for p, a in s.accumulated) or "—"
            rows.append([str(s.index), s.name, s.op, summary(s.upstream, 3), sends, acc])
        if markdown:
            esc = lambda t: t.replace("|", "\\|")  # noqa: E731
            lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
            return "\n".join(lines + ["| " + " | ".join(esc(c) for c in r) + " |" for r in rows])
        widths = [max(len(r[i]) for r in [head] + rows) for i in range(len(head))]
        fmt = lambda r: "  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip()  # noqa: E731
        return "\n".join([fmt(head), fmt(["-" * w for w in widths])] + [fmt(r) for r in rows])

    def __str__(self) -> str:
        return self.table()

    def frames(self, **draw_kwargs) -> list:
        """One ``graphviz.Digraph`` per step: the current node outlined, gradients known so far.

        ``draw_kwargs`` go to :func:`~minigrad.viz.draw` (e.g. ``rankdir="TB"``).

        Examples
        --------
        >>> from minigrad import Value
        >>> a = Value(3.0, label="a"); y = (a * a).tanh()
        >>> [f.source.count("#d32f2f") for f in backward_trace(y).frames(legend=False)]
        [1, 1]
        """
        known = {self.root: self.grads[self.root]}
        frames = []
        for s in self.steps:
            known.update(s.accumulated)
            frames.append(draw(self.root, grads=dict(known), highlight=s.node, show_grad=True,
                               title=f"step {s.index}: {s.name} = {s.op}(…)", **draw_kwargs))
        return frames

    def to_html(self, path=None, title: str = "Backpropagation, step by step", **draw_kwargs) -> str:
        """A self-contained page (no script or font from elsewhere) with one frame per step.

        Each frame shows the step's derivative rule as typeset math (MathML, converted by
        the ``latex2mathml`` package when it is installed; else the LaTeX source) and the
        graph, top to bottom for long chains, at a size whose labels are readable. Buttons
        (or the arrow keys) step through the frames; ``+``/``−``/"fit" zoom the drawing,
        and it can be dragged to pan. Written atomically to ``path`` when given.

        Examples
        --------
        >>> from minigrad import Value
        >>> a = Value(0.5, label="a"); c = (a * a).tanh()
        >>> page = backward_trace(c).to_html()
        >>> page.count('<section class="frame"'), "<math" in page or "<code>" in page
        (2, True)
        """
        from .figure import figure
        from .graph import _write_atomic

        frames = [figure(f, link=False) for f in self.frames(legend=False, **draw_kwargs)]
        rules = {s.rule: _math_html(s.rule) for s in self.steps}
        typeset = all(m.startswith("<math") for m in rules.values())
        sections = []
        for s, svg in zip(self.steps, frames):
            sends = "".join(f"<li><code>{html.escape(self.names[p])}</code> += {html.escape(summary(c, 4))}</li>"
                            for p, c in s.contributions)
            sections.append(
                f'<section class="frame" hidden><h2>Step {s.index} of {len(self.steps)}: node '
                f'<code>{html.escape(s.name)}</code> = <code>{html.escape(s.op)}</code>(…)</h2>'
                f"<p>Gradient arriving from above: <code>{html.escape(summary(s.upstream, 4))}</code>. "
                f"The op's rule:</p><div class=\"rule\">{rules[s.rule]}</div>"
                f"<p>It sends to each input:</p><ul>{sends}</ul>{svg}</section>")
        note = "" if typeset else (
            '<p class="note">The rules are shown as LaTeX source: <code>pip install latex2mathml</code> '
            "typesets them.</p>")
        page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<style>{_PAGE_CSS}</style></head>
<body><h1>{html.escape(title)}</h1>
<p>The reverse pass visits each op once, from the output back to the inputs. The current
node is outlined in red; each box shows the gradient known so far (green: parameters, blue:
inputs, grey: constants).</p>{note}
<nav><button id="prev" aria-label="previous step">&#9664;</button> <span id="pos"></span>
<button id="next" aria-label="next step">&#9654;</button>
<span class="zoom"><button id="out" aria-label="zoom out">&minus;</button><button id="fit">fit</button><button
 id="one">100%</button><button id="in" aria-label="zoom in">+</button></span>
<small>arrow keys step; + and &minus; zoom; drag the drawing to pan</small></nav>
{''.join(sections)}
<script>{_PAGE_JS}</script></body></html>
"""
        if path is not None:
            _write_atomic(path, page)
        return page


_PAGE_CSS = """
body { font-family: system-ui, sans-serif; margin: 1em; line-height: 1.45; color: #212121; }
h1 { font-size: 1.5em; } h2 { font-size: 1.15em; }
nav { position: sticky; top: 0; z-index: 1; background: #fff; padding: .5em 0; border-bottom: 1px solid #e0e0e0; }
nav button { font-size: 1em; min-width: 2.4em; min-height: 2.2em; }
nav .zoom { margin-left: 1em; white-space: nowrap; }
nav small { display: block; color: #616161; }
.rule { overflow-x: auto; font-size: 1.15em; padding: .3em 0; }
.note { color: #8d3c00; }
figure.mg-figure { display: block; margin: 1em 0; max-width: 100%; }
.mg-scroll { overflow: auto; max-height: 80vh; border: 1px solid #e0e0e0; background: #fff; cursor: grab;
  touch-action: pan-x pan-y; }
.mg-scroll.dragging { cursor: grabbing; user-select: none; }
.mg-scroll > svg { display: block; margin: 0 auto; }
"""

# Stepping, zoom and drag to pan. Zoom 1 is the size figure() chose (labels readable, shrunk to the
# window only as far as that allows); other zooms scale that size.
_PAGE_JS = """
const frames = document.querySelectorAll('.frame'); let i = 0, zoom = 1;
const svgs = [...document.querySelectorAll('.mg-scroll > svg')];
svgs.forEach(s => { s.dataset.w = parseFloat(s.style.width); s.dataset.min = parseFloat(s.style.minWidth); });
function show(k) { i = Math.max(0, Math.min(frames.length - 1, k));
  frames.forEach((f, j) => f.hidden = j !== i);
  document.getElementById('pos').textContent = `step ${i + 1} of ${frames.length}`; }
function base(s, room) { return Math.max(+s.dataset.min, Math.min(+s.dataset.w, room)); }
function setZoom(z) { zoom = Math.max(0.1, Math.min(8, z));
  const room = frames[i].querySelector('.mg-scroll').clientWidth;
  svgs.forEach(s => { if (zoom === 1) { s.style.width = s.dataset.w + 'px'; s.style.minWidth = s.dataset.min + 'px';
      s.style.maxWidth = '100%'; }
    else { s.style.width = (base(s, room) * zoom) + 'px'; s.style.minWidth = '0'; s.style.maxWidth = 'none'; } }); }
function fit() { const box = frames[i].querySelector('.mg-scroll'), s = box.querySelector('svg');
  setZoom(box.clientWidth / base(s, box.clientWidth)); }
document.getElementById('prev').onclick = () => show(i - 1);
document.getElementById('next').onclick = () => show(i + 1);
document.getElementById('in').onclick = () => setZoom(zoom * 1.25);
document.getElementById('out').onclick = () => setZoom(zoom / 1.25);
document.getElementById('one').onclick = () => setZoom(1);
document.getElementById('fit').onclick = fit;
document.addEventListener('keydown', e => {
  if (e.key === 'ArrowLeft') show(i - 1); if (e.key === 'ArrowRight') show(i + 1);
  if (e.key === '+' || e.key === '=') setZoom(zoom * 1.25); if (e.key === '-') setZoom(zoom / 1.25); });
document.querySelectorAll('.mg-scroll').forEach(box => {
  let drag = null;
  box.addEventListener('pointerdown', e => { if (e.pointerType !== 'mouse') return;
    drag = [e.clientX, e.clientY, box.scrollLeft, box.scrollTop]; box.classList.add('dragging'); });
  window.addEventListener('pointermove', e => { if (!drag) return;
    box.scrollLeft = drag[2] - (e.clientX - drag[0]); box.scrollTop = drag[3] - (e.clientY - drag[1]); });
  window.addEventListener('pointerup', () => { drag = null; box.classList.remove('dragging'); });
});
show(0);
"""


def _math_html(latex: str) -> str:
    """A derivative rule as MathML (no script needed to show it), or its LaTeX source when
    the optional ``latex2mathml`` package is not installed or cannot read it."""
    if not latex:
        return "<code>(no rule recorded)</code>"
    try:
        from latex2mathml.converter import convert
    except ImportError:
        return f"<code>{html.escape(latex)}</code>"
    try:
        return convert(latex, display="block")
    except Exception:  # noqa: BLE001 -- a rule it cannot parse is still shown, as source
        return f"<code>{html.escape(latex)}</code>"


def backward_trace(root, seed=None) -> Trace:
    """Record the reverse pass from ``root`` without changing any ``.grad``.

    The graph must be intact (trace before ``backward()``, or after
    ``backward(retain_graph=True)``).

    Examples
    --------
    >>> from minigrad import Value
    >>> from minigrad.viz import backward_trace
    >>> a = Value(0.5, label="a"); b = Value(-0.4, label="b"); c = (a * b).tanh()
    >>> c.label = "c"
    >>> print(backward_trace(c).table())
    step  node  op    upstream grad  sends                    accumulated
    ----  ----  ----  -------------  -----------------------  ---------------------
    1     c     tanh  1              v2 += 0.961              v2 = 0.961
    2     v2    mul   0.961          a += -0.384; b += 0.481  a = -0.384; b = 0.481
    """
    if seed is None:
        seed = _seed(root)
    names = node_names(toposort(root))
    steps, running, grads = [], {}, {}
    for node, g, contributions in reverse_pass(root, seed, record=True):
        grads[node] = g
        if not node._parents:
            continue
        step = Step(index=len(steps) + 1, node=node, name=names[node], op=node.op, upstream=g,
                    rule=getattr(node._op, "latex", ""))
        for parent, c in contributions:
            running[parent] = running[parent] + c if parent in running else c
            step.contributions.append((parent, c))
            step.accumulated.append((parent, running[parent]))
        steps.append(step)
    return Trace(root=root, steps=steps, grads=grads, names=names)

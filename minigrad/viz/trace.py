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

import numpy as np

from ..autograd import reverse_pass, toposort
from .graph import draw, node_names, summary, to_svg

__all__ = ["backward_trace", "Trace", "Step"]


@dataclass
class Step:
    """One node's turn in the reverse pass."""

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
    """The ordered steps of one reverse pass; see :func:`backward_trace`."""

    root: object
    steps: list
    grads: dict  # final d(root)/d(node) for every node reached
    names: dict

    def table(self, markdown: bool = False) -> str:
        """The steps as a text table (or a Markdown table)."""
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
        """One ``graphviz.Digraph`` per step: the current node outlined, gradients known so far."""
        known = {self.root: self.grads[self.root]}
        frames = []
        for s in self.steps:
            known.update(s.accumulated)
            frames.append(draw(self.root, grads=dict(known), highlight=s.node, show_grad=True,
                               title=f"step {s.index}: {s.name} = {s.op}(…)", **draw_kwargs))
        return frames

    def to_html(self, path=None, title: str = "Backpropagation, step by step") -> str:
        """A self-contained page (SVG frames inline, no external requests) with buttons."""
        frames = [to_svg(f) for f in self.frames(legend=False)]
        sections = []
        for s, svg in zip(self.steps, frames):
            sends = "".join(f"<li><code>{html.escape(self.names[p])}</code> += {html.escape(summary(c, 4))}</li>"
                            for p, c in s.contributions)
            sections.append(
                f'<section class="frame" hidden><p><b>Step {s.index}</b>: node <code>{html.escape(s.name)}</code>, '
                f"op <code>{html.escape(s.op)}</code>, upstream gradient {html.escape(summary(s.upstream, 4))}.<br>"
                f"Rule: <code>{html.escape(s.rule)}</code></p><ul>{sends}</ul>{svg}</section>")
        page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>body{{font-family:sans-serif;margin:1.5em}} svg{{max-width:100%;height:auto}}
nav{{position:sticky;top:0;background:#fff;padding:.5em 0}} button{{font-size:1em}}</style></head>
<body><h1>{html.escape(title)}</h1>
<nav><button id="prev">&#9664; previous</button> <span id="pos"></span> <button id="next">next &#9654;</button>
<small>(or the arrow keys)</small></nav>
{''.join(sections)}
<script>
const frames = document.querySelectorAll('.frame'); let i = 0;
function show(k) {{ i = Math.max(0, Math.min(frames.length - 1, k));
  frames.forEach((f, j) => f.hidden = j !== i);
  document.getElementById('pos').textContent = `step ${{i + 1}} of ${{frames.length}}`; }}
document.getElementById('prev').onclick = () => show(i - 1);
document.getElementById('next').onclick = () => show(i + 1);
document.addEventListener('keydown', e => {{ if (e.key === 'ArrowLeft') show(i - 1); if (e.key === 'ArrowRight') show(i + 1); }});
show(0);
</script></body></html>
"""
        if path is not None:
            with open(path, "w", encoding="utf-8") as f:
                f.write(page)
        return page


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
        seed = 1.0 if type(root).__name__ == "Value" else np.ones_like(root.data)
    names = node_names(toposort(root))
    steps, running, grads = [], {}, {}
    for node, g, contributions in reverse_pass(root, seed, record=True):
        grads[node] = g
        if not node._parents:
            continue
        step = Step(index=len(steps) + 1, node=node, name=names[node], op=node.op, upstream=g,
                    rule=node._op.latex if node._op is not None else "")
        for parent, c in contributions:
            running[parent] = running[parent] + c if parent in running else c
            step.contributions.append((parent, c))
            step.accumulated.append((parent, running[parent]))
        steps.append(step)
    return Trace(root=root, steps=steps, grads=grads, names=names)

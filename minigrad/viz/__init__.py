"""Seeing the computation: graph drawings of both engines and backprop step by step.

Examples
--------
>>> from minigrad import Value, viz
>>> x = Value(0.5, label="x"); y = (x * x).tanh(); y.backward()  # then draw it, with its gradients
>>> dot = viz.draw(y)            # a graphviz.Digraph; in Jupyter it displays itself
>>> print(viz.to_text(y).splitlines()[0])
v2 = tanh(v1)   data 0.2449   grad 1
>>> html = viz.figure(dot, caption="y = tanh(x * x)")  # for a web page: readable, scrolls, links the SVG
"""

from .figure import FigureHTML, figure, svg_of
from .graph import (RENDER_FORMATS, compute_grads, draw, format_for, graphviz_pure, kind_of, node_names, pipe, render,
                    summary, to_svg, to_text)
from .trace import Step, Trace, backward_trace

__all__ = ["draw", "render", "to_svg", "to_text", "figure", "svg_of", "FigureHTML", "backward_trace", "Trace", "Step",
           "compute_grads", "node_names", "kind_of", "summary", "format_for", "RENDER_FORMATS", "pipe", "graphviz_pure"]

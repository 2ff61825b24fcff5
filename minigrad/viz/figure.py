"""Drawings a reader can read: an SVG in its own scroll box, never shrunk below a readable size.

A page's text column is about 750 px wide on a desktop and 350 px on a phone; a graph
drawn left to right is often wider. Shrinking it to the column makes its labels 3 px
tall. :func:`figure` instead lets a drawing shrink only as far as its smallest label
stays at ``min_label_px`` CSS pixels (and enlarges one whose labels are smaller than
that); beyond that the drawing scrolls inside its own box, so the page never scrolls
sideways. Each figure links to its full-size SVG (a ``data:`` URI: no file to write,
works offline; a click opens it in a new tab, or saves it where tabs are blocked).
"""

from __future__ import annotations

import base64
import html
import re

__all__ = ["figure", "svg_of", "FigureHTML"]

# CSS px per unit of an SVG length (CSS: 1in = 96px = 72pt).
_UNITS = {"": 1.0, "px": 1.0, "pt": 96 / 72, "pc": 16.0, "in": 96.0, "cm": 96 / 2.54, "mm": 96 / 25.4}
_NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"


class FigureHTML(str):
    """HTML of a figure: a ``str`` (print it in a page built by markdown-exec) that also
    shows itself as HTML in Jupyter.

    Examples
    --------
    >>> f = FigureHTML("<figure></figure>")
    >>> f._repr_html_() == f
    True
    """

    def _repr_html_(self) -> str:
        return str(self)


def svg_of(obj) -> str:
    """SVG text of a drawing: a ``graphviz`` graph, a matplotlib ``Figure``, or SVG text.

    Matplotlib text is written as SVG ``<text>`` (``svg.fonttype: none``), so the browser
    draws it with a real font, a reader can select and search it, and its size can be
    measured. Any XML prolog or DOCTYPE before ``<svg`` is dropped, so the result can sit
    inside HTML.

    Examples
    --------
    >>> svg_of('<?xml version="1.0"?><svg width="10pt" height="5pt"></svg>')
    '<svg width="10pt" height="5pt"></svg>'
    """
    if isinstance(obj, str):
        text = obj
    elif hasattr(obj, "pipe") and hasattr(obj, "source"):  # graphviz.Digraph / Graph
        from .graph import to_svg

        text = to_svg(obj)
    elif hasattr(obj, "savefig"):  # matplotlib Figure
        import io

        import matplotlib

        buf = io.StringIO()
        with matplotlib.rc_context({"svg.fonttype": "none"}):
            obj.savefig(buf, format="svg", bbox_inches="tight")
        text = buf.getvalue()
    else:
        raise TypeError(f"figure: expected a graphviz graph, a matplotlib Figure or SVG text, got "
                        f"{type(obj).__name__}")
    start = text.find("<svg")
    if start < 0:
        raise ValueError("figure: the text holds no <svg> element")
    return text[start:]


def _length_px(value: str | None) -> float | None:
    m = re.fullmatch(rf"\s*({_NUMBER})\s*([a-z]*)\s*", value or "")
    if not m or m.group(2) not in _UNITS:
        return None
    return float(m.group(1)) * _UNITS[m.group(2)]


def _attr(tag: str, name: str) -> str | None:
    m = re.search(rf'\s{name}\s*=\s*"([^"]*)"', tag)
    return m.group(1) if m else None


def _smallest_font(svg: str) -> float | None:
    """The smallest label's font size in the SVG's user units (None if it has no text)."""
    sizes = [float(s) for s in re.findall(rf'font-size\s*=\s*"({_NUMBER})(?:px)?"', svg)]  # graphviz
    sizes += [float(s) for s in re.findall(rf"font-size:\s*({_NUMBER})px", svg)]  # matplotlib, fonttype none
    # matplotlib, fonttype "path": glyphs of 100 units per font size, scaled by (s, -s)
    sizes += [100 * float(s) for s in re.findall(rf"scale\(({_NUMBER}) -{_NUMBER}\)", svg)]
    # graphviz scales its whole drawing when the graph has a `size`: <g id="graph0" ... scale(sx sy)
    top = re.search(rf'<g id="graph0"[^>]*transform="scale\(({_NUMBER})', svg)
    factor = float(top.group(1)) if top else 1.0
    sizes = [s * factor for s in sizes if s > 0]
    return min(sizes) if sizes else None


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "drawing"


def figure(obj, caption: str = "", *, name: str | None = None, min_label_px: float = 10.5,
           link: bool = True) -> FigureHTML:
    """HTML for a readable figure: the drawing in a scroll box, a caption, a full-size link.

    The drawing shrinks to fit the text column only while its smallest label stays at
    ``min_label_px`` CSS pixels or more; a wider drawing keeps that size and scrolls
    sideways inside its own box (the page never does). Labels drawn smaller than
    ``min_label_px`` at the SVG's own size are enlarged to it. The styles live in the
    site's ``docs/assets/stylesheets/extra.css`` (classes ``mg-figure``, ``mg-scroll``,
    ``mg-full``); without them the drawing shows at its fixed size.

    Parameters
    ----------
    obj : graphviz.Digraph, matplotlib.figure.Figure or str
        The drawing (see :func:`svg_of`), e.g. ``viz.draw(loss)``.
    caption : str, optional
        Plain text under the drawing (HTML is escaped); also names the scroll box for
        screen readers and, unless ``name`` is given, the downloaded file.
    name : str, optional
        File name (without ``.svg``) when the full-size SVG is saved.
    min_label_px : float
        Smallest label size allowed, in CSS pixels (10 is the site's floor; the default
        leaves a margin for rounding).
    link : bool
        Add the "full-size SVG" link.

    Returns
    -------
    FigureHTML
        A ``str``: ``print`` it in a ``html="true"`` markdown-exec block; in Jupyter it
        displays itself.

    Examples
    --------
    >>> from minigrad import Value, viz
    >>> x = Value(2.0, label="x"); y = x * x
    >>> html = viz.figure(viz.draw(y), caption="y = x * x")
    >>> html.startswith('<figure class="mg-figure">') and 'class="mg-full"' in html
    True
    >>> print(viz.figure('<svg width="400" height="50" viewBox="0 0 400 50"><text font-size="10">a</text></svg>',
    ...                  link=False))  # doctest: +NORMALIZE_WHITESPACE
    <figure class="mg-figure"><div class="mg-scroll" tabindex="0" role="region" aria-label="drawing">
    <svg style="width:420px;min-width:420px;max-width:100%;height:auto;aspect-ratio:400/50"
    viewBox="0 0 400 50"><text font-size="10">a</text></svg></div></figure>
    """
    svg = svg_of(obj)
    end = svg.index(">") + 1
    tag, body = svg[:end], svg[end:]
    width, height = _length_px(_attr(tag, "width")), _length_px(_attr(tag, "height"))
    box = _attr(tag, "viewBox")
    vb = [float(v) for v in re.findall(_NUMBER, box)] if box else []
    if len(vb) != 4 or vb[2] <= 0 or vb[3] <= 0:
        if width is None or height is None:
            raise ValueError("figure: the SVG needs a viewBox or a width and a height, to know its size")
        # no viewBox: user units are the numbers of width and height, in their unit
        vb = [0.0, 0.0] + [float(re.match(_NUMBER, _attr(tag, n).strip()).group()) for n in ("width", "height")]
        box = f"0 0 {vb[2]:g} {vb[3]:g}"
    if width is None:  # size from the viewBox alone: one user unit per CSS px
        width = vb[2] if height is None else height * vb[2] / vb[3]
    px_per_unit = width / vb[2]
    font = _smallest_font(body)
    # scale relative to the SVG's own size: never below `low` (labels at min_label_px)
    low = min_label_px / (font * px_per_unit) if font else 0.0
    shown = width * max(1.0, low)
    style = (f"width:{shown:.0f}px;min-width:{width * low:.0f}px;max-width:100%;height:auto;"
             f"aspect-ratio:{vb[2]:g}/{vb[3]:g}")
    # the inline copy: size set by the style (the full-size file keeps its own width/height)
    new_tag = re.sub(r'\s(?:width|height|style)\s*=\s*"[^"]*"', "", tag)
    if not _attr(new_tag, "viewBox"):
        new_tag = new_tag[:-1] + f' viewBox="{box}">'
    new_tag = new_tag.replace("<svg", f'<svg style="{style}"', 1)
    label = html.escape(caption or name or "drawing", quote=True)
    parts = [f'<figure class="mg-figure"><div class="mg-scroll" tabindex="0" role="region" aria-label="{label}">\n',
             new_tag, body, "</div>"]
    if caption or link:
        parts.append("<figcaption>")
        if caption:
            parts.append(html.escape(caption))
        if link:
            full = svg  # the file keeps its own size; one without gets the size shown here
            if not _attr(tag, "width"):
                full = tag[:-1] + f' width="{width:g}" height="{width * vb[3] / vb[2]:g}">' + body
            data = base64.b64encode(full.encode("utf-8")).decode("ascii")
            # A browser will not open a data: URI as a top-level page, so a click opens the same
            # bytes as a blob: URL in a new tab; where that is blocked the link saves the file.
            # (window.URL: inside an inline handler a bare `URL` is document.URL, a string.)
            opener = ("try{var b=atob(this.href.split(',')[1]),u=new Uint8Array(b.length);"
                      "for(var i=0;i<b.length;i++)u[i]=b.charCodeAt(i);"
                      "return !window.open(window.URL.createObjectURL(new Blob([u],{type:'image/svg+xml'})),'_blank')"
                      "}catch(e){return true}")
            parts.append(f'{" " if caption else ""}<a class="mg-full" href="data:image/svg+xml;base64,{data}" '
                         f'download="{html.escape(_slug(name or caption))}.svg" onclick="{opener}">full-size SVG</a>')
        parts.append("</figcaption>")
    parts.append("</figure>")
    return FigureHTML("".join(parts))

"""Figures for the walkthroughs, working anywhere: in Jupyter, in a terminal, headless.

Everything returns a ``matplotlib.figure.Figure`` built without ``pyplot``, so no GUI
backend is ever needed; save it with ``fig.savefig("x.svg")`` or turn it into inline
SVG with :func:`to_svg`. Needs the optional ``matplotlib`` package
(``pip install 'minigrad[examples]'``).
"""

from __future__ import annotations

import io
import math
import sys

import numpy as np
from matplotlib.figure import Figure

__all__ = ["TrainingCurves", "fit_limits", "to_png", "show_images", "prediction_grid", "misclassified_grid", "weight_images",
           "confusion_matrix_figure", "decision_boundary", "to_svg"]


def to_svg(fig: Figure) -> str:
    """The figure as an SVG string (for HTML pages and the docs)."""
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight")
    svg = buf.getvalue()
    return svg[svg.index("<svg"):]  # drop the XML prolog so it can sit inside HTML


def fit_limits(fig: Figure, margin: float = 0.05) -> Figure:
    """Widen every axis whose limits cut its data off, so that every plotted point shows.

    d2l's ``train_ch3`` fixes the y-axis at ``[0.3, 0.9]``: an accuracy of 0.95 is then drawn
    outside the box. Limits set by hand are kept where they already hold the data (a
    limit is only ever moved outward), and a ``margin`` (a fraction of the data's range) is
    left beyond the data. Lines and scatter points count; returns the figure.

    Examples
    --------
    >>> fig = Figure(); ax = fig.add_subplot()
    >>> _ = ax.plot([1, 2, 3], [0.5, 0.9, 0.95]); _ = ax.set_ylim(0.3, 0.9)
    >>> lo, hi = fit_limits(fig).axes[0].get_ylim()
    >>> bool(lo == 0.3 and hi >= 0.95)
    True
    """
    for ax in fig.axes:
        xs, ys = [], []
        for line in ax.get_lines():
            xs.append(np.asarray(line.get_xdata(), dtype=float).ravel())
            ys.append(np.asarray(line.get_ydata(), dtype=float).ravel())
        for coll in ax.collections:
            offsets = np.asarray(coll.get_offsets(), dtype=float).reshape(-1, 2)
            xs.append(offsets[:, 0])
            ys.append(offsets[:, 1])
        for values, get, set_, scale in ((xs, ax.get_xlim, ax.set_xlim, ax.get_xscale()),
                                         (ys, ax.get_ylim, ax.set_ylim, ax.get_yscale())):
            data = np.concatenate(values) if values else np.array([])
            data = data[np.isfinite(data)]
            if scale == "log":
                data = data[data > 0]
            if not data.size:
                continue
            lo, hi = get()
            flipped = lo > hi
            lo, hi = min(lo, hi), max(lo, hi)
            dmin, dmax = float(data.min()), float(data.max())
            if dmin >= lo and dmax <= hi:
                continue
            pad = margin * ((dmax - dmin) or abs(dmax) or 1.0)
            new_lo = min(lo, dmin - pad) if scale != "log" else min(lo, dmin / (1 + margin))
            new_hi = max(hi, dmax + pad) if scale != "log" else max(hi, dmax * (1 + margin))
            set_(*((new_hi, new_lo) if flipped else (new_lo, new_hi)))
    return fig


def to_png(fig: Figure, dpi: int = 100) -> bytes:
    """The figure as PNG bytes (what the live display in Jupyter shows).

    Examples
    --------
    >>> to_png(Figure(figsize=(1, 1)))[:8]
    b'\\x89PNG\\r\\n\\x1a\\n'
    """
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight")
    return buf.getvalue()


def _in_notebook() -> bool:
    """True inside a Jupyter kernel (a front end that shows images), False in a terminal,
    in plain Python, and in terminal IPython (which would print the images' text instead)."""
    module = sys.modules.get("IPython")
    shell = module.get_ipython() if module is not None else None
    return shell is not None and ("IPKernelApp" in getattr(shell, "config", {}) or hasattr(shell, "kernel"))


class TrainingCurves:
    """Record metrics per epoch; show them live in Jupyter, as a table in a terminal,
    and save them as PNG/SVG anywhere (what d2l's ``Animator`` does only in Jupyter).

    Parameters
    ----------
    names : sequence of str
        Metric names, e.g. ``("train loss", "train acc", "test acc")``.
    xlabel : str
    live : bool, optional
        Redraw in the notebook after every ``add``; default: only when in Jupyter. The
        plot is sent to Jupyter as a PNG image and replaced in place (a display handle),
        so it shows in a plain notebook: no ``%matplotlib inline``, no ``pyplot``. Outside
        a Jupyter kernel nothing is displayed, whatever ``live`` says (the table is echoed).
    echo : callable or None
        Function that prints a table row per ``add`` (default ``print`` outside Jupyter;
        pass ``tqdm.write`` next to a progress bar, or None for silence).

    Examples
    --------
    >>> curves = TrainingCurves(["loss"], echo=None)
    >>> curves.add(1, loss=0.5); curves.add(2, loss=0.25)
    >>> curves.history["loss"]
    [0.5, 0.25]
    >>> print(curves.table())
    epoch      loss
        1       0.5
        2      0.25
    """

    def __init__(self, names, xlabel: str = "epoch", live=None, echo=print):
        self.names, self.xlabel = list(names), xlabel
        self.x: list = []
        self.history = {n: [] for n in self.names}
        notebook = _in_notebook()
        self.live = notebook if live is None else live
        self.echo = None if notebook else echo
        self._handle = None

    def add(self, x, **values) -> None:
        """Record one point; every metric name must be given."""
        missing = set(self.names) - values.keys()
        if missing:
            raise KeyError(f"TrainingCurves.add: missing values for {sorted(missing)}")
        self.x.append(x)
        for n in self.names:
            self.history[n].append(float(values[n]))
        if self.echo is not None:
            lines = self.table().splitlines()
            self.echo("\n".join(lines[-2:]) if len(self.x) == 1 else lines[-1])
        if self.live:
            self._show()

    def _show(self) -> None:
        """Show the plot in Jupyter, replacing the previous one; in a terminal, do nothing.

        The PNG goes straight to Jupyter as a MIME bundle: a matplotlib ``Figure`` made
        without ``pyplot`` has no inline display of its own unless ``%matplotlib inline``
        has run, and would show as ``<Figure size 500x320 with 1 Axes>``.
        """
        if not _in_notebook():
            return  # terminal IPython would print the bundle's text; plain Python has no display
        from IPython.display import display

        last = ", ".join(f"{n} {self.history[n][-1]:.4g}" for n in self.names)
        bundle = {"image/png": to_png(self.figure()), "text/plain": f"{self.xlabel} {self.x[-1]}: {last}"}
        if self._handle is None:
            self._handle = display(bundle, raw=True, display_id=True)
        else:
            self._handle.update(bundle, raw=True)

    def _repr_png_(self) -> bytes | None:
        """Jupyter shows a ``TrainingCurves`` left at the end of a cell as its plot."""
        return to_png(self.figure()) if self.x else None

    def table(self) -> str:
        """All recorded points as a fixed-width text table."""
        width = max(10, *(len(n) + 2 for n in self.names))
        rows = [f"{self.xlabel:>5}" + "".join(f"{n:>{width}}" for n in self.names)]
        for i, x in enumerate(self.x):
            rows.append(f"{x:>5}" + "".join(f"{self.history[n][i]:>{width}.4g}" for n in self.names))
        return "\n".join(rows)

    def figure(self, title: str = "") -> Figure:
        """Line plot of every metric against the x values."""
        fig = Figure(figsize=(5, 3.2))
        ax = fig.add_subplot()
        for n in self.names:
            ax.plot(self.x, self.history[n], marker="o", ms=3, label=n)
        ax.set_xlabel(self.xlabel)
        ax.grid(alpha=0.3)
        ax.legend()
        if title:
            ax.set_title(title)
        fig.tight_layout()
        return fig

    def save(self, path, title: str = "") -> None:
        """Write the plot; the format follows the suffix (``.png``, ``.svg``, ``.pdf``)."""
        self.figure(title).savefig(path, bbox_inches="tight")


def show_images(images, titles=None, ncols: int = 6, scale: float = 1.3, cmap: str = "gray") -> Figure:
    """A grid of grayscale images with optional titles (d2l's ``show_images``)."""
    images = [np.asarray(getattr(im, "data", im)) for im in images]
    nrows = max(1, math.ceil(len(images) / ncols))
    fig = Figure(figsize=(ncols * scale, nrows * scale * 1.25))
    for i, im in enumerate(images):
        ax = fig.add_subplot(nrows, ncols, i + 1)
        ax.imshow(im, cmap=cmap)
        ax.set_axis_off()
        if titles is not None:
            ax.set_title(titles[i], fontsize=8)
    fig.tight_layout()
    return fig


def prediction_grid(images, y_true, y_pred, class_names, n: int = 12, ncols: int = 6) -> Figure:
    """The first ``n`` images titled "true / predicted" (d2l's ``predict_ch3``)."""
    titles = [f"{class_names[t]}\n→ {class_names[p]}" for t, p in zip(y_true[:n], y_pred[:n])]
    return show_images(images[:n], titles, ncols=ncols)


def misclassified_grid(images, y_true, y_pred, class_names, n: int = 12, ncols: int = 6) -> Figure:
    """Up to ``n`` images the model got wrong, titled "true / predicted"."""
    wrong = np.flatnonzero(np.asarray(y_true) != np.asarray(y_pred))[:n]
    if len(wrong) == 0:
        fig = Figure(figsize=(3, 1))
        fig.text(0.5, 0.5, "no misclassified images", ha="center", va="center")
        return fig
    return prediction_grid(np.asarray(images)[wrong], np.asarray(y_true)[wrong], np.asarray(y_pred)[wrong],
                           class_names, n=len(wrong), ncols=ncols)


def weight_images(weight, image_shape, class_names, ncols: int = 5) -> Figure:
    """Softmax-regression weights, one image per class: which pixels vote for it.

    Red pixels push the class's score up, blue push it down (a diverging colour map
    centred on 0).
    """
    W = np.asarray(getattr(weight, "data", weight))
    limit = float(np.abs(W).max()) or 1.0
    nrows = math.ceil(len(W) / ncols)
    fig = Figure(figsize=(ncols * 1.4, nrows * 1.6))
    for i, w in enumerate(W):
        ax = fig.add_subplot(nrows, ncols, i + 1)
        ax.imshow(w.reshape(image_shape), cmap="RdBu_r", vmin=-limit, vmax=limit)
        ax.set_axis_off()
        ax.set_title(class_names[i], fontsize=9)
    fig.tight_layout()
    return fig


def confusion_matrix_figure(matrix, class_names) -> Figure:
    """A confusion matrix as a heat map with the counts written in."""
    M = np.asarray(matrix)
    fig = Figure(figsize=(4.6, 4))
    ax = fig.add_subplot()
    ax.imshow(M, cmap="Blues")
    ticks = range(len(class_names))
    ax.set_xticks(ticks, class_names, rotation=45 if max(map(len, class_names)) > 2 else 0)
    ax.set_yticks(ticks, class_names)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    for (i, j), count in np.ndenumerate(M):
        ax.text(j, i, str(count), ha="center", va="center", fontsize=7,
                color="white" if count > M.max() / 2 else "black")
    fig.tight_layout()
    return fig


def decision_boundary(predict, X, y, steps: int = 80, title: str = "") -> Figure:
    """Shade where ``predict(points) > 0`` over the plane, with the data on top."""
    X, y = np.asarray(X), np.asarray(y)
    pad = 0.5
    xs = np.linspace(X[:, 0].min() - pad, X[:, 0].max() + pad, steps)
    ys = np.linspace(X[:, 1].min() - pad, X[:, 1].max() + pad, steps)
    gx, gy = np.meshgrid(xs, ys)
    scores = np.asarray(predict(np.c_[gx.ravel(), gy.ravel()])).reshape(gx.shape)
    fig = Figure(figsize=(4.5, 4))
    ax = fig.add_subplot()
    ax.contourf(gx, gy, scores > 0, alpha=0.3, cmap="coolwarm")
    ax.scatter(X[:, 0], X[:, 1], c=y, s=14, cmap="coolwarm", edgecolors="k", linewidths=0.3)
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig

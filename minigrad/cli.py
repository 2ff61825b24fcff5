"""The ``minigrad`` command: draw graphs and traces, explain ops.

    minigrad graph neuron --out neuron.svg               # the format follows the suffix
    minigrad graph softmax --trace --out softmax_trace.html
    minigrad graph my_model.py:build_loss --out loss.png
    minigrad graph --all --out graphs/
    minigrad explain log
    minigrad ops

Mistakes in the command (an unknown demo, a function that needs arguments, a suffix that
contradicts ``--format``) exit with status 2, and failures to write exit with status 1,
each with one line saying what was wrong — no traceback. Files are written whole or not
at all.
"""

from __future__ import annotations

import argparse
import importlib.util
import inspect
import sys
from pathlib import Path

FORMATS = ("svg", "png", "pdf", "dot", "txt", "html")
DRAWING_FORMATS = ("svg", "png", "pdf", "dot")


class CommandError(Exception):
    """A mistake in the command line or a failure to write: printed as one line, then exit.

    Examples
    --------
    >>> CommandError("unknown demo 'nueron'").status
    2
    """

    def __init__(self, message: str, status: int = 2):
        super().__init__(message)
        self.status = status


def _load_user_function(target: str):
    from minigrad.viz.demos import DEMOS

    path, _, name = target.rpartition(":")
    demos = ", ".join(DEMOS)
    if not path or not name:
        if target.endswith(".py"):
            raise CommandError(f"name the function to call in {target}: {target}:FUNCTION")
        raise CommandError(f"unknown demo {target!r}: choose one of {demos}, or give FILE.py:FUNCTION")
    if not Path(path).is_file():
        raise CommandError(f"file not found: {path}")
    if Path(path).suffix != ".py":
        raise CommandError(f"{path} is not a Python file (FILE.py:FUNCTION)")
    spec = importlib.util.spec_from_file_location(Path(path).stem, path)
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(Path(path).resolve().parent))  # so the file can import its neighbours
    try:
        spec.loader.exec_module(module)  # the user's own code: its errors keep their traceback
    finally:
        sys.path.pop(0)
    if not hasattr(module, name):
        raise CommandError(f"{path} has no function {name!r}")
    fn = getattr(module, name)
    if not callable(fn):
        shown = repr(fn) if len(repr(fn)) <= 40 else repr(fn)[:37] + "..."
        raise CommandError(f"{path}:{name} is not a function but {shown} (of type {type(fn).__name__}): name a "
                           "function that takes no arguments and returns the Value or Tensor to draw")
    try:
        needed = [p.name for p in inspect.signature(fn).parameters.values()
                  if p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]
    except (TypeError, ValueError):  # no signature to read (a builtin): call it and see
        needed = []
    if needed:
        raise CommandError(f"{path}:{name} needs the argument(s) {', '.join(needed)}; the function to draw must "
                           f"take none. Wrap it, e.g. def build(): return {name}(...)")
    return fn


def _build(target: str):
    from minigrad import Tensor, Value
    from minigrad.viz.demos import DEMOS

    fn = DEMOS.get(target) or _load_user_function(target)
    root = fn()
    if not isinstance(root, (Value, Tensor)):
        raise CommandError(f"{target} must return a Value or a Tensor, got {type(root).__name__}")
    return root


def _check_folder(folder: Path) -> None:
    """Refuse early (before any work) an output under something that is not a folder."""
    for parent in [folder, *folder.parents]:
        if parent.exists():
            if not parent.is_dir():
                raise CommandError(f"cannot write under {folder}: {parent} is a file, not a folder", status=1)
            return


def _format(out: Path | None, given: str | None, trace: bool) -> str:
    """The format to write: from --format, else from the suffix of --out."""
    suffix = out.suffix.lstrip(".").lower() if out is not None else ""
    known = suffix if suffix in FORMATS else ""
    if given and known and given != known:
        raise CommandError(f"--format {given} does not match the suffix of --out {out}; give one of them")
    fmt = given or known
    if trace:
        if known in DRAWING_FORMATS:
            raise CommandError(f"--trace writes one {known} drawing per step into a folder: give a folder "
                               f"(--out {out.with_suffix('')}/) or an .html or .txt file")
        return fmt or ("svg" if out is not None else "html")
    if suffix and not known and not given:
        raise CommandError(f"cannot tell a format from the suffix of --out {out}: use "
                           f"{', '.join('.' + f for f in FORMATS if f != 'html')}, or give --format")
    if fmt == "html":
        raise CommandError("--format html is for --trace; use svg for a single drawing")
    return fmt or "svg"


def _write(root, out: Path, fmt: str, trace: bool, rankdir: str) -> list:
    from minigrad import viz
    from minigrad.viz.graph import _array, _write_atomic

    scalar = root.requires_grad and _array(root.data).size == 1
    if trace:
        if not scalar:
            raise CommandError("--trace needs an output that is a single number and requires grad")
        t = viz.backward_trace(root)
        if fmt == "html":
            t.to_html(out, rankdir=rankdir)
            return [out]
        if fmt == "txt":
            _write_atomic(out, t.table() + "\n")
            return [out]
        _check_folder(out)
        out.mkdir(parents=True, exist_ok=True)  # one drawing per step
        return [Path(viz.render(f, out / f"step_{i:02d}.{fmt}")) for i, f in enumerate(t.frames(rankdir=rankdir), 1)]
    if fmt == "txt":
        _write_atomic(out, viz.to_text(root, grads=viz.compute_grads(root) if scalar else None) + "\n")
        return [out]
    dot = viz.draw(root, show_grad="all" if scalar else False, rankdir=rankdir)
    return [Path(viz.render(dot, out, fmt))]


def graph_command(args) -> None:
    """Run ``minigrad graph`` (see :func:`main`); mistakes raise :class:`CommandError`.

    Examples
    --------
    >>> import argparse
    >>> args = argparse.Namespace(all=False, target="nueron", out=None, format=None, trace=False, rankdir="auto")
    >>> graph_command(args)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    minigrad.cli.CommandError: unknown demo 'nueron': choose one of expression, neuron, linreg, softmax, or give ...
    """
    from minigrad.viz.demos import DEMOS

    if not args.all and args.target is None:
        raise CommandError(f"name a demo ({', '.join(DEMOS)}) or FILE.py:FUNCTION, or use --all")
    if args.all:
        folder = args.out or Path(".")
        if folder.suffix.lstrip(".") in FORMATS and not folder.is_dir():
            raise CommandError(f"--all writes several files: --out names a folder, got {folder}")
        fmt = args.format or "svg"
        if fmt == "html":
            raise CommandError("--all writes each demo's drawing and its HTML trace: choose a drawing --format")
        jobs = []
        for name in DEMOS:
            jobs += [(name, False, folder / f"{name}.{fmt}", fmt), (name, True, folder / f"{name}_trace.html", "html")]
    else:
        fmt = _format(args.out, args.format, args.trace)
        stem = Path(args.target.rpartition(":")[2] or args.target).name
        out = args.out or Path(f"{stem}_trace.{fmt}" if args.trace else f"{stem}.{fmt}")
        jobs = [(args.target, args.trace, out, fmt)]
    for _, _, out, _ in jobs:
        _check_folder(out.parent)
    for target, trace, out, fmt in jobs:
        root = _build(target)
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            written = _write(root, out, fmt, trace, args.rankdir)
        except OSError as err:
            raise CommandError(f"cannot write {err.filename or out}: {err.strerror or err}", status=1) from None
        except RuntimeError as err:  # Graphviz missing or failing: its message says what to do
            raise CommandError(str(err), status=1) from None
        for path in written:
            print(f"wrote {path}")


def main(argv=None) -> None:
    """The ``minigrad`` command line.

    Examples
    --------
    >>> main(["explain", "tanh"])  # doctest: +ELLIPSIS
    tanh...
    """
    parser = argparse.ArgumentParser(prog="minigrad", description="Draw computation graphs and explain ops.")
    sub = parser.add_subparsers(dest="command", required=True)
    g = sub.add_parser("graph", help="draw a demo graph or your own function's graph")
    g.add_argument("target", nargs="?", help="expression, neuron, linreg, softmax, or FILE.py:FUNCTION (a function "
                                             "taking no arguments that returns a Value or Tensor)")
    g.add_argument("--all", action="store_true", help="every demo, each as a drawing and an HTML trace")
    g.add_argument("--format", choices=FORMATS, default=None,
                   help="default: from the suffix of --out (svg without one; html with --trace)")
    g.add_argument("--out", type=Path, default=None, help="output file (a folder with --all or per-step frames)")
    g.add_argument("--trace", action="store_true", help="backpropagation step by step instead of one drawing")
    g.add_argument("--rankdir", choices=["auto", "LR", "TB"], default="auto",
                   help="left to right, top to bottom, or auto: top to bottom for long chains")
    e = sub.add_parser("explain", help="print an op's derivative rule and its code")
    e.add_argument("op")
    sub.add_parser("ops", help="list the registered ops")
    args = parser.parse_args(argv)
    if args.command == "graph":
        try:
            graph_command(args)
        except CommandError as err:
            print(f"minigrad graph: error: {err}", file=sys.stderr)
            raise SystemExit(err.status) from None
    elif args.command == "explain":
        import minigrad

        try:
            minigrad.explain(args.op)
        except KeyError as err:
            raise SystemExit(f"minigrad explain: {err.args[0]}") from None
    else:
        from minigrad.registry import REGISTRY

        for spec in REGISTRY.values():
            print(f"{spec.name:14s} {spec.latex}")


if __name__ == "__main__":
    main()

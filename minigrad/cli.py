"""The ``minigrad`` command: draw graphs and traces, explain ops.

    minigrad graph neuron --out neuron.svg               # the format follows the suffix
    minigrad graph softmax --trace --out softmax_trace.html
    minigrad graph my_model.py:build_loss --out loss.png
    minigrad graph --all --out graphs/
    minigrad graph neuron --format txt                   # text is printed; --out - prints any format
    minigrad explain log
    minigrad ops                                         # the rules as Unicode math (--latex: as LaTeX)

Mistakes in the command (an unknown demo, a function that needs arguments, a suffix that
contradicts ``--format``) exit with status 2, and failures to write exit with status 1,
each with one line saying what was wrong — no traceback. Files are written whole or not
at all.
"""

from __future__ import annotations

import argparse
import importlib.util
import inspect
import re
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


# --- LaTeX to terminal text ------------------------------------------------------------
# The registry's rules are LaTeX for the docs (KaTeX). A terminal shows them as Unicode math.
# Why not a library: pylatexenc's latex2text drops the braces that carry the grouping
# (a^{b-1} becomes "a^b-1", \frac{s - t}{N} becomes "s - t/N"), which changes a formula's
# meaning; this small converter of the subset our rules use keeps every group, in
# parentheses when it needs them, and leaves an unknown command visible rather than guessing.
_SYMBOLS = {
    "partial": "∂", "sum": "Σ", "prod": "Π", "ell": "ℓ", "infty": "∞", "top": "ᵀ", "lnot": "¬",
    "neg": "¬", "mapsto": " ↦ ", "to": " → ", "cdot": "·", "times": "×", "odot": "⊙", "leq": " ≤ ",
    "le": " ≤ ", "geq": " ≥ ", "ge": " ≥ ", "neq": " ≠ ", "ne": " ≠ ", "approx": " ≈ ", "in": " ∈ ", "pm": "±",
    "nabla": "∇", "circ": "∘", "#": "#", "{": "{", "}": "}", "%": "%", "&": "&", "_": "_",
    "quad": "\0", "qquad": "\0", ",": " ", ";": " ", ":": " ", "!": "", " ": " ",
    "textstyle": "", "displaystyle": "", "left": "", "right": "", "big": "", "Big": "",
    "lVert": "‖", "rVert": "‖", "Vert": "‖", "lvert": "|", "rvert": "|", "vert": "|",
}
_GREEK = ("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho "
          "sigma tau upsilon phi chi psi omega").split()
_SYMBOLS.update({g: chr(0x3B1 + i + (i >= 17)) for i, g in enumerate(_GREEK)})      # skips final sigma
_SYMBOLS.update({g.capitalize(): chr(0x391 + i + (i >= 17)) for i, g in enumerate(_GREEK)})
_PREFIX = {"partial", "lnot", "neg", "nabla", "sum", "prod", "quad", "qquad"}  # "\\partial x" reads "∂x"
_NAMED = {"ln", "log", "exp", "tanh", "sinh", "cosh", "sin", "cos", "tan", "max", "min", "arg",
          "sqrt", "det", "sign", "softmax"}           # printed as words, spaced from what follows
_TEXT = {"mathrm", "operatorname", "text", "textrm", "mathit", "mathbf", "mathsf", "mathrel", "mathop",
         "boldsymbol", "mathbb"}                       # a group printed as it is
_SUP = dict(zip("0123456789+-=()nijkTtxabcdeou", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱʲᵏᵀᵗˣᵃᵇᶜᵈᵉᵒᵘ"))
_SUP["ᵀ"] = "ᵀ"
_SUB = dict(zip("0123456789+-=()ijknmtxaeorsuvhlp", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ᵢⱼₖₙₘₜₓₐₑₒᵣₛᵤᵥₕₗₚ"))


def _needs_parens(text: str) -> bool:
    """Whether ``text`` has an operator or a space outside brackets (so a / or ^ would misbind)."""
    depth = 0
    for ch in text:
        depth += ch in "([{"
        depth -= ch in ")]}"
        if depth == 0 and ch in " +-−=/·×,:<>≤≥↦":
            return True
    return False


def _wrap(text: str) -> str:
    return f"({text})" if _needs_parens(text) else text


def _script(text: str, table: dict, mark: str) -> str:
    if text and all(ch in table for ch in text):
        return "".join(table[ch] for ch in text)
    return mark + (f"({text})" if len(text) > 1 else text)


def latex_to_unicode(latex: str) -> str:
    """Render a LaTeX formula as plain Unicode text for a terminal, keeping its grouping.

    Fractions become ``a/b`` with parentheses wherever a side has an operator, scripts
    become superscript/subscript characters when they all exist (else ``^(...)``), and
    names (``\\tanh``, ``\\mathrm{where}``) become words. An unknown command is left as it
    is, backslash and all, so nothing is silently dropped.

    Examples
    --------
    >>> latex_to_unicode(r"\\frac{\\partial a^b}{\\partial a} = b\\,a^{b-1} \\ln a")
    '∂aᵇ/∂a = b aᵇ⁻¹ ln a'
    >>> latex_to_unicode(r"\\frac{\\mathrm{softmax}(z_i)_j - [j = y_i]}{N}")
    '(softmax(zᵢ)ⱼ - [j = yᵢ])/N'
    """
    pos = 0

    def group() -> str:          # one argument: {...} or a single token
        nonlocal pos
        while pos < len(latex) and latex[pos] == " ":
            pos += 1
        if pos < len(latex) and latex[pos] == "{":
            pos += 1
            return seq("}")
        return token()

    def raw_group() -> str:       # {text} verbatim (\text{...}), spaces kept
        nonlocal pos
        while pos < len(latex) and latex[pos] == " ":
            pos += 1
        if pos < len(latex) and latex[pos] == "{":
            end = latex.index("}", pos)
            text, pos = latex[pos + 1:end], end + 1
            return text
        return token()

    def token() -> str:
        nonlocal pos
        ch = latex[pos]
        pos += 1
        if ch != "\\":
            return {"{": "", "}": "", "~": " "}.get(ch, ch)
        if pos < len(latex) and not latex[pos].isalpha():
            pos += 1
            return _SYMBOLS.get(latex[pos - 1], latex[pos - 1])
        start = pos
        while pos < len(latex) and latex[pos].isalpha():
            pos += 1
        name = latex[start:pos]
        while name in _PREFIX and pos < len(latex) and latex[pos] == " ":   # "∂(a+b)", not "∂ (a+b)"
            pos += 1
        if name in ("frac", "dfrac", "tfrac"):
            num, den = group(), group()
            return f"{_wrap(num.strip())}/{_wrap(den.strip())} "   # "d/dx σ(x)", not "d/dxσ(x)"
        if name == "sqrt":
            return "√" + _wrap(group())
        if name in ("bar", "overline"):
            return group() + "\u0304"
        if name in ("hat", "widehat"):
            return group() + "\u0302"
        if name == "tilde":
            return group() + "\u0303"
        if name == "vec":
            return group() + "\u20d7"
        if name in _TEXT:
            return raw_group() if name.startswith("text") else group()
        if name in _NAMED:
            return f" {name}" + ("" if latex[pos:pos + 1] in ("(", "^", "_") else " ")
        if name in _SYMBOLS:
            return _SYMBOLS[name]
        return "\\" + name + " "                # unknown: shown, not dropped

    def seq(stop: str | None = None) -> str:
        nonlocal pos
        out = ""
        while pos < len(latex):
            ch = latex[pos]
            if stop is not None and ch == stop:
                pos += 1
                return out
            if ch in "^_":
                pos += 1
                arg = group().strip()
                out = out.rstrip(" ") + _script(arg, _SUP if ch == "^" else _SUB, ch)
                continue
            out += token()
        return out

    text = seq()
    text = re.sub(r" {2,}", " ", text.strip())
    text = re.sub(r"([(\[|]) +", r"\1", text)
    text = re.sub(r" +([)\],:;])", r"\1", text)
    return re.sub(r" *\0 *", "   ", text).strip()         # \quad: a wide gap


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


STDOUT = Path("-")   # --out -: write to standard output, as most command-line tools do


def _format(out: Path | None, given: str | None, trace: bool) -> str:
    """The format to write: from --format, else from the suffix of --out."""
    suffix = out.suffix.lstrip(".").lower() if out is not None and out != STDOUT else ""
    known = suffix if suffix in FORMATS else ""
    if given and known and given != known:
        raise CommandError(f"--format {given} does not match the suffix of --out {out}; give one of them")
    fmt = given or known
    if suffix and not known and not given:
        drawings = ", ".join("." + f for f in FORMATS if f != "html")
        raise CommandError(f"cannot tell a format from the suffix of --out {out}: use {drawings} "
                           f"(or .html with --trace), or give --format")
    if trace:
        if known in DRAWING_FORMATS:
            raise CommandError(f"--trace writes one {known} drawing per step into a folder: give a folder "
                               f"(--out {out.with_suffix('')}/) or an .html or .txt file")
        if out == STDOUT and fmt in DRAWING_FORMATS:
            raise CommandError(f"--trace --format {fmt} writes one drawing per step into a folder, not to "
                               "standard output: give --out FOLDER/, or --format html or txt")
        return fmt or ("svg" if out is not None and out != STDOUT else "html")
    if fmt == "html":
        raise CommandError("--format html is for --trace; use svg for a single drawing")
    return fmt or "svg"


def _to_stdout(data) -> None:
    if isinstance(data, bytes):
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        sys.stdout.write(data)


def _write(root, out: Path, fmt: str, trace: bool, rankdir: str) -> list:
    """Write the drawing, trace or text of ``root``; ``out`` is STDOUT for standard output."""
    from minigrad import viz
    from minigrad.viz.graph import _array, _write_atomic

    if out == STDOUT:
        _write_atomic = lambda _path, data: _to_stdout(data)  # noqa: E731  (same calls, other target)

    scalar = root.requires_grad and _array(root.data).size == 1
    if trace:
        if not scalar:
            raise CommandError("--trace needs an output that is a single number and requires grad")
        t = viz.backward_trace(root)
        if fmt == "html":
            if out == STDOUT:
                _to_stdout(t.to_html(rankdir=rankdir))
            else:
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
    if out == STDOUT:
        _to_stdout(dot.source if fmt == "dot" else viz.pipe(dot, fmt))
        return [out]
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
        if folder == STDOUT:
            raise CommandError("--all writes several files: --out names a folder, not - (standard output)")
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
        if args.out is None and fmt == "txt":
            out = STDOUT  # text is for reading: print it, as --out - does
        else:
            out = args.out or Path(f"{stem}_trace.{fmt}" if args.trace else f"{stem}.{fmt}")
        jobs = [(args.target, args.trace, out, fmt)]
    for _, _, out, _ in jobs:
        if out != STDOUT:
            _check_folder(out.parent)
    for target, trace, out, fmt in jobs:
        root = _build(target)
        try:
            if out != STDOUT:
                out.parent.mkdir(parents=True, exist_ok=True)
            written = _write(root, out, fmt, trace, args.rankdir)
        except OSError as err:
            raise CommandError(f"cannot write {err.filename or out}: {err.strerror or err}", status=1) from None
        except RuntimeError as err:  # Graphviz missing or failing: its message says what to do
            raise CommandError(str(err), status=1) from None
        for path in written:
            if path != STDOUT:  # on standard output, only the content
                print(f"wrote {path}")


class HelpFormatter(argparse.ArgumentDefaultsHelpFormatter):
    """``--help`` with each option's real default, and nothing for options without one.

    argparse's own ArgumentDefaultsHelpFormatter also prints "(default: None)" and
    "(default: False)", which read as if the option took the value None.

    Examples
    --------
    >>> p = argparse.ArgumentParser(formatter_class=HelpFormatter)
    >>> _ = p.add_argument("--lr", type=float, default=0.1, help="step size")
    >>> _ = p.add_argument("--out", help="folder")
    >>> text = p.format_help()
    >>> "(default: 0.1)" in text, "None" in text
    (True, False)
    """

    def _get_help_string(self, action):
        if action.default is None or action.default is False or action.default is argparse.SUPPRESS:
            return action.help
        return super()._get_help_string(action)


def _suggest(name: str, known) -> str:
    """ " Did you mean 'tanh'?" for a near miss (difflib), else an empty string."""
    import difflib

    close = difflib.get_close_matches(name, list(known), n=3, cutoff=0.6)
    return f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""


def main(argv=None) -> None:
    """The ``minigrad`` command line.

    Examples
    --------
    >>> main(["explain", "tanh"])  # doctest: +ELLIPSIS
    tanh...
    """
    parser = argparse.ArgumentParser(prog="minigrad", description="Draw computation graphs and explain ops.",
                                     formatter_class=HelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    g = sub.add_parser("graph", help="draw a demo graph or your own function's graph", formatter_class=HelpFormatter)
    g.add_argument("target", nargs="?", help="expression, neuron, linreg, softmax, or FILE.py:FUNCTION (a function "
                                             "taking no arguments that returns a Value or Tensor)")
    g.add_argument("--all", action="store_true", help="every demo, each as a drawing and an HTML trace")
    g.add_argument("--format", choices=FORMATS, default=None,
                   help="default: from the suffix of --out (svg without one; html with --trace)")
    g.add_argument("--out", type=Path, default=None, help="output file (a folder with --all or per-step frames); "
                                                          "- writes to standard output; without it, --format txt "
                                                          "prints and the others write NAME.FORMAT here")
    g.add_argument("--trace", action="store_true", help="backpropagation step by step instead of one drawing")
    g.add_argument("--rankdir", choices=["auto", "LR", "TB"], default="auto",
                   help="left to right, top to bottom, or auto: top to bottom for long chains")
    e = sub.add_parser("explain", help="print an op's derivative rule and its code")
    e.add_argument("op")
    o = sub.add_parser("ops", help="list the registered ops and their derivative rules")
    o.add_argument("--latex", action="store_true", help="print the rules as LaTeX (as the docs typeset them) "
                                                         "instead of Unicode text")
    args = parser.parse_args(argv)
    if args.command == "graph":
        try:
            graph_command(args)
        except CommandError as err:
            print(f"minigrad graph: error: {err}", file=sys.stderr)
            raise SystemExit(err.status) from None
    elif args.command == "explain":
        import minigrad

        from minigrad.registry import REGISTRY

        if args.op not in REGISTRY:
            print(f"minigrad explain: error: no op named {args.op!r}.{_suggest(args.op, REGISTRY)} "
                  f"Registered ops: {', '.join(REGISTRY)} (minigrad ops lists them with their rules)", file=sys.stderr)
            raise SystemExit(2)
        minigrad.explain(args.op)
    else:
        from minigrad.registry import REGISTRY

        width = max(map(len, REGISTRY)) + 2
        for spec in REGISTRY.values():
            print(f"{spec.name:{width}s}{spec.latex if args.latex else latex_to_unicode(spec.latex)}")


def _entry() -> None:
    """The console script: ``main()``, quiet when its reader goes away (``minigrad ops | head``)."""
    try:
        main()
        sys.stdout.flush()
    except BrokenPipeError:
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
        raise SystemExit(1) from None


if __name__ == "__main__":
    _entry()

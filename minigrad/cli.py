"""The ``minigrad`` command: draw graphs and traces, explain ops.

    minigrad graph neuron --format svg --out neuron.svg
    minigrad graph softmax --trace --format html --out softmax_trace.html
    minigrad graph my_model.py:build_loss --format png --out loss.png
    minigrad graph --all --out graphs/
    minigrad explain log
    minigrad ops
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path

FORMATS = ("svg", "png", "pdf", "dot", "txt", "html")


def _load_user_function(target: str):
    path, _, name = target.rpartition(":")
    if not path or not name:
        raise SystemExit(f"minigrad graph: expected a demo name or FILE.py:FUNCTION, got {target!r}")
    if not Path(path).is_file():
        raise SystemExit(f"minigrad graph: file not found: {path}")
    spec = importlib.util.spec_from_file_location(Path(path).stem, path)
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(Path(path).resolve().parent))
    spec.loader.exec_module(module)
    if not hasattr(module, name):
        raise SystemExit(f"minigrad graph: {path} has no function {name!r}")
    return getattr(module, name)


def _build(target: str):
    from minigrad import Tensor, Value
    from minigrad.viz.demos import DEMOS

    fn = DEMOS.get(target) or _load_user_function(target)
    root = fn()
    if not isinstance(root, (Value, Tensor)):
        raise SystemExit(f"minigrad graph: {target} must return a Value or a Tensor, got {type(root).__name__}")
    return root


def _write(root, out: Path, fmt: str, trace: bool, rankdir: str) -> list:
    from minigrad import viz

    out.parent.mkdir(parents=True, exist_ok=True)
    scalar = root.requires_grad and getattr(root.data, "size", 1) == 1
    if trace:
        if not scalar:
            raise SystemExit("minigrad graph --trace: the output must be a scalar that requires grad")
        t = viz.backward_trace(root)
        if fmt == "html":
            t.to_html(out)
            return [out]
        if fmt == "txt":
            out.write_text(t.table() + "\n")
            return [out]
        out.mkdir(parents=True, exist_ok=True)  # one drawing per step
        return [Path(viz.render(f, out / f"step_{i:02d}.{fmt}")) for i, f in enumerate(t.frames(rankdir=rankdir), 1)]
    if fmt == "txt":
        out.write_text(viz.to_text(root, grads=viz.compute_grads(root) if scalar else None) + "\n")
        return [out]
    if fmt == "html":
        raise SystemExit("minigrad graph: --format html is for --trace; use svg for a single drawing")
    dot = viz.draw(root, show_grad="all" if scalar else False, rankdir=rankdir)
    return [Path(viz.render(dot, out, fmt))]


def graph_command(args) -> None:
    from minigrad.viz.demos import DEMOS

    targets = list(DEMOS) if args.all else [args.target]
    if not args.all and args.target is None:
        raise SystemExit(f"minigrad graph: name a demo ({', '.join(DEMOS)}) or FILE.py:FUNCTION, or use --all")
    for target in targets:
        stem = Path(target.rpartition(":")[2] or target).name
        if args.all or args.out is None:
            folder = args.out or Path(".")
            jobs = [(False, folder / f"{stem}.{args.format}")]
            if args.all:
                jobs.append((True, folder / f"{stem}_trace.html"))
        else:
            jobs = [(args.trace, args.out)]
        for trace, out in jobs:
            fmt = "html" if out.suffix == ".html" else args.format
            for written in _write(_build(target), out, fmt, trace or args.trace, args.rankdir):
                print(f"wrote {written}")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="minigrad", description="Draw computation graphs and explain ops.")
    sub = parser.add_subparsers(dest="command", required=True)
    g = sub.add_parser("graph", help="draw a demo graph or your own function's graph")
    g.add_argument("target", nargs="?", help="expression, neuron, linreg, softmax, or FILE.py:FUNCTION")
    g.add_argument("--all", action="store_true", help="every demo, each as a drawing and an HTML trace")
    g.add_argument("--format", choices=FORMATS, default="svg")
    g.add_argument("--out", type=Path, default=None, help="output file (a folder with --all or per-step frames)")
    g.add_argument("--trace", action="store_true", help="backpropagation step by step instead of one drawing")
    g.add_argument("--rankdir", choices=["LR", "TB"], default="LR")
    e = sub.add_parser("explain", help="print an op's derivative rule and its code")
    e.add_argument("op")
    sub.add_parser("ops", help="list the registered ops")
    args = parser.parse_args(argv)
    if args.command == "graph":
        graph_command(args)
    elif args.command == "explain":
        import minigrad

        try:
            minigrad.explain(args.op)
        except KeyError as err:
            raise SystemExit(f"minigrad explain: {err.args[0]}") from None
    else:
        from minigrad.registry import REGISTRY

        for spec in REGISTRY.values():
            print(f"{spec.name:14s} {spec.kind:12s} {spec.latex}")


if __name__ == "__main__":
    main()

"""The package's shape: no import cycle inside minigrad/, counting imports inside functions too."""

import ast
from pathlib import Path

import minigrad

PACKAGE = Path(minigrad.__file__).parent


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, name: str) -> set:
    """Modules of the package that ``path`` imports, anywhere in the file."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            candidates = [target] + [f"{target}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            candidates = [a.name for a in node.names]
        else:
            continue
        found |= {c for c in candidates if c.startswith("minigrad")}
    return found


def test_no_import_cycle_inside_the_package():
    files = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph = {name: {t for t in _imports(path, name) if t in files and t != name} for name, path in files.items()}
    # the package's __init__ re-exports everything: it is the top, not part of a cycle
    graph = {n: {t for t in ts if t != "minigrad"} for n, ts in graph.items() if n != "minigrad"}
    state: dict = {}

    def visit(node, path):
        state[node] = "open"
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                cycle = path[path.index(nxt):] + [nxt]
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            if nxt not in state:
                visit(nxt, path + [nxt])
        state[node] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])


def test_the_reading_edition_fits_one_sitting_and_imports_only_rules_and_helpers():
    # issue 18: minigrad/simple.py is the engine a learner reads whole; it stays small and
    # runs the real engine's rule tables, never its graph machinery or its classes
    path = PACKAGE / "simple.py"
    lines = path.read_text().splitlines()
    assert len(lines) <= 150, f"minigrad/simple.py has {len(lines)} lines; the reading edition must stay within 150"
    allowed = {"minigrad.scalar": set(), "minigrad.tensor_ops": {"sum_to_shape"}, "minigrad.autograd": {"Node"},
               "minigrad.convert": {"_shape_args", "as_array", "normalize_axes", "result_type"}, "minigrad.registry": {"REGISTRY"},
               "minigrad": {"scalar", "tensor_ops"}}
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level:
            module = "minigrad" + (f".{node.module}" if node.module else "")
            names = {a.name for a in node.names}
            assert module in allowed and names <= allowed[module], f"simple.py imports {names} from {module}"
        elif isinstance(node, ast.Import):
            assert all(not a.name.startswith("minigrad") for a in node.names)

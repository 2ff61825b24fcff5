"""Every shell command the README and the install page show runs as written.

The commands are extracted from the pages (lines of ``bash``/``sh``/``powershell`` code
blocks, and inline code spans that start with a program), not copied here, so a command
added to a page is run without anyone touching this file. Each runs in a fresh shell as a
newcomer's would be after the page's set-up command (``env -i`` with a minimal PATH: no
activated venv, no PYTHONPATH), in a fresh copy of the checkout (so files it writes land in
a temporary folder) whose ``.venv`` is the checkout's own, made by ``make test``.

A command is only left out with a stated reason: the set-up commands themselves, commands
for other systems, servers that run until stopped, and long ones that another test covers.
Every reason names the command exactly, and a reason for a command no page shows fails
too, so the list cannot go stale.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / ".venv"

# What a page assumes has been run in the shell before its commands: the README's set-up is
# `make demo`/`make test` (which made .venv); the install page's is its step 1, which ends by
# activating the venv in the shell where the rest is typed.
PAGES = {"README.md": "", "docs/install.md": "source .venv/bin/activate\n"}

PROGRAMS = {"make", "python", "python3", "py", "pip", "minigrad", "mkdocs", "pytest", "sh", "bash", "source",
            "npm", "winget", "brew", "sudo", "apt-get", "conda", "jupyter"}
SHELL_BLOCKS = {"bash", "sh", "shell", "console", "powershell"}

SET_UP = "set-up command (it makes the .venv every other command uses; CI runs `make test`)"
NOT_RUN = {
    # README.md
    "make demo": SET_UP,
    "make test": SET_UP,
    ".ci/run": "CI's own entry point: it runs `make test`, whose suite includes this test",
    "make docs": "the strict docs build of both languages (minutes); tests/test_docs.py runs the same build",
    "make serve": "a server that runs until stopped",
    "HYPOTHESIS_PROFILE=thorough make test": "the whole suite drawing many more examples (long); CI runs the "
                                             "suite with the default profile",
    "make bench": "the full benchmark (many minutes); tests/test_benchmarks.py runs its quick mode",
    ".venv/bin/pip install torch micrograd": "installs the optional peers (a large download) into the venv",
    ".venv/bin/python examples/softmax_regression.py --dataset mnist --test-split --out out/mnist":
        "downloads MNIST (offline CI cannot); the offline error it gives is tested in tests/test_datasets.py",
    # docs/install.md
    "py -m venv .venv": "Windows (PowerShell) set-up",
    r".venv\Scripts\Activate.ps1": "Windows (PowerShell) set-up",
    "python3 -m venv .venv": SET_UP,
    "source .venv/bin/activate": SET_UP,
    "python -m pip install --upgrade pip": SET_UP,
    'pip install -e ".[examples]"': "set-up step: `make test`'s venv holds every extra",
    'pip install -e ".[docs]"': "set-up step: `make test`'s venv holds every extra",
    'pip install -e ".[dev]"': "set-up step: `make test`'s venv holds every extra",
    "pip install jupyterlab": "installs JupyterLab, which the tests do not use (they run notebooks with nbclient)",
    "winget install graphviz": "Windows",
    "brew install graphviz": "macOS",
    "sudo apt-get install graphviz": "a system install (`make test` installs Graphviz as root)",
    "conda install -c conda-forge graphviz": "conda, not used here",
    "mkdocs serve": "a server that runs until stopped",
    "python -m http.server -d site": "a server that runs until stopped",
}


def _is_command(span: str) -> bool:
    words = span.split()
    while words and re.fullmatch(r"[A-Z_][A-Z0-9_]*=\S*", words[0]):  # `NAME=value make test`
        words = words[1:]
    first = words[0] if words else ""
    if first in PROGRAMS:
        return len(words) > 1  # "`npm`", "`pytest`" in a sentence name a program; with arguments, a command
    return first.startswith((".venv/bin/", ".venv\\", ".ci/", "scripts/", "./")) and not span.endswith(("/", "\\"))


def shown_commands(page: str) -> list:
    """The shell commands ``page`` shows: code-block lines and command-like inline spans, in order."""
    text = (ROOT / page).read_text(encoding="utf-8")
    commands = []
    fence = re.compile(r"^(?P<indent>[ \t]*)(?P<ticks>```+)(?P<lang>[\w-]*)[^\n]*\n(?P<body>.*?)^(?P=indent)(?P=ticks)\s*$",
                       re.S | re.M)
    rest, last = [], 0
    for m in fence.finditer(text):
        rest.append(text[last:m.start()])
        last = m.end()
        if m["lang"] in SHELL_BLOCKS:
            for line in m["body"].splitlines():
                line = line.strip()
                if line and not line.startswith("#"):
                    commands.append(line)
    rest.append(text[last:])
    for span in re.findall(r"`([^`\n]+)`", "".join(rest)):
        if _is_command(span.strip()):
            commands.append(span.strip())
    return commands


def _key(command: str) -> str:
    """The command without a trailing ``# comment`` (what NOT_RUN names)."""
    return re.sub(r"\s+#.*$", "", command).strip()


CASES = [(page, command) for page in PAGES for command in dict.fromkeys(shown_commands(page))]


def test_the_pages_show_commands_and_every_reason_names_a_shown_command():
    keys = {_key(c) for _, c in CASES}
    assert {"make demo", "make test"} <= keys and len(keys) > 15, sorted(keys)
    stale = sorted(set(NOT_RUN) - keys)
    assert not stale, f"reasons for commands no page shows any more: {stale}"


def _fresh_checkout(tmp_path: Path) -> Path:
    """A copy of the checkout's files (not .git, .venv, outputs), with the real .venv linked in."""
    skip = {".git", ".venv", "site", "out", "node_modules", ".hypothesis", ".pytest_cache", "__pycache__"}
    copy = tmp_path / "checkout"
    # copy2 keeps the times, so make sees .venv/.installed as newer than pyproject.toml
    shutil.copytree(ROOT, copy, ignore=lambda _d, names: [n for n in names if n in skip], symlinks=True)
    (copy / ".venv").symlink_to(VENV, target_is_directory=True)
    return copy


@pytest.mark.slow
@pytest.mark.parametrize("page, command", CASES, ids=[f"{p}: {_key(c)}" for p, c in CASES])
def test_a_shown_command_runs_as_written(page, command, tmp_path):
    if _key(command) in NOT_RUN:
        pytest.skip(NOT_RUN[_key(command)])
    if not (VENV / "bin" / "python").exists():
        pytest.skip("no .venv in the checkout: run `make test` (the README's set-up), which makes it")
    cwd = _fresh_checkout(tmp_path)
    env = {"HOME": os.environ.get("HOME", str(tmp_path)), "PATH": "/usr/bin:/bin",
           "XDG_CACHE_HOME": str(tmp_path / "cache")}  # not the user's data cache
    script = f"set -e\n{PAGES[page]}{command}\n"
    result = subprocess.run(["bash", "-c", script], cwd=cwd, env=env, capture_output=True, text=True,
                            timeout=600, stdin=subprocess.DEVNULL)
    assert result.returncode == 0, (f"{page}: `{command}` failed with status {result.returncode}\n"
                                    f"stdout:\n{result.stdout[-3000:]}\nstderr:\n{result.stderr[-3000:]}")
    assert "Traceback" not in result.stderr, result.stderr[-3000:]


# ---------------------------------------------------------------------------- the minigrad command


def minigrad_cli(*args, cwd=None):
    import sys

    return subprocess.run([sys.executable, "-m", "minigrad.cli", *args], capture_output=True, text=True,
                          cwd=cwd, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=300)


def test_ops_prints_every_rule_as_unicode_math_and_latex_on_request():
    from minigrad.registry import REGISTRY

    text = minigrad_cli("ops").stdout
    lines = text.splitlines()
    assert [line.split()[0] for line in lines] == list(REGISTRY)
    assert "\\" not in text and "{" not in text, text  # no LaTeX command or group left over
    assert "∂" in text and "tanh² x" in text
    latex = minigrad_cli("ops", "--latex").stdout
    assert all(spec.latex in latex for spec in REGISTRY.values())


@pytest.mark.parametrize("latex, text", [
    (r"\frac{\partial (a-b)}{\partial b} = -1", "∂(a-b)/∂b = -1"),
    (r"\frac{s - t}{N}", "(s - t)/N"),                      # the grouping kept: not "s - t/N"
    (r"a^{b-1}", "aᵇ⁻¹"),
    (r"e^{x_j}", "e^(xⱼ)"),                                  # no superscript subscript: parentheses
    (r"\frac{d}{dx}\sigma(x)", "d/dx σ(x)"),
    (r"x^\top G \quad \bar x", "xᵀ G   x\u0304"),
    (r"\frac{1}{1 + e^{-x}}", "1/(1 + e⁻ˣ)"),
    (r"\weird{x}", "\\weird x"),                             # unknown: shown, not dropped
])
def test_latex_to_unicode_keeps_the_meaning(latex, text):
    from minigrad.cli import latex_to_unicode

    assert latex_to_unicode(latex) == text


def test_out_dash_writes_to_standard_output_and_txt_prints(tmp_path):
    for fmt, start in (("svg", "<?xml"), ("dot", "digraph"), ("txt", "o = tanh(n)")):
        result = minigrad_cli("graph", "neuron", "--format", fmt, "--out", "-", cwd=tmp_path)
        assert result.returncode == 0 and result.stdout.lstrip().startswith(start), result.stderr
        assert "wrote" not in result.stdout
    printed = minigrad_cli("graph", "neuron", "--format", "txt", cwd=tmp_path)
    assert printed.returncode == 0 and printed.stdout.startswith("o = tanh(n)")
    trace = minigrad_cli("graph", "neuron", "--trace", "--out", "-", cwd=tmp_path)
    assert trace.returncode == 0 and "<html" in trace.stdout
    assert list(tmp_path.iterdir()) == []  # no file named "-", nor any other
    refused = minigrad_cli("graph", "--all", "--out", "-", cwd=tmp_path)
    assert refused.returncode == 2 and "not - (standard output)" in refused.stderr


def test_the_suffix_error_lists_every_suffix_and_explain_suggests_a_near_name(tmp_path):
    result = minigrad_cli("graph", "neuron", "--out", str(tmp_path / "x.jpg"))
    assert result.returncode == 2 and ".svg, .png, .pdf, .dot, .txt (or .html with --trace)" in result.stderr
    typo = minigrad_cli("explain", "tahn")
    assert typo.returncode == 2 and "Did you mean 'tanh'?" in typo.stderr and "Traceback" not in typo.stderr
    far = minigrad_cli("explain", "zzzz")
    assert far.returncode == 2 and "Did you mean" not in far.stderr and "registered ops" in far.stderr.lower()


@pytest.mark.parametrize("argv", [["-m", "minigrad.cli", "--help"], ["-m", "minigrad.cli", "graph", "--help"],
                                  ["-m", "minigrad.cli", "ops", "--help"],
                                  ["examples/linear_regression.py", "--help"], ["examples/softmax_regression.py", "--help"],
                                  ["examples/scalar_mlp.py", "--help"], ["examples/d2l/runner.py", "--help"]])
def test_help_shows_no_default_of_none(argv):
    import sys

    result = subprocess.run([sys.executable, *argv], capture_output=True, text=True, cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)
    assert result.returncode == 0 and "usage:" in result.stdout
    assert "(default: None)" not in result.stdout and "(default: False)" not in result.stdout


def test_the_legend_shows_only_the_kinds_the_graph_has():
    from minigrad import Value, tensor, viz

    scalar = viz.draw(Value(2.0, label="w") * 3.0).source
    assert "legend_parameter" in scalar and "legend_constant" in scalar and "legend_output" in scalar
    assert "legend_input" not in scalar
    x = tensor([[1.0, 2.0]])
    w = tensor([0.5, -1.0], requires_grad=True)
    drawn = viz.draw((x @ w).sum()).source
    assert "legend_input" in drawn and "legend_constant" not in drawn


# ---------------------------------------------------------------------------- what make demo installs


def test_make_demo_installs_only_what_the_demo_uses():
    import tomllib

    make = subprocess.run(["make", "-n", "-B", "demo", "VENV=/nonexistent-venv"], cwd=ROOT, capture_output=True,
                          text=True, timeout=60).stdout
    installs = [line for line in make.splitlines() if "pip install" in line and "-e" in line]
    assert installs and all('".[examples,docs]"' in line for line in installs), installs
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]

    def closure(names):
        out = set()
        for name in names:
            for req in extras[name]:
                inner = re.fullmatch(r"minigrad\[([\w,]+)\]", req)  # "minigrad[test,docs]": those extras
                out |= closure(inner[1].split(",")) if inner else {re.split(r"[<>=\[ ;]", req)[0].lower()}
        return out

    demo = closure(["examples", "docs"])
    for test_only in ("pytest", "hypothesis", "playwright", "ipykernel", "nbclient", "jupyterlab"):
        assert test_only not in demo, f"{test_only} is installed by make demo, which never uses it"
    assert closure(["dev"]) >= demo | {"pytest", "hypothesis", "playwright", "ipykernel"}  # make test: the rest

"""Every docs page that runs code becomes a notebook at build (docs/hooks/notebooks.py);
here each of those notebooks is generated the same way and executed top to bottom in a
real Jupyter kernel, so a download from the site runs. TrainingCurves draws live there."""

import importlib.util
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"

if os.environ.get("CI"):  # make test installs the notebooks extra: a missing one is a failure there
    import ipykernel  # noqa: F401
    import nbclient
    import nbformat
else:
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")

spec = importlib.util.spec_from_file_location("notebook_hook", DOCS / "hooks" / "notebooks.py")
hook = importlib.util.module_from_spec(spec)
spec.loader.exec_module(hook)

# The pages whose notebooks are executed: every English page with code except the
# benchmarks (timings of the whole suite: run by `python -m benchmarks`, not here). The
# Chinese twins (page.zh.md) carry the same code with translated prose, so running them
# too would double the time and test nothing new.
PAGES = sorted(p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md")
               if p.name != "benchmarks.md" and not p.name.endswith(".zh.md")
               and hook.has_code(p.read_text(encoding="utf-8")))


def test_pages_with_code_are_found():
    assert "walkthroughs/linear-regression.md" in PAGES and "api.md" not in PAGES


def test_split_keeps_order_and_marks_rendered_output():
    page = ('# T\n\ntext\n\n```python exec="on" html="true"\nprint(1)\n```\n\n??? example "Code"\n\n'
            '    ```python exec="on" source="above" result="text"\n    x = 2\n    ```\n')
    parts = hook.split_page(page)
    assert [k for k, _ in parts] == ["markdown", "code", "markdown", "code"]
    assert parts[1][1].startswith("%%show_output html") and parts[3][1] == "x = 2"


@pytest.mark.parametrize("page", PAGES)
def test_notebook_executes(page):
    nb = hook.page_to_notebook((DOCS / page).read_text(encoding="utf-8"), page)
    client = nbclient.NotebookClient(nb, timeout=120, kernel_name="python3",
                                     resources={"metadata": {"path": str(ROOT)}})
    client.execute()  # raises CellExecutionError naming the cell on any error
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    if page == "walkthroughs/softmax-regression.md":
        # live curves: in Jupyter, TrainingCurves displays its figure as an image and updates it in place
        live = [o for c in nb.cells if c.cell_type == "code" and "TrainingCurves" in c.source
                for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
        assert live, "TrainingCurves showed no figure in the notebook"


def test_math_delimiters_become_jupyter_dollars():
    assert hook.dollars(r"a \(x^2\) b \[y\]") == "a $x^2$ b $$y$$"


def test_page_gets_a_download_link_to_its_notebook():
    class File:
        src_uri, dest_uri = "walkthroughs/x.md", "walkthroughs/x.html"   # use_directory_urls: false
    page = type("Page", (), {"file": File})()
    out = hook.on_page_markdown('# X\n\n```python exec="on"\nprint(1)\n```\n', page, {}, None)
    assert out.startswith("# X") and 'href="../notebooks/walkthroughs/x.ipynb"' in out
    assert "notebooks/walkthroughs/x.ipynb" in hook._pending
    hook._pending.clear()


def test_headings_lose_their_anchor_attributes():
    nb = hook.page_to_notebook('# T\n\n## 学习率 {#what-learning-rate}\n\ntext\n\n```python exec="on"\nprint(1)\n```\n',
                               "x.zh.md")
    prose = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "## 学习率" in prose and "{#" not in prose


def test_outside_a_checkout_the_notebook_says_how_to_install(tmp_path):
    """Run the set-up cell where minigrad cannot be imported: the error says what to install."""
    import subprocess
    import sys

    code = hook.SETUP.replace('get_ipython().run_line_magic("matplotlib", "inline")', "")
    script = tmp_path / "setup.py"
    # IPython is not needed for the check: stub the two names the cell imports from it
    script.write_text("import sys, types\n"
                      "m = types.ModuleType('IPython'); c = types.ModuleType('IPython.core'); "
                      "mg = types.ModuleType('IPython.core.magic'); d = types.ModuleType('IPython.display')\n"
                      "mg.register_cell_magic = lambda f: f; d.HTML = d.Markdown = d.display = None\n"
                      "sys.modules.update({'IPython': m, 'IPython.core': c, 'IPython.core.magic': mg, "
                      "'IPython.display': d})\n" + code)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run([sys.executable, "-S", str(script)], cwd=tmp_path, capture_output=True, text=True, env=env)
    assert result.returncode != 0
    assert "pip install -e" in result.stderr and "Not inside a minigrad checkout" in result.stdout, result.stderr

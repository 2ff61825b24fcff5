"""mkdocs hook: turn every page that runs code into a Jupyter notebook, at build time.

The page is the single source. Its prose becomes markdown cells and each executed
Python block (markdown-exec's ``exec="on"``) becomes a code cell, in page order, so
the notebook is never a hand-kept copy that drifts. Blocks whose printed output the
page renders as markdown or HTML are run under a small cell magic that displays
that output the same way in Jupyter. Code included from the examples with
``--8<--`` is shown as a (non-executed) code listing.

The notebooks are written to ``<site>/notebooks/<page path>.ipynb``, and each page
gets a download link at its top. ``page_to_notebook`` is also used by the tests,
which execute every notebook top to bottom.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# ```python exec="on" html="true" session="x"      (any attribute order)
_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<ticks>`{3,}|~{3,})\s*(?P<lang>[\w+-]*)(?P<attrs>[^\n]*)$")
_SNIPPET = re.compile(r'^\s*--8<--\s+"(?P<file>[^":]+)(?::(?P<section>[\w-]+))?"\s*$')
_ADMONITION = re.compile(r"^(\?\?\?\+?|!!!)\s+\w+(\s+\"(?P<title>[^\"]*)\")?\s*$")

SETUP = '''\
# Setup written by the site's build: run from the root of a minigrad checkout
# (the page imports examples/ and may look for ../shared/data).
import contextlib, io, os
from pathlib import Path
from IPython.core.magic import register_cell_magic
from IPython.display import HTML, Markdown, display

get_ipython().run_line_magic("matplotlib", "inline")   # figures display as images

_here = Path.cwd()
for _d in (_here, *_here.parents):
    if (_d / "examples" / "linear_regression.py").is_file() and (_d / "minigrad").is_dir():
        os.chdir(_d)
        break
else:
    print("Not inside a minigrad checkout: cells that use examples/ or ../shared/data will not find them.")
try:
    import minigrad
except ModuleNotFoundError:
    raise ModuleNotFoundError(
        "minigrad is not installed in this Jupyter kernel. Get a checkout of the minigrad repository, "
        'run  pip install -e ".[examples]"  in it (see the Install page of the site), and open this '
        "notebook from that folder.") from None

@register_cell_magic
def show_output(line, cell):
    """Run the cell and display what it prints as HTML or Markdown, as on the site."""
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        result = get_ipython().run_cell(cell)
    result.raise_error()
    text = buf.getvalue()
    if text.strip():
        display(HTML(text) if line.strip() == "html" else Markdown(_dollars(text)))

def _dollars(text):
    """The site's math delimiters (backslash-parenthesis, backslash-bracket) as Jupyter's $ and $$."""
    import re
    text = re.sub(r"\\\\\\[(.+?)\\\\\\]", lambda m: "$$" + m.group(1) + "$$", text, flags=re.S)
    return re.sub(r"\\\\\\((.+?)\\\\\\)", lambda m: "$" + m.group(1).strip() + "$", text, flags=re.S)
'''


def _attrs(text: str) -> dict:
    return dict(re.findall(r'(\w+)="([^"]*)"', text))


def _snippet(line: str) -> str | None:
    """The text of a ``--8<-- "file:section"`` include, as pymdownx.snippets would insert it."""
    m = _SNIPPET.match(line)
    if not m or not (ROOT / m["file"]).is_file():  # a missing file: pymdownx.snippets reports it
        return None
    lines = (ROOT / m["file"]).read_text(encoding="utf-8").splitlines()
    if m["section"]:
        start = next((i for i, l in enumerate(lines) if f"--8<-- [start:{m['section']}]" in l), None)
        stop = next((i for i, l in enumerate(lines) if f"--8<-- [end:{m['section']}]" in l), None)
        if start is None or stop is None:
            return None
        lines = lines[start + 1:stop]
    return "\n".join(lines)


def _dedent(block: list[str], indent: str) -> list[str]:
    return [l[len(indent):] if l.startswith(indent) else l.lstrip() for l in block]


def split_page(markdown: str) -> list[tuple[str, str]]:
    """Split a page into ("markdown", text) and ("code", source) / ("listing", source) parts."""
    parts: list[tuple[str, str]] = []
    prose: list[str] = []
    lines = markdown.splitlines()
    i = 0
    while i < len(lines):
        m = _FENCE.match(lines[i])
        if not m:
            prose.append(lines[i])
            i += 1
            continue
        indent, ticks, lang, attrs = m["indent"], m["ticks"], m["lang"], _attrs(m["attrs"])
        j = i + 1
        while j < len(lines) and not lines[j].strip().startswith(ticks):
            j += 1
        body = _dedent(lines[i + 1:j], indent)
        i = j + 1
        if lang in ("python", "py", "pycon") and attrs.get("exec") == "on":
            if prose:
                parts.append(("markdown", "\n".join(prose)))
                prose = []
            source = "\n".join(body).strip("\n")
            if attrs.get("html") == "true":
                source = "%%show_output html\n" + source
            elif "result" not in attrs:  # markdown-exec renders what it prints as markdown
                source = "%%show_output markdown\n" + source
            parts.append(("code", source))
        else:
            included = [_snippet(l) for l in body]
            text = "\n".join(s if s is not None else l for s, l in zip(included, body))
            prose.append(f"```{lang}\n{text}\n```")
    if prose:
        parts.append(("markdown", "\n".join(prose)))
    return parts


def dollars(text: str) -> str:
    """Math delimiters as Jupyter's Markdown expects them: \\( \\) -> $ $, \\[ \\] -> $$ $$.

    >>> dollars(r"a \\(x^2\\) b \\[y\\]")
    'a $x^2$ b $$y$$'
    """
    text = re.sub(r"\\\[(.+?)\\\]", lambda m: "$$" + m.group(1) + "$$", text, flags=re.S)
    return re.sub(r"\\\((.+?)\\\)", lambda m: "$" + m.group(1).strip() + "$", text, flags=re.S)


_HEADING_ID = re.compile(r"^(#{1,6}\s.*?)\s*\{#[\w.-]+\}\s*$")


def _clean_prose(text: str) -> str:
    """Prose cells: turn collapsible blocks into headings, math into $ form, drop the pages'
    ``{#anchor}`` heading attributes (Jupyter would show them as text), keep the rest.

    >>> _clean_prose("## 学习率 {#what-learning-rate}")
    '## 学习率'
    """
    out = []
    for line in text.splitlines():
        line = _HEADING_ID.sub(r"\1", line)
        m = _ADMONITION.match(line.strip())
        if m:
            out.append(f"**{m['title'] or 'Note'}**")
            continue
        out.append(line[4:] if line.startswith("    ") else line)
    return dollars("\n".join(out).strip("\n"))


def page_to_notebook(markdown: str, src_path: str):
    """Build an nbformat v4 notebook from a page's markdown (``src_path`` relative to docs/)."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    parts = split_page(markdown)
    cells = [new_markdown_cell(f"*Generated from `docs/{src_path}` when the minigrad site was built; "
                               "run it from the root of a minigrad checkout.*"
                               + ("\n\n*由 minigrad 网站构建时从本页生成；请在 minigrad 代码仓库的根目录运行。*"
                                  if src_path.endswith(".zh.md") else "")),
             new_code_cell(SETUP)]
    for kind, text in parts:
        if kind == "code":
            cells.append(new_code_cell(text))
        else:
            text = _clean_prose(text)
            if text.strip():
                cells.append(new_markdown_cell(text))
    nb = new_notebook(cells=cells, metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"},
    })
    nbformat.validate(nb)
    return nb


def has_code(markdown: str) -> bool:
    return any(k == "code" for k, _ in split_page(markdown))


def notebook_path(src_path: str) -> str:
    """Where a page's notebook goes inside the site: notebooks/<path>.ipynb."""
    return "notebooks/" + posixpath.splitext(src_path.replace("\\", "/"))[0] + ".ipynb"


# ---- mkdocs events -------------------------------------------------------------------------
_pending: dict[str, object] = {}


_started: dict[str, float] = {}


def on_page_content(html, page, config, files, **kwargs):
    """With MINIGRAD_DOCS_TIMING=1, print how long each page took to render (its code runs then)."""
    import os
    import time

    if os.environ.get("MINIGRAD_DOCS_TIMING") and page.file.src_uri in _started:
        print(f"docs timing: {time.perf_counter() - _started[page.file.src_uri]:6.2f} s  {page.file.src_uri}")
    return html


def on_page_markdown(markdown, page, config, files, **kwargs):
    import time

    src = page.file.src_uri
    _started[src] = time.perf_counter()
    if not has_code(markdown):
        return markdown
    _pending[notebook_path(src)] = page_to_notebook(markdown, src)
    here = posixpath.dirname(page.file.dest_uri)
    href = posixpath.relpath(notebook_path(src), here or ".")
    if src.endswith(".zh.md"):
        link = (f'<p class="notebook-link"><a href="{href}" download>下载本页的 Jupyter 笔记本</a>'
                f'（构建网站时由本页生成）。</p>\n\n')
    else:
        link = (f'<p class="notebook-link"><a href="{href}" download>Download this page as a Jupyter '
                f'notebook</a> (generated from this page when the site was built).</p>\n\n')
    # after the title, so the page still starts with its heading
    lines = markdown.split("\n", 1)
    if lines[0].startswith("# "):
        return lines[0] + "\n\n" + link + (lines[1] if len(lines) > 1 else "")
    return link + markdown


def on_post_build(config, **kwargs):
    import nbformat

    site = Path(config["site_dir"])
    for rel, nb in _pending.items():
        path = site / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".ipynb.tmp")
        tmp.write_text(nbformat.writes(nb), encoding="utf-8")
        tmp.replace(path)  # never a half-written notebook
    _pending.clear()

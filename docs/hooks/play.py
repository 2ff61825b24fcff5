"""mkdocs hook: what the Play page downloads, packed and measured at build time.

* ``assets/play/minigrad-play.zip``: minigrad's scalar engine, as the working tree has it,
  with what draws and traces its graphs, the ``graphviz`` package that writes the DOT text,
  and ``docs/hooks/minigrad_play.py`` (what the page runs). The files are exactly the modules
  that importing ``minigrad_play`` and running its starter code load in a Python that cannot import NumPy (as Pyodide,
  in the browser): a subprocess lists them, so the zip follows the code.
* The sizes the pages state (the Play page and the install notes), from the built files:
  ``PLAY_DOWNLOAD_MB`` (what the page fetches when the reader clicks Run: Pyodide's core,
  Viz.js, the zip, the worker script) and ``SITE_TOTAL_MB`` (every file of the built site,
  both languages). The placeholders are replaced in the built HTML and the search index.

Pyodide and Viz.js come from npm (``scripts/fetch-play.sh``, run by ``make docs``), as KaTeX does.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

from mkdocs import plugins

ROOT = Path(__file__).resolve().parents[2]
HOOKS = Path(__file__).resolve().parent
VENDOR = "assets/play-vendor"
ZIP = "assets/play/minigrad-play.zip"
WORKER = "assets/javascripts/play-worker.js"
# What the page fetches, besides the zip and the worker (pyodide.mjs loads the other four itself).
VENDOR_FILES = ("pyodide/pyodide.mjs", "pyodide/pyodide.asm.mjs", "pyodide/pyodide.asm.wasm",
                "pyodide/python_stdlib.zip", "pyodide/pyodide-lock.json", "viz/viz-global.js")
PLACEHOLDERS = ("PLAY_DOWNLOAD_MB", "SITE_TOTAL_MB", "PLAY_PYODIDE_VERSION", "PLAY_ZIP_KB")

# Run in a subprocess with NumPy refused: import and run what the page runs, print the files loaded.
_LIST_MODULES = r"""
import sys
class NoNumpy:
    def find_spec(self, name, path=None, target=None):
        if name == "numpy" or name.startswith("numpy."):
            raise ModuleNotFoundError("No module named 'numpy' (refused: the page has none)", name="numpy")
sys.meta_path.insert(0, NoNumpy())
sys.path[:0] = [sys.argv[1], sys.argv[2]]
import json, minigrad_play
result = json.loads(minigrad_play.run(minigrad_play.STARTER))  # loads what runs lazily too (graphviz)
assert result["ok"], result
for m in list(sys.modules.values()):
    f = getattr(m, "__file__", None)
    if f and (m.__name__.split(".")[0] in ("minigrad", "graphviz", "minigrad_play")):
        print(m.__name__.split(".")[0], f)
"""


def module_files() -> list:
    """(path in the zip, file) for every module ``minigrad_play`` loads without NumPy."""
    out = subprocess.run([sys.executable, "-c", _LIST_MODULES, str(HOOKS), str(ROOT)], capture_output=True,
                         text=True, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    if out.returncode != 0:
        raise RuntimeError("play hook: minigrad_play does not import without NumPy, so the Play page "
                           f"could not run it:\n{out.stderr[-3000:]}")
    files = []
    for line in out.stdout.splitlines():
        top, path = line.split(" ", 1)
        path = Path(path)
        if top == "minigrad_play":
            files.append(("minigrad_play.py", path))
        else:  # the path below the package's parent folder: minigrad/viz/graph.py
            base = next(p for p in path.parents if p.name == top).parent
            files.append((path.relative_to(base).as_posix(), path))
    return sorted(set(files))


def write_zip(dest: Path) -> None:
    """The zip, byte for byte the same for the same sources (fixed dates, sorted names)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for name, path in module_files():
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, path.read_bytes())
        for name, text in _licences():
            z.writestr(zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0)), text)


def _licences() -> list:
    """minigrad's licence, and the graphviz package's (MIT) from its installed metadata."""
    from importlib import metadata

    found = [("minigrad/LICENSE", (ROOT / "LICENSE").read_text())]
    for f in metadata.files("graphviz") or []:
        if f.name.upper().startswith(("LICENSE", "LICENCE", "COPYING")):
            found.append(("graphviz/LICENSE.txt", f.read_text()))
            break
    return found


def _mb(n: int) -> str:
    return f"{n / 1e6:.1f}"


@plugins.event_priority(-200)  # after mkdocs-static-i18n (-100) built the other languages and the search index
def on_post_build(config, **kwargs):
    i18n = config.plugins.get("i18n")
    if i18n is not None and getattr(i18n, "building", False):
        return  # a language built inside i18n's own post-build step: the outer call measures the whole site
    site = Path(config["site_dir"])
    missing = [f for f in VENDOR_FILES if not (site / VENDOR / f).is_file()]
    if missing:
        raise RuntimeError(f"play hook: {', '.join(missing)} missing from docs/{VENDOR}: the Play page needs "
                           "Pyodide and Viz.js from npm. Run 'sh scripts/fetch-play.sh' ('make docs' does)")
    write_zip(site / ZIP)
    fetched = [site / VENDOR / f for f in VENDOR_FILES] + [site / ZIP, site / WORKER]
    download = sum(f.stat().st_size for f in fetched)
    total = sum(f.stat().st_size for f in site.rglob("*") if f.is_file())
    version = (site / VENDOR / "VERSION").read_text().split(",")[0].split()[-1]
    values = {"PLAY_DOWNLOAD_MB": _mb(download), "SITE_TOTAL_MB": _mb(total), "PLAY_PYODIDE_VERSION": version,
              "PLAY_ZIP_KB": f"{(site / ZIP).stat().st_size / 1e3:.0f}"}
    for f in list(site.rglob("*.html")) + list(site.rglob("search_index.json")):
        text = f.read_text(encoding="utf-8")
        if any(k in text for k in PLACEHOLDERS):
            for k, v in values.items():
                text = text.replace(k, v)
            f.write_text(text, encoding="utf-8")

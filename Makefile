# The two commands (see README):  make demo  |  make test
# Each creates .venv, installs what it needs (Python packages from PyPI, Graphviz's `dot`
# and Chromium from Debian when root), then runs.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
OUT    ?= out

.PHONY: demo test docs docs-assets serve bench clean system-deps

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -qq --upgrade pip

# Re-install when pyproject.toml changes. The demo and the docs get what they use (the
# examples' and the docs' extras); the tests get everything (`dev`: also pytest, hypothesis,
# Playwright and Jupyter's kernel), which also satisfies the demo. pip -qq: errors only
# (they stop make), not warnings about the machine's own pip set-up, which read as failure.
$(VENV)/.installed-demo: pyproject.toml | $(BIN)/python
	@echo "Installing minigrad and what the examples and the docs use into $(VENV)/ ..."
	$(BIN)/python -m pip install -qq -e ".[examples,docs]"
	@touch $@

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	@echo "Installing minigrad and everything the tests use into $(VENV)/ ..."
	$(BIN)/python -m pip install -qq -e ".[dev]"
	@touch $@ $(VENV)/.installed-demo

system-deps:
	@sh scripts/system-deps.sh $(SYSDEPS_FLAGS)

# From the npm registry (not committed): KaTeX for the docs' math, Pyodide and Viz.js for the Play page.
docs-assets:
	@sh scripts/fetch-katex.sh && sh scripts/fetch-play.sh

# The main job: the examples on embedded data, rendered graphs, the docs site.
demo: system-deps $(VENV)/.installed-demo
	$(BIN)/python examples/linear_regression.py --out $(OUT)
	$(BIN)/python examples/softmax_regression.py --out $(OUT)
	$(BIN)/python examples/scalar_mlp.py --out $(OUT)
	$(BIN)/minigrad graph --all --format svg --out $(OUT)/graphs
	$(MAKE) --no-print-directory docs
	@echo
	@echo "Done. Outputs in $(OUT)/ (figures of the three examples, and graphs/: each demo's graph and"
	@echo "its backprop trace). The docs site is in site/: open site/index.html, or run 'make serve'."

docs: docs-assets $(VENV)/.installed-demo
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict
	@echo "The site is in site/ (English; Chinese in site/zh/): open site/index.html."

serve: docs
	$(BIN)/mkdocs serve

# The whole test suite: unit and property tests, doctests, the examples' quick modes,
# the benchmark runner's quick mode, the strict docs build and the browser test.
test: SYSDEPS_FLAGS = --browser
test: system-deps docs-assets $(VENV)/.installed
	$(BIN)/python -m pytest

bench: $(VENV)/.installed-demo
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) site $(OUT) .pytest_cache .hypothesis

# Execute every docs page's notebook (generated from the page, as the site's download
# links are) top to bottom in a Jupyter kernel.
.PHONY: notebooks
notebooks: $(VENV)/.installed
	$(BIN)/python -m pytest -q tests/test_notebooks.py

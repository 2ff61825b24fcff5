#!/usr/bin/env sh
# Put Pyodide (CPython compiled to WebAssembly: its core runtime only) and Viz.js (Graphviz
# compiled to WebAssembly) into docs/assets/play-vendor from the npm registry, for the docs'
# Play page, which runs minigrad's scalar engine in the reader's browser. Not committed.
set -eu
pyodide="314.0.8"
viz="3.31.0"
dest="docs/assets/play-vendor"
stamp="pyodide $pyodide, @viz-js/viz $viz"
[ -f "$dest/pyodide/pyodide.mjs" ] && [ "$(cat "$dest/VERSION" 2>/dev/null)" = "$stamp" ] && exit 0
if ! command -v npm >/dev/null 2>&1; then
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends npm >/dev/null
    else
        echo "fetch-play: npm is needed to fetch Pyodide and Viz.js for the docs (e.g. sudo apt-get install npm)" >&2
        exit 1
    fi
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
npm install --prefix "$tmp" --no-audit --no-fund --silent "pyodide@$pyodide" "@viz-js/viz@$viz" >/dev/null
rm -rf "$dest" && mkdir -p "$dest/pyodide" "$dest/viz"
# The core runtime: the loader, the compiled interpreter and its standard library; no packages
# (NumPy for Pyodide is not on npm: the page runs the scalar engine, which needs none).
for f in pyodide.mjs pyodide.asm.mjs pyodide.asm.wasm python_stdlib.zip pyodide-lock.json package.json; do
    cp "$tmp/node_modules/pyodide/$f" "$dest/pyodide/"
done
# One script that defines the global `Viz` (the WebAssembly is inside it).
cp "$tmp/node_modules/@viz-js/viz/dist/viz-global.js" "$tmp/node_modules/@viz-js/viz/package.json" "$dest/viz/"
echo "$stamp" > "$dest/VERSION"
echo "fetch-play: $stamp in $dest"

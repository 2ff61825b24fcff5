#!/usr/bin/env sh
# Put KaTeX (math rendering in the browser, no CDN) into docs/assets/katex from the npm
# registry. Only the minified script, its CSS and the woff2 fonts are kept. Not committed.
set -eu
version="0.19.1"
dest="docs/assets/katex"
[ -f "$dest/katex.min.js" ] && [ "$(cat "$dest/VERSION" 2>/dev/null)" = "$version" ] && exit 0
if ! command -v npm >/dev/null 2>&1; then
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends npm >/dev/null
    else
        echo "fetch-katex: npm is needed to fetch KaTeX for the docs (e.g. sudo apt-get install npm)" >&2
        exit 1
    fi
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
npm install --prefix "$tmp" --no-audit --no-fund --silent "katex@$version" >/dev/null
src="$tmp/node_modules/katex/dist"
rm -rf "$dest" && mkdir -p "$dest/fonts"
cp "$src/katex.min.js" "$src/katex.min.css" "$dest/"
cp "$src"/fonts/*.woff2 "$dest/fonts/"
cp "$tmp/node_modules/katex/LICENSE" "$dest/LICENSE"
echo "$version" > "$dest/VERSION"
echo "fetch-katex: KaTeX $version in $dest"

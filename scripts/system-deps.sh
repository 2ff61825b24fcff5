#!/usr/bin/env sh
# Install the system programs minigrad's main job and tests need, when missing:
#   dot      (Debian package graphviz)  - renders computation graphs
#   chromium (Debian package chromium)  - the docs site's browser test (only with --browser)
# As root on Debian/Ubuntu they are installed with apt-get; otherwise we say what to run.
set -eu
need=""
command -v dot >/dev/null 2>&1 || need="$need graphviz"
if [ "${1:-}" = "--browser" ]; then
    command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || need="$need chromium"
fi
[ -z "$need" ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "system-deps: installing$need with apt-get"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $need >/dev/null
else
    echo "system-deps: missing$need. Install it with your package manager, e.g." >&2
    echo "    sudo apt-get install$need      (Debian/Ubuntu)" >&2
    echo "    brew install graphviz           (macOS; Chromium is only needed for the browser test)" >&2
    exit 1
fi

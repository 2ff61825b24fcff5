"""mkdocs hook (the Chinese edition, H7): drop ``<link rel="alternate" hreflang=...>`` from page heads.

mkdocs-static-i18n gives every page a language selector whose links go straight to the page's
twin (``/concepts/graphs/`` <-> ``/zh/concepts/graphs/``); Material also writes those links into
the page head, and its JavaScript then fetches ``sitemap.xml`` next to each of them
(``/zh/concepts/graphs/sitemap.xml``) to map pages between languages. Those files do not exist,
so every page logged a failed load. The selector itself needs no sitemap: its links already
point at the twin. Only the head links go; the selector in the header is untouched.
"""

import re

_ALTERNATE = re.compile(r'[ \t]*<link rel="alternate" href="[^"]*" hreflang="[^"]*">\n?')


def on_post_page(output, page, config, **kwargs):
    return _ALTERNATE.sub("", output)

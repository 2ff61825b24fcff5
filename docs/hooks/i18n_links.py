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


_SELECTOR = re.compile(r'(<a href=")[^"]*(" hreflang="(\w+)" class="md-select__link")')


def on_post_template(output_content, template_name, config, **kwargs):
    """404.html is a template, not a page: it gets the head links and a language selector left
    over from the last page built. Drop the former; point the latter at each language's home."""
    if template_name != "404.html":
        return output_content
    output_content = _ALTERNATE.sub("", output_content)
    return _SELECTOR.sub(lambda m: f'{m[1]}/{"" if m[3] == "en" else m[3] + "/"}{m[2]}', output_content)

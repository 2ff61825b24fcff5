"""mkdocs hook: every link a page makes is relative and points at a file, so the site works
served at any path (``/``, ``/minigrad/``) and opened from disk (``file://``).

Two kinds of links escape mkdocs' own rewriting and are fixed here:

- links written at build time: markdown-exec renders a block's printed markdown in a
  Markdown instance of its own and hands mkdocs finished HTML, so a printed
  ``[walkthrough](../walkthroughs/linear-regression.md)`` would reach the site as a link
  to a ``.md`` file that is not there. Each such link is resolved the way mkdocs resolves
  a link in the page's text; a link to a page that does not exist fails the build.
- the language selector: mkdocs-static-i18n links the home page's twins as ``/`` and
  ``/zh/`` (absolute: a directory listing or nothing from disk, wrong under a sub-path).
  Every selector link is recomputed from the page's own file.
"""

from __future__ import annotations

import posixpath
import re
from urllib.parse import unquote

from mkdocs.exceptions import PluginError

_MD_HREF = re.compile(r'(?P<attr>\bhref=")(?P<path>(?![a-z][a-z0-9+.-]*:|/|#)[^"#?]*?\.md)(?P<rest>[#?][^"]*)?"')
_SELECTOR = re.compile(r'(<a href=")[^"]*(" hreflang="(?P<lang>[\w-]+)" class="md-select__link")')


def _language(config) -> str:
    return str(config["theme"].get("language") or "en")


def _prefix(lang: str, config) -> str:
    """Where a language's pages live in the site: '' for the default, 'zh/' for Chinese."""
    for entry in _languages(config):
        if entry["locale"] == lang:
            return "" if entry.get("default") else lang + "/"
    return lang + "/"


def _languages(config) -> list:
    plugin = config["plugins"].get("i18n")
    if plugin is None:
        return []
    return [dict(locale=lang.locale, default=lang.default) for lang in plugin.config.languages]


def on_page_content(html, page, config, files, **kwargs):
    def resolve(m: re.Match) -> str:
        path = unquote(m["path"])
        target_uri = posixpath.normpath(posixpath.join(posixpath.dirname(page.file.src_uri), path))
        target = files.get_file_from_path(target_uri)
        if target is None:
            raise PluginError(f"{page.file.src_uri}: a link written at build time, {m['path']!r}, "
                              f"points at {target_uri}, which is not a page of the site")
        return f'{m["attr"]}{target.url_relative_to(page.file)}{m["rest"] or ""}"'

    return _MD_HREF.sub(resolve, html)


def on_post_page(output, page, config, **kwargs):
    here = _prefix(_language(config), config) + page.file.dest_uri

    def twin(m: re.Match) -> str:
        own = page.file.dest_uri
        target = _prefix(m["lang"], config) + own
        href = posixpath.relpath(target, posixpath.dirname(here) or ".")
        return f"{m[1]}{href}{m[2]}"

    return _SELECTOR.sub(twin, output)

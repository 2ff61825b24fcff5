"""The Chinese edition (中文版): every English page ``docs/x.md`` has a twin ``docs/x.zh.md``.

Source checks (fast, no build):

- every English page has a twin, and every twin has an English page;
- a twin runs the SAME code: its code blocks (fenced blocks, ``:::`` API directives and
  ``--8<--`` includes) equal the English page's, in order — numbers and figures on both
  pages come from one program;
- a twin has the same section anchors (``## 标题 {#english-slug}``), so links with ``#...``
  and the language selector land on the same section in both languages;
- a twin is Chinese prose: the share of Han characters among the letters of its prose
  (code, math, links and inline code left out) is high, and it copies no English sentence;
- terms follow the glossary (d2l-zh's choices), not a synonym of them, and the bilingual
  glossary lists every term of the English one;
- no line break between two Chinese characters (a browser shows it as a space);
- every navigation title has a Chinese translation in mkdocs.yml.

A twin's code may differ from the English code only in string literals put into Chinese
(captions, table headers, the sentences a block prints), an f-string keeping its fields.

Site checks (on a built site; the one test_docs.py built in this session is reused): every
page has a ``/zh/`` twin, the language selector links each page to its twin both ways, both
languages show the same drawings, and a search for 交叉熵 or 小批量随机梯度下降 finds its
pages, through the built index and in Chromium, typed into Material's search box.

Re-syncing twins after the English pages changed: ``python tests/test_i18n.py sync``
copies every English code block into its twin (when the block counts agree), puts back the
display strings translated before (captions; recorded in ``tests/i18n_strings.json`` by
``python tests/test_i18n.py harvest``) and sets the heading anchors;
``python tests/test_i18n.py diff`` only reports what differs.
"""

from __future__ import annotations

import functools
import json
import re
import sys
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest
from conftest import CHROMIUM, CHROMIUM_ARGS, require_chromium, serving

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"

_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<ticks>`{3,}|~{3,})(?P<rest>.*)$")
_HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<text>.*?)(?:\s*\{#(?P<id>[\w.-]+)\})?\s*$")
_PLACEHOLDER = re.compile(r"^(?P<indent>[ \t]*)@@CODE@@\s*$")
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


# ---- page parsing --------------------------------------------------------------------------

def english_pages() -> list[str]:
    return sorted(p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md")
                  if not p.name.endswith(".zh.md") and "hooks" not in p.relative_to(DOCS).parts)


def twin(page: str) -> str:
    return page[:-3] + ".zh.md"


def code_blocks(text: str) -> list[tuple[int, int, str, list[str]]]:
    """(first line, line after the block, indent, dedented lines) of every piece of code.

    Pieces: fenced blocks (fence lines included), ``:::`` mkdocstrings directives with their
    indented options, ``--8<--`` include lines, and ``@@CODE@@`` placeholders (a draft twin's
    "the English block goes here"; their lines are empty).
    """
    lines = text.split("\n")
    out, i = [], 0
    while i < len(lines):
        line = lines[i]
        m = _FENCE.match(line)
        if m:
            indent, ticks = m["indent"], m["ticks"]
            j = i + 1
            while j < len(lines) and not (lines[j].strip().startswith(ticks)
                                          and lines[j].strip().strip(ticks[0]) == ""):
                j += 1
            body = lines[i:j + 1]
            out.append((i, j + 1, indent, [l[len(indent):] if l.startswith(indent) else l.strip() for l in body]))
            i = j + 1
            continue
        p = _PLACEHOLDER.match(line)
        if p:
            out.append((i, i + 1, p["indent"], []))
        elif line.startswith(":::"):
            j = i + 1
            while j < len(lines) and lines[j].startswith((" ", "\t")) and lines[j].strip():
                j += 1
            out.append((i, j, "", lines[i:j]))
            i = j
            continue
        elif line.strip().startswith("--8<--"):
            indent = line[:len(line) - len(line.lstrip())]
            out.append((i, i + 1, indent, [line.strip()]))
        i += 1
    return out


def prose(text: str) -> str:
    """The page without its code pieces (blank lines left in their place)."""
    lines = text.split("\n")
    for start, stop, _, _ in code_blocks(text):
        for k in range(start, stop):
            lines[k] = ""
    return "\n".join(lines)


def headings(text: str) -> list[tuple[int, str, str | None]]:
    """(level, text, explicit id or None) of every heading outside code."""
    out = []
    for line in prose(text).split("\n"):
        m = _HEADING.match(line)
        if m:
            out.append((len(m["hashes"]), m["text"], m["id"]))
    return out


@functools.lru_cache(maxsize=None)
def heading_ids(page: str) -> tuple[tuple[int, str], ...]:
    """(level, anchor) of the ## and deeper headings of a page, as Python-Markdown makes them."""
    import markdown

    md = markdown.Markdown(extensions=["toc", "attr_list", "admonition", "md_in_html", "tables",
                                       "pymdownx.details", "pymdownx.tabbed"],
                           extension_configs={"pymdownx.tabbed": {"alternate_style": True}})
    # math would be mangled by the plain Markdown parser but never sits in a heading's id
    md.convert(prose((DOCS / page).read_text(encoding="utf-8")))

    def walk(tokens):
        for t in tokens:
            yield t["level"], t["id"]
            yield from walk(t["children"])
    return tuple((lvl, i) for lvl, i in walk(md.toc_tokens) if lvl >= 2)


# Display strings may be translated: a caption such as viz.figure(..., caption="...") is prose on
# the page. A twin's block may differ from the English one only in string literals (and comments)
# that it has put into Chinese; everything else, token for token, is the same program.
_TRANSLATABLE = {"STRING", "COMMENT", "FSTRING_MIDDLE"}


def _tokens(lines: list[str]):
    """Python tokens of a fenced block's body, or None (not a Python block, or not tokenizable)."""
    import io
    import tokenize

    if len(lines) < 2 or not re.match(r"^(`{3,}|~{3,})\s*(python|py)\b", lines[0]):
        return None
    try:
        return list(tokenize.generate_tokens(io.StringIO("\n".join(lines[1:-1]) + "\n").readline))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return None


def _fields(literal: str):
    """The replacement fields of an f-string literal ({expr!r:spec}), sorted; None if not an f-string."""
    import string

    m = re.match(r"^([rRbBuUfF]*)('{3}|\"{3}|'|\")", literal)
    if not m or "f" not in m.group(1).lower():
        return None
    body = literal[len(m.group(0)):-len(m.group(2))]
    try:
        return sorted((f or "", spec or "", conv or "") for _, f, spec, conv in string.Formatter().parse(body)
                      if f is not None)
    except ValueError:
        return ["unparsable"]


def _translated(en_tok, zh_tok) -> bool:
    """A string or comment put into Chinese; an f-string keeps exactly its fields (in any order)."""
    import tokenize

    return (en_tok.type == zh_tok.type and tokenize.tok_name[en_tok.type] in _TRANSLATABLE
            and bool(HAN.search(zh_tok.string)) and not HAN.search(en_tok.string)
            and _fields(en_tok.string) == _fields(zh_tok.string))


def same_code(en_lines: list[str], zh_lines: list[str]) -> bool:
    """The twin's block is the English block, up to string literals and comments put into Chinese."""
    if en_lines == zh_lines:
        return True
    if not en_lines or not zh_lines or en_lines[0] != zh_lines[0]:
        return False
    a, b = _tokens(en_lines), _tokens(zh_lines)
    if a is None or b is None or len(a) != len(b):
        return False
    return all((x.type, x.string) == (y.type, y.string) or _translated(x, y) for x, y in zip(a, b))


STRINGS = Path(__file__).with_name("i18n_strings.json")   # English literal -> its Chinese translation


def load_strings() -> dict:
    return json.loads(STRINGS.read_text(encoding="utf-8")) if STRINGS.is_file() else {}


def translated_pairs(en_lines: list[str], zh_lines: list[str]) -> dict:
    """English literal -> Chinese literal, for the strings a twin's block put into Chinese."""
    a, b = _tokens(en_lines), _tokens(zh_lines)
    if a is None or b is None or not same_code(en_lines, zh_lines):
        return {}
    return {x.string: y.string for x, y in zip(a, b) if x.string != y.string}


def apply_strings(en_lines: list[str], strings: dict) -> tuple[list[str], int]:
    """The English block with every literal that has a recorded translation replaced by it."""
    toks = _tokens(en_lines)
    if not toks or not strings:
        return en_lines, 0
    body = en_lines[1:-1]
    hits = [t for t in toks if t.string in strings and t.start[0] == t.end[0]]
    for t in sorted(hits, key=lambda t: t.start, reverse=True):
        row = t.start[0] - 1
        body[row] = body[row][:t.start[1]] + strings[t.string] + body[row][t.end[1]:]
    return [en_lines[0], *body, en_lines[-1]], len(hits)


_STRIP = [
    (re.compile(r"\$\$.*?\$\$", re.S), " "),           # display math
    (re.compile(r"(?<!\\)\$[^$\n]+\$"), " "),           # inline math
    (re.compile(r"\\\(.*?\\\)|\\\[.*?\\\]", re.S), " "),
    (re.compile(r"`[^`\n]*`"), " "),                    # inline code
    (re.compile(r"\]\([^)]*\)"), "]"),                  # link targets
    (re.compile(r"https?://\S+"), " "),
    (re.compile(r"<[^>\n]+>"), " "),                    # HTML tags
    (re.compile(r"\{[#.:][^}\n]*\}"), " "),             # attribute lists, heading anchors
    (re.compile(r'^\s*(?:!!!|\?\?\?\+?|===)\s*[\w-]*', re.M), " "),  # admonition / tab markers
]


def han_share(text: str) -> tuple[float, int, int]:
    """Han characters / (Han characters + Latin letters) in the prose of a page."""
    s = prose(text)
    for pattern, repl in _STRIP:
        s = pattern.sub(repl, s)
    han = len(HAN.findall(s))
    latin = len(re.findall(r"[A-Za-z]", s))
    return (han / (han + latin) if han + latin else 0.0), han, latin


def english_sentences(text: str) -> set[str]:
    """Long English sentences of a page's prose (to catch a paragraph left untranslated)."""
    s = prose(text)
    for pattern, repl in _STRIP[:4]:
        s = pattern.sub(repl, s)
    found = set()
    for sentence in re.split(r"(?<=[.!?:;])\s+|\n\s*\n", s):
        sentence = " ".join(sentence.split())
        if len(sentence) >= 60 and not HAN.search(sentence) and len(re.findall(r"[A-Za-z]+", sentence)) >= 9:
            found.add(sentence)
    return found


CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
_BLOCK_START = re.compile(r"^(#|[-*+] |\d+\. |\||!!!|\?\?\?|===|>|<|\\\[|\\\]|\$\$|@@|:::|--8<--)")


def cjk_breaks(text: str) -> list[int]:
    """Line numbers (0-based) whose line break falls between two Chinese characters of one paragraph.

    A browser shows such a break as a space ("学习率相同时， 简洁实现"), so Chinese paragraphs are
    written on one line.
    """
    lines = prose(text).split("\n")
    out = []
    for i in range(len(lines) - 1):
        a, b = lines[i], lines[i + 1]
        if not a.strip() or not b.strip() or _BLOCK_START.match(b.strip()) or a.strip().startswith(("|", "#")):
            continue
        ia, ib = len(a) - len(a.lstrip()), len(b) - len(b.lstrip())
        listy = re.match(r"^\s*([-*+]|\d+\.) ", a)
        if not (ia == ib or (listy and ib > ia)):
            continue
        if CJK.match(a.rstrip()[-1]) and CJK.match(b.strip()[0]):
            out.append(i)
    return out


def join_cjk_breaks(text: str) -> str:
    lines = text.split("\n")
    for i in reversed(cjk_breaks(text)):
        lines[i] = lines[i].rstrip() + lines[i + 1].lstrip()
        del lines[i + 1]
    return "\n".join(lines)


# ---- syncing a twin with its English page --------------------------------------------------

def sync_text(english: str, chinese: str, en_ids: tuple | None = None,
              strings: dict | None = None) -> tuple[str, list[str]]:
    """The twin with the English page's code pieces put in place of its own, in order.

    Headings of level >= 2 without an explicit ``{#id}`` get the id of the English heading at
    the same position. Returns (new text, problems); nothing is changed when the number of code
    pieces or headings differs (the problems say so).
    """
    problems = []
    strings = load_strings() if strings is None else strings
    en_blocks, zh_blocks = code_blocks(english), code_blocks(chinese)
    if len(en_blocks) != len(zh_blocks):
        problems.append(f"{len(en_blocks)} code pieces in English, {len(zh_blocks)} in the twin")
        return chinese, problems
    lines = chinese.split("\n")
    for (start, stop, indent, zh_lines), (_, _, _, en_lines) in reversed(list(zip(zh_blocks, en_blocks))):
        if zh_lines and same_code(en_lines, zh_lines):
            continue                                  # nothing changed but translated strings
        had = sum(bool(HAN.search(l)) for l in zh_lines)
        en_lines, done = apply_strings(en_lines, strings)
        if had and not done:
            problems.append(f"the block at line {start + 1} changed and its translated strings no longer match "
                            "the English ones: translate them again (then run 'harvest')")
        lines[start:stop] = [(indent + l) if l else l for l in en_lines]
    text = "\n".join(lines)
    if en_ids is not None:
        prose_lines = prose(text).split("\n")
        targets = [k for k, line in enumerate(prose_lines) if (m := _HEADING.match(line)) and len(m["hashes"]) >= 2]
        if len(targets) != len(en_ids):
            problems.append(f"{len(en_ids)} section headings in English, {len(targets)} in the twin")
        else:
            out = text.split("\n")
            for k, (lvl, anchor) in zip(targets, en_ids):
                m = _HEADING.match(out[k])
                if len(m["hashes"]) != lvl:
                    problems.append(f"heading '{m['text']}' is level {len(m['hashes'])}, English level {lvl}")
                if not m["id"]:
                    out[k] = f"{m['hashes']} {m['text']} {{#{anchor}}}"
            text = "\n".join(out)
    return text, problems


def block_diff(page: str) -> list[str]:
    """How the code pieces of a twin differ from its English page's (empty: none)."""
    en = code_blocks((DOCS / page).read_text(encoding="utf-8"))
    zh = code_blocks((DOCS / twin(page)).read_text(encoding="utf-8"))
    out = []
    if len(en) != len(zh):
        out.append(f"{len(en)} code pieces in English, {len(zh)} in the twin")
    for k, (a, b) in enumerate(zip(en, zh)):
        if not same_code(a[3], b[3]):
            first = next((x, y) for x, y in zip(a[3] + [""] * len(b[3]), b[3] + [""] * len(a[3])) if x != y)
            out.append(f"piece {k + 1} (English line {a[0] + 1}, twin line {b[0] + 1}) differs: "
                       f"{first[0][:70]!r} vs {first[1][:70]!r}")
    return out


# ---- source tests --------------------------------------------------------------------------

PAGES = english_pages()


def test_every_english_page_has_a_chinese_twin_and_back():
    assert len(PAGES) >= 10 and "index.md" in PAGES
    missing = [p for p in PAGES if not (DOCS / twin(p)).is_file()]
    assert not missing, f"pages without a Chinese twin: {missing}"
    orphans = [p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.zh.md")
               if not p.with_name(p.name[:-6] + ".md").is_file()]
    assert not orphans, f"Chinese pages without an English page: {orphans}"


def test_code_pieces_are_found():
    text = ('# T\n\n```python exec="on"\nprint(1)\n```\n\n!!! note "n"\n\n    ```bash\n    ls\n    ```\n\n'
            '::: minigrad.Value\n    options:\n      x: 1\n\n--8<-- "a.py"\n\n    @@CODE@@\n')
    pieces = code_blocks(text)
    assert [p[3] for p in pieces] == [['```python exec="on"', "print(1)", "```"], ["```bash", "ls", "```"],
                                      ["::: minigrad.Value", "    options:", "      x: 1"], ['--8<-- "a.py"'], []]
    assert prose(text).count("print") == 0 and "# T" in prose(text)


def test_only_strings_put_into_chinese_may_differ():
    en = ['```python exec="on"', 'print(viz.figure(g, caption="a layer"))  # draw it', "```"]
    zh = ['```python exec="on"', 'print(viz.figure(g, caption="一个层"))  # 画出来', "```"]
    assert same_code(en, zh) and same_code(en, en)
    assert not same_code(en, ['```python exec="on"', 'print(viz.figure(g, caption="a layer!"))  # draw it', "```"])
    assert not same_code(en, ['```python exec="on"', 'print(viz.figure(h, caption="一个层"))  # 画出来', "```"])
    assert not same_code(en, ['```python exec="on" html="true"', *zh[1:]])
    bash = ["```bash", "make test   # run", "```"]
    assert not same_code(bash, ["```bash", "make test   # 运行", "```"])   # only Python is tokenized
    pairs = translated_pairs(en, zh)
    assert pairs == {'"a layer"': '"一个层"', "# draw it": "# 画出来"}
    new_en = ['```python exec="on"', 'x = 1', 'print(viz.figure(g, caption="a layer"))  # draw it', "```"]
    done, n = apply_strings(new_en, pairs)
    assert n == 2 and done[2] == zh[1] and same_code(new_en, done)
    f_en = ['```python', 'print(f"{n} inputs, {m:.2f} mean")', "```"]
    assert same_code(f_en, ['```python', 'print(f"均值 {m:.2f}，共 {n} 个输入")', "```"])   # fields reordered
    assert not same_code(f_en, ['```python', 'print(f"均值 {m:.3f}，共 {n} 个输入")', "```"])  # a field changed


def test_recorded_translations_are_used():
    """Every translated literal of the twins is recorded in tests/i18n_strings.json (so that a
    re-sync puts it back), and every recorded one is still used by some twin."""
    recorded, used = load_strings(), {}
    for page in PAGES:
        if not (DOCS / twin(page)).is_file():
            continue
        en = code_blocks((DOCS / page).read_text(encoding="utf-8"))
        zh = code_blocks((DOCS / twin(page)).read_text(encoding="utf-8"))
        for a, b in zip(en, zh):
            used.update(translated_pairs(a[3], b[3]))
    missing = {k: v for k, v in used.items() if recorded.get(k) != v}
    assert not missing, f"run 'python tests/test_i18n.py harvest': not recorded {list(missing.items())[:3]}"
    stale = set(recorded) - set(used)
    assert not stale, f"recorded translations no twin uses (run 'harvest'): {sorted(stale)[:3]}"


@pytest.mark.parametrize("page", PAGES)
def test_twin_runs_the_same_code(page):
    if not (DOCS / twin(page)).is_file():
        pytest.skip("no twin (reported by the twin test)")
    problems = block_diff(page)
    assert not problems, (f"{twin(page)} is out of sync with {page} (run 'python tests/test_i18n.py sync'):\n  "
                          + "\n  ".join(problems))


@pytest.mark.parametrize("page", PAGES)
def test_twin_has_the_same_section_anchors(page):
    if not (DOCS / twin(page)).is_file():
        pytest.skip("no twin")
    assert heading_ids(twin(page)) == heading_ids(page)


def test_han_share_tells_chinese_from_english():
    english = (DOCS / "index.md").read_text(encoding="utf-8")
    assert han_share(english)[0] < 0.02
    assert han_share("这是一段中文说明，其中提到 `minigrad.tensor` 和 softmax 回归。\n")[0] > 0.6
    assert english_sentences(english)  # the English home page has sentences to find


@pytest.mark.parametrize("page", PAGES)
def test_twin_is_chinese_prose(page):
    path = DOCS / twin(page)
    if not path.is_file():
        pytest.skip("no twin")
    text = path.read_text(encoding="utf-8")
    share, han, latin = han_share(text)
    assert han >= 30 and share >= 0.5, (f"{twin(page)}: only {share:.0%} of the prose letters are Chinese "
                                        f"({han} Han, {latin} Latin): an English copy?")
    copied = english_sentences(text) & english_sentences((DOCS / page).read_text(encoding="utf-8"))
    assert not copied, f"{twin(page)} keeps English sentences: {sorted(copied)[:3]}"


@pytest.mark.parametrize("page", PAGES)
def test_no_line_break_between_chinese_characters(page):
    path = DOCS / twin(page)
    if not path.is_file():
        pytest.skip("no twin")
    text = path.read_text(encoding="utf-8")
    bad = cjk_breaks(text)
    assert not bad, (f"{twin(page)}: a line break between two Chinese characters shows as a space, at lines "
                     f"{[i + 1 for i in bad][:8]} (run 'python tests/test_i18n.py sync')")


def test_cjk_break_finder():
    text = "第一行，\n第二行。\n\n- 列表\n  继续\n\n| 表 |\n| 格 |\n\nLatin\n中文\n"
    assert cjk_breaks(text) == [0, 3]
    assert join_cjk_breaks(text).startswith("第一行，第二行。\n\n- 列表继续\n")


def test_glossary_twin_has_every_english_term():
    """The bilingual glossary lists every term of the English glossary (its bold entries)."""
    english = (DOCS / "glossary.md").read_text(encoding="utf-8")
    table = (DOCS / "glossary.zh.md").read_text(encoding="utf-8")
    cells = [line.split("|")[1] for line in table.splitlines() if line.startswith("|") and line.count("|") > 3]
    first_column = " / ".join(" ".join(variant.split()).lower() for cell in cells
                              for variant in (re.sub(r"\(.*?\)", "", cell), re.sub(r"[()]", " ", cell)))
    terms = re.findall(r"^\*\*(.+?)\*\*\s*$", english, flags=re.M)
    assert len(terms) > 10
    missing = []
    for term in terms:
        # "Batch, minibatch; batch size" -> each name must be there; "(reverse mode)"-style notes need not
        names = [" ".join(n.split()) for n in re.split(r"[,;]", re.sub(r"\(.*?\)|\\\(.*?\\\)", "", term)) if n.strip()]
        missing += [n for n in names if n.lower() not in first_column]
    assert not missing, f"glossary.zh.md lacks: {missing}"


def _glossaries() -> tuple[list, list]:
    """(English term, link) of the English glossary's entries, and (English, Chinese, link) of the twin's rows."""
    en = re.findall(r"^\*\*(.+?)\*\*\n:   .*?\]\(([^)\s]+)\)\s*$", (DOCS / "glossary.md").read_text(encoding="utf-8"),
                    flags=re.M)
    zh = [[c.strip() for c in line.strip().strip("|").split(" | ")]
          for line in (DOCS / "glossary.zh.md").read_text(encoding="utf-8").splitlines()
          if line.startswith("| ") and not line.startswith(("| English", "| ---"))]
    return en, [(r[0], r[1], re.search(r"\]\(([^)]+)\)", r[3])[1]) for r in zh]


def test_both_glossaries_have_the_same_entries_each_pointing_to_a_page_that_explains_it():
    en, zh = _glossaries()
    assert len(en) > 30
    assert [t.lower() for t, _ in en] == [t.lower() for t, _, _ in zh], "the two glossaries list different entries"
    assert [link for _, link in en] == [link for _, _, link in zh], "an entry points to different pages"
    problems = []
    for (term, link), (_, chinese, _) in zip(en, zh):
        page, _, anchor = link.partition("#")
        english_text = (DOCS / page).read_text(encoding="utf-8").lower()
        chinese_text = (DOCS / twin(page)).read_text(encoding="utf-8")
        # one of the term's names, without notes: "Batch, minibatch" -> batch or minibatch; spaces ignored
        names = [n.strip().lower().replace(" ", "") for n in re.split(r"[,;/]", re.sub(r"\(.*?\)|\\\(.*?\\\)", "", term))]
        zh_names = [n.strip().replace(" ", "") for n in re.split(r"[、；，]", re.sub(r"[（(](.*?)[)）]", r"、\1", chinese))]
        if not any(n and n in english_text.replace(" ", "") for n in names):
            problems.append(f"{term}: {page} never mentions {names}")
        if not any(n and n in chinese_text.replace(" ", "") for n in zh_names):
            problems.append(f"{chinese}: {twin(page)} never mentions {zh_names}")
        if anchor and f"{{#{anchor}}}" not in chinese_text:
            problems.append(f"{term}: no section #{anchor} in {twin(page)}")
    assert not problems, "\n".join(problems)


# d2l-zh's term -> synonyms a translator might reach for (and must not: one term, one word)
GLOSSARY_NOT = {
    "小批量": ["小批次", "迷你批", "微批量"],
    "批量大小": ["批次大小", "批大小", "批尺寸"],
    "学习率": ["学习速率"],
    "独热编码": ["独热码", "单热编码", "一位有效编码"],
    "反向传播": ["反向传递", "逆向传播"],
    "计算图": ["运算图", "计算图谱"],
    "最大似然估计": ["极大似然"],
    "雅可比": ["雅克比", "雅各比"],
    "过拟合": ["过度拟合"],
    "准确率": ["准确度", "精确度"],
    "数值稳定性": ["数值稳定度"],
    "交叉熵": ["交叉墒"],
    "张量": ["张亮"],
    "梯度": ["斜率向量"],
}


@pytest.mark.parametrize("page", PAGES)
def test_twin_uses_the_glossary_terms(page):
    path = DOCS / twin(page)
    if not path.is_file():
        pytest.skip("no twin")
    text = prose(path.read_text(encoding="utf-8"))
    wrong = [f"{bad} (say {good})" for good, bads in GLOSSARY_NOT.items() for bad in bads if bad in text]
    assert not wrong, f"{twin(page)}: {wrong}"


def _mkdocs_yaml() -> dict:
    import yaml

    class Loader(yaml.SafeLoader):
        pass
    Loader.add_multi_constructor("", lambda loader, suffix, node: None)  # !ENV, !!python/...: not needed here
    return yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)


def _nav_titles(nav) -> list[str]:
    out = []
    for item in nav or []:
        if isinstance(item, dict):
            for title, value in item.items():
                out.append(title)
                if isinstance(value, list):
                    out.extend(_nav_titles(value))
    return out


def test_every_navigation_title_is_translated():
    config = _mkdocs_yaml()
    i18n = next(p["i18n"] for p in config["plugins"] if isinstance(p, dict) and "i18n" in p)
    zh = next(lang for lang in i18n["languages"] if lang["locale"] == "zh")
    titles = _nav_titles(config.get("nav"))
    assert titles, "no nav in mkdocs.yml"
    missing = [t for t in titles if t not in zh.get("nav_translations", {})]
    assert not missing, f"navigation titles without a Chinese translation (i18n nav_translations): {missing}"
    untranslated = [t for t, v in zh["nav_translations"].items() if not HAN.search(v) and t not in ("Fashion-MNIST",)]
    assert not untranslated, untranslated


# ---- built site ----------------------------------------------------------------------------

# `site` (the built site, once per session) is a fixture in tests/conftest.py


def _url(page: str) -> str:
    """Site path of a page (``use_directory_urls: false``): concepts/graphs.md -> 'concepts/graphs.html'."""
    return page[:-3] + ".html"


def _selector_links(html: str, base: str) -> dict[str, str]:
    """hreflang -> absolute path of the language selector's links on a page."""
    links = {}
    for m in re.finditer(r"<a\b[^>]*>", html):
        tag = m.group(0)
        lang = re.search(r'hreflang="([^"]+)"', tag)
        href = re.search(r'href="([^"]*)"', tag)
        if lang and href and "md-select__link" in tag:
            links[lang.group(1)] = urlparse(urljoin(base, href.group(1))).path
    return links


def test_every_page_has_a_built_twin_and_the_selector_links_both_ways(site):
    problems = []
    for page in PAGES:
        en, zh = "/" + _url(page), "/zh/" + _url(page)
        en_html, zh_html = site / en.lstrip("/"), site / zh.lstrip("/")
        if not (en_html.is_file() and zh_html.is_file()):
            problems.append(f"{page}: {en} or {zh} not built")
            continue
        to_zh = _selector_links(en_html.read_text(encoding="utf-8"), en).get("zh")
        to_en = _selector_links(zh_html.read_text(encoding="utf-8"), zh).get("en")
        if to_zh != zh:
            problems.append(f"{en}: selector's 中文 goes to {to_zh}, not {zh}")
        if to_en != en:
            problems.append(f"{zh}: selector's English goes to {to_en}, not {en}")
        if 'lang="zh"' not in zh_html.read_text(encoding="utf-8")[:400]:
            problems.append(f"{zh}: not marked lang=zh")
    assert not problems, "\n".join(problems)


def _drawings(html: str) -> list[str]:
    """The page's SVG drawings, without what differs between two renderings of one figure:
    matplotlib's creation date and its random element ids."""
    out = []
    for m in re.finditer(r"<svg\b.*?</svg>", html, flags=re.S):
        svg = re.sub(r"<dc:date>.*?</dc:date>", "", m.group(0))
        svg = re.sub(r'(?:xlink:)?(?:id|href)="[^"]*"', "", svg)
        out.append(re.sub(r"url\(#[^)]*\)", "", svg))
    return out


def test_both_languages_show_the_same_drawings(site):
    """Same code, same seeds, training cached within a build: every figure and graph of a Chinese
    page is the English page's, element for element."""
    problems, compared = [], 0
    for page in PAGES:
        en, zh = site / _url(page), site / "zh" / _url(page)
        a, b = _drawings(en.read_text(encoding="utf-8")), _drawings(zh.read_text(encoding="utf-8"))
        if len(a) != len(b):
            problems.append(f"{page}: {len(a)} drawings in English, {len(b)} in Chinese")
        differ = [i + 1 for i, (x, y) in enumerate(zip(a, b)) if x != y]
        if differ:
            problems.append(f"{page}: drawings {differ} differ between the languages")
        compared += len(a)
    assert compared > 300, compared
    assert not problems, "\n".join(problems)


# the term, and a page it must find (the pages that explain it)
SEARCHES = {"交叉熵": "zh/derivations/softmax.html", "小批量随机梯度下降": "zh/concepts/linear-model.html",
            "softmax回归": "zh/walkthroughs/softmax-regression.html", "独热编码": "zh/concepts/classification.html"}


def _index_search(index: dict, query: str) -> set[str]:
    """Pages (locations without #) whose index entry holds every segment of the query, the way
    Material's search worker segments a Chinese query: greedily, by tokens found in the index."""
    separator = re.compile(index["config"]["separator"].replace("\\u200b", "\u200b").replace("\\u3000", "\u3000"))
    tokens_by_doc = [(d["location"].split("#")[0], {t.lower() for t in separator.split(d["title"] + " " + d["text"]) if t})
                     for d in index["docs"]]
    vocabulary = set().union(*(t for _, t in tokens_by_doc))
    segments, i = [], 0
    while i < len(query):
        j = max((j for j in range(i + 1, len(query) + 1) if query[i:j] in vocabulary), default=None)
        if j is None:
            return set()
        segments.append(query[i:j])
        i = j
    pages: dict[str, set] = {}
    for loc, toks in tokens_by_doc:
        pages.setdefault(loc, set()).update(toks)
    return {loc for loc, toks in pages.items() if all(s in toks for s in segments)}


@pytest.mark.parametrize("term,page", SEARCHES.items())
def test_chinese_term_is_found_in_the_search_index(site, term, page):
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert "\u200b" in index["config"]["separator"] or "u200b" in index["config"]["separator"]
    locations = {d["location"].split("#")[0] for d in index["docs"]}
    # one index for both languages (a failed nested build leaves only the last language's)
    assert "derivations/softmax.html" in locations and page in locations
    found = _index_search(index, term)
    assert page in found, f"{term}: found {sorted(found)[:8]}"
    assert not _index_search(index, "不存在的词汇组合喵")  # the emulation can say no




@pytest.fixture(scope="module")
def zh_server(site):
    with serving(site) as url:
        yield url


@pytest.mark.browser
def test_search_box_finds_chinese_terms(site, zh_server):
    require_chromium()
    from playwright.sync_api import sync_playwright

    errors = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("pageerror", lambda e: errors.append(str(e)))
            for term, expected in SEARCHES.items():
                page.goto(zh_server + "zh/index.html")       # a fresh page: one query each
                box = page.locator("input.md-search__input")
                box.click()
                js = ("expected => [...document.querySelectorAll('.md-search-result__link')]"
                      ".some(a => new URL(a.href).pathname === '/' + expected)")
                # The search worker builds its index on first use, which takes a while on a busy
                # machine, and a query typed before it is ready can be dropped: type it again.
                for attempt in range(6):
                    box.fill("")
                    page.keyboard.insert_text(term)          # as an input method commits a word
                    try:
                        page.wait_for_function(js, arg=expected, timeout=20_000)
                        break
                    except Exception:
                        continue
                else:
                    found = page.eval_on_selector_all(".md-search-result__link", "els => els.map(e => e.href)")
                    meta = page.inner_text(".md-search-result__meta")
                    pytest.fail(f"searching {term!r} did not list /{expected}: {meta!r}, {found[:8]}")
        finally:
            browser.close()
    assert not errors, errors


# ---- command line: re-sync the twins -------------------------------------------------------

def harvest() -> int:
    """Record every translated literal of the twins in tests/i18n_strings.json."""
    found = {}
    for page in PAGES:
        if (DOCS / twin(page)).is_file():
            en = code_blocks((DOCS / page).read_text(encoding="utf-8"))
            zh = code_blocks((DOCS / twin(page)).read_text(encoding="utf-8"))
            for a, b in zip(en, zh):
                found.update(translated_pairs(a[3], b[3]))
    tmp = STRINGS.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(dict(sorted(found.items())), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    tmp.replace(STRINGS)
    print(f"{len(found)} translated strings recorded in {STRINGS.name}")
    return 0


def main(argv: list[str]) -> int:
    what = argv[1] if len(argv) > 1 else "diff"
    only = argv[2:]
    if what == "harvest":
        return harvest()
    bad = 0
    for page in PAGES:
        if only and page not in only and twin(page) not in only:
            continue
        path = DOCS / twin(page)
        if not path.is_file():
            print(f"MISSING  {twin(page)}")
            bad += 1
            continue
        if what == "sync":
            text = path.read_text(encoding="utf-8")
            new, problems = sync_text((DOCS / page).read_text(encoding="utf-8"), text, heading_ids(page))
            new = join_cjk_breaks(new)
            if new != text:
                tmp = path.with_suffix(".md.tmp")
                tmp.write_text(new, encoding="utf-8")
                tmp.replace(path)
                heading_ids.cache_clear()
                print(f"SYNCED   {twin(page)}")
            for p in problems:
                print(f"PROBLEM  {twin(page)}: {p}")
                bad += 1
        diff = block_diff(page)
        if heading_ids(twin(page)) != heading_ids(page):
            en_ids, zh_ids = heading_ids(page), heading_ids(twin(page))
            diff.append(f"anchors differ: only English {sorted(set(en_ids) - set(zh_ids))[:4]}, "
                        f"only twin {sorted(set(zh_ids) - set(en_ids))[:4]}")
        share = han_share(path.read_text(encoding="utf-8"))[0]
        for d in diff:
            print(f"DIFF     {twin(page)}: {d}")
        bad += bool(diff)
        if not diff:
            print(f"ok       {twin(page)}  ({share:.0%} Chinese)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

"""Citation markers: every grammar people write, found in a block's text. Pure functions.

Numeric ``[1]``, ``[8,9]``, ``[2-4]``, ``[2]–[4]``, ``[1, 3-5]``; superscripts (``¹²``, ``¹⁻³``,
``<sup>2,3</sup>``); author–date ``(Smith et al., 2020)``, ``Smith and Jones (2019a)``,
``(Smith 2020; Lee 2021, p. 4)``; pandoc ``[@key; @key2, p. 3]``; LaTeX ``\\cite{a,b}`` and
friends; MyST ``{cite}`a```; Sphinx ``:cite:`a```; reStructuredText ``[key]_``. Linking markers to
references is :mod:`mascite.document.linking`'s job.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterator

from ..model import Citation
from .base import Block
from .html import SUPERSCRIPT_CLOSE, SUPERSCRIPT_OPEN

__all__ = ["MAX_RANGE", "PANDOC_KEY", "expand_numbers", "find_citations", "find_numeric_citations",
           "pandoc_citations", "pandoc_key"]

MAX_RANGE = 200  # a range wider than this is a typo or not a citation ("[1-2020]")
_DASH = r"[-–—‐‑]"
_NUMBER_LIST = rf"\d{{1,4}}(?:\s*(?:{_DASH}|,|;)\s*\d{{1,4}})*"
_NUMERIC = re.compile(rf"\[\s*({_NUMBER_LIST})\s*\](?:\s*{_DASH}\s*\[\s*(\d{{1,4}})\s*\])?(?!_)")
_LOCATOR_PART = re.compile(
    r"^\s*(?:(?:e\.g\.|see(?: also)?|cf\.|i\.e\.|also)[,]?\s*)?"
    r"(?P<numbers>\d{1,4}(?:\s*[-–—,]\s*\d{1,4})*)"
    r"(?:\s*:\s*[^\[\]]{1,60}|\s*,\s*(?:p|pp|pl|fig|figs|tab|table|chap|ch|sec|vol|plate)\.?\s*"
    r"[^\[\]]{0,60})?\s*$", re.I)
_BRACKETS = re.compile(r"\[([^\[\]]{1,120})\]")
_SUPER_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_UNICODE_SUPER = re.compile(rf"(?<=[^\s⁰-⁹])([{_SUPER_DIGITS}]+(?:\s*[⁻,‒–—-]\s*[{_SUPER_DIGITS}]+)*)")
_SUP_TAG = re.compile(rf"<sup>\s*({_NUMBER_LIST})\s*</sup>|{SUPERSCRIPT_OPEN}\s*\[?\s*"
                      rf"({_NUMBER_LIST})\s*\]?\s*{SUPERSCRIPT_CLOSE}")
_UNITS_BEFORE_SQUARE = re.compile(r"(?:\b(?:m|cm|mm|km|µm|nm|ft|in|s|x|y|r|n)|\))$")

_NAME = r"(?:(?:[vV]an|[vV]on|[dD]e|[dD]er|[dD]en|[dD]i|[dD]a|[dD]el|[lL]e|[lL]a|[dD]u)\s+)*" \
        r"[^\W\d_][\w'’\-]*[^\W\d_]"
_AUTHORS = rf"(?P<authors>{_NAME}(?:\s+(?:et\s+al\.?|and\s+{_NAME}|&\s+{_NAME}|{_NAME})){{0,3}})"
_YEAR = r"(?:1[5-9]|20)\d\d[a-z]?|n\.d\.|in press|forthcoming"
_LOCATOR = r"(?:,\s*(?:p|pp|chap|ch|sec|fig|para)\.?\s*[\w\-–]+)?"
_PAREN_ITEM = re.compile(
    rf"^\s*(?:(?:see(?: also)?|e\.g\.|cf\.|i\.e\.|but see|also)[,]?\s+)?{_AUTHORS},?\s+"
    rf"(?P<years>(?:{_YEAR})(?:\s*,\s*(?:{_YEAR}))*){_LOCATOR}\s*$", re.I)
_PARENS = re.compile(r"\(([^()]{4,400})\)")
_NARRATIVE = re.compile(
    rf"(?<![\w(])(?P<authors>{_NAME}(?:\s+et\s+al\.?|\s+(?:and|&)\s+{_NAME})?)[’']?s?\s+"
    rf"\((?P<years>(?:{_YEAR})(?:\s*,\s*(?:{_YEAR}))*){_LOCATOR}\)")
_PANDOC_GROUP = re.compile(r"\[([^\[\]]*?-?@[\w{][^\[\]]*)\]")
# pandoc's keys: letters, digits and _ at the edges, some punctuation inside; or any text in
# braces, "@{Doe:2000/odd.key}"
PANDOC_KEY = re.compile(r"(?<![\w@])-?@(?:\{(?P<braced>[^{}\s][^{}]*)\}"
                         r"|(?P<key>[\w][\w:.#$%&+?<>~/\-]*[\w]|\w))")
# natbib and biblatex: \cite, \Citet, \citeauthor*, \parencite[see][3]{k}; the multi-cite
# commands (\cites, \textcites...) take (pre)(post) and several [..]{keys} groups; \nocite lists.
_LATEX_OPTIONS = r"(?:\s*\[[^\[\]]*(?:\[[^\[\]]*\][^\[\]]*)*\]){0,2}"
_LATEX = re.compile(
    r"\\(?:(?P<multi>[a-zA-Z]*[cC]ites)(?![a-zA-Z])(?:\s*\([^()]*\)){0,2}"
    rf"(?P<groups>(?:{_LATEX_OPTIONS}\s*\{{[^{{}}]*\}})+)"
    r"|(?P<command>(?!citestyle\b|defcitealias\b)"
    rf"[a-zA-Z]*[cC]ite[a-zA-Z]*|nocite)\*?{_LATEX_OPTIONS}\s*\{{(?P<keys>[^{{}}]*)\}})")
_ROLE = re.compile(r"(?:\{cite(?::[a-z]+)?\}|:cite(?::[a-z]+)?:)`(?P<keys>[^`]+)`")
_RST_REF = re.compile(r"\[(?P<key>[A-Za-z][\w.\-:]*|#[\w\-]*|\d{1,4})\]_")
_NOT_AUTHOR = frozenset(
    "in the and of for from between since during after before until by on at to with see "
    "january february march april may june july august september october november december "
    "spring summer autumn fall winter year years study studies figure table fig".split())


def expand_numbers(text: str) -> list[int] | None:
    """``"1, 3-5"`` → ``[1, 3, 4, 5]``; ``None`` when a range runs backwards or is absurd."""
    numbers: list[int] = []
    for part in re.split(r"\s*[,;]\s*", text.strip()):
        bounds = re.split(rf"\s*{_DASH}\s*", part)
        if len(bounds) == 1:
            numbers.append(int(bounds[0]))
            continue
        low, high = int(bounds[0]), int(bounds[-1])
        if high < low or high - low > MAX_RANGE:
            return None
        numbers.extend(range(low, high + 1))
    return numbers


def _superscript_to_ascii(text: str) -> str:
    return text.translate(str.maketrans(_SUPER_DIGITS + "⁻", "0123456789-"))


def _masked(block: Block, fmt: str) -> str:
    """The block text with inline code blanked out, so ``a[1]`` in code is never a marker."""
    text = block.text
    if fmt in ("markdown", "rst", "text"):
        text = re.sub(r"(?<![}:])(`+)[^`]*?\1", lambda m: " " * len(m.group(0)), text) \
            if fmt != "rst" else re.sub(r"``[^`]*``", lambda m: " " * len(m.group(0)), text)
    return text


def _is_index(text: str, start: int, end: int, indexes: set[int]) -> bool:
    """``x[1] = 2``, ``a[1][2]``, ``a[1].b``: array indexing, not a citation."""
    if start in indexes:  # the second subscript of a[1][2]
        indexes.add(end)
        return True
    before = text[start - 1:start] if start else ""
    after = text[end:end + 4].lstrip(" ")
    if bool(before) and (before.isalnum() or before == "_") and (
            after[:1] in ("[", "=", "(") or (after[:1] == "." and after[1:2].isalnum())):
        indexes.add(end)
        return True
    return False


def _numeric(text: str) -> Iterator[tuple[int, int, str, list[str], list[str]]]:
    plain: set[int] = set()
    indexes: set[int] = set()
    for match in _NUMERIC.finditer(text):
        if _is_index(text, match.start(), match.end(), indexes):
            continue
        spec = match.group(1) + (f"-{match.group(2)}" if match.group(2) else "")
        numbers = expand_numbers(spec)
        if numbers and all(n > 0 for n in numbers):
            plain.add(match.start())
            yield match.start(), match.end(), "numeric", [str(n) for n in numbers], []
    for match in _BRACKETS.finditer(text):  # with locators: [1: fig. 4], [e.g., 77], [23, pl. 9]
        if match.start() in plain or _is_index(text, match.start(), match.end(), indexes):
            continue
        parts = [_LOCATOR_PART.match(p) for p in match.group(1).split(";")]
        if parts[0] is None:
            continue
        numbers = [n for part in parts if part for n in expand_numbers(part.group("numbers")) or []]
        if numbers and all(n > 0 for n in numbers):
            yield match.start(), match.end(), "numeric", [str(n) for n in numbers], []
    for match in _UNICODE_SUPER.finditer(text):
        raw = _superscript_to_ascii(match.group(1))
        if _is_exponent(text, match.start(), raw):
            continue
        numbers = expand_numbers(raw.replace("‒", "-"))
        if numbers and all(n > 0 for n in numbers):
            yield match.start(), match.end(), "superscript", [str(n) for n in numbers], []
    for match in _SUP_TAG.finditer(text):
        raw = match.group(1) or match.group(2)
        if _is_exponent(text, match.start(), raw):
            continue
        numbers = expand_numbers(raw)
        if numbers and all(n > 0 for n in numbers):
            yield match.start(), match.end(), "superscript", [str(n) for n in numbers], []


_EXPONENT_BASE = re.compile(r"(?:(?<!\w)[^\W\d_]|(?<![\w.,])10)\s*$")


def _is_exponent(text: str, start: int, raw: str) -> bool:
    """A raised number that is a power, not a citation: m², x³, (1/c)², r², S², σ², 10⁵."""
    before = text[max(0, start - 12):start].replace(SUPERSCRIPT_OPEN, "")
    if raw.strip() in ("2", "3") and _UNITS_BEFORE_SQUARE.search(before):
        return True
    return bool(_EXPONENT_BASE.search(before))


def _author_items(authors: str, years: str) -> list[str]:
    first = re.split(r"\s+(?:et\s+al\.?|and|&)\s*", authors.strip())[0].strip()
    return [f"{first}|{y.strip()}" for y in years.split(",")]


_PARTICLES = frozenset("van von de der den di da del le la du".split())


def _is_author(authors: str, comma: bool = True) -> bool:
    words = authors.split()
    while len(words) > 1 and words[0] in _PARTICLES:
        words = words[1:]
    if not words or not words[0][0].isupper():
        return False
    if any(part in _NOT_AUTHOR for part in re.split(r"[-–]", words[0].lower())):
        return False
    # "(FMNH PR 2003)", "(SMF-ME 1683)": specimen and catalogue codes, not authors
    return comma or not all(w.isupper() or not w.isalpha() for w in words)


def _author_date(text: str) -> Iterator[tuple[int, int, str, list[str], list[str]]]:
    taken: list[tuple[int, int]] = []
    for match in _PARENS.finditer(text):
        items: list[str] = []
        for part in match.group(1).split(";"):
            item = _PAREN_ITEM.match(part)
            if item is None or not _is_author(item.group("authors"), "," in part):
                items = []
                break
            items.extend(_author_items(item.group("authors"), item.group("years")))
        if items:
            taken.append((match.start(), match.end()))
            yield match.start(), match.end(), "author-date", [], items
    for match in _NARRATIVE.finditer(text):
        if any(s <= match.start() < e for s, e in taken) or not _is_author(match.group("authors")):
            continue
        yield (match.start(), match.end(), "author-date", [],
               _author_items(match.group("authors"), match.group("years")))


def pandoc_key(match: re.Match[str]) -> str:
    """The citation key a :data:`PANDOC_KEY` match names, braced or bare."""
    return match.group("braced") or match.group("key")


def pandoc_citations(text: str, *, bare: bool = True) -> Iterator[re.Match[str]]:
    """pandoc's citations in text, in order: bracketed groups ``[see @a, p. 3; @b]`` (group 1:
    inside the brackets) and, with ``bare``, narrative keys ``@a`` (a :data:`PANDOC_KEY` match).
    "![caption](fig.png)" and "[text](url)" are an image and a link, not a group: the keys in
    them are cited one by one."""
    grouped = [m for m in _PANDOC_GROUP.finditer(text)
               if not (m.start() and text[m.start() - 1] == "!") and text[m.end():m.end() + 1] != "("
               and PANDOC_KEY.search(m.group(1))]
    found: list[re.Match[str]] = list(grouped)
    if bare:
        starts = [m.start() for m in grouped]
        for match in PANDOC_KEY.finditer(text):
            before = bisect_right(starts, match.start()) - 1  # the groups do not overlap
            if before >= 0 and match.start() < grouped[before].end():
                continue
            if match.start() > 0 and text[match.start() - 1] not in " \t\n(":
                continue
            found.append(match)
    return iter(sorted(found, key=lambda m: m.start()))


def _keys(text: str, fmt: str) -> Iterator[tuple[int, int, str, list[str], list[str]]]:
    for match in pandoc_citations(text, bare=fmt in ("markdown", "text")):
        if match.re is _PANDOC_GROUP:
            keys = [pandoc_key(m) for m in PANDOC_KEY.finditer(match.group(1))]
        else:
            keys = [pandoc_key(match)]
        yield match.start(), match.end(), "key", [], keys
    for match in _LATEX.finditer(text):
        groups = (re.findall(r"\{([^{}]*)\}", match.group("groups")) if match.group("multi")
                  else [match.group("keys")])
        keys = [k.strip() for group in groups for k in group.split(",") if k.strip()]
        if keys:
            kind = "nocite" if match.group("command") == "nocite" else "key"
            yield match.start(), match.end(), kind, [], keys
    for match in _ROLE.finditer(text):
        keys = [k.strip() for k in match.group("keys").split(",") if k.strip()]
        yield match.start(), match.end(), "key", [], keys
    if fmt == "rst":
        for match in _RST_REF.finditer(text):
            yield match.start(), match.end(), "key", [], [match.group("key")]


def find_citations(block: Block, fmt: str,
                   line_column: Callable[[int], tuple[int, int]]) -> list[Citation]:
    """Every marker in a block, outermost first when two overlap, with source positions."""
    if block.kind == "code":
        return []
    text = _masked(block, fmt)
    # LaTeX sees only its \cite commands: "[500]" in its source is an option, never a citation
    markers = [] if fmt == "latex" else [*_numeric(text), *_author_date(text)]
    found = sorted([*markers, *_keys(text, fmt)],
                   key=lambda f: (f[0], -(f[1] - f[0])))
    citations: list[Citation] = []
    last_end = -1
    for start, end, kind, labels, keys in found:
        if start < last_end:
            continue  # inside a marker already taken ("[@a]" is not also "@a")
        last_end = end
        src_start, src_end = block.source_span(start, end)
        line, column = line_column(src_start)
        marker = block.text[start:end].replace(SUPERSCRIPT_OPEN, "").replace(SUPERSCRIPT_CLOSE, "")
        citations.append(Citation(marker=marker, start=src_start, end=src_end, line=line,
                                  column=column, kind=kind, labels=labels, keys=keys,
                                  block_offset=start, block_end=end))
    return citations


def find_numeric_citations(
    text: str, end: int | None = None, *, line_column: Callable[[int], tuple[int, int]]
) -> list[Citation]:
    """Numeric markers in ``text[:end]`` (a whole text taken as one block)."""
    block = Block("paragraph", text[:end] if end is not None else text, 0, end or len(text))
    return [c for c in find_citations(block, "text", line_column) if c.kind == "numeric"]

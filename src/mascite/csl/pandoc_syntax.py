"""pandoc's citation syntax read into clusters, for engines that do not read Markdown:
``[see @doe99, pp. 33-35; also @smith04, chap. 1]``, ``[-@doe99]`` (the author suppressed) and
narrative ``@doe99``, with where each stands in the text."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..document.citations import PANDOC_KEY, pandoc_citations, pandoc_key
from .cite import CiteItem, Cluster

__all__ = ["blank_code", "markdown_clusters"]

# pandoc's locator labels (its English terms) to CSL's
_LABELS = {
    "p": "page", "pp": "page", "page": "page", "pages": "page", "chap": "chapter",
    "chapter": "chapter", "chapters": "chapter", "sec": "section", "section": "section",
    "sections": "section", "fig": "figure", "figure": "figure", "figures": "figure",
    "para": "paragraph", "paragraph": "paragraph", "¶": "paragraph", "vol": "volume",
    "volume": "volume", "l": "line", "line": "line", "n": "note", "note": "note",
    "col": "column", "column": "column", "bk": "book", "book": "book", "no": "issue",
    "op": "opus", "v": "verse", "verse": "verse", "pt": "part", "part": "part",
}
_LOCATOR = re.compile(r"\s*(?P<label>[^\W\d_]+|¶)\.?\s*(?P<value>[\w\-–,]*\d[\w\-–]*)(?P<rest>.*)",
                      re.S)


def blank_code(markdown: str) -> str:
    """Code fences and spans as spaces (a citation there is code), so that what is found keeps
    its place."""
    def blank(match: re.Match[str]) -> str:
        return re.sub(r"[^\n]", " ", match.group(0))

    return re.sub(r"`[^`]*`", blank, re.sub(r"```.*?```", blank, markdown, flags=re.S))


def _item(part: str) -> CiteItem | None:
    match = PANDOC_KEY.search(part)
    if match is None:
        return None
    prefix, rest = part[:match.start()].strip(), part[match.end():]
    locator, label, suffix = "", "page", rest.strip()
    if rest.startswith(","):
        found = _LOCATOR.match(rest[1:])
        if found and found.group("label").lower() in _LABELS:
            label = _LABELS[found.group("label").lower()]
            locator, suffix = found.group("value").rstrip(","), found.group("rest").strip()
        else:
            suffix = rest.strip()
    return CiteItem(pandoc_key(match), prefix=prefix, suffix=suffix, locator=locator,
                    label=label, suppress_author=match.group(0).startswith("-"))


def markdown_clusters(text: str) -> Iterator[tuple[int, int, Cluster]]:
    """Each citation of the text (code already blanked by the caller): start, end, cluster."""
    for match in pandoc_citations(text):
        if match.re is PANDOC_KEY:
            yield match.start(), match.end(), Cluster((CiteItem(pandoc_key(match)),),
                                                      textual=True)
            continue
        items = [item for part in match.group(1).split(";") if (item := _item(part))]
        if items:
            yield match.start(), match.end(), Cluster(tuple(items))

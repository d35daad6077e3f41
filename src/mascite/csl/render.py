"""Documents with their citations re-rendered in a CSL style and linked to the bibliography.

The checked document becomes pandoc Markdown — its text escaped, each citation marker replaced by
a pandoc citation of the references it links to — and pandoc's citeproc renders the citations
(ranges collapsed, author–date disambiguated) and the bibliography in the style's order. In HTML,
each citation links to its entry and each entry links back to where it is first cited.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Literal

from ..document.base import Document
from ..document.citations import PANDOC_KEY, pandoc_key
from ..model import Citation, Report
from ..text.html import CSP_META
from .engines import pandoc
from .engines.pandoc.run import unprotect as _unprotect
from .format import csl_item
from .styles import find_style

__all__ = ["render_document"]

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#+\-!|@~^$])")


def _escape(text: str) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def _key(ref_id: str) -> str:
    return "r" + re.sub(r"[^\w]", "_", ref_id)


_NARRATIVE = re.compile(r"^(?:@|\\(?:[cC]itet|[tT]extcite|[cC]iteauthor|citealt)\b)")
_NATBIB_NOTES = re.compile(r"^\\\w+\*?\s*(?:\[(?P<a>[^\]]*)\])?\s*(?:\[(?P<b>[^\]]*)\])?")
_MATH = re.compile(r"(?<![\\$])\$[^$\n]+\$")


def _pandoc_citation(citation: Citation, fmt: str) -> str:
    """The marker as a pandoc citation of its references, as its author wrote it: narrative
    ("@a", ``\\citet``) stays narrative, prefixes and locators stay ("[see @a, p. 3]")."""
    keys = [f"@{_key(r)}" for r in citation.refs]
    marker = citation.marker
    if fmt == "markdown" and marker.startswith("[") and len(citation.keys) == len(citation.refs):
        by_key = dict(zip(citation.keys, keys, strict=True))  # "[see @a, p. 3; @b]", keys renamed
        inner = PANDOC_KEY.sub(
            lambda m: ("-" if m.group(0).startswith("-") else "")
            + by_key.get(pandoc_key(m), m.group(0).lstrip("-")),
            marker[1:-1])
        return f"[{inner}]"
    if _NARRATIVE.match(marker) and len(keys) == 1:
        return keys[0]
    notes = _NATBIB_NOTES.match(marker) if fmt == "latex" else None
    if notes and notes.group("a") is not None:
        prefix, suffix = (notes.group("a"), notes.group("b")) if notes.group("b") is not None \
            else ("", notes.group("a"))
        suffix = suffix.replace("~", " ")
        return f"[{prefix + ' ' if prefix else ''}{'; '.join(keys)}{', ' + suffix if suffix else ''}]"
    return f"[{'; '.join(keys)}]"


def _source(text: str, fmt: str) -> str:
    """Document text as pandoc Markdown: Markdown as written; other text escaped, its TeX
    math kept."""
    if fmt == "markdown":
        return text
    out, at = [], 0
    for match in _MATH.finditer(text) if fmt == "latex" else ():
        out += [_escape(text[at:match.start()]), match.group(0)]
        at = match.end()
    return "".join(out) + _escape(text[at:])


def _markdown(document: Document, citations: list[Citation]) -> str:
    """The document's content blocks as Markdown, markers replaced by pandoc citations."""
    by_start = sorted((c for c in citations if c.refs and c.kind != "nocite"),
                      key=lambda c: c.start)
    parts: list[str] = []
    fmt = document.format
    for block in document.blocks:
        if block.start >= document.body_end or block.kind in ("code", "navigation"):
            continue
        inside = [c for c in by_start if block.start <= c.start < block.end]
        pieces, position = [], block.start
        for citation in inside:
            if block.offsets is None:
                pieces.append(_source(document.text[position:citation.start], fmt))
            pieces.append(_pandoc_citation(citation, fmt))
            position = citation.end
        if block.offsets is None:
            pieces.append(_source(document.text[position:block.end], fmt))
            text = "".join(pieces)
        else:  # text mapped from HTML: keep the reader's text, citations appended in place
            text = _escape(block.text) + "".join(pieces)
        text = " ".join(text.split())
        if block.kind == "heading":
            parts.append(f"## {text}")
        elif block.kind == "list-item":
            parts.append(f"- {text}")
        else:
            parts.append(text)
    return "\n\n".join(parts) + "\n"


def render_document(document: Document, report: Report, style: str | Path = "apa", *,
                    to: Literal["html", "markdown"] = "html", title: str | None = None) -> str:
    """The document with linked citations and a bibliography, as a self-contained HTML page or
    Markdown."""
    items = []
    for ref in report.references:
        item = pandoc.prepare(csl_item(ref.csl, 0))
        item["id"] = _key(ref.id)
        items.append(item)
    body = _markdown(document, report.citations)
    meta = {"title": title or Path(document.path or "document").stem,
            "link-citations": True, "reference-section-title": "References"}
    source = "---\n" + json.dumps(meta) + "\n---\n\n" + body
    writer, options = ("html", ["--standalone"]) if to == "html" else ("markdown-citations", [])
    output = pandoc.citeproc(items, find_style(style), source, writer, options, failure="rendering failed")
    if to == "html":
        page = _back_links(_unprotect(output, "html"))
        return re.sub(r"<head>", lambda m: f"{m.group()}\n  {CSP_META}", page, count=1)
    return _unprotect(output, "markdown")


def _back_links(page: str) -> str:
    """Give each first citation of a reference an anchor, and the entry a link back to it."""
    seen: set[str] = set()

    def anchor(match: re.Match[str]) -> str:
        key = match.group(1)
        if key in seen:
            return match.group(0)
        seen.add(key)
        return f'<a id="cite-{key}"></a>{match.group(0)}'

    page = re.sub(r'<a href="#ref-([\w-]+)" role="doc-biblioref">', anchor, page)
    for key in seen:
        link = (f' <a href="#cite-{key}" class="back-link" aria-label="back to the text">↩</a>')
        entry = re.compile(rf'(<div id="ref-{re.escape(key)}" class="csl-entry"[^>]*>.*?)(</div>)',
                           re.S)
        page = entry.sub(rf"\1{link}\2", page, count=1)
    return page

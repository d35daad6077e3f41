"""Documents with their citations re-rendered in a CSL style and linked to the bibliography.

The checked document becomes pandoc Markdown — its text escaped, each citation marker replaced by
a pandoc citation of the references it links to — and pandoc's citeproc renders the citations
(ranges collapsed, author–date disambiguated) and the bibliography in the style's order. In HTML,
each citation links to its entry and each entry links back to where it is first cited.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any, Literal

from ..document.base import Document
from ..document.citations import PANDOC_KEY, pandoc_key
from ..model import Citation, Report
from ..text.html import CSP_META, div_end
from ..text.markdown import escape_markdown as _escape
from .cite import superscript
from .engines import pandoc
from .engines.pandoc.run import unprotect as _unprotect
from .format import Formatter, csl_item
from .pandoc_syntax import blank_code, markdown_clusters

__all__ = ["render_document"]

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
                    to: Literal["html", "markdown"] = "html", title: str | None = None,
                    engine: str = "auto") -> str:
    """The document with linked citations and a bibliography, as a self-contained HTML page or
    Markdown. Citations and entries come from the engine (see :mod:`mascite.csl.engines`);
    pandoc turns the Markdown into the page."""
    formatter = Formatter(style, engine=engine)
    items = {}
    for ref in report.references:
        item = csl_item(ref.csl, 0, others=formatter.engine == "pandoc")
        item["id"] = _key(ref.id)
        items[item["id"]] = item
    body = _markdown(document, report.citations)
    meta: dict[str, Any] = {"title": title or Path(document.path or "document").stem}
    writer, options = ("html", ["--standalone"]) if to == "html" else ("markdown-citations", [])
    if formatter.engine == "pandoc":
        meta.update({"link-citations": True, "reference-section-title": "References"})
        source = "---\n" + json.dumps(meta) + "\n---\n\n" + body
        output = pandoc.citeproc([pandoc.prepare(i) for i in items.values()], formatter.style,
                                 source, writer, options, failure="rendering failed")
    else:
        source = "---\n" + json.dumps(meta) + "\n---\n\n" + _engine_cited(body, items,
                                                                          formatter, to)
        output = pandoc.convert(source, writer, options, failure="rendering failed")
    if to == "html":
        page = _back_links(_unprotect(output, "html"))
        return re.sub(r"<head>", lambda m: f"{m.group()}\n  {CSP_META}", page, count=1)
    return _unprotect(output, "markdown")


def _engine_cited(body: str, items: dict[str, dict[str, Any]], formatter: Formatter,
                  to: Literal["html", "markdown"]) -> str:
    """The body's pandoc citations replaced by the engine's (raw HTML, or Markdown), and the
    bibliography after it, as pandoc's citeproc lays it out."""
    found = [(s, e, c) for s, e, c in markdown_clusters(blank_code(body))
             if (not s or body[s - 1] != "\\") and any(i.key in items for i in c.items)]
    cited = formatter.cite(items, [c for _, _, c in found], to=to)
    for (start, end, cluster), text in reversed(list(zip(found, cited.citations, strict=True))):
        before = body[:start].rstrip(" \t") if superscript(text) else body[:start]
        if to == "html":  # wrapped as pandoc wraps a citation, for the same CSS
            cites = html.escape(" ".join(i.key for i in cluster.items))
            text = (f'`<span class="citation" data-cites="{cites}">'
                    f"{text.replace('`', '&#96;')}</span>`{{=html}}")
        body = before + text + body[end:]
    if to == "html":
        entries = "".join(f'<div id="ref-{html.escape(key)}" class="csl-entry" role="listitem">'
                          f"{entry}</div>\n" for key, entry in cited.entries)
        return (f"{body}\n# References\n\n```{{=html}}\n<div id=\"refs\" class=\"references "
                f'csl-bib-body" role="list">\n{entries}</div>\n```\n')
    return body + "\n# References\n\n" + "\n\n".join(
        f"[]{{#ref-{key}}}{entry}" for key, entry in cited.entries) + "\n"


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
        start = re.search(rf'<div id="ref-{re.escape(key)}" class="csl-entry"[^>]*>', page)
        at = div_end(page, start.end()) if start is not None else None
        if at is not None:  # at the entry's own end, after its number's and text's divs
            page = page[:at] + link + page[at:]
    return page

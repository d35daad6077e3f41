"""Citations in a document, from the engine: each cluster as the style prints it there (numbers,
ranges, author-date disambiguation, "ibid.", narrative "Doe (2000)") and the bibliography of what
was cited, in the style's order. The engine sees every citation of the document in order, so the
result is its own, not pieced together.

Keys never reach an engine: items go in under ids of our own (``i0``, ``i1``...), so that no key
can be read as markup, and come back under their keys; links are ``#ref-KEY``, the key escaped.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ..text.markdown import escape_markdown
from .styles import style_text

__all__ = ["CiteItem", "Cited", "Cluster", "cite_citeproc_js", "cite_pandoc", "superscript"]


@dataclass(frozen=True)
class CiteItem:
    """One reference in a citation, with what its author wrote around it."""

    key: str
    prefix: str = ""
    suffix: str = ""
    locator: str = ""
    label: str = "page"
    suppress_author: bool = False  # pandoc's "[-@key]": "(2000)"


@dataclass(frozen=True)
class Cluster:
    """A citation: its items, and whether it is narrative ("Doe (2000) shows")."""

    items: tuple[CiteItem, ...]
    textual: bool = False


@dataclass
class Cited:
    """The citations as printed (one per cluster, in order) and the entries (key, entry) of
    what they cite, in the style's order."""

    citations: list[str]
    entries: list[tuple[str, str]] = field(default_factory=list)


def superscript(citation: str) -> bool:
    """Whether a citation (HTML) is a superscript, which takes no space before it ("cases¹"),
    as pandoc and word processors place it."""
    return bool(re.match(r"(?:<a\b[^>]*>)?<sup>", citation))


def _ids(items: Mapping[str, dict[str, Any]], clusters: Sequence[Cluster],
         uncited: Sequence[str]) -> dict[str, str]:
    keys = dict.fromkeys([*(i.key for c in clusters for i in c.items), *uncited])
    return {key: f"i{n}" for n, key in enumerate(k for k in keys if k in items)}


def _relink(text: str, keys: Mapping[str, str]) -> str:
    """``#ref-i3`` (our id) as ``#ref-KEY`` (the key escaped for an attribute)."""
    return re.sub(r'href="#ref-(i\d+)"',
                  lambda m: f'href="#ref-{html.escape(keys.get(m.group(1), m.group(1)))}"', text)


def _is_note_style(text: str) -> bool:
    opening = re.search(r"<style\b[^>]*>", text)
    return bool(opening and re.search(r'\bclass="note"', opening.group(0)))


def cite_citeproc_js(items: Mapping[str, dict[str, Any]], clusters: Sequence[Cluster],
                     uncited: Sequence[str], style: Path, locale: str | None, fmt: str,
                     linked: bool) -> Cited:
    from .engines import citeproc_js
    from .format import clean_entry

    ids = _ids(items, clusters, uncited)
    keys = {v: k for k, v in ids.items()}
    text = style_text(style)
    note = _is_note_style(text)
    citations: list[dict[str, Any]] = []
    leads = []  # a narrative citation's prefix goes before it: "see Doe (2000)"
    for number, cluster in enumerate(clusters):
        composite = cluster.textual and not note
        known = [i for i in cluster.items if i.key in ids]
        leads.append(known[0].prefix if composite and known and known[0].prefix else "")
        cited = [{"id": ids[i.key],
                  **({"prefix": i.prefix} if i.prefix and not composite else {}),
                  **({"suffix": i.suffix} if i.suffix else {}),
                  **({"locator": i.locator, "label": i.label} if i.locator else {}),
                  **({"suppress-author": True} if i.suppress_author else {})}
                 for i in known]
        properties: dict[str, Any] = {"noteIndex": number + 1 if note else 0}
        if composite:
            properties["mode"] = "composite"
        citations.append({"citationID": f"c{number}", "citationItems": cited,
                          "properties": properties})
    runtime = citeproc_js.runtime()
    engine = runtime.engine(text, locale, style.name)
    payload = [dict(items[key], id=ids[key]) for key in ids]
    present = [c for c in citations if c["citationItems"]]
    result = runtime.document(engine, payload, present, [ids[k] for k in uncited if k in ids],
                              fmt)
    printed = iter(result["citations"])
    out = [next(printed).replace("[NO_PRINTED_FORM]", "").strip()  # (a narrative's)
           if c["citationItems"] else "" for c in citations]
    entries = [(keys[i], clean_entry(e, fmt))
               for i, e in zip(result["ids"], result["entries"], strict=False)]
    if linked and fmt in ("html", "markdown"):
        linker = _Linker(text, entries, items, markdown=fmt == "markdown")
        out = [linker.link(t, [keys[i["id"]] for i in c["citationItems"]]) if t else t
               for t, c in zip(out, citations, strict=True)]
    out = [f"{lead} {t}" if lead and t else t for t, lead in zip(out, leads, strict=True)]
    return Cited(out, entries)


_TAG_OR_TEXT = re.compile(r"(<[^>]*>)|([^<]+)")


class _Linker:
    """Links in a citation citeproc-js printed whole (its own per-item wrapper changes what it
    prints): in a numeric style each number of the citation's items links to its entry; in
    others each part between the style's delimiters links to the item whose first author (or
    title) it names; where that cannot be told, the citation links to its first item."""

    def __init__(self, style: str, entries: list[tuple[str, str]],
                 items: Mapping[str, dict[str, Any]], *, markdown: bool = False) -> None:
        self.markdown = markdown
        citation = re.search(r"<citation\b.*?</citation>", style, re.S)
        layout = re.search(r"<layout\b[^>]*>", citation.group(0)) if citation else None
        attributes = dict(re.findall(r'([\w-]+)="([^"]*)"', layout.group(0))) if layout else {}
        self.delimiter = html.unescape(attributes.get("delimiter", "; "))
        self.affixes = (html.unescape(attributes.get("prefix", "")),
                        html.unescape(attributes.get("suffix", "")))
        self.numeric = bool(citation and 'variable="citation-number"' in citation.group(0))
        self.numbers = {}
        for key, entry in entries:
            number = re.match(r"\s*\[?(\d+)", re.sub(r"<[^>]*>", "", entry))
            if number:
                self.numbers[key] = number.group(1)
        self.items = items

    def _a(self, key: str, text: str) -> str:
        if self.markdown:  # pandoc's Markdown, as its writer links a citation
            return f"[{text}](#ref-{quote(key, safe='')})"
        return f'<a href="#ref-{html.escape(key)}" role="doc-biblioref">{text}</a>'

    def link(self, text: str, keys: list[str]) -> str:
        if self.numeric and all(k in self.numbers for k in keys):
            by_number = {self.numbers[k]: k for k in keys}
            return "".join(tag or re.sub(r"\d+", lambda m: self._a(by_number[m.group()], m.group())
                                         if m.group() in by_number else m.group(), part)
                           for tag, part in _TAG_OR_TEXT.findall(text))
        prefix, suffix = self.affixes
        inner = text
        if prefix and inner.startswith(prefix) and suffix and inner.endswith(suffix):
            inner = inner[len(prefix):len(inner) - len(suffix)]
        else:
            prefix = suffix = ""
        linked = self._parts(inner, keys) if len(keys) > 1 else None
        return prefix + (linked or self._a(keys[0], inner)) + suffix

    def _parts(self, inner: str, keys: list[str]) -> str | None:
        parts = inner.split(self.delimiter) if self.delimiter else [inner]
        if len(parts) != len(keys):
            return None
        names = {k: self._name(k) for k in keys}
        out = []
        for part in parts:
            owners = [k for k in keys if names[k] and names[k] in part]
            if len(owners) != 1:
                return None
            out.append(self._a(owners[0], part))
        return self.delimiter.join(out)

    def _name(self, key: str) -> str:
        item = self.items.get(key, {})
        for role in ("author", "editor"):
            names = item.get(role) or []
            if names and isinstance(names[0], dict):
                return str(names[0].get("family") or names[0].get("literal") or "")
        return str(item.get("title", ""))[:20]


def _pandoc_item(item: CiteItem, ref: str) -> str:
    """``[see -@i3, chap. 2 and elsewhere]``'s item, in pandoc's syntax."""
    locator = f", {item.label if item.label != 'page' else 'p.'} {escape_markdown(item.locator)}" \
        if item.locator else ""
    prefix = f"{escape_markdown(item.prefix)} " if item.prefix else ""
    suffix = f" {escape_markdown(item.suffix)}" if item.suffix else ""
    return f"{prefix}{'-' if item.suppress_author else ''}@{ref}{locator}{suffix}"


def cite_pandoc(items: Mapping[str, dict[str, Any]], clusters: Sequence[Cluster],
                uncited: Sequence[str], style: Path, options: list[str]) -> Cited:
    """The same from pandoc's citeproc: one run over a document holding every citation in
    order, each in a paragraph of its own that names it (HTML out, links to entries)."""
    from .engines import pandoc

    ids = _ids(items, clusters, uncited)
    keys = {v: k for k, v in ids.items()}
    nocite = ", ".join(f"@{ids[k]}" for k in uncited if k in ids)
    lines = [f"---\nnocite: '{nocite}'\n---"] if nocite else []
    for n, cluster in enumerate(clusters):
        known = [i for i in cluster.items if i.key in ids]
        if cluster.textual:
            lines.extend(f"MASCITE{n}x{j}: {_pandoc_item(i, ids[i.key])}"
                         for j, i in enumerate(known))
        elif known:
            lines.append(f"MASCITE{n}x0: [{'; '.join(_pandoc_item(i, ids[i.key]) for i in known)}]")
    payload = [dict(items[key], id=ids[key]) for key in ids]
    page = pandoc.citeproc(payload, style, "\n\n".join(lines), "html",
                           ["--metadata=link-citations:true", *options],
                           failure="rendering citations failed")
    parts: list[list[str]] = [[] for _ in clusters]
    for match in re.finditer(r"<p>MASCITE(\d+)x\d+:\s*(.*?)</p>", page, flags=re.S):
        parts[int(match.group(1))].append(pandoc.unprotect(match.group(2).strip(), "html"))
    out = [_relink(", ".join(p), keys) for p in parts]
    entries = [(keys.get(i, i), _relink(pandoc.unprotect(e, "html"), keys))
               for i, e in pandoc.html_entries(page)]
    return Cited(out, entries)

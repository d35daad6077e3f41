"""Crossref work records → :class:`~mascite.model.Reference` and :class:`Record`. Pure functions.

Crossref's metadata is untrusted text: JATS/HTML markup in titles and abstracts becomes clean text
(kept as CSL's own ``<i>``/``<b>``/``<sub>``/``<sup>`` only), entities are decoded, nothing else
passes through.
"""

from __future__ import annotations

import html
import re
from typing import Any, Literal

from pydantic import BaseModel, Field

from ..model import Reference

__all__ = ["Record", "Update", "clean_markup", "record_from_csl", "record_from_work"]

TYPE_TO_CSL = {
    "journal-article": "article-journal", "book-chapter": "chapter", "book-section": "chapter",
    "book-part": "chapter", "book-track": "chapter", "proceedings-article": "paper-conference",
    "book": "book", "monograph": "book", "edited-book": "book", "reference-book": "book",
    "book-set": "book", "book-series": "book", "reference-entry": "entry-encyclopedia",
    "posted-content": "article", "dissertation": "thesis", "report": "report",
    "report-component": "report", "report-series": "report", "standard": "standard",
    "dataset": "dataset", "database": "dataset", "component": "document",
    "peer-review": "review", "journal-issue": "periodical", "journal": "periodical",
    "journal-volume": "periodical", "proceedings": "book", "proceedings-series": "book",
    "grant": "document", "other": "document",
}
_KEEP_TAGS = {"i": "i", "italic": "i", "em": "i", "b": "b", "bold": "b", "strong": "b",
              "sub": "sub", "sup": "sup"}


def clean_markup(text: str | None) -> str:
    """Title or abstract text from Crossref: JATS/MathML/HTML tags dropped (italics, bold, sub- and
    superscripts kept as CSL markup), entities decoded, white space folded."""
    if not text:
        return ""

    def tag(match: re.Match[str]) -> str:
        closing, name = match.group(1), match.group(2).lower().split(":")[-1]
        kept = _KEEP_TAGS.get(name)
        return f"<{closing}{kept}>" if kept else (" " if name in ("p", "title", "sec", "br",
                                                                   "subtitle") else "")

    # Entities first, so an escaped tag ("&lt;subtitle&gt;", common in Crossref) is a tag too.
    text = html.unescape(html.unescape(text))
    text = re.sub(r"<(/?)([A-Za-z][\w:.-]*)(?:\s[^<>]*)?/?>", tag, text)
    text = re.sub(r"<(\w+)>\s*</\1>", "", text)
    return " ".join(text.split())


class Update(BaseModel):
    """A notice about a work: retraction, correction, expression of concern..."""

    type: str
    doi: str | None = None
    label: str | None = None
    source: str | None = None
    date: str | None = None
    direction: Literal["updated-by", "update-to"] = "updated-by"


class Record(BaseModel):
    """What a registration agency says about a DOI: the reference, and what verification needs."""

    doi: str
    reference: Reference
    agency: str = "crossref"
    published_print: int | None = None
    published_online: int | None = None
    issns: list[str] = Field(default_factory=list)
    updates: list[Update] = Field(default_factory=list)
    relations: dict[str, list[str]] = Field(default_factory=dict)
    score: float | None = None

    @property
    def years(self) -> set[int]:
        """Every year the work may be cited with: issued, print, online."""
        found = {y for y in (self.reference.year, self.published_print, self.published_online) if y}
        return found

    @property
    def retracted(self) -> bool:
        """Whether a retraction notice updates this work."""
        return any(u.direction == "updated-by" and "retract" in u.type for u in self.updates)


def _date(value: Any) -> dict[str, Any] | None:
    if not isinstance(value, dict):
        return None
    parts = value.get("date-parts")
    if not isinstance(parts, list) or not parts or not isinstance(parts[0], list) or \
            not parts[0] or not isinstance(parts[0][0], int):
        return None
    return {"date-parts": [[p for p in parts[0] if isinstance(p, int)]]}


def _mapping(value: Any) -> dict[str, Any]:
    """A JSON object, or an empty one when the record has something else there."""
    return value if isinstance(value, dict) else {}


def _year(value: Any) -> int | None:
    date = _date(value)
    return date["date-parts"][0][0] if date else None


def _first(value: Any) -> str | None:
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str) and v.strip()), None)
    return value if isinstance(value, str) and value.strip() else None


def _names(people: Any) -> list[dict[str, Any]]:
    names = []
    for person in people if isinstance(people, list) else []:
        if not isinstance(person, dict):
            continue
        if person.get("family"):
            name = {"family": clean_markup(person["family"])}
            if person.get("given"):
                name["given"] = clean_markup(person["given"])
            if person.get("suffix"):
                name["suffix"] = clean_markup(person["suffix"])
            names.append(name)
        elif person.get("name") or person.get("given"):
            names.append({"literal": clean_markup(person.get("name") or person.get("given"))})
    return names


def _updates(work: dict[str, Any]) -> list[Update]:
    updates = []
    for direction in ("updated-by", "update-to"):
        for item in work.get(direction) or []:
            if not isinstance(item, dict) or not item.get("type"):
                continue
            updated = _date(item.get("updated"))
            date = "-".join(f"{p:02d}" if i else str(p) for i, p in enumerate(
                updated["date-parts"][0])) if updated else None
            updates.append(Update(
                type=str(item["type"]).replace("_", "-"), doi=item.get("DOI"),
                label=item.get("label"), source=item.get("source"), date=date,
                direction=direction))
    return updates


def record_from_work(work: dict[str, Any]) -> Record:
    """Map one Crossref work (the ``message`` of ``/works/{doi}``, or a list item)."""
    kind = work.get("type")
    item: dict[str, Any] = {"type": TYPE_TO_CSL.get(kind or "", "document")}
    if kind == "posted-content" and work.get("subtype") == "preprint":
        item["genre"] = "preprint"
    for variable, source in (("author", "author"), ("editor", "editor"),
                             ("translator", "translator"), ("chair", "chair")):
        names = _names(work.get(source))
        if names:
            item[variable] = names
    title = clean_markup(_first(work.get("title")))
    if title:
        item["title"] = title
    for variable, source in (("subtitle", "subtitle"), ("container-title", "container-title"),
                             ("container-title-short", "short-container-title"),
                             ("original-title", "original-title"), ("title-short", "short-title"),
                             ("collection-title", "group-title")):
        value = clean_markup(_first(work.get(source)))
        if value:
            item[variable] = value
    for variable in ("volume", "issue", "page", "publisher", "language", "URL"):
        text = work.get(variable)
        if isinstance(text, str) and text.strip():
            item[variable] = clean_markup(text) if variable != "URL" else text.strip()
    if work.get("article-number"):
        item["article-number"] = str(work["article-number"])
    if work.get("publisher-location"):
        item["publisher-place"] = clean_markup(work["publisher-location"])
    if work.get("edition-number"):
        item["edition"] = str(work["edition-number"])
    if work.get("DOI"):
        item["DOI"] = str(work["DOI"])
    issns = [i for i in work.get("ISSN") or [] if isinstance(i, str)]
    if issns:
        item["ISSN"] = issns[0]
    isbns = [i for i in work.get("ISBN") or [] if isinstance(i, str)]
    if isbns:
        item["ISBN"] = isbns[0]
    if work.get("abstract"):
        item["abstract"] = clean_markup(work["abstract"])
    issued = _date(work.get("issued"))
    if issued:
        item["issued"] = issued
    else:
        date = _date(work.get("published-print")) or _date(work.get("published-online")) or \
            _date(work.get("created"))
        if date:
            item["issued"] = date
    relation = work.get("relation")
    relations = {
        str(kind): [str(r.get("id")) for r in related if isinstance(r, dict) and r.get("id")]
        for kind, related in (relation.items() if isinstance(relation, dict) else ())
        if isinstance(related, list)
    }
    return Record(
        doi=str(work.get("DOI", "")).lower(), reference=Reference.from_csl(item),
        published_print=_year(work.get("published-print")) or _year(_mapping(
            work.get("journal-issue")).get("published-print")),
        published_online=_year(work.get("published-online")), issns=issns,
        updates=_updates(work), relations={k: v for k, v in relations.items() if v},
        score=work.get("score") if isinstance(work.get("score"), int | float) else None)


def record_from_csl(item: dict[str, Any], agency: str) -> Record:
    """A record from content negotiation (CSL-JSON from DataCite, mEDRA, ...)."""
    cleaned = {k: v for k, v in item.items() if k not in ("id",)}
    for key in ("title", "container-title"):
        if isinstance(cleaned.get(key), list):
            cleaned[key] = _first(cleaned[key])
        if isinstance(cleaned.get(key), str):
            cleaned[key] = clean_markup(cleaned[key])
    reference = Reference.from_csl(cleaned)
    return Record(doi=str(item.get("DOI", "")).lower(), reference=reference, agency=agency)

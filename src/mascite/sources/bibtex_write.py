"""Writing BibTeX: readable keys where there are none, LaTeX specials escaped so the output always
compiles, case protection and markup written back as braces and commands."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..latex import unicode_to_latex
from ..model import Date, Name, Reference
from .base import Bibliography, make_key
from .bibtex import (
    _BOOKTITLE_CSL,
    _ISSUE_TYPES,
    _MASTERS,
    _NAME_FIELDS,
    _PUBLISHER_LIKE,
    CSL_TO_TYPE,
    MONTHS,
    _decode,
    read_bibtex,
)

__all__ = ["BibTeXFormat", "write_bibtex"]


def _format_name(name: Name) -> str:
    if name.literal and not name.family:
        return "{" + unicode_to_latex(name.literal) + "}"
    family = _name_part(name.family or "", always=" " in (name.family or ""))
    if name.non_dropping_particle:
        family = _name_part(name.non_dropping_particle) + " " + family
    given = " ".join(p for p in (name.given, name.dropping_particle) if p)
    parts = [family]
    if name.suffix:
        parts.append(_name_part(name.suffix))
    if given or name.suffix:
        parts.append(_name_part(given))
    return ", ".join(parts)


def _name_part(text: str, always: bool = False) -> str:
    """Encode one part of a name, braced where a comma or "and" would split it."""
    encoded = unicode_to_latex(text)
    if always or "," in text or re.search(r"(^|\s)and(\s|$)", text, re.I) or text != text.strip():
        return "{" + encoded + "}"
    return encoded


def _verbatim(value: str) -> str:
    """DOIs and URLs: escape what LaTeX would eat; braces (which BibTeX counts even when
    escaped) are percent-encoded, which every DOI and URL consumer reads back."""
    value = value.replace("{", "%7B").replace("}", "%7D")
    return re.sub(r"([%#&])", r"\\\1", value)


def write_bibtex(references: Iterable[Reference]) -> str:
    """BibTeX text: existing keys kept, readable keys made where there are none, LaTeX escaped."""
    refs = list(references)
    taken = {str(r.id) for r in refs if r.id not in (None, "")}
    chunks = []
    for ref in refs:
        key = str(ref.id) if ref.id not in (None, "") else make_key(ref, taken)
        key = re.sub(r"[\s,{}\"#%'()=\\]", "", key) or make_key(ref, taken)
        chunks.append(_entry_text(ref, key))
    return "\n".join(chunks)


_WRITE_ORDER: tuple[tuple[str, str, str], ...] = (
    ("title", "title", "title"), ("subtitle", "subtitle", "title"),
    ("shorttitle", "title-short", "title"), ("origtitle", "original-title", "title"),
    ("translatedtitle", "translated-title", "title"), ("", "container-title", ""),
    ("shortjournal", "container-title-short", "text"), ("series", "collection-title", "title"),
    ("eventtitle", "event-title", "title"), ("volume", "volume", "text"), ("", "issue", "text"),
    ("number", "number", "text"), ("pages", "page", "page"), ("eid", "article-number", "text"),
    ("chapter", "chapter-number", "text"), ("edition", "edition", "text"),
    ("publisher", "publisher", "text"), ("address", "publisher-place", "text"),
    ("pagetotal", "number-of-pages", "text"), ("type", "genre", "text"),
    ("doi", "DOI", "verbatim"), ("issn", "ISSN", "verbatim"), ("isbn", "ISBN", "verbatim"),
    ("pmid", "PMID", "verbatim"), ("pmcid", "PMCID", "verbatim"), ("url", "URL", "verbatim"),
    ("language", "language", "text"), ("note", "note", "text"),
    ("abstract", "abstract", "text"), ("keywords", "keyword", "text"),
)


def _entry_text(ref: Reference, key: str) -> str:
    csl = ref.to_csl()
    entry_type = CSL_TO_TYPE.get(ref.type or "", "misc")
    if ref.type == "thesis" and ref.genre == _MASTERS:
        entry_type = "mastersthesis"
    custom = dict((csl.get("custom") or {}).get("bibtex") or {})
    fields: list[tuple[str, str]] = []
    for field, variable in _NAME_FIELDS.items():
        names = ref.names(variable)
        if names:
            value = " and ".join(_format_name(n) for n in names)
            if field == "author" and ref.truncated_authors:
                value += " and others"
            fields.append((field, value))
    for field, variable, how in _WRITE_ORDER:
        if variable not in csl:
            continue
        if variable == "container-title":
            booktitle = ref.type in _BOOKTITLE_CSL
            field, how = ("booktitle", "title") if booktitle else ("journal", "text")
        elif variable == "issue":
            field = "number" if entry_type in _ISSUE_TYPES else "issue"
        elif variable == "publisher" and any(
            _decode(custom.get(name, ""), "text") == csl["publisher"] for name in _PUBLISHER_LIKE
        ):
            continue  # it came from institution/school/organization, written back below
        elif field == "type" and entry_type == "mastersthesis" and ref.genre == _MASTERS:
            continue
        fields.append((field, _encode(str(csl[variable]), how)))
        if variable == "title":
            fields.extend(_date_fields(ref))
    if "title" not in csl:
        fields.extend(_date_fields(ref))
    fields.extend((name, str(value)) for name, value in custom.items())
    body = "".join(f"  {name} = {value},\n" if name == "month" and value in MONTHS
                   else f"  {name} = {{{value}}},\n" for name, value in fields)
    return f"@{entry_type}{{{key},\n{body}}}\n"


def _encode(value: str, how: str) -> str:
    if how == "verbatim":
        return _verbatim(value)
    if how == "page":
        value = re.sub(r"(?<=\w)-(?=\w)", "–", value)
    return unicode_to_latex(value)


def _date_fields(ref: Reference) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    issued = ref.issued
    if issued is not None:
        parts = issued.date_parts or []
        if len(parts) == 1 and parts[0] and isinstance(parts[0][0], int) and not issued.circa:
            out.append(("year", str(parts[0][0])))
            if len(parts[0]) > 1 and isinstance(parts[0][1], int) and 1 <= parts[0][1] <= 12:
                out.append(("month", MONTHS[parts[0][1] - 1]))
            if len(parts[0]) > 2:
                out.append(("day", str(parts[0][2])))
        elif parts:
            out.append(("date", _iso(issued)))
        elif issued.raw or issued.literal:
            out.append(("year", unicode_to_latex(issued.raw or issued.literal or "")))
    if ref.accessed is not None and ref.accessed.date_parts:
        out.append(("urldate", _iso(ref.accessed)))
    return out


def _iso(date: Date) -> str:
    pieces = ["-".join(f"{p:02d}" if i else str(p) for i, p in enumerate(part)
                       if isinstance(p, int)) for part in date.date_parts or []]
    return "/".join(pieces) + ("~" if date.circa else "")


class BibTeXFormat:
    name: str = "bibtex"
    suffixes: tuple[str, ...] = (".bib", ".bibtex", ".biblatex")

    def read(self, text: str, path: str | None = None) -> Bibliography:
        return read_bibtex(text, path)

    def write(self, references: Iterable[Reference]) -> str:
        return write_bibtex(references)

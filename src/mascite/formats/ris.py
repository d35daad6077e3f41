"""RIS (``TY  - JOUR`` ... ``ER  -``): repeated tags, wrapped values, a missing final ``ER``."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from ..identifiers import isbn_problem
from ..model import Name, ParseFailure, Reference
from ..text.latex import without_markup
from ..text.printable import strip_controls
from .base import Bibliography, BibliographyFormat, ParsedReference

__all__ = ["RIS", "read_ris", "write_ris"]

TYPE_TO_CSL = {
    "JOUR": "article-journal", "EJOUR": "article-journal", "ABST": "article-journal",
    "JFULL": "article-journal", "BOOK": "book", "EBOOK": "book", "EDBOOK": "book",
    "CHAP": "chapter", "ECHAP": "chapter", "CONF": "paper-conference",
    "CPAPER": "paper-conference", "THES": "thesis", "RPRT": "report", "ELEC": "webpage",
    "WEB": "webpage", "BLOG": "post-weblog", "GEN": "document", "DATA": "dataset",
    "COMP": "software", "PAT": "patent", "MGZN": "article-magazine", "NEWS": "article-newspaper",
    "UNPB": "manuscript", "MANSCPT": "manuscript", "STAND": "standard", "PAMP": "pamphlet",
    "ENCYC": "entry-encyclopedia", "DICT": "entry-dictionary", "CASE": "legal_case",
    "STAT": "legislation", "BILL": "bill", "MAP": "map", "VIDEO": "motion_picture",
}
CSL_TO_TYPE = {csl: ris for ris, csl in reversed(TYPE_TO_CSL.items())}
CSL_TO_TYPE["article"] = "JOUR"

_TAG_LINE = re.compile(r"^([A-Z][A-Z0-9])  -(?: (.*))?$")
_NAME_TAGS = {"AU": "author", "A1": "author", "A2": "editor", "ED": "editor",
              "A3": "collection-editor", "A4": "translator"}
_TEXT_TAGS = {
    "TI": "title", "T1": "title", "CT": "title", "BT": "container-title",
    "T2": "container-title", "JO": "container-title", "JF": "container-title",
    "JA": "container-title-short", "J2": "container-title-short", "T3": "collection-title",
    "ST": "title-short", "OP": "original-title", "TT": "translated-title",
    "VL": "volume", "IS": "issue", "C7": "article-number", "ET": "edition",
    "PB": "publisher", "CY": "publisher-place", "DO": "DOI", "UR": "URL", "LA": "language",
    "N1": "note", "AB": "abstract", "N2": "abstract", "M3": "genre", "ID": "id",
}


def read_ris(text: str, path: str | None = None) -> Bibliography:
    """Read RIS: one reference per record, a failure for text outside any record."""
    result = Bibliography(path=path, format="ris")
    record: list[tuple[str, str, int]] | None = None
    start = 0
    last_tag: str | None = None
    for number, raw_line in enumerate(text.splitlines(), start=1):
        line = raw_line.lstrip("\ufeff").rstrip()
        match = _TAG_LINE.match(line) or _TAG_LINE.match(line + " ")
        if match is None:
            if record is not None and line.strip() and last_tag is not None:
                tag, value, at = record[-1]
                record[-1] = (tag, f"{value} {line.strip()}".strip(), at)  # a wrapped value
            elif line.strip() and not re.fullmatch(r"\d{1,6}\.?", line.strip()):
                # (a record number between records, as some exports write, is not an error)
                result.failures.append(ParseFailure(
                    path=path, line=number, raw=line[:200],
                    message="text outside a record (expected 'TY  - TYPE' to start one)"))
            continue
        tag, value = match.group(1), (match.group(2) or "").strip()
        if tag == "TY":
            if record is not None:
                _close(result, record, start, path, text)
            record, start, last_tag = [(tag, value, number)], number, tag
        elif record is None:
            result.failures.append(ParseFailure(
                path=path, line=number, raw=line[:200],
                message=f"tag {tag} before any 'TY  -' line; skipped"))
        elif tag == "ER":
            _close(result, record, start, path, text)
            record, last_tag = None, None
        else:
            record.append((tag, value, number))
            last_tag = tag
    if record is not None:  # no final ER: the record still counts
        _close(result, record, start, path, text)
    return result


def _close(result: Bibliography, record: list[tuple[str, str, int]], start: int,
           path: str | None, text: str) -> None:
    end = record[-1][2]
    raw = "\n".join(text.splitlines()[start - 1:end])
    try:
        result.entries.append(ParsedReference(_to_reference(record), start, raw))
    except Exception as exc:  # noqa: BLE001 - one odd record must not sink the file
        result.failures.append(ParseFailure(path=path, line=start, kind="value", raw=raw[:500],
                                            message=f"record could not be read: {exc}"))


def _name(value: str) -> dict[str, Any]:
    parts = [p.strip() for p in value.split(",")]
    if len(parts) == 1:
        return {"literal": parts[0]}
    name: dict[str, Any] = {"family": parts[0]}
    if parts[1]:
        name["given"] = parts[1]
    if len(parts) > 2 and parts[2]:
        name["suffix"] = parts[2]
    return name


def _date(value: str) -> dict[str, Any] | None:
    pieces = [p for p in value.split("/")]
    if not pieces or not re.fullmatch(r"\d{4}", pieces[0].strip()):
        return {"raw": value} if value else None
    parts = [int(pieces[0])]
    for piece in pieces[1:3]:
        if not piece.strip().isdigit():
            break
        parts.append(int(piece))
    return {"date-parts": [parts]}


def _to_reference(record: list[tuple[str, str, int]]) -> Reference:
    item: dict[str, Any] = {"type": TYPE_TO_CSL.get(record[0][1].upper(), "document")}
    custom: dict[str, list[str]] = {}
    keywords: list[str] = []
    start_page = end_page = None
    for tag, value, _ in record[1:]:
        if not value:
            continue
        if tag in _NAME_TAGS:
            item.setdefault(_NAME_TAGS[tag], []).append(_name(value))
        elif tag in ("PY", "Y1", "DA") and "issued" not in item:
            item["issued"] = _date(value)
        elif tag == "Y2":
            item["accessed"] = _date(value)
        elif tag == "SP":
            start_page = value
        elif tag == "EP":
            end_page = value
        elif tag == "SN":
            item["ISBN" if isbn_problem(value) is None else "ISSN"] = value
        elif tag == "KW":
            keywords.append(value)
        elif tag in _TEXT_TAGS and _TEXT_TAGS[tag] not in item:
            item[_TEXT_TAGS[tag]] = value
        else:
            custom.setdefault(tag, []).append(value)
    if start_page:
        item["page"] = f"{start_page}-{end_page}" if end_page else start_page
    if keywords:
        item["keyword"] = ", ".join(keywords)
    if custom:
        item["custom"] = {"ris": custom}
    return Reference.from_csl({k: v for k, v in item.items() if v is not None})


def write_ris(references: Iterable[Reference]) -> str:
    """The references as RIS records."""
    out: list[str] = []
    reverse_text: dict[str, str] = {}
    for tag, variable in _TEXT_TAGS.items():
        reverse_text.setdefault(variable, tag)
    reverse_text.update({"container-title": "T2", "container-title-short": "J2",
                         "abstract": "AB"})
    for ref in references:
        csl = ref.to_csl()
        lines = [("TY", CSL_TO_TYPE.get(ref.type or "", "GEN"))]
        if ref.id not in (None, ""):
            lines.append(("ID", str(ref.id)))
        for tag, variable in (("AU", "author"), ("ED", "editor"), ("A3", "collection-editor"),
                              ("A4", "translator")):
            lines.extend((tag, _format_name(n)) for n in ref.names(variable))
        for variable, tag in reverse_text.items():
            if variable != "id" and variable in csl:  # RIS is plain text: no CSL markup
                lines.append((tag, " ".join(without_markup(str(csl[variable])).split())))
        if ref.page:
            first, _, last = ref.page.partition("-")
            lines.append(("SP", first.strip()))
            if last.strip():
                lines.append(("EP", last.strip()))
        for tag, date in (("PY", ref.issued), ("Y2", ref.accessed)):
            if date is not None and (date.date_parts or date.raw):
                lines.append((tag, _format_date(date.date_parts, date.raw)))
        for tag, value in (("SN", ref.issn), ("SN", ref.isbn)):
            if value:
                lines.append((tag, value))
        if ref.keyword:
            lines.extend(("KW", k.strip()) for k in ref.keyword.split(", "))
        for tag, values in ((csl.get("custom") or {}).get("ris") or {}).items():
            lines.extend((tag, v) for v in values)
        lines.append(("ER", ""))
        out.append("\n".join(f"{tag}  - {_one_line(value)}".rstrip() for tag, value in lines))
    return strip_controls("\n\n".join(out) + ("\n" if out else ""))


def _one_line(value: str) -> str:
    """A RIS value is one line: a line break inside one would start a bogus tag."""
    return " ".join(value.split()) if any(c in value for c in "\n\r\x0b\x0c\x1c\x1d\x1e"
                                                                  "\x85\u2028\u2029") else value


def _format_name(name: Name) -> str:
    if name.literal and not name.family:
        return name.literal.replace(",", " ")
    family = " ".join(p for p in (name.non_dropping_particle, name.family) if p)
    given = " ".join(p for p in (name.given, name.dropping_particle) if p)
    return ", ".join([family, given, *([name.suffix] if name.suffix else [])])


def _format_date(parts: list[list[int | str]] | None, raw: str | None) -> str:
    if not parts or not parts[0]:
        return raw or ""
    first = [str(p) if i == 0 else f"{int(p):02d}" for i, p in enumerate(parts[0])]
    return "/".join(first)


RIS = BibliographyFormat("ris", (".ris",), read_ris, write_ris)

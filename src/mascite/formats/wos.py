"""Web of Science's tagged export ("savedrecs.txt": ``FN``/``VR`` header, two-letter tags and a
space, continuation lines indented, ``ER`` after each record and ``EF`` at the end), read as
Web of Science and the reference managers that import it read it."""

from __future__ import annotations

import re
from typing import Any

from ..model import ParseFailure, Reference
from .base import Bibliography, BibliographyFormat, ParsedReference

__all__ = ["WOS", "looks_like_wos", "read_wos"]

_LINE = re.compile(r"^(?P<tag>[A-Z][A-Z0-9]) (?P<value>.*)$|^(?P<end>ER|EF)\s*$")
_TYPES = {"J": "article-journal", "B": "book", "S": "chapter", "P": "patent"}
_TEXT = {"TI": "title", "SO": "container-title", "JI": "container-title-short",
         "SE": "collection-title", "VL": "volume", "IS": "issue", "AR": "article-number",
         "DI": "DOI", "PU": "publisher", "PI": "publisher-place", "LA": "language",
         "AB": "abstract", "BN": "ISBN", "SN": "ISSN", "PM": "PMID", "UT": "id"}
_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")


def looks_like_wos(text: str) -> bool:
    """A Web of Science export: its first line is the ``FN`` header."""
    return bool(re.match(r"\A\ufeff?FN (?:Thomson Reuters|Clarivate|ISI)", text))


def read_wos(text: str, path: str | None = None) -> Bibliography:
    """Every ``PT`` ... ``ER`` record; a line outside them other than the header is a failure."""
    result = Bibliography(path=path, format="wos")
    record: dict[str, list[str]] | None = None
    tag = ""
    start = 0
    lines = text.splitlines()
    for number, raw in enumerate(lines, start=1):
        line = raw.lstrip("\ufeff").rstrip()
        if not line:
            continue
        match = _LINE.match(line)
        if raw.startswith("   ") and record is not None and tag:
            record[tag].append(line.strip())  # a continuation: another author, or wrapped text
        elif match and match.group("end"):
            if record is not None and match.group("end") == "ER":
                _close(result, record, start, "\n".join(lines[start - 1:number]), path)
            record, tag = None, ""
        elif match and match.group("tag") == "PT":
            record, tag, start = {"PT": [match.group("value").strip()]}, "PT", number
        elif match and record is not None:
            tag = match.group("tag")
            record.setdefault(tag, []).append(match.group("value").strip())
        elif match and match.group("tag") in ("FN", "VR"):
            continue
        else:
            result.failures.append(ParseFailure(
                path=path, line=number, raw=line[:200],
                message="text outside a Web of Science record (expected 'PT J' to start one)"))
    if record is not None:
        _close(result, record, start, "\n".join(lines[start - 1:]), path)
    return result


def _name(value: str) -> dict[str, Any]:
    family, _, given = value.partition(",")
    return {"family": family.strip(), "given": given.strip()} if given.strip() else \
        {"literal": family.strip()}


def _close(result: Bibliography, record: dict[str, list[str]], start: int, raw: str,
           path: str | None) -> None:
    item: dict[str, Any] = {"type": _TYPES.get(record["PT"][0][:1], "document")}
    names = record.get("AF") or record.get("AU")
    if names:
        item["author"] = [_name(n) for n in names]
    if record.get("BE"):
        item["editor"] = [_name(n) for n in record["BE"]]
    for tag, variable in _TEXT.items():
        if record.get(tag):
            item[variable] = " ".join(record[tag]) if tag in ("TI", "SO", "AB", "SE") \
                else record[tag][0]
    if record.get("CA") and "author" not in item:
        item["author"] = [{"literal": record["CA"][0]}]
    year = (record.get("PY") or [""])[0]
    if year.isdigit():
        parts = [int(year)]
        month = (record.get("PD") or [""])[0].upper()[:3]
        if month in _MONTHS:
            parts.append(_MONTHS.index(month) + 1)
        item["issued"] = {"date-parts": [parts]}
    first, last = (record.get("BP") or [""])[0], (record.get("EP") or [""])[0]
    if first:
        item["page"] = f"{first}-{last}" if last and last != first else first
    try:
        result.entries.append(ParsedReference(Reference.from_csl(item), start, raw))
    except Exception as exc:  # noqa: BLE001 - one odd record must not sink the file
        result.failures.append(ParseFailure(path=path, line=start, kind="value", raw=raw[:500],
                                            message=f"record could not be read: {exc}"))


WOS = BibliographyFormat("wos", (".wos",), read_wos)  # read only

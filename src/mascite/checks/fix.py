"""Corrections to a BibTeX file from verification findings, as edits of the file's own text.

Only the value of a corrected field changes (or a missing ``doi`` line is added): keys, comments,
field order and the formatting of untouched entries stay exactly as they were.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from ..formats.bibtex import encode_value
from ..formats.bibtex_names import balanced
from ..formats.bibtex_spans import entry_spans
from ..identifiers import doi_problem
from ..model import Finding, Report, Severity

__all__ = ["FIELDS", "Applied", "Correction", "apply_corrections", "corrections", "diff"]

# CSL variable (as findings name it) → (name for --only, BibTeX field)
FIELDS = {"DOI": ("doi", "doi"), "page": ("pages", "pages"), "volume": ("volume", "volume"),
          "issue": ("issue", "number"), "issued": ("year", "year"),
          "container-title": ("journal", "journal"), "title": ("title", "title")}


@dataclass(frozen=True)
class Correction:
    """One value to change in one entry: the BibTeX field, its new value, and why."""

    key: str
    field: str  # BibTeX field
    value: str  # new value, as Unicode text
    reason: str


def corrections(report: Report, only: set[str] | None = None) -> list[Correction]:
    """What the record says where the bibliography disagrees (errors and warnings only)."""
    out: dict[tuple[str, str], Correction] = {}
    for finding in report.findings:
        fix = _correction(finding)
        if fix is None or (only and FIELDS_BY_BIBTEX.get(fix.field) not in only):
            continue
        out.setdefault((fix.key, fix.field), fix)
    return list(out.values())


FIELDS_BY_BIBTEX = {bibtex: name for name, bibtex in FIELDS.values()}


def _correction(finding: Finding) -> Correction | None:
    # Notes are offered where the record is plainly right: a missing DOI, another last page
    # (not a year one off, which may be the other of print and online).
    plainly = finding.code == "missing-doi" or (finding.code == "field-mismatch"
                                                and finding.field == "page")
    if finding.ref is None or (finding.severity == Severity.INFO and not plainly):
        return None
    if finding.code == "missing-doi" and finding.expected:
        return Correction(finding.ref, "doi", finding.expected, finding.message)
    if finding.code == "doi-mismatch" and finding.expected and finding.expected.startswith("10."):
        return Correction(finding.ref, "doi", finding.expected, finding.message)
    if finding.code != "field-mismatch" or finding.field not in FIELDS or not finding.suggestion:
        return None
    return Correction(finding.ref, FIELDS[finding.field][1], finding.suggestion, finding.message)


# BibTeX field → how its value is written (see :func:`mascite.formats.bibtex.encode_value`)
_HOW = {"doi": "verbatim", "pages": "page", "title": "title"}


@dataclass(frozen=True)
class Applied:
    """The corrected text, and the corrections that could not be made, each with why."""

    text: str
    refused: list[tuple[Correction, str]]


def _safe(fix: Correction) -> str | None:
    """Why a value from a record must not be written, or ``None``: a DOI must be a DOI, and no
    value may carry braces that do not pair up or characters that are not text."""
    if fix.field == "doi" and (doi_problem(fix.value) or re.search(r"[{}\"\s,]", fix.value)):
        return f"the record's DOI {fix.value!r} is not a DOI that can be written safely"
    if any(ord(c) < 32 for c in fix.value):
        return "the record's value holds control characters"
    if not balanced(fix.value):
        return "the record's value has braces that do not pair up"
    return None


def apply_corrections(text: str, fixes: list[Correction]) -> Applied:
    """The file's text with each correction applied in place, in the entry BibTeX reads under
    that key: only the value changes (or a field line is added); every other character is as
    it was."""
    edits: list[tuple[int, int, str]] = []
    refused: list[tuple[Correction, str]] = []
    spans = entry_spans(text)
    for fix in fixes:
        entry = spans.get(fix.key)
        problem = _safe(fix) or (None if entry else f"no entry {fix.key!r} in the file")
        if problem is None and entry is not None and entry.stop is not None:
            problem = (f"BibTeX stops reading entry {fix.key!r} after its {entry.after} value "
                       "(see the warning): mend its braces first")
        if problem is not None or entry is None:
            refused.append((fix, problem or "no such entry"))
            continue
        encoded = "{" + encode_value(fix.value, _HOW.get(fix.field, "text")) + "}"
        value = entry.fields.get(fix.field)
        if value is not None:
            edits.append((value[0], value[1], encoded))
            continue
        body = text[entry.start:entry.close].rstrip()
        indent = re.search(r"\n([ \t]+)\w+\s*=", text[entry.start:entry.close])
        addition = f"{'' if body.endswith(',') else ','}\n{indent.group(1) if indent else '  '}" \
                   f"{fix.field} = {encoded},\n"
        at = entry.start + len(body)
        edits.append((at, entry.close, addition))
    for start, end, replacement in sorted(edits, reverse=True):
        text = text[:start] + replacement + text[end:]
    return Applied(text, refused)


def diff(path: str, before: str, after: str) -> str:
    """A unified diff of the file before and after the corrections."""
    return "".join(difflib.unified_diff(before.splitlines(keepends=True),
                                        after.splitlines(keepends=True),
                                        fromfile=f"{path}", tofile=f"{path} (corrected)"))

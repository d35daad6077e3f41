"""Corrections to a BibTeX file from verification findings, as edits of the file's own text.

Only the value of a corrected field changes (or a missing ``doi`` line is added): keys, comments,
field order and the formatting of untouched entries stay exactly as they were.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from ..model import Finding, Report, Severity
from ..text.latex import unicode_to_latex

__all__ = ["FIELDS", "Correction", "apply_corrections", "corrections", "diff"]

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
    value = finding.suggestion
    if finding.field == "page":
        value = value.replace("-", "--")
    return Correction(finding.ref, FIELDS[finding.field][1], value, finding.message)


def _entry_span(text: str, key: str) -> tuple[int, int] | None:
    """Where the entry with ``key`` starts and ends (its closing brace) in the file."""
    match = re.search(r"@\w+\s*[{(]\s*" + re.escape(key) + r"\s*,", text)
    if match is None:
        return None
    depth, index = 0, text.index("{" if "{" in text[match.start():match.end()] else "(",
                                 match.start())
    for position in range(index, len(text)):
        char = text[position]
        if char == "\\":
            continue
        if char in "{(":
            depth += 1
        elif char in "})":
            depth -= 1
            if depth == 0:
                return match.start(), position
    return None


def _value_span(entry: str, field: str) -> tuple[int, int] | None:
    """The value of ``field`` inside an entry, braces or quotes included."""
    match = re.search(r"(?im)^\s*" + re.escape(field) + r"\s*=\s*", entry)
    if match is None:
        return None
    start = match.end()
    if start >= len(entry):
        return None
    if entry[start] == "{":
        depth = 0
        for position in range(start, len(entry)):
            depth += {"{": 1, "}": -1}.get(entry[position], 0)
            if depth == 0:
                return start, position + 1
        return None
    if entry[start] == '"':
        end = entry.find('"', start + 1)
        return (start, end + 1) if end > 0 else None
    bare = re.match(r"[\w.:/-]+", entry[start:])
    return (start, start + bare.end()) if bare else None


def apply_corrections(text: str, fixes: list[Correction]) -> str:
    """The file's text with each correction applied in place."""
    for fix in fixes:
        span = _entry_span(text, fix.key)
        if span is None:
            continue
        entry = text[span[0]:span[1]]
        encoded = fix.value if fix.field in ("doi", "pages") else unicode_to_latex(fix.value)
        value = _value_span(entry, fix.field)
        if value is not None:
            entry = entry[:value[0]] + "{" + encoded + "}" + entry[value[1]:]
        else:
            body = entry.rstrip()
            comma = "" if body.endswith(",") else ","
            indent = re.search(r"\n([ \t]+)\w+\s*=", entry)
            entry = f"{body}{comma}\n{indent.group(1) if indent else '  '}{fix.field} = " \
                    f"{{{encoded}}},\n"
        text = text[:span[0]] + entry + text[span[1]:]
    return text


def diff(path: str, before: str, after: str) -> str:
    """A unified diff of the file before and after the corrections."""
    return "".join(difflib.unified_diff(before.splitlines(keepends=True),
                                        after.splitlines(keepends=True),
                                        fromfile=f"{path}", tofile=f"{path} (corrected)"))

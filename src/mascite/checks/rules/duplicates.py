"""The same work listed twice: the same DOI, the same text once labels and case are gone, or the
same title, year and first author under two keys."""

from __future__ import annotations

import re

from ...model import Finding, ReportReference, Severity
from ...text.fold import plain_text

__all__ = ["duplicate_references"]

_SAME = {"doi": "the same DOI as", "text": "the same text as",
         "work": "the same title, year and first author as"}


def _work_key(item: ReportReference) -> str | None:
    title = re.sub(r"\W+", " ", plain_text(item.csl.title).casefold()).strip()
    first = item.csl.first_author
    family = (first.family or first.literal or "") if first else ""
    year = item.csl.year
    if len(title) < 20 or not family or not year:
        return None
    return f"work:{title}|{year}|{family.casefold()}"


def duplicate_references(references: list[ReportReference]) -> list[Finding]:
    """One finding for each reference that repeats an earlier one, naming the earlier one."""
    found = []
    seen: dict[str, ReportReference] = {}
    for item in references:
        keys = [f"doi:{item.doi}"] if item.doi else []
        folded = re.sub(r"\W+", " ", item.raw.casefold()).strip()
        if len(folded) >= 30:
            keys.append(f"text:{folded}")
        work = _work_key(item)
        if work:
            keys.append(work)
        for key in keys:
            first = seen.setdefault(key, item)
            if first is item:
                continue
            found.append(Finding(
                code="duplicate-reference", severity=Severity.WARNING, path=item.path,
                line=item.line, ref=item.id, found=item.doi or item.raw[:120],
                message=f"{item.name} has {_SAME[key.split(':')[0]]} {first.name} "
                        f"(line {first.line})"))
            break
    return found

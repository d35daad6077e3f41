"""Rules that need no record: identifiers (a malformed DOI, an ISSN or ISBN whose check digit is
wrong), a plausible year, page order, and what a bibliography entry must have."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable

from ...identifiers import doi_problem, is_short_doi, isbn_problem, issn_problem
from ...model import Finding, Reference, ReportReference, Severity
from ...text.fold import plain_text
from .verify import page_range

__all__ = ["doi_findings", "schema_findings"]

_DOI_MENTION = re.compile(r"(?:\bdoi\b\s*[:=]?\s*|doi\.org/)(\S*)", re.I)


def doi_findings(item: ReportReference, stated: str | None) -> list[Finding]:
    """A DOI that is not one: ``stated`` as a bibliography gives it, or (for a reference list's
    entry) whatever follows "doi" in its text when no valid DOI was read."""
    if item.doi:
        return []
    if stated is not None and is_short_doi(stated):
        return [_short(item, stated)]
    if stated is not None:
        return [Finding(code="invalid-doi", severity=Severity.ERROR, path=item.path,
                        line=item.line, ref=item.id, field="DOI", found=stated,
                        message=f"{item.id}: DOI {stated!r}: {doi_problem(stated)}")]
    mention = _DOI_MENTION.search(item.raw)
    if mention is None:
        return []
    written = mention.group(1).rstrip(".,;") or "(nothing)"
    if is_short_doi(written):
        return [_short(item, written)]
    problem = doi_problem(written) or "not a DOI"
    return [Finding(code="invalid-doi", severity=Severity.ERROR, path=item.path, line=item.line,
                    ref=item.id, field="DOI", found=written,
                    message=f"reference [{item.label}]: DOI {written!r}: {problem}")]


def schema_findings(reference: Reference, *, stated: bool,
                    where: Callable[..., Finding] | None = None,
                    this_year: int | None = None) -> list[Finding]:
    """Checks that need no record: identifiers' check digits, a plausible year, page order, and
    (where the entry states its type, as a bibliography does) a title and an article's journal."""
    make = where or (lambda **kw: Finding(**kw))
    found = []
    year_now = this_year or datetime.date.today().year
    for variable, check, kind in (("ISSN", issn_problem, "ISSN"), ("ISBN", isbn_problem, "ISBN")):
        value = reference.get(variable)
        value = re.sub(r"^\s*(?:e-?)?(?:issn|isbn)(?:-1[03])?:?\s*", "", str(value or ""), flags=re.I)
        for part in re.split(r"[,;]\s*|\s+(?=\d{4}-)", value):
            problem = check(part) if part.strip() else None
            if problem:
                found.append(make(code=f"invalid-{kind.lower()}", severity=Severity.ERROR,
                                  field=variable, found=part,
                                  message=f"{kind} {part}: {problem}"))
    year = reference.year
    if year is not None and (year > year_now + 1 or year < 1450):
        found.append(make(code="implausible-year", severity=Severity.ERROR, field="issued",
                          found=str(year), message=f"year {year} is "
                          f"{'in the future' if year > year_now else 'before printing'}"))
    pages = page_range(reference.page)
    if pages and pages[0].isdigit() and pages[1].isdigit() and int(pages[0]) > int(pages[1]):
        found.append(make(code="page-order", severity=Severity.ERROR, field="page",
                          found=reference.page, message=f"pages {reference.page}: the first page "
                                                        f"comes after the last"))
    if stated:
        if not plain_text(reference.title).strip():
            found.append(make(code="missing-title", severity=Severity.ERROR, field="title",
                              message="no title"))
        if reference.type == "article-journal" and not reference.container_title:
            found.append(make(code="missing-container", severity=Severity.WARNING,
                              field="container-title", message="a journal article without its "
                                                               "journal"))
    return found


def _short(item: ReportReference, written: str) -> Finding:
    return Finding(code="short-doi", severity=Severity.INFO, path=item.path, line=item.line,
                   ref=item.id, field="DOI", found=written,
                   message=f"{item.id}: {written!r} is a shortDOI: Crossref takes only full DOIs, "
                           f"so this reference is not verified; give the full DOI")

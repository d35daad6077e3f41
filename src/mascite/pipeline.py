"""The pipeline behind ``mascite check``: read → resolve → link → report. Thin: each step lives
elsewhere. The Crossref client is injected; without one, ``offline`` decides whether one is made."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import partial
from pathlib import Path

from .crossref import CrossrefClient, LookupCache, default_cache_path
from .document import Document, read_document
from .errors import FormatError
from .identifiers import doi_problem, normalize_doi
from .linking import link_document
from .model import Finding, Reference, Severity, plain_text
from .report import Report, ReportReference
from .resolve import resolve_report
from .sources import Bibliography, get_format, read_references
from .sources.reflist import parse_entry
from .verify import schema_findings

__all__ = ["check", "check_document", "is_bibliography_path"]

_DOI_MENTION = re.compile(r"(?:\bdoi\b\s*[:=]?\s*|doi\.org/)(\S*)", re.I)


def is_bibliography_path(path: str | Path) -> bool:
    """True for files read as bibliographies (.bib, .json, .ris), not as documents."""
    try:
        return get_format(path).name != "text"
    except FormatError:
        return False


def check(path: str | Path, bibs: Sequence[str | Path] = (), *, offline: bool = True,
          client: CrossrefClient | None = None) -> Report:
    """Check a document (or a bibliography file alone) and the bibliographies given with it.

    With ``offline=False`` (or a ``client``), DOIs are looked up at Crossref and searched for.
    """
    bibliographies = [read_references(b) for b in bibs]
    if is_bibliography_path(path):
        main = read_references(path)
        report = Report(document=str(path), offline=offline and client is None)
        _add_bibliography(report, main)
        for extra in bibliographies:
            _add_bibliography(report, extra)
        _duplicates(report)
    else:
        report = check_document(read_document(path), bibliographies, offline=offline)
    if client is None and offline:
        client = _cache_only_client()
    elif client is None:
        client = CrossrefClient()
    if client is not None:
        report.offline = client.offline
        resolve_report(report, client)
        report.notices.extend(client.notices)
    return report


def _cache_only_client() -> CrossrefClient | None:
    """Offline checks still answer from the cache when there is one."""
    path = default_cache_path()
    if path is None or not path.exists():
        return None
    return CrossrefClient(offline=True, cache=LookupCache(path))


def check_document(document: Document, bibliographies: Iterable[Bibliography] = (),
                   *, offline: bool = True) -> Report:
    """Link a parsed document's citations and claims to its reference list (and bibliographies)."""
    report = Report(document=document.path, offline=offline, failures=list(document.failures))
    report._document = document
    report.findings.extend(f.to_finding() for f in document.failures)
    for index, entry in enumerate(document.reference_entries, start=1):
        label = entry.label or str(index)
        parsed = parse_entry(entry.text, label)
        item = _report_reference(label, label, entry.text, entry.line, document.path,
                                 parsed.reference)
        item.confidence = {k: round(v, 3) for k, v in parsed.confidence.items()}
        _schema(report, item, parsed.reference, stated=False)
        report.references.append(item)
        _doi_syntax(report, item)
    for bibliography in bibliographies:
        _add_bibliography(report, bibliography, merge_into=report.references[:])
    linked = link_document(document, report.references)
    report.citations = linked.citations
    report.claims = linked.claims
    report.findings.extend(linked.findings)
    report.coverage = linked.coverage()
    _duplicates(report)
    return report


def _report_reference(ref_id: str, label: str | None, raw: str, line: int | None,
                      path: str | None, reference: Reference) -> ReportReference:
    doi = None
    if reference.doi and doi_problem(reference.doi) is None:
        doi = normalize_doi(reference.doi)
    csl = reference.to_csl()
    csl["id"] = ref_id
    return ReportReference(id=ref_id, label=label, raw=raw, line=line, path=path, csl=csl,
                           doi=doi, status="unverified" if doi else "no-doi")


def _doi_syntax(report: Report, item: ReportReference) -> None:
    """A reference that says "doi" but holds no valid DOI has a malformed one."""
    if item.doi:
        return
    mention = _DOI_MENTION.search(item.raw)
    if mention is None:
        return
    written = mention.group(1).rstrip(".,;") or "(nothing)"
    problem = doi_problem(written) or "not a DOI"
    report.findings.append(Finding(
        code="invalid-doi", severity=Severity.ERROR, path=item.path, line=item.line, ref=item.id,
        field="DOI", found=written, message=f"reference [{item.label}]: DOI {written!r}: {problem}"))


def _add_bibliography(report: Report, bibliography: Bibliography,
                      merge_into: list[ReportReference] | None = None) -> None:
    """Add a bibliography's entries; one with the DOI of a listed reference enriches that one."""
    report.failures.extend(bibliography.failures)
    report.findings.extend(f.to_finding() for f in bibliography.failures)
    by_doi = {r.doi: r for r in merge_into or [] if r.doi}
    for index, entry in enumerate(bibliography.entries, start=1):
        ref_id = str(entry.reference.id) if entry.reference.id not in (None, "") else str(index)
        item = _report_reference(ref_id, None, entry.raw, entry.line, bibliography.path,
                                 entry.reference)
        if item.doi and item.doi in by_doi:
            listed = by_doi[item.doi]
            listed.csl = {**item.csl, "id": listed.id}
            continue
        _schema(report, item, entry.reference, stated=True)
        if entry.reference.doi and item.doi is None:
            report.findings.append(Finding(
                code="invalid-doi", severity=Severity.ERROR, path=item.path, line=item.line,
                ref=item.id, field="DOI", found=entry.reference.doi,
                message=f"{item.id}: DOI {entry.reference.doi!r}: "
                        f"{doi_problem(entry.reference.doi)}"))
        report.references.append(item)


def _schema(report: Report, item: ReportReference, reference: Reference, *, stated: bool) -> None:
    where = partial(Finding, path=item.path, line=item.line, ref=item.id)
    for finding in schema_findings(reference, stated=stated, where=where):
        name = f"[{item.label}]" if item.label else item.id
        report.findings.append(finding.model_copy(update={"message": f"{name}: {finding.message}"}))


def _duplicates(report: Report) -> None:
    """The same work listed twice: the same DOI, or the same text once labels and case are gone."""
    seen: dict[str, ReportReference] = {}
    for item in report.references:
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
            same = {"doi": "the same DOI as", "text": "the same text as",
                    "work": "the same title, year and first author as"}[key.split(":")[0]]
            report.findings.append(Finding(
                code="duplicate-reference", severity=Severity.WARNING, path=item.path,
                line=item.line, ref=item.id, found=item.doi or item.raw[:120],
                message=f"{_label(item)} has {same} {_label(first)} (line {first.line})"))
            break


def _work_key(item: ReportReference) -> str | None:
    """The same work under two keys: title, year and first author agree."""
    title = re.sub(r"\W+", " ", plain_text(str(item.csl.get("title") or "")).casefold()).strip()
    authors = item.csl.get("author") or []
    family = str((authors[0].get("family") or authors[0].get("literal") or "") if authors else "")
    year = ((item.csl.get("issued") or {}).get("date-parts") or [[None]])[0][0]
    if len(title) < 20 or not family or not year:
        return None
    return f"work:{title}|{year}|{family.casefold()}"


def _label(item: ReportReference) -> str:
    return f"[{item.label}]" if item.label else item.id

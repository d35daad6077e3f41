"""Resolution in the check pipeline: every reference's DOI looked up, a DOI searched for where a
reference has none, and each reference verified against the record it resolved to, however that
was found. Thin: the client does the work, this turns answers into statuses and findings."""

from __future__ import annotations

from ..crossref import CrossrefClient, Record
from ..crossref.matching import Match, choose
from ..errors import CrossrefError
from ..model import Finding, Report, ReportReference, Severity
from .rules.verify import DOWNGRADE, Written, status_findings, verify_reference

__all__ = ["resolve_report"]

MIN_SEARCH = 25  # characters: shorter entries are too little to search for


def _finding(item: ReportReference, code: str, severity: Severity, message: str,
             **fields: str | None) -> Finding:
    return item.finding(code=code, severity=severity, message=message, **fields)


def _search(client: CrossrefClient, item: ReportReference) -> Match:
    return choose(item.raw, client.search(item.raw))


def _verify(report: Report, item: ReportReference, record: Record, client: CrossrefClient,
            *, probable: bool = False) -> None:
    """Compare the reference with its record (one level lower when the record is only probably
    the work); a DOI that names another work gets a search for the right one."""
    where = item.finding
    written = Written(item.raw, item.spans) if item.spans else None
    findings = verify_reference(item.csl, record, item.confidence, where=where, written=written)
    findings += status_findings(record, where=where)
    wrong = [f for f in findings if f.code in ("field-mismatch", "doi-mismatch")
             and f.severity != Severity.INFO]
    item.status = "mismatch" if wrong else "verified"
    for finding in findings:
        if probable:
            finding = finding.model_copy(update={
                "severity": DOWNGRADE[finding.severity],
                "message": finding.message + " (against the record a search found as probably "
                                             "this work)"})
        if finding.code == "doi-mismatch" and len(item.raw) >= MIN_SEARCH and not client.offline:
            try:
                match = _search(client, item)
            except CrossrefError:
                match = None
            if match is not None and match.record is not None and match.record.doi != record.doi:
                finding = finding.model_copy(update={
                    "suggestion": f"the likely DOI is {match.record.doi}",
                    "expected": match.record.doi})
        report.findings.append(finding.model_copy(update={
            "message": f"{item.name}: {finding.message}"}))


def resolve_report(report: Report, client: CrossrefClient, *, search: bool = True) -> None:
    """Look every DOI up (and search for missing ones); set statuses and add findings.

    One report is one run: the client's deadline and breaker start afresh."""
    client.restart()
    with_doi = [r for r in report.references if r.doi]
    answers = client.lookup_many([r.doi for r in with_doi if r.doi]) if with_doi else {}
    for item in with_doi:
        answer = answers[item.doi or ""]
        if answer.status == "found" and answer.record is not None:
            item.record = answer.record.reference
            item.agency = answer.agency
            _verify(report, item, answer.record, client)
        elif answer.status == "not-found":
            item.status = "not-found"
            report.findings.append(_finding(
                item, "doi-not-found", Severity.ERROR, field="DOI", found=item.doi,
                message=f"{item.name}: DOI {item.doi} is not registered with Crossref or any "
                        f"other DOI agency"))
        elif answer.status == "failed" and not client.unreachable:
            item.status = "unverified"
            report.findings.append(_finding(
                item, "lookup-failed", Severity.INFO, found=item.doi,
                message=f"{item.name}: DOI {item.doi} could not be checked: {answer.reason}"))
        else:  # offline, unreachable or stopped: said once, not per reference
            item.status = "unverified"
            reason = f"DOIs unverified: {client.unreachable or answer.reason}"
            if reason not in report.notices:
                report.notices.append(reason)
    if not search or client.unreachable:
        return
    wanted = [item for item in report.references if not item.doi and len(item.raw) >= MIN_SEARCH]
    for done, item in enumerate(wanted, start=1):
        if client.progress is not None and not client.offline:
            client.progress(done - 1, len(wanted), "searches")
        try:
            match = _search(client, item)
        except CrossrefError as exc:
            if client.offline:
                continue  # offline, and this search was never made: said once, as for DOIs
            report.findings.append(_finding(
                item, "lookup-failed", Severity.INFO,
                message=f"{item.name}: could not search for a DOI: {exc}"))
            continue
        found = match.record or match.probable
        if found is not None:
            certain = match.record is not None
            item.doi, item.doi_source, item.search_score = found.doi, "search", match.score
            item.search_certain, item.record, item.agency = certain, found.reference, "crossref"
            how = "" if certain else "probably "
            report.findings.append(_finding(
                item, "missing-doi", Severity.INFO, field="DOI", expected=found.doi,
                suggestion=f"add DOI {found.doi}" if certain else f"check, then add DOI {found.doi}",
                message=f"{item.name} has no DOI; Crossref {how}has it as {found.doi} "
                        f"(match {match.score:.2f})"))
            _verify(report, item, found, client, probable=not certain)
        elif match.candidates:
            options = "; ".join(f"{c.record.doi} ({c.score:.2f})" for c in match.candidates[:3])
            report.findings.append(_finding(
                item, "doi-not-matched", Severity.INFO, field="DOI",
                message=f"{item.name} has no DOI and no search result is certain enough "
                        f"({match.reason}); candidates: {options}"))
    if wanted and client.progress is not None and not client.offline:
        client.progress(len(wanted), len(wanted), "searches")

"""The report for people: references with their status, then findings as ``path:line:col``
lines; with ``colour``, severities and statuses in terminal colours."""

from __future__ import annotations

from ..model import Finding, Report, ReportReference
from ..text.fold import plain_text
from ..text.printable import printable

__all__ = ["render_text"]


def _reference_line(ref: ReportReference) -> str:
    csl = ref.csl
    authors = csl.author or []
    who = ""
    if authors:
        who = authors[0].family or authors[0].literal or ""
        if len(authors) > 1 or csl.truncated_authors:
            who += " et al."
    year = csl.year
    title = plain_text(csl.title) or (ref.raw[:60] + ("…" if len(ref.raw) > 60 else ""))
    bits = " ".join(str(b) for b in (who, f"({year})" if year else "", title) if b)
    return f"  {ref.name:<6} {ref.status:<10} {ref.doi or '-':<34} {bits}"


def _field_table(ref: ReportReference, findings: list[Finding]) -> str:
    """Where a reference disagrees with its record: field, the reference's value, the record's."""
    rows = [(printable(f.field or ""), printable(f.found or ""), printable(f.expected or ""))
            for f in findings if f.ref == ref.id and f.code == "field-mismatch" and f.path == ref.path]
    if not rows:
        return ""
    width = max([len("reference")] + [len(r[1][:40]) for r in rows])
    lines = [f"    {'field':<16} {'reference':<{width}}  record"]
    lines += [f"    {field:<16} {found[:40]:<{width}}  {expected[:60]}"
              for field, found, expected in rows]
    return "\n".join(lines)


_COLOURS = {"error": "\033[31m", "warning": "\033[33m", "info": "\033[36m",
            "verified": "\033[32m", "mismatch": "\033[33m", "not-found": "\033[31m"}
_RESET = "\033[0m"


def _paint(text: str, key: str, colour: bool) -> str:
    """Data escaped first (``printable``), then our own colours around it."""
    text = printable(text)
    return f"{_COLOURS[key]}{text}{_RESET}" if colour and key in _COLOURS else text


def render_text(report: Report, colour: bool = False) -> str:
    """A report for people: references with status, then findings as ``path:line:col`` lines;
    with ``colour``, severities and statuses in terminal colours."""
    out = [f"mascite check: {printable(report.document or '(no document)')}"]
    if report.offline:
        out.append("  offline: DOIs were checked for syntax (and against the cache), not looked up")
    out.extend(f"  note: {printable(notice)}" for notice in report.notices)
    out.append("")
    out.append(f"References ({len(report.references)}):")
    for ref in report.references:
        out.append(_paint(_reference_line(ref), ref.status, colour))
        table = _field_table(ref, report.findings)
        if table:
            out.append(table)
    cited = sum(1 for c in report.citations if c.refs)
    out.append("")
    out.append(f"Citations: {len(report.citations)} markers, {cited} linked to a reference")
    if report.coverage:
        cov = report.coverage
        share = "n/a" if cov.get("coverage") is None else f"{float(cov['coverage'] or 0):.0%}"
        out.append(f"Claims: {cov.get('claims', 0)} ({cov.get('claims_cited', 0)} cited); "
                   f"{cov.get('needing_citation', 0)} need a source, {cov.get('cited', 0)} have one, "
                   f"{cov.get('uncited', 0)} do not: coverage {share}")
    if report.findings:
        out.append("")
        out.append(f"Findings ({len(report.findings)}):")
        order = sorted(report.findings, key=lambda f: (-f.severity.rank, f.path or "", f.line or 0))
        for finding in order:
            where = finding.location() or report.document or ""
            label = _paint(f"{finding.severity.value} {finding.code}", finding.severity.value,
                           colour)
            out.append(f"  {printable(where)}: {label}: {printable(finding.message)}")
            if finding.suggestion:
                out.append(f"      suggestion: {printable(finding.suggestion)}")
    counts = report.summary()["findings"]
    out.append("")
    out.append(f"Summary: {counts['error']} errors, {counts['warning']} warnings, "
               f"{counts['info']} notes; {len(report.failures)} input failures")
    return "\n".join(out) + "\n"


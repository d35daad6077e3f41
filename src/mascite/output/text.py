"""The report for people: references with their status, then findings as ``path:line:col``
lines; with ``colour``, severities and statuses in terminal colours."""

from __future__ import annotations

from collections.abc import Sequence

from ..model import Finding, Report, ReportReference, Run
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


def render_text(reports: Report | Sequence[Report], colour: bool = False,
                show_suppressed: bool = False) -> str:
    """A report for people, a section per file: references with status, then findings as
    ``path:line:col`` lines; with ``colour``, severities and statuses in terminal colours; with
    ``show_suppressed``, the findings comments suppressed. Many files end with a total."""
    if isinstance(reports, Report):
        return _section(reports, colour, show_suppressed)
    shared = set.intersection(*(set(r.notices) for r in reports)) if reports else set()
    out = [f"  note: {printable(n)}" for n in reports[0].notices if n in shared] if reports else []
    out += [_section(r, colour, show_suppressed, shared) for r in reports]
    run = Run(reports=list(reports)).summary_counts
    out.append(f"Total: {run.files} files; {run.findings.error} errors, {run.findings.warning} "
               f"warnings, {run.findings.info} notes; {run.input_failures} input failures"
               + (f"; {run.suppressed} suppressed" if run.suppressed else "") + "\n")
    return "\n".join(out)


def _finding_lines(finding: Finding, document: str | None, colour: bool,
                   suppressed: bool = False) -> list[str]:
    where = finding.location() or document or ""
    label = _paint(f"{finding.severity.value} {finding.code}", finding.severity.value,
                   colour and not suppressed)
    tag = " (suppressed)" if suppressed else ""
    lines = [f"  {printable(where)}: {label}{tag}: {printable(finding.message)}"]
    if finding.suggestion:
        lines.append(f"      suggestion: {printable(finding.suggestion)}")
    return lines


def _order(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (-f.severity.rank, f.path or "", f.line or 0))


def _section(report: Report, colour: bool, show_suppressed: bool,
             said: set[str] | None = None) -> str:
    out = [f"mascite check: {printable(report.document or '(no document)')}"]
    if report.offline:
        out.append("  offline: DOIs were checked for syntax (and against the cache), not looked up")
    out.extend(f"  note: {printable(notice)}" for notice in report.notices
               if notice not in (said or set()))
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
                   f"{cov.get('needing_citation', 0)} need a source under the "
                   f"{cov.get('policy', 'standard')} policy, {cov.get('cited', 0)} have one, "
                   f"{cov.get('uncited', 0)} do not: coverage {share}")
    if report.findings:
        out.append("")
        out.append(f"Findings ({len(report.findings)}):")
        for finding in _order(report.findings):
            out.extend(_finding_lines(finding, report.document, colour))
    if show_suppressed and report.suppressed:
        out.append("")
        out.append(f"Suppressed ({len(report.suppressed)}):")
        for finding in _order(report.suppressed):
            out.extend(_finding_lines(finding, report.document, colour, suppressed=True))
    counts = report.summary()["findings"]
    out.append("")
    hidden = f"; {len(report.suppressed)} suppressed" if report.suppressed else ""
    out.append(f"Summary: {counts['error']} errors, {counts['warning']} warnings, "
               f"{counts['info']} notes; {len(report.failures)} input failures{hidden}")
    return "\n".join(out) + "\n"


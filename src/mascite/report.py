"""The report of a check, and its renderers (text, json). Renderers are pure: report in, text out."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from typing import Any, Literal

from pydantic import BaseModel, Field, PrivateAttr

from .errors import NotAvailableError
from .model import Citation, Claim, Finding, ParseFailure, Severity, plain_text

__all__ = ["RENDERERS", "Report", "ReportReference", "render_json", "render_report", "render_text"]

Status = Literal["verified", "mismatch", "not-found", "unverified", "no-doi"]


class ReportReference(BaseModel):
    """One reference as the report shows it: where it came from, its CSL item and its status."""

    id: str
    label: str | None = None
    raw: str = ""
    line: int | None = None
    path: str | None = None
    csl: dict[str, Any] = Field(default_factory=dict)
    doi: str | None = None
    status: Status = "no-doi"
    record: dict[str, Any] | None = None  # the registered metadata (CSL-JSON), once looked up
    agency: str | None = None
    confidence: dict[str, float] = Field(default_factory=dict)  # the parser's, per CSL variable


class Report(BaseModel):
    """Everything a check found. ``failures`` are inputs that could not be read (exit code 2)."""

    version: int = 1
    document: str | None = None
    references: list[ReportReference] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
    failures: list[ParseFailure] = Field(default_factory=list)
    offline: bool = True
    coverage: dict[str, float | int | None] = Field(default_factory=dict)
    notices: list[str] = Field(default_factory=list)
    # the checked document itself, for renderers that show it (not part of the JSON contract)
    _document: Any = PrivateAttr(default=None)

    def summary(self) -> dict[str, Any]:
        severities = Counter(f.severity.value for f in self.findings)
        statuses = Counter(r.status for r in self.references)
        return {
            "references": len(self.references),
            "citations": len(self.citations),
            "claims": len(self.claims),
            "findings": {s.value: severities.get(s.value, 0) for s in Severity},
            "status": dict(sorted(statuses.items())),
            "input_failures": len(self.failures),
            "offline": self.offline,
            "coverage": self.coverage,
        }

    def exit_code(self, fail_on: Literal["error", "warning", "never"] = "error") -> int:
        """The contract: 2 unusable input, 1 findings at or above ``fail_on``, else 0."""
        if self.failures:
            return 2
        if fail_on == "never":
            return 0
        threshold = Severity(fail_on).rank
        return 1 if any(f.severity.rank >= threshold for f in self.findings) else 0

    def to_json(self) -> dict[str, Any]:
        """The ``check --format json`` contract, version 1."""
        return {
            "version": self.version,
            "document": self.document,
            "references": [r.model_dump(mode="json") for r in self.references],
            "citations": [c.model_dump(mode="json", exclude={"labels", "keys"})
                          for c in self.citations],
            "claims": [c.model_dump(mode="json") for c in self.claims],
            "findings": [f.model_dump(mode="json") for f in self.findings],
            "summary": self.summary(),
        }


def render_json(report: Report) -> str:
    return json.dumps(report.to_json(), ensure_ascii=False, indent=2) + "\n"


def _reference_line(ref: ReportReference) -> str:
    csl = ref.csl
    authors = csl.get("author") or []
    who = ""
    if authors:
        first = authors[0]
        who = first.get("family") or first.get("literal") or ""
        if len(authors) > 1 or csl.get("truncated-authors"):
            who += " et al."
    year = ((csl.get("issued") or {}).get("date-parts") or [[None]])[0][0]
    title = plain_text(csl.get("title")) or (ref.raw[:60] + ("…" if len(ref.raw) > 60 else ""))
    label = f"[{ref.label}]" if ref.label else ref.id
    bits = " ".join(str(b) for b in (who, f"({year})" if year else "", title) if b)
    return f"  {label:<6} {ref.status:<10} {ref.doi or '-':<34} {bits}"


def _field_table(ref: ReportReference, findings: list[Finding]) -> str:
    """Where a reference disagrees with its record: field, the reference's value, the record's."""
    rows = [(f.field or "", f.found or "", f.expected or "") for f in findings
            if f.ref == ref.id and f.code == "field-mismatch" and f.path == ref.path]
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
    return f"{_COLOURS[key]}{text}{_RESET}" if colour and key in _COLOURS else text


def render_text(report: Report, colour: bool = False) -> str:
    """A report for people: references with status, then findings as ``path:line:col`` lines;
    with ``colour``, severities and statuses in terminal colours."""
    out = [f"mascite check: {report.document or '(no document)'}"]
    if report.offline:
        out.append("  offline: DOIs were checked for syntax (and against the cache), not looked up")
    out.extend(f"  note: {notice}" for notice in report.notices)
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
            out.append(f"  {where}: {label}: {finding.message}")
            if finding.suggestion:
                out.append(f"      suggestion: {finding.suggestion}")
    counts = report.summary()["findings"]
    out.append("")
    out.append(f"Summary: {counts['error']} errors, {counts['warning']} warnings, "
               f"{counts['info']} notes; {len(report.failures)} input failures")
    return "\n".join(out) + "\n"


RENDERERS: dict[str, Callable[[Report], str]] = {"text": render_text, "json": render_json}


def render_report(report: Report, format: str, colour: bool = False) -> str:
    """Render by format name: text, json, sarif, junit, github or html."""
    if format == "text":
        return render_text(report, colour=colour)
    if format == "html":
        from .report_html import render_html

        return render_html(report, report._document)
    if format in ("sarif", "junit", "github"):
        from .report_ci import render_github, render_junit, render_sarif

        return {"sarif": render_sarif, "junit": render_junit, "github": render_github}[format](
            report)
    if format in RENDERERS:
        return RENDERERS[format](report)
    raise NotAvailableError(f"unknown report format {format!r}")

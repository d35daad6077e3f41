"""The report page for editors: one self-contained HTML file (no external assets, works offline).

The document, with each claim highlighted by status (supported, uncited, problem) and each
citation showing its references when hovered; beside it, the references with their status,
findings and the record's values. Everything from documents and Crossref is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from ..document import Document, parse_document
from ..model import Claim, Finding, Report, ReportReference, Severity
from ..text.fold import plain_text
from ..text.html import CSP_META

__all__ = ["render_html"]

_CSS = """
body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1d232a;background:#f6f7f9}
header{padding:12px 20px;background:#1d3557;color:#fff}header h1{font-size:18px;margin:0}
.summary span{margin-right:16px}main{display:flex;gap:16px;padding:16px}
article{flex:3;background:#fff;padding:16px 24px;border-radius:6px}
aside{flex:2;background:#fff;padding:16px;border-radius:6px;max-height:90vh;overflow:auto}
.claim{border-bottom:2px solid transparent}.claim.supported{background:#e6f4ea}
.claim.uncited{background:#fdecea;border-bottom-color:#d93025}.claim.problem{background:#fff4d6}
a.cite{color:#1a56db;text-decoration:none;font-weight:600;position:relative}
a.cite:hover::after{content:attr(data-ref);position:absolute;left:0;top:1.4em;z-index:9;
width:28em;white-space:normal;background:#1d232a;color:#fff;padding:6px 8px;border-radius:4px;
font-weight:400;font-size:13px}
h2{font-size:16px;margin:18px 0 6px}li.ref{margin:0 0 12px;list-style:none}
.status{font-size:12px;padding:1px 6px;border-radius:8px;color:#fff;background:#6b7280}
.status.verified{background:#188038}.status.mismatch{background:#b06000}
.status.not-found{background:#d93025}.finding{font-size:13px;margin:2px 0 0 12px}
.finding.error{color:#b3261e}.finding.warning{color:#8a5300}.finding.info{color:#44546a}
table.fields{font-size:12px;border-collapse:collapse;margin:4px 0 0 12px}
table.fields td{border:1px solid #ddd;padding:1px 6px}
"""


def _claim_status(claim: Claim, problems: set[int]) -> str:
    if claim.line in problems and claim.refs:
        return "problem"
    if claim.refs:
        return "supported"
    return "uncited" if claim.needs_citation else "plain"


def _reference_text(ref: ReportReference) -> str:
    title = plain_text(ref.csl.title) or ref.raw
    return f"[{ref.label or ref.id}] {title}"


def _body(document: Document, report: Report) -> str:
    problems = {f.line for f in report.findings if f.code == "claim-year-mismatch" and f.line}
    refs = {r.id: r for r in report.references}
    marks: list[tuple[int, int, str, str]] = []  # start, end, opening tag, closing tag
    for claim in report.claims:
        status = _claim_status(claim, problems)
        tip = "; ".join(claim.reasons) if status == "uncited" else ""
        marks.append((claim.start, claim.end, f'<span class="claim {status}" title="'
                       f'{escape(tip)}">', "</span>"))
    for citation in report.citations:
        about = " | ".join(_reference_text(refs[r]) for r in citation.refs if r in refs)
        target = f"#ref-{escape(citation.refs[0])}" if citation.refs else "#"
        marks.append((citation.start, citation.end, f'<a class="cite" href="{target}" data-ref="'
                      f'{escape(about or "no such reference")}">', "</a>"))
    out: list[str] = []
    for block in document.blocks:
        if block.start >= document.body_end or block.kind == "code":
            continue
        tag = {"heading": "h2", "list-item": "li"}.get(block.kind, "p")
        if block.offsets is not None:  # an HTML source: its text, without highlighting
            out.append(f"<{tag}>{escape(block.text)}</{tag}>")
            continue
        inside = sorted((m for m in marks if block.start <= m[0] < block.end),
                        key=lambda m: (m[0], -m[1]))
        events: list[tuple[int, int, str]] = []
        for start, end, opening, closing in inside:
            events.append((start, 1, opening))
            events.append((min(end, block.end), 0, closing))
        events.sort(key=lambda e: (e[0], e[1]))
        html, position = [], block.start
        for offset, _, markup in events:
            html.append(escape(document.text[position:offset]))
            html.append(markup)
            position = offset
        html.append(escape(document.text[position:block.end]))
        out.append(f"<{tag}>{''.join(html)}</{tag}>")
    return "\n".join(out)


def _reference(ref: ReportReference, findings: list[Finding]) -> str:
    own = [f for f in findings if f.ref == ref.id]
    parts = [f'<li class="ref" id="ref-{escape(ref.id)}"><span class="status {escape(ref.status)}">'
             f'{escape(ref.status)}</span> <b>[{escape(ref.label or ref.id)}]</b> '
             f'{escape(ref.raw[:400])}']
    if ref.doi:
        parts.append(f'<div class="finding">DOI {escape(ref.doi)}</div>')
    rows = [f for f in own if f.code == "field-mismatch"]
    if rows:
        parts.append('<table class="fields"><tr><td>field</td><td>reference</td><td>record</td>'
                     "</tr>" + "".join(f"<tr><td>{escape(f.field or '')}</td><td>"
                                       f"{escape(f.found or '')}</td><td>"
                                       f"{escape(f.expected or '')}</td></tr>" for f in rows)
                     + "</table>")
    for finding in own:
        if finding.code == "uncited-claim":  # this reference is the suggestion, not the problem
            parts.append(f'<div class="finding info">suggested for an uncited claim (line '
                         f"{finding.line}): {escape(finding.found or '')}</div>")
            continue
        parts.append(f'<div class="finding {finding.severity.value}">{finding.severity.value} '
                     f"{escape(finding.code)}: {escape(finding.message)}</div>")
    parts.append("</li>")
    return "".join(parts)


def render_html(reports: Report | Sequence[Report]) -> str:
    """The page: each document (re-read from the report's source) beside its references."""
    batch = [reports] if isinstance(reports, Report) else list(reports)
    title = batch[0].document if len(batch) == 1 else f"{len(batch)} files"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
{CSP_META}
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>mascite: {escape(title or "report")}</title><style>{_CSS}</style></head>
<body>{"".join(_section(r) for r in batch)}</body></html>
"""


def _section(report: Report) -> str:
    document = (parse_document(report.source.text, report.document, report.source.format)
                if report.source is not None else None)
    counts = report.summary()["findings"]
    coverage = report.coverage.get("coverage")
    share = "n/a" if coverage is None else f"{float(coverage):.0%}"
    body = _body(document, report) if document is not None else "<p>(a bibliography alone)</p>"
    general = [f for f in report.findings if f.ref is None and f.code != "uncited-claim"]
    references = "".join(_reference(r, report.findings) for r in report.references)
    notes = "".join(f'<div class="finding {f.severity.value}">{escape(f.location())}: '
                    f"{escape(f.code)}: {escape(f.message)}</div>" for f in general)
    uncited = sum(1 for f in report.findings if f.code == "uncited-claim")
    policy = str(report.coverage.get("policy") or "standard")
    return f"""<section><header><h1>mascite check: {escape(report.document or "")}</h1><div class="summary">
<span>{len(report.references)} references</span><span>{len(report.citations)} citations</span>
<span>coverage {share}</span><span>{uncited} uncited claims ({escape(policy)} policy)</span>
<span>{counts[Severity.ERROR.value]} errors, {counts[Severity.WARNING.value]} warnings,
{counts[Severity.INFO.value]} notes</span></div></header>
<main><article>{body}{notes}</article>
<aside><h2>References</h2><ul>{references}</ul></aside></main></section>
"""

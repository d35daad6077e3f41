"""Reports for machines: SARIF 2.1.0 (code-scanning UIs), JUnit XML (CI test tabs) and GitHub
workflow annotations. Pure: a report in, text out; every value escaped for its format."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections import defaultdict

from .model import Finding, Severity
from .report import Report

__all__ = ["render_github", "render_junit", "render_sarif"]

_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_RULES = {
    "uncited-claim": "A claim that needs a source has no citation",
    "dangling-citation": "A citation names a reference that does not exist",
    "unused-reference": "A reference is never cited",
    "citation-order": "Numeric references are not numbered in order of first citation",
    "duplicate-reference": "The same work is listed twice",
    "claim-year-mismatch": "A claim names a year that the cited work contradicts",
    "invalid-doi": "A DOI is malformed",
    "doi-not-found": "A DOI is registered with no DOI agency",
    "doi-mismatch": "A DOI belongs to another work",
    "field-mismatch": "A field differs from the registered record",
    "retracted": "The cited work is retracted",
    "expression-of-concern": "The cited work has an expression of concern",
    "corrected": "The cited work has a correction",
    "preprint-published": "A preprint has a published version",
    "missing-doi": "A reference has no DOI, and Crossref has one",
    "doi-not-matched": "A reference has no DOI, and no search result is certain",
    "parse-error": "An input could not be read",
    "lookup-failed": "A DOI could not be checked",
    "other-agency": "A DOI is registered with another agency",
}


def render_sarif(report: Report) -> str:
    from . import __version__

    codes = sorted({f.code for f in report.findings})
    results = []
    for finding in report.findings:
        result: dict[str, object] = {
            "ruleId": finding.code, "level": _SARIF_LEVEL[finding.severity],
            "message": {"text": finding.message + (f" Suggestion: {finding.suggestion}"
                                                   if finding.suggestion else "")},
        }
        path = finding.path or report.document
        if path:
            region: dict[str, int] = {}
            if finding.line:
                region["startLine"] = finding.line
                if finding.column:
                    region["startColumn"] = finding.column
            location: dict[str, object] = {"artifactLocation": {"uri": path}}
            if region:
                location["region"] = region
            result["locations"] = [{"physicalLocation": location}]
        if finding.field or finding.expected or finding.found:
            result["properties"] = {k: v for k, v in (("field", finding.field),
                                                      ("expected", finding.expected),
                                                      ("found", finding.found),
                                                      ("reference", finding.ref)) if v}
        results.append(result)
    sarif = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "mascite", "version": __version__,
                "informationUri": "https://pypi.org/project/mascite/",
                "rules": [{"id": code, "name": code,
                           "shortDescription": {"text": _RULES.get(code, code)}}
                          for code in codes]}},
            "results": results,
        }],
    }
    return json.dumps(sarif, ensure_ascii=False, indent=2) + "\n"


def render_junit(report: Report) -> str:
    """One test case per reference (failing on its warnings and errors), and one for the
    document's citations and claims."""
    by_ref: dict[str | None, list[Finding]] = defaultdict(list)
    for finding in report.findings:
        by_ref[finding.ref if finding.ref in {r.id for r in report.references} else None].append(
            finding)
    cases: list[tuple[str, list[Finding]]] = [
        (_case_name(r.id, r.label, str(r.csl.get("title") or r.raw)), by_ref.get(r.id, []))
        for r in report.references]
    cases.append(("citations and claims", by_ref.get(None, [])))
    suites = ET.Element("testsuites")
    failures = sum(1 for _, fs in cases if any(f.severity.rank >= 1 for f in fs))
    suite = ET.SubElement(suites, "testsuite", name=f"mascite: {report.document or 'check'}",
                          tests=str(len(cases)), failures=str(failures), errors="0")
    for name, findings in cases:
        case = ET.SubElement(suite, "testcase", classname="mascite", name=str(name))
        serious = [f for f in findings if f.severity.rank >= 1]
        if serious:
            failure = ET.SubElement(case, "failure", type=serious[0].code,
                                    message=serious[0].message[:300])
            failure.text = "\n".join(f"{f.location()}: {f.severity.value} {f.code}: {f.message}"
                                     for f in serious)
        notes = [f for f in findings if f.severity.rank == 0]
        if notes:
            ET.SubElement(case, "system-out").text = "\n".join(
                f"{f.location()}: {f.code}: {f.message}" for f in notes)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"


def _case_name(ref_id: str, label: str | None, title: str) -> str:
    return f"[{label}] {title[:80]}" if label else f"{ref_id}: {title[:80]}"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(report: Report) -> str:
    """``::error file=…,line=…,col=…,title=…::message`` lines for GitHub Actions."""
    lines = []
    for finding in report.findings:
        command = {Severity.ERROR: "error", Severity.WARNING: "warning",
                   Severity.INFO: "notice"}[finding.severity]
        properties = []
        path = finding.path or report.document
        if path:
            properties.append(f"file={_escape_property(path)}")
        if finding.line:
            properties.append(f"line={finding.line}")
        if finding.column:
            properties.append(f"col={finding.column}")
        properties.append(f"title={_escape_property('mascite ' + finding.code)}")
        message = finding.message + (f" Suggestion: {finding.suggestion}" if finding.suggestion
                                     else "")
        lines.append(f"::{command} {','.join(properties)}::{_escape_data(message)}")
    return "\n".join(lines) + ("\n" if lines else "")

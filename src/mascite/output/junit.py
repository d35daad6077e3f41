"""JUnit XML, for CI test tabs: one test case per reference (failing on its warnings and errors)
and one for the document's citations and claims. Pure: a report in, text out."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Sequence

from ..model import Finding, Report
from ..text.printable import printable

__all__ = ["render_junit"]


def render_junit(reports: Report | Sequence[Report]) -> str:
    """One test suite per file: a test case per reference (failing on its warnings and
    errors), and one for the document's citations and claims."""
    suites = ET.Element("testsuites")
    for report in [reports] if isinstance(reports, Report) else reports:
        _suite(suites, report)
    for element in suites.iter():  # XML 1.0 cannot hold control characters at all
        element.text = printable(element.text, keep="\t\n") if element.text else element.text
        for name, value in element.attrib.items():
            element.attrib[name] = printable(value)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"


def _suite(suites: ET.Element, report: Report) -> None:
    by_ref: dict[str | None, list[Finding]] = defaultdict(list)
    for finding in report.findings:
        by_ref[finding.ref if finding.ref in {r.id for r in report.references} else None].append(
            finding)
    cases: list[tuple[str, list[Finding]]] = [
        (_case_name(r.id, r.label, r.csl.title or r.raw), by_ref.get(r.id, []))
        for r in report.references]
    cases.append(("citations and claims", by_ref.get(None, [])))
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


def _case_name(ref_id: str, label: str | None, title: str) -> str:
    return f"[{label}] {title[:80]}" if label else f"{ref_id}: {title[:80]}"

"""Machine-readable reports: SARIF 2.1.0, JUnit XML, GitHub annotations — exact and escaped."""

from __future__ import annotations

import json

from defusedxml.ElementTree import fromstring

from mascite import Finding, Report, ReportReference, Severity
from mascite.output import render_report


def sample() -> Report:
    return Report(
        document="doc.md",
        references=[ReportReference(id="1", label="1", raw="Smith J. A title. 2020.",
                                    csl={"title": "A <title> & more"}, status="mismatch"),
                    ReportReference(id="2", label="2", raw="Lee K. B. 2021.", status="verified")],
        findings=[
            Finding(code="field-mismatch", severity=Severity.ERROR, path="doc.md", line=12,
                    column=3, ref="1", field="volume", expected="68", found="86",
                    message="volume 86; the record has 68, 100% sure: really", suggestion="68"),
            Finding(code="uncited-claim", severity=Severity.WARNING, path="doc.md", line=4,
                    column=1, message="claim without a citation\nsecond line"),
            Finding(code="corrected", severity=Severity.INFO, path="doc.md", line=13, ref="2",
                    message="has a correction"),
        ])


def test_sarif() -> None:
    sarif = json.loads(render_report(sample(), "sarif"))
    assert sarif["version"] == "2.1.0"
    run = sarif["runs"][0]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == [
        "corrected", "field-mismatch", "uncited-claim"]
    first = run["results"][0]
    assert first["ruleId"] == "field-mismatch"
    assert first["level"] == "error"
    assert first["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "doc.md"}, "region": {"startLine": 12, "startColumn": 3}}
    assert first["properties"] == {"field": "volume", "expected": "68", "found": "86",
                                   "reference": "1"}
    assert [r["level"] for r in run["results"]] == ["error", "warning", "note"]


def test_junit() -> None:
    root = fromstring(render_report(sample(), "junit"))
    suite = root.find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures")) == ("3", "2")
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases] == [
        "[1] A <title> & more", "[2] Lee K. B. 2021.", "citations and claims"]
    failure = cases[0].find("failure")
    assert failure is not None
    assert failure.get("type") == "field-mismatch"
    assert cases[1].find("failure") is None
    assert cases[1].findtext("system-out") == "doc.md:13: corrected: has a correction"
    claims = cases[2].find("failure")
    assert claims is not None
    assert claims.get("type") == "uncited-claim"


def test_github_annotations_escape_their_syntax() -> None:
    lines = render_report(sample(), "github").splitlines()
    assert lines == [
        "::error file=doc.md,line=12,col=3,title=mascite field-mismatch::volume 86; the record has "
        "68, 100%25 sure: really Suggestion: 68",
        "::warning file=doc.md,line=4,col=1,title=mascite uncited-claim::claim without a "
        "citation%0Asecond line",
        "::notice file=doc.md,line=13,title=mascite corrected::has a correction",
    ]


def test_text_report_in_colour() -> None:
    text = render_report(sample(), "text", colour=True)
    assert "\033[31merror field-mismatch\033[0m" in text
    assert "\033[33m  [1]" in text
    assert "\033[" not in render_report(sample(), "text")


def test_text_report_shows_a_table_under_a_mismatched_reference() -> None:
    report = sample()
    report.references[0].path = "doc.md"
    lines = render_report(report, "text").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("  [1]"))
    assert lines[start + 1:start + 3] == ["    field            reference  record",
                                          "    volume           86         68"]


def test_duplicates_under_two_keys(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from mascite import check

    bib = tmp_path / "refs.bib"
    bib.write_text(
        "@article{nam2022, author = {Nam, So Hye}, title = {Macrophage activation syndrome in "
        "rheumatic disease}, year = {2022}, journal = {PLoS ONE}}\n"
        "@article{nam-mas, author = {Nam, S. H.}, title = {Macrophage Activation Syndrome in "
        "Rheumatic Disease}, year = {2022}, journal = {PLOS ONE}}\n", encoding="utf-8")
    report = check(bib)
    assert [(f.code, f.ref, f.message) for f in report.findings] == [
        ("duplicate-reference", "nam-mas",
         "nam-mas has the same title, year and first author as nam2022 (line 1)")]


def test_html_report_is_self_contained_and_escaped(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from mascite import check

    doc = tmp_path / "doc.txt"
    doc.write_text("A <script>alert(1)</script> claim of 40% [1].\nReferences\n"
                   "1. Smith J. <img src=x onerror=alert(1)> title. J Med. 2020;1:2.\n",
                   encoding="utf-8")
    page = render_report(check(doc), "html")
    assert "<script>" not in page
    assert "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "http://" not in page
    assert "https://" not in page
    assert page.split("\n")[2] == (
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; "
        "frame-ancestors 'none'\">")
    assert '<span class="claim supported" title="">A &lt;script&gt;' in page
    assert "<span>0 uncited claims (standard policy)</span>" in page
    strict = render_report(check(doc, claims="strict"), "html")
    assert "<span>0 uncited claims (strict policy)</span>" in strict


def test_json_written_in_pieces_is_the_whole_reports_dump() -> None:
    """check --format json writes each reference as it is made; the text is exactly the dump."""
    from pathlib import Path

    from mascite.checks.pipeline import check
    from mascite.model import Run
    from mascite.output.json_report import iter_json

    root = Path(__file__).resolve().parent.parent
    reports = [check(root / "examples" / "ivig-for-mas.txt", [root / "bib" / "mas.bib"]),
               check(root / "examples" / "about-mas.txt"), check(root / "bib" / "mas.bib"),
               Report()]
    for report in reports:
        pieces = list(iter_json(report))
        assert "".join(pieces) == json.dumps(report.to_json(), ensure_ascii=False,
                                             indent=2) + "\n"
    assert len(list(iter_json(reports[2]))) > len(reports[2].references)  # one piece or more each
    for run in (reports, reports[:2], []):
        assert "".join(iter_json(run)) == json.dumps(Run(reports=run).to_json(),
                                                     ensure_ascii=False, indent=2) + "\n"
    assert render_report(Run(reports=reports[:1]), "json") == "".join(iter_json(reports[:1]))

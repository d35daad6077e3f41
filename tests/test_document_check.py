"""Reading documents, finding the reference list, and the offline check pipeline."""

from __future__ import annotations

import pytest

from mascite import check, check_document, parse_document, read_document, read_references
from mascite.document.citations import expand_numbers, find_numeric_citations

from .conftest import BIB, EXAMPLES


@pytest.mark.parametrize(
    "heading",
    ["References", "REFERENCES:", "## References", "Bibliography", "Literature Cited",
     "Works cited", "Referencias", "Références", "Literatur", "Riferimenti bibliografici",
     "TÀI LIỆU THAM KHẢO:", "Tài liệu tham khảo", "参考文献", "Sources", "5. References"],
)
def test_reference_heading_in_many_languages(heading: str) -> None:
    text = f"Claim one [1].\n{heading}\n1. Smith J. Title. 2020.\n"
    section = parse_document(text).reference_section
    assert section is not None
    assert text[section.start:section.end] == "1. Smith J. Title. 2020."


def test_trailing_numbered_entries_without_heading() -> None:
    text = "Claim [1] and [2].\n\n1. First reference 2020.\n2. Second reference 2021.\n"
    section = parse_document(text).reference_section
    assert section is not None
    assert text[section.start:section.end] == "1. First reference 2020.\n2. Second reference 2021."


def test_no_reference_section_in_prose() -> None:
    assert parse_document("Just text.\nMore text about references in general.\n").reference_section \
        is None


def test_the_ivig_example_reference_list() -> None:
    document = read_document(EXAMPLES / "ivig-for-mas.txt")
    assert document.reference_section is not None
    assert document.reference_section.heading == "TÀI LIỆU THAM KHẢO"
    entries = document.reference_entries
    assert len(entries) == 11
    assert [e.line for e in entries] == list(range(63, 74))
    assert entries[0].text.startswith("Bojan, Anca et al. “Macrophage activation syndrome")
    assert entries[10].text.endswith("doi:10.1371/journal.pone.0267715.")
    assert document.text[entries[5].start:entries[5].end] == entries[5].text
    assert entries[5].text.count("[") == 1  # the bracketed translation stays inside the entry


@pytest.mark.parametrize(
    ("spec", "numbers"),
    [("1", [1]), ("8,9", [8, 9]), ("2-4", [2, 3, 4]), ("2–4", [2, 3, 4]), ("1, 3-5", [1, 3, 4, 5]),
     ("4-2", None)],
)
def test_expand_numbers(spec: str, numbers: list[int] | None) -> None:
    assert expand_numbers(spec) == numbers


def test_numeric_citations_with_positions() -> None:
    text = "A [1].\nB [8,9] and [2]–[4].\nNot [sic] nor [2020-1999]."
    document = parse_document(text)
    found = find_numeric_citations(text, line_column=document.line_column)
    assert [(c.marker, c.line, c.column, c.labels) for c in found] == [
        ("[1]", 1, 3, ["1"]), ("[8,9]", 2, 3, ["8", "9"]),
        ("[2]–[4]", 2, 13, ["2", "3", "4"])]
    assert text[found[2].start:found[2].end] == "[2]–[4]"


def test_check_ivig_example_links_every_citation_offline() -> None:
    report = check(EXAMPLES / "ivig-for-mas.txt")
    assert [r.id for r in report.references] == [str(n) for n in range(1, 12)]
    assert [r.status for r in report.references] == ["unverified"] * 11
    assert report.references[5].doi == "10.24875/rmimss.m20000094"
    assert [(c.marker, c.line, c.refs) for c in report.citations] == [
        ("[1]", 12, ["1"]), ("[2]", 13, ["2"]), ("[3]", 29, ["3"]), ("[4]", 35, ["4"]),
        ("[5]", 36, ["5"]), ("[6]", 37, ["6"]), ("[7]", 40, ["7"]), ("[8,9]", 45, ["8", "9"]),
        ("[3]", 49, ["3"]), ("[10]", 55, ["10"]), ("[11]", 59, ["11"])]
    assert {f.code for f in report.findings} == {"uncited-claim"}
    assert report.exit_code() == 0  # uncited claims are warnings


def test_check_with_bib_enriches_listed_references_by_doi() -> None:
    report = check(EXAMPLES / "ivig-for-mas.txt", [BIB / "mas.bib"])
    assert len(report.references) == 11
    assert report.references[0].csl.title == (
        'Macrophage activation syndrome: A diagnostic challenge (<span class="nocase">Review</span>)')
    assert report.references[0].id == "1"
    assert {f.code for f in report.findings} == {"uncited-claim"}


def test_check_findings_dangling_unused_duplicate_invalid_doi() -> None:
    text = ("Claim [1]. Another [3]. Range [1-2].\n"
            "References\n"
            "1. Smith J. A. 2020. doi:10.1000/abc\n"
            "2. Lee K. B. 2021. doi: 10.12/short\n"
            "3. Smith J. A again. 2020. https://doi.org/10.1000/ABC\n"
            "4. Never cited. 2019.\n")
    report = check_document(parse_document(text, "doc.txt"))
    assert [(f.code, f.severity.value, f.line, f.ref) for f in report.findings] == [
        ("invalid-doi", "error", 4, "2"),
        ("citation-order", "warning", 1, None),
        ("unused-reference", "warning", 6, "4"),
        ("duplicate-reference", "warning", 5, "3"),
    ]
    assert report.findings[0].message == (
        "reference [2]: DOI '10.12/short': registrant code '12' is not 4 to 9 digits")
    twice = check_document(parse_document(
        "A [1] and [2].\nReferences\n1. Smith J. A long enough title here. J Med. 2020.\n"
        "2. smith j.  A long enough title here, J Med 2020\n", "t.txt"))
    assert [(f.code, f.line, f.message) for f in twice.findings] == [
        ("duplicate-reference", 4, "[2] has the same text as [1] (line 3)")]
    dangling = check_document(parse_document("See [5].\nReferences\n1. Only one.\n", "d.txt"))
    assert [(f.code, f.line, f.column, f.message) for f in dangling.findings] == [
        ("dangling-citation", 1, 5, "[5] cites 5, but the reference list has 1 entries"),
        ("unused-reference", 3, None, "reference [1] is never cited in the text"),
    ]
    assert dangling.exit_code("error") == 1
    assert dangling.exit_code("never") == 0


def test_check_a_bibliography_alone_reports_parse_failures(tmp_path) -> None:  # type: ignore[no-untyped-def]
    bib = tmp_path / "refs.bib"
    fields = "title = {A study of things}, journal = {J Things}"
    bib.write_text(f"@article{{a, doi = {{10.1000/x}}, {fields}}}\n@article{{b doi = {{x}}}}\n"
                   f"@article{{c, doi = {{10.1000/X}}, {fields}, year = 2020}}\n"
                   f"@article{{d, doi = {{10.12/bad}}, {fields}, year = 2021}}\n")
    report = check(bib)
    assert [r.id for r in report.references] == ["a", "c", "d"]
    assert [(f.code, f.line) for f in report.findings] == [
        ("parse-error", 2), ("invalid-doi", 4), ("duplicate-reference", 3)]
    assert report.exit_code() == 2


def test_json_report_follows_the_contract() -> None:
    report = check(EXAMPLES / "ivig-for-mas.txt").to_json()
    assert set(report) == {"version", "document", "source", "references", "citations", "claims",
                           "findings", "suppressed", "notices", "summary"}
    assert report["version"] == 1
    assert set(report["references"][0]) >= {"id", "label", "raw", "line", "csl", "doi", "status"}
    assert set(report["citations"][0]) == {"marker", "start", "end", "line", "column", "refs",
                                           "kind"}
    assert report["summary"]["references"] == 11
    text = (EXAMPLES / "ivig-for-mas.txt").read_text(encoding="utf-8")
    first = report["citations"][0]
    assert text[first["start"]:first["end"]] == "[1]"


def test_mas_bib_dois_match_the_example_list_in_order() -> None:
    listed = [r.doi for r in check(EXAMPLES / "ivig-for-mas.txt").references]
    curated = [r.doi.lower() for r in read_references(BIB / "mas.bib").references if r.doi]
    assert curated == listed

"""Claims and linking end to end: the examples' exact expectations, and every document format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mascite import check, check_document, parse_document, read_references_text
from mascite.document.claims import citation_reasons, not_a_claim, split_sentences, years_named

from .conftest import EXAMPLES


@pytest.fixture(scope="module")
def ivig() -> dict:  # type: ignore[type-arg]
    return check(EXAMPLES / "ivig-for-mas.txt").to_json()


def test_ivig_markers_exactly(ivig: dict) -> None:  # type: ignore[type-arg]
    assert len(ivig["references"]) == 11
    assert [(c["line"], c["marker"], c["refs"]) for c in ivig["citations"]] == [
        (12, "[1]", ["1"]), (13, "[2]", ["2"]), (29, "[3]", ["3"]), (35, "[4]", ["4"]),
        (36, "[5]", ["5"]), (37, "[6]", ["6"]), (40, "[7]", ["7"]), (45, "[8,9]", ["8", "9"]),
        (49, "[3]", ["3"]), (55, "[10]", ["10"]), (59, "[11]", ["11"])]
    codes = {f["code"] for f in ivig["findings"]}
    assert not codes & {"dangling-citation", "unused-reference", "claim-year-mismatch",
                        "citation-order", "duplicate-reference"}


def test_ivig_lead_in_lists_carry_the_lead_ins_references(ivig: dict) -> None:  # type: ignore[type-arg]
    by_line = {}
    for claim in ivig["claims"]:
        by_line.setdefault(claim["line"], []).append(claim)
    for line in (46, 47, 48):
        assert [(c["refs"], c["via"]) for c in by_line[line]] == [(["8", "9"], "lead-in")]
    for line in (38, 39):
        assert [(c["refs"], c["via"]) for c in by_line[line]] == [(["6"], "lead-in")]
    assert by_line[59][0]["refs"] == ["11"]  # "In a 2022 study ..." is backed by "During the study"
    assert by_line[59][0]["via"] == "next-sentence"


def test_ivig_uncited_claims_under_the_default_policy(ivig: dict) -> None:  # type: ignore[type-arg]
    uncited = [(f["line"], f["found"]) for f in ivig["findings"] if f["code"] == "uncited-claim"]
    assert uncited == [(14, "Other triggers can include:"),
                       (57, "Studies show that 1 in 10 children with s-JIA develops MAS.")]
    # headings, question headings and navigation are never claims
    texts = {c["text"] for c in ivig["claims"]}
    assert "What are the treatment options for MAS?" not in texts
    assert "Nhận hỗ trợ tài chính" not in texts
    assert not any(c["line"] >= 62 for c in ivig["claims"])  # nor the reference list


def test_ivig_offsets_slice_the_original_text(ivig: dict) -> None:  # type: ignore[type-arg]
    text = (EXAMPLES / "ivig-for-mas.txt").read_text(encoding="utf-8")
    assert all(text[c["start"]:c["end"]] == c["marker"] for c in ivig["citations"])
    assert all(text[c["start"]:c["end"]] == c["text"] for c in ivig["claims"])
    assert ivig["summary"]["coverage"] == {
        "policy": "standard", "claims": 59, "claims_cited": 17, "needing_citation": 6,
        "cited": 4, "uncited": 2, "coverage": 0.6667}


def test_about_mas_has_no_list_no_citations_and_zero_coverage() -> None:
    report = check(EXAMPLES / "about-mas.txt")
    assert report.references == []
    assert report.citations == []
    assert {f.code for f in report.findings} == {"uncited-claim"}
    assert [f.line for f in report.findings] == [29, 29, 35, 37, 39, 51, 63, 63, 63]
    assert report.coverage["coverage"] == 0.0
    assert report.exit_code() == 0
    assert "6." not in {c.text for c in report.claims}  # the empty list item is not a claim


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("Smith et al. showed it. Then e.g. this vs. that happened.",
         ["Smith et al. showed it.", "Then e.g. this vs. that happened."]),
        ("In the U.S. it is used. Survival was 75.2% at 2 g/kg/dose. See Fig. 2 below.",
         ["In the U.S. it is used.", "Survival was 75.2% at 2 g/kg/dose.", "See Fig. 2 below."]),
        ("It occurs in 20% of cases. [1] Next sentence here.",
         ["It occurs in 20% of cases. [1]", "Next sentence here."]),
        ("J. Smith agreed. “Quoted.” (Aside.) Done!",
         ["J. Smith agreed.", "“Quoted.”", "(Aside.)", "Done!"]),
    ],
)
def test_split_sentences(text: str, sentences: list[str]) -> None:
    assert [s.text for s in split_sentences(text)] == sentences


@pytest.mark.parametrize(
    ("sentence", "reasons"),
    [
        ("Infections trigger nearly 50% of MAS cases.", ["statistic", "cause/mechanism"]),
        ("Studies show that 1 in 10 children develop MAS.", ["statistic", "study finding"]),
        ("The FDA has not yet approved any IVIG product.", ["regulatory status"]),
        ("IVIG is usually preferred when a patient is moderately ill.", ["treatment/dose"]),
        ("Corticosteroids are the most commonly used treatment.", ["treatment/dose",
                                                                   "comparison"]),
        ("In a 2001 study, IVIG improved symptoms.", ["symptom", "study finding"]),
        ("MAS is a rare, potentially life-threatening complication of SJIA.",
         ["epidemiology", "definition", "prognosis"]),
        ("Having a family history of MAS increases the risk.", ["risk factor"]),
        ("Survival at 6 months was lower than in children.", ["prognosis", "comparison"]),
        ("The heart pumps blood.", []),
    ],
)
def test_citation_reasons(sentence: str, reasons: list[str]) -> None:
    assert citation_reasons(sentence) == reasons


@pytest.mark.parametrize(
    ("sentence", "why"),
    [
        ("What are the treatment options for MAS?", "question"),
        ("Discover how IVIG works and find answers to your most common questions.",
         "call to action"),
        ("Talk to a specialist", "call to action"),
        ("Get financial support", "call to action"),
        ("Nói chuyện với một chuyên gia", "not English"),
        ("Gan và lách to", "not English"),
        ("This article explains how IVIG is given.", "the document's own aims"),
        ("Here, we describe a new assay.", "the document's own aims"),
        ("Large, controlled trials are needed to confirm clear benefits.", "call for research"),
        ("Fever", "fragment"),
        ("Normally, these cells help destroy microorganisms.", None),
        ("Globulin miễn dịch tiêm tĩnh mạch (IVIG) for macrophage activation syndrome (MAS) may be "
         "an option when patients cannot use other immunosuppressive medications.", None),
    ],
)
def test_what_is_not_a_claim(sentence: str, why: str | None) -> None:
    assert not_a_claim(sentence) == why


def test_years_named() -> None:
    assert years_named("according to the 2022 EULAR/ACR consensus statements") == [2022]
    assert years_named("Researchers from a 2020 case report revealed") == [2020]
    assert years_named("Overall survival at 3 and 6 months was 75.2%") == []


def test_claim_year_mismatch_and_consistency() -> None:
    text = ("A 2015 study found a 30% response [1]. The 2022 guidelines recommend it [2]. "
            "A 2019 trial showed 40% survival [3].\n\nReferences\n\n"
            "1. Smith J. Response. J Med. 2009;1:2.\n"
            "2. Lee K. The 2022 guidelines on treatment. Ann Med. 2023;3:4.\n"
            "3. Park S. A trial. Lancet. 2020;5:6.\n")
    report = check_document(parse_document(text, "doc.txt"))
    mismatches = [(f.code, f.found, f.expected, f.ref) for f in report.findings
                  if f.code == "claim-year-mismatch"]
    assert mismatches == [("claim-year-mismatch", "2015", "2009", "1")]


def test_author_date_document_links_by_author_year_and_suffix() -> None:
    text = ("Early work (Smith, 2019a) and later (Smith 2019b; Lee et al., 2021, p. 4) agree. "
            "Nam and Kim (2022) disagree, as does (Unknown, 2018).\n\nReferences\n\n"
            "Smith J, Doe A. Macrophage activation in adults. J Immunol. 2019;12(3):101-105.\n\n"
            "Smith J. Ferritin levels in children with fever. Pediatr Res. 2019;8:33-40.\n\n"
            "Lee K, Park S, Choi M. Interleukin-1 blockade in systemic arthritis. Lancet Rheumatol. "
            "2021;3(2):e55-e60.\n\n"
            "Nam S, Kim J. Survival of adults with rheumatic disease. PLoS One. 2022;17:e0267715.\n\n"
            "Old A. Outcomes of plasma exchange. Transfusion. 2001;41(2):200-209.\n")
    report = check_document(parse_document(text, "doc.md", "markdown"))
    assert [(c.marker, c.refs) for c in report.citations] == [
        ("(Smith, 2019a)", ["1"]), ("(Smith 2019b; Lee et al., 2021, p. 4)", ["2", "3"]),
        ("Nam and Kim (2022)", ["4"]), ("(Unknown, 2018)", [])]
    assert [(f.code, f.found or f.ref) for f in report.findings
            if f.code in ("dangling-citation", "unused-reference")] == [
        ("dangling-citation", "(Unknown, 2018)"), ("unused-reference", "5")]


def test_citation_order_in_numeric_documents() -> None:
    text = ("First [1]. Then [3]. Then [2]. Again [1].\n\nReferences\n\n"
            "1. A. 2001.\n2. B. 2002.\n3. C. 2003.\n")
    report = check_document(parse_document(text, "doc.txt"))
    assert [(f.code, f.found, f.message) for f in report.findings if f.code == "citation-order"] == [
        ("citation-order", "[3]", "[3] is cited before [2]: numeric styles number references in "
                                  "order of first citation")]


def test_markdown_with_pandoc_keys_and_a_csl_json_bibliography(tmp_path: Path) -> None:
    bib = tmp_path / "refs.json"
    bib.write_text(json.dumps([
        {"id": "smith2020", "type": "article-journal", "title": "A", "DOI": "10.1000/a",
         "container-title": "J Med"},
        {"id": "lee2021", "type": "book", "title": "B"},
        {"id": "unused2000", "type": "book", "title": "C"}]))
    doc = tmp_path / "doc.md"
    doc.write_text("# Title\n\nA claim in 2020 with 45% [@smith2020; @lee2021, p. 3].\n\n"
                   "```\n[@notacitation]\n```\n\nAnother says @lee2021 and [@missing].\n")
    report = check(doc, [bib])
    assert [(c.marker, c.refs, c.line) for c in report.citations] == [
        ("[@smith2020; @lee2021, p. 3]", ["smith2020", "lee2021"], 3),
        ("@lee2021", ["lee2021"], 9), ("[@missing]", [], 9)]
    assert [(f.code, f.line) for f in report.findings] == [
        ("dangling-citation", 9), ("unused-reference", 1)]
    assert report.findings[1].ref == "unused2000"


def test_html_document_with_superscripts_and_a_reference_list() -> None:
    html = ("<html><head><title>T</title><script>var a = [1];</script></head><body>"
            "<nav>Home [9]</nav><h1>Heading</h1>"
            "<p>Mortality is 20%<sup>1,2</sup> in adults &amp; children.</p>"
            "<p>It was approved in 2019 [3].</p>"
            "<h2>References</h2><ol><li>Smith J. One. 2001.</li><li>Lee K. Two. 2002.</li>"
            "<li>Park S. Three. 2019. doi:10.1000/three</li></ol></body></html>")
    report = check_document(parse_document(html, "page.html"))
    assert [(r.id, r.doi) for r in report.references] == [("1", None), ("2", None),
                                                           ("3", "10.1000/three")]
    assert [(c.marker, c.refs, html[c.start:c.end]) for c in report.citations] == [
        ("1,2", ["1", "2"], "<sup>1,2</sup>"), ("[3]", ["3"], "[3]")]
    claim = report.claims[0]
    assert claim.text == "Mortality is 20%1,2 in adults & children."
    assert html[claim.start:claim.end] == "Mortality is 20%<sup>1,2</sup> in adults &amp; children."
    assert claim.refs == ["1", "2"]


def test_rst_document_with_citations() -> None:
    rst = ("Title\n=====\n\nA claim with 30% [Smith2020]_ and :cite:`lee`.\n\n"
           "References\n----------\n\n.. [Smith2020] Smith J. A paper. 2020.\n\n"
           ".. [lee] Lee K. Another. 2021.\n")
    report = check_document(parse_document(rst, "doc.rst"))
    assert [r.id for r in report.references] == ["Smith2020", "lee"]
    assert [(c.marker, c.refs) for c in report.citations] == [
        ("[Smith2020]_", ["Smith2020"]), (":cite:`lee`", ["lee"])]
    assert report.findings == []


def test_latex_document_with_thebibliography() -> None:
    tex = ("\\documentclass{article}\n\\begin{document}\n\\section{Intro}\n"
           "A claim of 30\\% \\cite{smith,lee}. % a comment \\cite{ignored}\n\n"
           "\\begin{thebibliography}{9}\n\\bibitem{smith} J. Smith. A paper. 2020.\n"
           "\\bibitem{lee} K. Lee. Another. 2021.\n\\end{thebibliography}\n\\end{document}\n")
    report = check_document(parse_document(tex, "doc.tex"))
    assert [r.id for r in report.references] == ["smith", "lee"]
    assert [(c.marker, c.refs) for c in report.citations] == [("\\cite{smith,lee}", ["smith", "lee"])]
    assert report.findings == []


def test_check_markdown_with_bibtex_keys(tmp_path: Path) -> None:
    from .conftest import BIB

    doc = tmp_path / "note.md"
    doc.write_text("IVIG may help in 50% of cases [@bojan2021macrophage; @nam2022macrophage].\n")
    report = check(doc, [BIB / "mas.bib"])
    assert report.citations[0].refs == ["bojan2021macrophage", "nam2022macrophage"]
    assert sum(f.code == "unused-reference" for f in report.findings) == 9
    assert read_references_text("", "bibtex").references == []

"""Verification: each field compared with the record, calibrated severities, status notices."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from mascite import check
from mascite.checks.rules.compare import compare_titles
from mascite.checks.rules.verify import (
    journals_match,
    pages_match,
    status_findings,
    verify_reference,
)
from mascite.crossref import CrossrefClient, record_from_work
from mascite.model import Reference, Severity
from mascite.testing import CrossrefStandIn, work_from_reference

from .conftest import BIB, EXAMPLES

WORK: dict[str, Any] = {
    "DOI": "10.1002/ajh.1141", "type": "journal-article",
    "title": ["Hyperferritinemia as indicator for intravenous immunoglobulin treatment in reactive "
              "macrophage activation syndromes"],
    "author": [{"family": "Emmenegger", "given": "Urban"}, {"family": "Frey", "given": "Ulrich"},
               {"family": "Reimers", "given": "Anja"}],
    "container-title": ["American Journal of Hematology"],
    "short-container-title": ["Am. J. Hematol."], "volume": "68", "issue": "1", "page": "4-10",
    "published-print": {"date-parts": [[2001, 9]]}, "published-online": {"date-parts": [[2001, 8, 6]]},
    "issued": {"date-parts": [[2001, 8, 6]]},
}
RECORD = record_from_work(WORK)


def ref(**changes: Any) -> Reference:
    item: dict[str, Any] = {
        "type": "article-journal", "author": [{"family": "Emmenegger", "given": "U"}],
        "truncated-authors": True,
        "title": "Hyperferritinemia as Indicator for Intravenous Immunoglobulin Treatment in "
                 "Reactive Macrophage Activation Syndromes",
        "container-title": "Am J Hematol", "volume": "68", "issue": "1", "page": "4-10",
        "issued": {"date-parts": [[2001]]}, "DOI": "10.1002/ajh.1141"}
    item.update(changes)
    return Reference.from_csl({k: v for k, v in item.items() if v is not None})


def codes(reference: Reference, confidence: dict[str, float] | None = None) -> list[tuple]:  # type: ignore[type-arg]
    return [(f.code, f.field, f.severity.value, f.expected, f.found)
            for f in verify_reference(reference, RECORD, confidence)]


def test_a_correct_reference_has_no_finding() -> None:
    assert codes(ref()) == []


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"volume": "86"}, [("field-mismatch", "volume", "error", "68", "86")]),
        ({"issue": "2"}, [("field-mismatch", "issue", "warning", "1", "2")]),
        ({"page": "4-19"}, [("field-mismatch", "page", "info", "4-10", "4-19")]),
        ({"page": "14-20"}, [("field-mismatch", "page", "error", "4-10", "14-20")]),
        ({"page": "4-10"}, []),
        ({"issued": {"date-parts": [[2002]]}},  # neither the print nor the online year
         [("field-mismatch", "issued", "warning", "2001", "2002")]),
        ({"issued": {"date-parts": [[2005]]}},
         [("field-mismatch", "issued", "error", "2001", "2005")]),
        ({"author": [{"family": "Emenegger", "given": "U"}]},  # a changed letter is another name
         [("field-mismatch", "author", "error", "Emmenegger, Urban", "Emenegger, U")]),
        ({"author": [{"family": "Emmenegger", "given": "Ü."}]}, []),
        ({"author": [{"family": "Smith", "given": "U"}]},
         [("field-mismatch", "author", "error", "Emmenegger, Urban", "Smith, U")]),
        ({"author": [{"family": "Emmenegger"}, {"family": "Frey"}], "truncated-authors": None},
         [("field-mismatch", "author", "warning", "3", "2")]),
        ({"container-title": "American Journal of Haematology and Oncology"},
         [("field-mismatch", "container-title", "warning", "American Journal of Hematology",
           "American Journal of Haematology and Oncology")]),
        ({"title": "Hyperferritinemia as indicator for IVIG treatment in MAS"},
         [("field-mismatch", "title", "error",
           "Hyperferritinemia as indicator for intravenous immunoglobulin treatment in reactive "
           "macrophage activation syndromes",
           "Hyperferritinemia as indicator for IVIG treatment in MAS")]),
    ],
)
def test_each_field_difference(changes: dict[str, Any], expected: list[tuple]) -> None:  # type: ignore[type-arg]
    assert codes(ref(**changes)) == expected


def test_a_guessed_field_is_reported_one_level_lower() -> None:
    found = verify_reference(ref(volume="86"), RECORD, {"volume": 0.4})
    assert [(f.severity, f.message.endswith("check the list itself)")) for f in found] == [
        (Severity.WARNING, True)]


def test_a_doi_of_another_work() -> None:
    other = ref(title="Calm in the midst of cytokine storm",
                author=[{"family": "Halyabar", "given": "O"}])
    assert [(c[0], c[2]) for c in codes(other)] == [("doi-mismatch", "error")]


def test_titles_journals_and_pages() -> None:
    assert compare_titles("The DNA of <i>E. coli</i>", "The <span class=\"nocase\">DNA</span> "
                          "of E. coli").same
    assert compare_titles("Macrophage activation syndrome", "Macrophage activation syndrome",
                          "a review").same
    assert compare_titles("Macrophage activation syndrome: a review",
                          "Macrophage activation syndrome", "A review").same
    plos = record_from_work({"DOI": "10.1/x", "container-title": ["PLOS ONE"],
                             "short-container-title": ["PLoS ONE"], "page": "e0267715"})
    assert journals_match("PLoS ONE", plos)
    assert journals_match("Exp Ther Med", record_from_work({"DOI": "10.1/y", "container-title": [
        "Experimental and Therapeutic Medicine"]}))
    assert journals_match("Human Vaccines & Immunotherapeutics", record_from_work({
        "DOI": "10.1/z", "container-title": ["Human Vaccines &amp; Immunotherapeutics"]}))
    assert journals_match("Hum Vaccin Immunother", record_from_work({
        "DOI": "10.1/z", "container-title": ["Human Vaccines & Immunotherapeutics"]}))
    assert not journals_match("Journal of Hematology", record_from_work({
        "DOI": "10.1/w", "container-title": ["American Journal of Hematology"]}))
    assert pages_match("e0267715", plos) == "same"
    assert pages_match("1271-85", record_from_work({"DOI": "10.1/v", "page": "1271-1285"})) == "same"
    assert pages_match("904", record_from_work({"DOI": "10.1/u", "article-number": "904"})) == "same"


def test_status_notices() -> None:
    work = dict(WORK)
    work["updated-by"] = [
        {"DOI": "10.1002/ajh.9999", "type": "retraction", "label": "Retraction",
         "source": "retraction-watch", "updated": {"date-parts": [[2024, 2, 1]]}},
        {"DOI": "10.1002/ajh.8888", "type": "expression_of_concern", "label": "Expression of "
         "concern", "source": "publisher", "updated": {"date-parts": [[2023, 5, 1]]}},
        {"DOI": "10.1002/ajh.7777", "type": "correction", "label": "Correction",
         "source": "publisher", "updated": {"date-parts": [[2002, 1, 1]]}}]
    work["relation"] = {"is-preprint-of": [{"id": "10.1000/published", "id-type": "doi"}]}
    found = status_findings(record_from_work(work))
    assert [(f.code, f.severity.value, f.expected) for f in found] == [
        ("retracted", "error", "10.1002/ajh.9999"),
        ("expression-of-concern", "warning", "10.1002/ajh.8888"),
        ("corrected", "info", "10.1002/ajh.7777"),
        ("preprint-published", "info", "10.1000/published")]
    assert found[0].message == ("10.1002/ajh.1141 has a Retraction (notice 10.1002/ajh.9999, "
                                "2024-02-01, source: retraction-watch)")


def _client(server: CrossrefStandIn) -> CrossrefClient:
    return CrossrefClient(requests.Session(), base_url=server.url,
                          resolver_url=server.resolver_url, mailto="editor@example.org",
                          use_default_cache=False)


def test_the_ivig_references_verify_without_error() -> None:
    """The stand-in serves records built from bib/mas.bib (not recorded Crossref responses)."""
    from mascite import read_references

    works = [work_from_reference(r) for r in read_references(BIB / "mas.bib").references]
    with CrossrefStandIn(works) as server:
        report = check(EXAMPLES / "ivig-for-mas.txt", offline=False, client=_client(server))
    assert [r.status for r in report.references] == ["verified"] * 11
    assert [f for f in report.findings if f.severity != Severity.WARNING
            or f.code != "uncited-claim"] == []


def test_one_injected_doi_typo_is_reported_exactly(tmp_path: Any) -> None:
    from mascite import read_references

    text = (EXAMPLES / "ivig-for-mas.txt").read_text(encoding="utf-8")
    doc = tmp_path / "ivig.txt"
    doc.write_text(text.replace("doi:10.1002/ajh.1141", "doi:10.1002/ajh.1411"), encoding="utf-8")
    works = [work_from_reference(r) for r in read_references(BIB / "mas.bib").references]
    with CrossrefStandIn(works) as server:
        report = check(doc, offline=False, client=_client(server))
    problems = [(f.code, f.line, f.found) for f in report.findings if f.code != "uncited-claim"]
    assert problems == [("doi-not-found", 66, "10.1002/ajh.1411")]
    assert [r.status for r in report.references].count("not-found") == 1


def test_cli_fix_shows_and_applies_corrections(tmp_path: Any) -> None:
    import os
    import subprocess
    import sys

    from mascite import read_references

    from .conftest import ROOT

    original = (BIB / "mas.bib").read_text(encoding="utf-8")
    broken = original.replace("  volume = {68},\n  number = {1},\n  pages = {4--10},",
                              "  volume = {86},\n  number = {1},\n  pages = {4--19},")
    assert broken != original
    bib = tmp_path / "refs.bib"
    bib.write_text(broken, encoding="utf-8")
    works = [work_from_reference(r) for r in read_references(BIB / "mas.bib").references]
    with CrossrefStandIn(works) as server:
        env = {**os.environ, "MASCITE_CROSSREF_URL": server.url, "MASCITE_CACHE": "off",
               "MASCITE_MAILTO": "editor@example.org"}
        shown = subprocess.run([sys.executable, "-m", "mascite", "fix", str(bib)], env=env,
                               capture_output=True, text=True, cwd=ROOT, check=False, timeout=60)
        assert shown.returncode == 1, shown.stderr
        changed = [line for line in shown.stdout.splitlines()
                   if line[:1] in "+-" and not line.startswith(("+++", "---"))]
        assert changed == ["-  volume = {86},", "+  volume = {68},", "-  pages = {4--19},",
                           "+  pages = {4--10},"]
        assert bib.read_text(encoding="utf-8") == broken  # nothing written without --write
        written = subprocess.run([sys.executable, "-m", "mascite", "fix", str(bib), "--write",
                                  "--only", "volume"], env=env, capture_output=True, text=True,
                                 cwd=ROOT, check=False, timeout=60)
        assert written.returncode == 0, written.stderr
    fixed = bib.read_text(encoding="utf-8")
    assert fixed == broken.replace("  volume = {86},", "  volume = {68},")


def test_schema_checks_need_no_record() -> None:
    from mascite.checks.rules.identifiers import schema_findings

    reference = Reference.from_csl({
        "type": "article-journal", "title": "", "issued": {"date-parts": [[2035]]},
        "page": "210-201", "ISSN": "0003-9871", "ISBN": "978-0-306-40615-8"})
    found = schema_findings(reference, stated=True, this_year=2026)
    assert [(f.code, f.severity.value, f.message) for f in found] == [
        ("invalid-issn", "error", "ISSN 0003-9871: check digit is '1', expected 'X'"),
        ("invalid-isbn", "error", "ISBN 978-0-306-40615-8: ISBN-13 check digit does not match"),
        ("implausible-year", "error", "year 2035 is in the future"),
        ("page-order", "error", "pages 210-201: the first page comes after the last"),
        ("missing-title", "error", "no title"),
        ("missing-container", "warning", "a journal article without its journal")]
    guessed = schema_findings(reference, stated=False, this_year=2026)
    assert [f.code for f in guessed] == ["invalid-issn", "invalid-isbn", "implausible-year",
                                         "page-order"]
    assert schema_findings(Reference.from_csl({"type": "book", "title": "T", "issued": {
        "date-parts": [[1440]]}}), stated=True, this_year=2026)[0].message == (
        "year 1440 is before printing")

from __future__ import annotations

import json
import re

import pytest

from mascite.model import Date, Finding, Name, ParseFailure, Reference, Severity, plain_text

FULL_ITEM = {
    "id": "nam2022",
    "type": "article-journal",
    "author": [
        {"family": "Nam", "given": "So Hye"},
        {"family": "Gogh", "given": "Vincent", "non-dropping-particle": "van"},
        {"family": "Humboldt", "given": "Alexander", "dropping-particle": "von", "suffix": "Jr."},
        {"literal": "World Health Organization"},
    ],
    "editor": [{"family": "Lee", "given": "K."}],
    "issued": {"date-parts": [[2022, 5, 4]]},
    "accessed": {"date-parts": [[2024, 1]]},
    "original-date": {"date-parts": [[1999], [2001]], "circa": True},
    "submitted": {"season": 2, "date-parts": [[2021]]},
    "event-date": {"raw": "Spring 2021"},
    "title": "Macrophage activation in <i>vivo</i>",
    "subtitle": "A cohort",
    "title-short": "Macrophage activation",
    "original-title": "Activación de macrófagos",
    "translated-title": "Macrophage activation",
    "container-title": "PLOS ONE",
    "container-title-short": "PLoS ONE",
    "volume": 17,
    "issue": "5",
    "page": "e0267715",
    "article-number": "e0267715",
    "edition": 2,
    "publisher": "Public Library of Science",
    "publisher-place": "San Francisco",
    "DOI": "10.1371/journal.pone.0267715",
    "ISSN": "1932-6203",
    "ISBN": "9780306406157",
    "PMID": "35476741",
    "PMCID": "PMC9045636",
    "URL": "https://doi.org/10.1371/journal.pone.0267715",
    "language": "en",
    "note": "A note",
    "custom": {"anything": [1, 2], "truncated-authors": True},
    "x-unknown-variable": "kept",
    "url": "a lower-case key is an unknown variable, not URL",
}


def test_csl_json_round_trips_losslessly() -> None:
    reference = Reference.from_csl(FULL_ITEM)
    assert reference.to_csl() == FULL_ITEM
    assert json.loads(json.dumps(reference.to_csl())) == FULL_ITEM


def test_typed_access_to_csl_fields() -> None:
    reference = Reference.from_csl(FULL_ITEM)
    assert reference.volume == "17"  # numbers are held as text, written back as numbers
    assert reference.edition == "2"
    assert reference.year == 2022
    assert reference.issued is not None
    assert (reference.issued.month, reference.issued.day) == (5, 4)
    assert reference.container_title == "PLOS ONE"
    assert reference.doi == "10.1371/journal.pone.0267715"
    assert reference.url == "https://doi.org/10.1371/journal.pone.0267715"
    assert reference.get("container-title-short") == "PLoS ONE"
    assert reference.get("x-unknown-variable") == "kept"
    assert reference.get("url") == "a lower-case key is an unknown variable, not URL"
    assert reference.plain_title == "Macrophage activation in vivo"
    assert reference.author is not None
    assert [str(n) for n in reference.author] == [
        "Nam, So Hye", "van Gogh, Vincent", "Humboldt, Alexander von, Jr.",
        "World Health Organization"]
    assert reference.author[1].full_family == "van Gogh"
    assert reference.original_date is not None
    assert reference.original_date.circa is True


def test_date_parts_written_as_text_come_back_as_text() -> None:
    item = {"type": "book", "issued": {"date-parts": [["2008", 9, "25"]]}}
    reference = Reference.from_csl(item)
    assert reference.issued is not None
    assert reference.issued.date_parts == [[2008, 9, 25]]
    assert reference.year == 2008
    assert reference.to_csl() == item


def test_date_year_from_raw_and_literal() -> None:
    assert Date(raw="Spring 2021").year == 2021
    assert Date(literal="circa 1850").year == 1850
    assert Date(literal="forthcoming").year is None
    assert Date.of(2020, 5).to_csl() == {"date-parts": [[2020, 5]]}


def test_python_construction_uses_field_names() -> None:
    reference = Reference(type="book", title="T", doi="10.1000/x", container_title="C")
    assert reference.to_csl() == {"type": "book", "title": "T", "DOI": "10.1000/x",
                                  "container-title": "C"}


def test_invalid_csl_is_a_validation_error() -> None:
    with pytest.raises(ValueError, match="author"):
        Reference.from_csl({"type": "book", "author": "Smith"})


def test_csl_test_suite_items_round_trip(shared_data) -> None:  # type: ignore[no-untyped-def]
    """Every CSL-JSON item in the CSL processor test suite survives from_csl → to_csl unchanged."""
    count = 0
    for fixture in sorted((shared_data / "csl-test-suite" / "humans").glob("*.txt")):
        text = fixture.read_text(encoding="utf-8")
        match = re.search(r">>=+ INPUT =+>>\n(.*?)\n<<=+ INPUT =+<<", text, re.S)
        if match is None:
            continue
        for item in json.loads(match.group(1)):
            assert Reference.from_csl(item).to_csl() == item, fixture.name
            count += 1
    assert count >= 1700


def test_plain_text_and_findings() -> None:
    assert plain_text('The <span class="nocase">DNA</span> of <i>E. coli</i>') == "The DNA of E. coli"
    finding = Finding(code="unused-reference", severity=Severity.WARNING, message="m",
                      path="a.txt", line=3, column=7)
    assert finding.location() == "a.txt:3:7"
    assert Severity.ERROR.rank > Severity.WARNING.rank > Severity.INFO.rank
    failure = ParseFailure(path="refs.bib", line=12, message="broken entry", raw="@article{x")
    assert failure.location_message() == "refs.bib:12: broken entry"
    assert failure.to_finding().code == "parse-error"
    assert Name(literal="WHO").full_family == "WHO"


def test_a_reference_holds_only_the_fields_it_has() -> None:
    """Sparse models: a long bibliography does not hold 68 slots per item (see model/sparse.py)."""
    item = {"id": "a", "type": "book", "title": "T", "author": [{"family": "X", "given": "Y"}],
            "issued": {"date-parts": [[2020]]}, "publisher-city": "Oslo"}
    reference = Reference.from_csl(item)
    assert list(reference.__dict__) == ["id", "type", "author", "issued", "title"]
    assert list(reference.author[0].__dict__) == ["family", "given"]  # type: ignore[index]
    assert reference.author[0].__pydantic_extra__ is None  # type: ignore[index]
    assert (reference.volume, reference.doi, reference.author[0].suffix) == (None, None, None)  # type: ignore[index]
    assert reference.get("publisher-city") == "Oslo"
    assert reference.to_csl() == item
    with pytest.raises(AttributeError):
        reference.no_such_field  # noqa: B018
    # equality does not see whether an absent field is held as None
    assert reference == Reference.from_csl(item).model_copy(update={"volume": None})
    assert reference != Reference.from_csl({**item, "volume": "2"})
    assert Name(family="A") == Name(family="A", given=None)
    # items that give the same fields share one set of them, and a change to one stays its own
    other = Reference.from_csl({**item, "title": "U"})
    assert other.model_fields_set is reference.model_fields_set
    other.volume = "3"
    assert (other.volume, reference.volume) == ("3", None)
    assert "volume" in other.model_fields_set
    assert "volume" not in reference.model_fields_set
    copied = reference.model_copy(update={"page": "1-2"})
    assert (copied.page, reference.page) == ("1-2", None)
    assert "page" not in reference.model_fields_set
    reference.title = None  # an assignment of None is not held either
    assert "title" not in reference.__dict__
    assert reference.title is None


def test_report_json_names_every_reference_field_when_the_reference_holds_few() -> None:
    from mascite.model import ReportReference

    item = ReportReference(id="a", doi="10.1/x", status="unverified")
    assert list(item.__dict__) == ["id", "raw", "csl", "doi", "status", "confidence", "spans",
                                   "field_lines"]
    from mascite.model import Report

    data = Report(document="d.md", references=[item]).to_json()
    assert data["references"] == [{
        "id": "a", "label": None, "raw": "", "line": None, "path": None, "csl": {"id": "a"},
        "doi": "10.1/x", "doi_source": None, "search_score": None, "search_certain": None,
        "status": "unverified", "record": None, "agency": None, "confidence": {}}]

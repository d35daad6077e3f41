from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mascite.errors import IdentifierError
from mascite.identifiers import (
    doi_problem,
    doi_url,
    find_arxiv_ids,
    find_dois,
    find_pmcids,
    find_pmids,
    isbn10_to_13,
    isbn_problem,
    issn_problem,
    normalize_arxiv,
    normalize_doi,
    normalize_isbn,
    normalize_issn,
    normalize_pmcid,
    normalize_pmid,
)

SICI = "10.1002/(SICI)1097-4636(199703)34:3<371::AID-JBM11>3.0.CO;2-N"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("doi:10.3892/etm.2021.10336", "10.3892/etm.2021.10336"),
        ("Pages 92-95. doi: 10.4274/jpr.30602.", "10.4274/jpr.30602"),
        ("DOI 10.1002/ajh.1141", "10.1002/ajh.1141"),
        ("DOI: 10.1002/ajh.1141;", "10.1002/ajh.1141"),
        ("(2019). https://doi.org/10.1186/s12969-019-0309-6", "10.1186/s12969-019-0309-6"),
        ("http://dx.doi.org/10.1007/s10875-011-9616-5.", "10.1007/s10875-011-9616-5"),
        ("https://doi.org/10.1002%2Fajh.1141", "10.1002/ajh.1141"),
        ("<doi:10.1000/xyz123>", "10.1000/xyz123"),
        ("<https://doi.org/10.1000/xyz123>.", "10.1000/xyz123"),
        ("“10.1000/abc”", "10.1000/abc"),
        ("(doi:10.1000/abc).", "10.1000/abc"),
        ("[doi:10.1000/abc]", "10.1000/abc"),
        ("Lancet. doi:10.1016/s0140-6736(97)11096-0.", "10.1016/s0140-6736(97)11096-0"),
        ("(see 10.1016/s0140-6736(97)11096-0)", "10.1016/s0140-6736(97)11096-0"),
        (f"J Biomed Mater Res. {SICI}, 1997", SICI),
        ("https://doi.org/10.1186/s12969-\n019-0309-6 next", "10.1186/s12969-019-0309-6"),
        ("doi: 10.1016/j.\ncell.2020.01.001", "10.1016/j.cell.2020.01.001"),
        ("info:doi/10.1371/journal.pone.0267715", "10.1371/journal.pone.0267715"),
        ("id=10.1371/journal.pone.0267715&type=printable", "10.1371/journal.pone.0267715&type=printable"),
    ],
)
def test_find_dois_in_every_written_form(text: str, expected: str) -> None:
    assert [m.doi for m in find_dois(text)] == [expected]


def test_find_dois_offsets_cover_the_doi_as_written() -> None:
    text = "See doi:10.1002/ajh.1141. And https://doi.org/10.14740/jh495"
    matches = find_dois(text)
    assert [(m.doi, text[m.start:m.end]) for m in matches] == [
        ("10.1002/ajh.1141", "10.1002/ajh.1141"),
        ("10.14740/jh495", "10.14740/jh495"),
    ]


def test_a_period_at_a_line_end_is_not_a_wrap_into_prose() -> None:
    assert [m.doi for m in find_dois("doi:10.1002/ajh.1141.\nNext reference 2020")] == [
        "10.1002/ajh.1141"
    ]


def test_no_doi_in_plain_text_or_numbers() -> None:
    assert find_dois("In 10.5 percent of 20 cases, 10.1234 was seen.") == []


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("", "empty"),
        ("11.1234/abc", "does not start with the DOI prefix '10.'"),
        ("10.1234", "no '/' between prefix and suffix"),
        ("10.12/abc", "registrant code '12' is not 4 to 9 digits"),
        ("10.abcd/abc", "registrant code 'abcd' is not 4 to 9 digits"),
        ("10.1234/", "empty suffix after '/'"),
        ("10.1234/a b", "contains white space"),
        ("10.1234/a\x00b", "contains control characters"),
    ],
)
def test_doi_problem_says_why(value: str, reason: str) -> None:
    assert doi_problem(value) == reason
    with pytest.raises(IdentifierError) as caught:
        normalize_doi(value)
    assert caught.value.reason == reason
    assert caught.value.kind == "DOI"


@pytest.mark.parametrize(
    "value",
    ["10.1002/AJH.1141", "doi:10.1002/ajh.1141", "https://doi.org/10.1002/ajh.1141",
     "http://dx.doi.org/10.1002%2Fajh.1141", " DOI: 10.1002/Ajh.1141 ", "<doi:10.1002/ajh.1141>"],
)
def test_normalize_doi_gives_one_spelling(value: str) -> None:
    assert normalize_doi(value) == "10.1002/ajh.1141"


def test_doi_url_encodes_what_would_escape_the_path() -> None:
    assert doi_url("10.1002/ajh.1141") == "https://doi.org/10.1002/ajh.1141"
    assert doi_url(SICI) == (
        "https://doi.org/10.1002/(SICI)1097-4636(199703)34:3%3C371::AID-JBM11%3E3.0.CO;2-N")
    assert doi_url("10.1000/a?b#c") == "https://doi.org/10.1000/a%3Fb%23c"


@pytest.mark.parametrize(
    ("value", "problem"),
    [("0003-987X", None), ("0003-987x", None), ("ISSN 2045-2322", None), ("1476-4687", None),
     ("0003-9871", "check digit is '1', expected 'X'"),
     ("003-987X", "not eight characters of the form NNNN-NNNC")],
)
def test_issn_check_digit(value: str, problem: str | None) -> None:
    assert issn_problem(value) == problem


def test_normalize_issn() -> None:
    assert normalize_issn("0003987x") == "0003-987X"
    with pytest.raises(IdentifierError):
        normalize_issn("0003-9871")


@pytest.mark.parametrize(
    ("value", "problem"),
    [("978-0-306-40615-7", None), ("0-306-40615-2", None), ("ISBN 0-8044-2957-X", None),
     ("978-0-306-40615-8", "ISBN-13 check digit does not match"),
     ("0-306-40615-3", "ISBN-10 check digit does not match"),
     ("977-0-306-40615-7", "ISBN-13 must start with 978 or 979"),
     ("12345", "not 10 or 13 digits")],
)
def test_isbn_check_digits(value: str, problem: str | None) -> None:
    assert isbn_problem(value) == problem


def test_isbn_normalise_and_convert() -> None:
    assert normalize_isbn("ISBN-10: 0-8044-2957-x") == "080442957X"
    assert isbn10_to_13("0-306-40615-2") == "9780306406157"
    assert isbn10_to_13("978-0-306-40615-7") == "9780306406157"


def test_pmid_pmcid_arxiv() -> None:
    assert normalize_pmid("PMID: 0034567") == "34567"
    assert normalize_pmcid("pmc 1234567") == "PMC1234567"
    assert find_pmids("Nature. 2020. PMID: 32015507; PMCID: PMC7092803") == ["32015507"]
    assert find_pmcids("PMCID: PMC7092803") == ["PMC7092803"]
    assert find_arxiv_ids("arXiv:2101.00001v2, https://arxiv.org/abs/hep-th/9901001") == [
        "2101.00001v2", "hep-th/9901001"]
    assert normalize_arxiv("https://arxiv.org/pdf/2101.00001.pdf") == "2101.00001"
    with pytest.raises(IdentifierError, match="month 13"):
        normalize_arxiv("arXiv:2113.00001")
    with pytest.raises(IdentifierError):
        normalize_pmid("PMID: 0")


# Property-based: no input string makes the DOI code raise anything but IdentifierError.

@given(st.text())
def test_find_dois_never_raises_and_finds_only_valid_dois(text: str) -> None:
    for match in find_dois(text):
        assert doi_problem(match.doi) is None
        assert 0 <= match.start < match.end <= len(text)


@given(st.text())
def test_doi_functions_raise_only_identifier_error(text: str) -> None:
    problem = doi_problem(text)
    if problem is not None:
        with pytest.raises(IdentifierError) as caught:
            normalize_doi(text)
        assert caught.value.reason == problem
    else:
        normalized = normalize_doi(text)
        assert normalize_doi(normalized) == normalized


@given(st.from_regex(r"10\.[0-9]{4,9}/[A-Za-z0-9._;()/:<>-]{1,30}", fullmatch=True))
def test_generated_dois_are_found_after_a_prefix(doi: str) -> None:
    expected = doi.rstrip(".,;:")
    while expected and expected[-1] in ")>" and expected.count(
            {")": "(", ">": "<"}[expected[-1]]) < expected.count(expected[-1]):
        expected = expected[:-1].rstrip(".,;:")
    if doi_problem(expected) is not None:
        return
    assert [m.doi for m in find_dois(f"Text, doi:{doi} more")] == [expected]


@given(st.text())
def test_issn_isbn_checks_never_raise(text: str) -> None:
    for check, normalize in ((issn_problem, normalize_issn), (isbn_problem, normalize_isbn)):
        problem = check(text)
        assert problem is None or isinstance(problem, str)
        if problem is None:
            assert check(normalize(text)) is None
        else:
            with pytest.raises(IdentifierError):
                normalize(text)

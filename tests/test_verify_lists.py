"""Verification on reference lists as journals print them: each failure an independent
measurement found (references without a DOI, NLM dates, given-name-first lists, changed words
and letters, years, issues, politeness), with exact findings."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import requests

from mascite import check_document, parse_document
from mascite.checks.resolve import resolve_report
from mascite.checks.rules.verify import Written, verify_reference
from mascite.crossref import CrossrefClient, LookupCache, record_from_work
from mascite.refparse import parse_reference
from mascite.refparse.names import split_authors
from mascite.testing import CrossrefStandIn

PEERJ: dict[str, Any] = {
    "DOI": "10.7717/peerj.18789", "type": "journal-article",
    "title": ["Seasonal foraging of reef fishes in a marine protected area"],
    "author": [{"family": "Lapeyrolerie", "given": "Anne"}, {"family": "Müller", "given": "Jens"},
               {"family": "Öztürk", "given": "Cem"}],
    "container-title": ["PeerJ"], "short-container-title": ["PeerJ"], "volume": "13",
    "article-number": "e18789", "issued": {"date-parts": [[2025, 1, 10]]},
    "published-print": {"date-parts": [[2025]]}, "published-online": {"date-parts": [[2025, 1, 10]]},
}
MONTE: dict[str, Any] = {
    "DOI": "10.1063/1.555", "type": "journal-article",
    "title": ["Sampling the free energy landscape of small peptides in Monte Carlo studies of "
              "folding kinetics"],
    "author": [{"family": "Rieck", "given": "Konrad"}, {"family": "Laskov", "given": "Pavel"}],
    "container-title": ["The Journal of Chemical Physics"],
    "short-container-title": ["J Chem Phys"], "volume": "121", "issue": "3-4", "page": "1271-1285",
    "issued": {"date-parts": [[2004]]}, "published-print": {"date-parts": [[2004, 7]]},
    "published-online": {"date-parts": [[2004, 6, 20]]},
}


def findings(text: str, work: dict[str, Any]) -> list[tuple[str, str | None, str]]:
    """What verification says of a free-text reference against a record."""
    parsed = parse_reference(text)
    found = verify_reference(parsed.reference, record_from_work(work), parsed.confidence,
                             written=Written(parsed.text, parsed.spans))
    return [(f.code, f.field, f.severity.value) for f in found]


# -------------------------------------------------------------------------- NLM dates with a day

def test_an_nlm_date_with_a_day_is_a_date_not_a_volume() -> None:
    text = ("Lapeyrolerie A, Müller J, Öztürk C. Seasonal foraging of reef fishes in a marine "
            "protected area. PeerJ. 2025 Jan 10;13:e18789.")
    reference = parse_reference(text).reference
    assert (reference.volume, reference.page, reference.issued.date_parts if reference.issued
            else None) == ("13", "e18789", [[2025, 1, 10]])
    assert findings(text, PEERJ) == []
    other = parse_reference("Smith J. Title of it. Lancet. 2007 Jun 8;1(4):202–10.").reference
    assert (other.volume, other.issue, other.page) == ("1", "4", "202-210")
    assert other.issued is not None
    assert other.issued.date_parts == [[2007, 6, 8]]


def test_a_volume_that_is_the_year_is_read_from_the_text() -> None:
    work = {**PEERJ, "volume": "2025"}
    assert findings("Lapeyrolerie A, Müller J, Öztürk C. Seasonal foraging of reef fishes in a "
                    "marine protected area. PeerJ. 2025 Jan 10;2025:e18789.", work) == []
    assert findings("Lapeyrolerie A, Müller J, Öztürk C. Seasonal foraging of reef fishes in a "
                    "marine protected area. PeerJ. 2025 Jan 10;27:e18789.", work) == [
        ("field-mismatch", "volume", "error")]


# --------------------------------------------------------------------- author lists and names

@pytest.mark.parametrize(("text", "names"), [
    ("Konrad Rieck and Pavel Laskov.", ["Rieck, Konrad", "Laskov, Pavel"]),
    ("Wolfgang Jantzen, Jan Steffens:", ["Jantzen, Wolfgang", "Steffens, Jan"]),
    ("Azer Bestavros and Carlos Cunha.", ["Bestavros, Azer", "Cunha, Carlos"]),
    ("Godoy, P. D. de M.", ["Godoy, P. D. de M."]),
    ("García Márquez, Gabriel José", ["García Márquez, Gabriel José"]),
    ("KIM, J.S., ITO, K.", ["KIM, J.S.", "ITO, K."]),
    ("J. W. Fox IV, G. T. Golden, and M. T. Edgerton",
     ["Fox, J. W., IV", "Golden, G. T.", "Edgerton, M. T."]),
    ("Scholte, H. Steven, et al.", ["Scholte, H. Steven"]),
    ("Lovejoy DA, Cousens J.", ["Lovejoy, DA", "Cousens, J"]),
    ("Паршин ДА, Стельмах ЛС", ["Паршин, ДА", "Стельмах, ЛС"]),
])
def test_author_lists_in_every_order(text: str, names: list[str]) -> None:
    assert [str(n) for n in split_authors(text)[0]] == names


def test_a_title_that_begins_with_a_name_is_a_title() -> None:
    reference = parse_reference("Golden RL. Thomas Browne and the Writing of Religio Medici. "
                                "Ann Intern Med. 1990;112(3):215-220.").reference
    assert [str(a) for a in reference.author or []] == ["Golden, RL"]
    assert reference.title == "Thomas Browne and the Writing of Religio Medici"


KESTER: dict[str, Any] = {
    "DOI": "10.1086/600120", "type": "journal-article",
    "title": ["Randomized, double-blind, phase 2a trial of falciparum malaria vaccines"],
    "author": [{"family": f, "given": g} for f, g in (
        ("Kester", "K"), ("Cummings", "J"), ("Ofori-Anyinam", "O"), ("Ockenhouse", "C"),
        ("Krzych", "U"))],
    "container-title": ["The Journal of Infectious Diseases"],
    "short-container-title": ["J Infect Dis"], "volume": "200", "page": "337-346",
    "issued": {"date-parts": [[2009]]},
}


@pytest.mark.parametrize("text", [
    "Kester K, Cummings J, Ofori-Anyinam O, Ockenhouse C, Krzych U. Randomized, double-blind, "
    "phase 2a trial of falciparum malaria vaccines. J Infect Dis. 2009;200:337–46.",
    "Kester, K., Cummings, J., Ofori-Anyinam, O., Ockenhouse, C. & Krzych, U. Randomized, "
    "double-blind, phase 2a trial of falciparum malaria vaccines. J Infect Dis 200, 337–346 "
    "(2009).",
])
def test_a_list_ends_at_its_last_initials_before_a_title_word_and_a_comma(text: str) -> None:
    """The first title word, followed by a comma, is no author ("Krzych U. Randomized,")."""
    reference = parse_reference(text).reference
    assert [a.family for a in reference.author or []] == [
        "Kester", "Cummings", "Ofori-Anyinam", "Ockenhouse", "Krzych"]
    assert reference.title == "Randomized, double-blind, phase 2a trial of falciparum malaria vaccines"
    assert findings(text, KESTER) == []


@pytest.mark.parametrize(("text", "families", "title"), [
    ("Raymond, P. Müller glia: Stem cells for generation of retinal neurons. Prog Retin Eye Res "
     "40, 94–123 (2014).", ["Raymond"], "Müller glia: Stem cells for generation of retinal neurons"),
    ("Gaffney E, Krause D. Sokatra, a new side-necked turtle. Am Mus Novit. 2011;3728:1–28.",
     ["Gaffney", "Krause"], "Sokatra, a new side-necked turtle"),
    # other styles' lists go on after initials: given names first, "and", "et al."
    ("Kester, KE, JF Cummings, O. Ofori-Anyinam, et al. “Randomized, Double-Blind Trial.” J "
     "Infect Dis, vol. 200, 2009, pp. 337–46.", ["Kester", "Cummings", "Ofori-Anyinam"],
     "Randomized, Double-Blind Trial"),
    ("Alexander, DH, and K. Lange. 2011. “Enhancements to the ADMIXTURE Algorithm.” BMC "
     "Bioinformatics 12: 246.", ["Alexander", "Lange"], "Enhancements to the ADMIXTURE Algorithm"),
    ("Chenrun Feng, C.P. Hemantha Rajapaksha, and Antal Jákli. 2021. Ionic Elastomers for "
     "Electric Actuators and Sensors. Engineering 7, 5 (2021), 581–602.",
     ["Feng", "Rajapaksha", "Jákli"], "Ionic Elastomers for Electric Actuators and Sensors"),
    ("Benjamin F. Akers, David M. Ambrose, Kevin Pond, J. Douglas Wright: Overturned internal "
     "capillary–gravity waves. European Journal of Mechanics 57: 143-151 (2016)",
     ["Akers", "Ambrose", "Pond", "Wright"], "Overturned internal capillary–gravity waves"),
])
def test_where_a_list_of_names_ends(text: str, families: list[str], title: str) -> None:
    reference = parse_reference(text).reference
    assert ([a.family for a in reference.author or []], reference.title) == (families, title)


def test_a_journal_is_the_records_where_the_title_boundary_moved() -> None:
    """The parser took the title's last word, or the journal's first words, to the other field;
    the record's journal is still written there, whole."""
    lawn = {**KESTER, "title": ["4 million neonatal deaths: when? Where? Why?"],
            "author": [{"family": "Lawn", "given": "J"}, {"family": "Cousens", "given": "S"},
                       {"family": "Zupan", "given": "J"}],
            "container-title": ["Lancet"], "short-container-title": ["Lancet"], "volume": "365",
            "page": "891-900", "issued": {"date-parts": [[2005]]}}
    assert findings("Lawn, J., Cousens, S., & Zupan, J. (2005). 4 million neonatal deaths: when? "
                    "Where? Why? Lancet, 365, 891–900.", lawn) == []
    gingerich = {**KESTER, "title": ["Prediction of body mass in mammalian species from long bone "
                                     "lengths and diameters"],
                 "author": [{"family": "Gingerich", "given": "P"}],
                 "container-title": ["Contributions from the Museum of Paleontology, University "
                                     "of Michigan"], "short-container-title": [],
                 "volume": "28", "page": "79-92", "issued": {"date-parts": [[1990]]}}
    assert findings("Gingerich P. Prediction of body mass in mammalian species from long bone "
                    "lengths and diameters. Contributions from the Museum of Paleontology, "
                    "University of Michigan. 1990;28:79–92.", gingerich) == []
    assert findings("Gingerich P. Prediction of body mass in mammalian species from long bone "
                    "lengths and diameters. Journal of Mammalogy. 1990;28:79–92.", gingerich) == [
        ("field-mismatch", "container-title", "warning")]


def test_an_e_locator_with_a_page_is_no_backward_range() -> None:
    """"034004-1" is page 1 of the article 034004 (no page number starts with 0), not pages
    034004 to 034001."""
    from mascite.checks.rules.compare import page_range

    assert (page_range("034004-1"), page_range("1271-85")) == (("034004", "034004"),
                                                                ("1271", "1285"))
    parsed = parse_reference("Nijssen A, Maquelin K. Discriminating basal cell carcinoma. J "
                             "Biomed Opt. 2007;12:034004–1.").reference
    assert parsed.page == "034004-1"
    report = check_document(parse_document(
        "References\n1. Nijssen A, Maquelin K. Discriminating basal cell carcinoma. J Biomed Opt. "
        "2007;12:034004–1.\n", "refs.txt"))
    assert [f.code for f in report.findings if f.code == "page-order"] == []


def test_a_changed_letter_in_a_name_is_an_error_and_accents_are_not() -> None:
    clean = ("Lapeyrolerie A, Mueller J, Ozturk C. Seasonal foraging of reef fishes in a marine "
             "protected area. PeerJ. 2025 Jan 10;13:e18789.")
    assert findings(clean, PEERJ) == []
    assert findings(clean.replace("Lapeyrolerie", "Lapeyorlerie"), PEERJ) == [
        ("field-mismatch", "author", "error")]
    assert findings(clean.replace("Mueller", "Muelelr"), PEERJ) == [
        ("field-mismatch", "author", "error")]
    assert findings(clean.replace("Lapeyrolerie A, ", ""), PEERJ) == [
        ("field-mismatch", "author", "error")]


# ---------------------------------------------------------------------------------- titles

def test_a_changed_word_in_a_long_title_is_reported_with_the_words() -> None:
    text = ("Rieck K, Laskov P. Sampling the free energy landscape of small peptides in Zone "
            "System studies of folding kinetics. J Chem Phys. 2004;121(3-4):1271-85.")
    parsed = parse_reference(text)
    found = verify_reference(parsed.reference, record_from_work(MONTE), parsed.confidence,
                             written=Written(parsed.text, parsed.spans))
    assert [(f.code, f.field, f.severity.value, f.message) for f in found] == [
        ("field-mismatch", "title", "warning",
         "title differs from the record: “zone system” for “monte carlo”")]
    assert findings(text.replace("Zone System", "Monte Carlo"), MONTE) == []
    assert findings(text.replace("Zone System", "Monte-Carlo"), MONTE) == []  # hyphenation


def test_spelling_variants_and_a_missing_subtitle_are_the_same_title() -> None:
    work = {**MONTE, "title": ["Haemophagocytic syndromes in paediatric tumour patients"],
            "subtitle": ["a review"]}
    assert findings("Rieck K, Laskov P. Hemophagocytic syndromes in pediatric tumor patients. "
                    "J Chem Phys. 2004;121(3-4):1271-85.", work) == []


def test_a_retracted_title_is_the_retraction_not_a_title_mismatch() -> None:
    work = {**MONTE, "title": ["RETRACTED: " + MONTE["title"][0]]}
    text = ("Rieck K, Laskov P. Sampling the free energy landscape of small peptides in Monte "
            "Carlo studies of folding kinetics. J Chem Phys. 2004;121(3-4):1271-85.")
    assert findings(text, work) == [("retracted", "DOI", "error")]


# ------------------------------------------------------------------------- years and issues

def test_one_year_off_is_a_warning_when_the_record_has_both_dates() -> None:
    text = ("Rieck K, Laskov P. Sampling the free energy landscape of small peptides in Monte "
            "Carlo studies of folding kinetics. J Chem Phys. 2005;121(3-4):1271-85.")
    assert findings(text, MONTE) == [("field-mismatch", "issued", "warning")]
    without_online = {k: v for k, v in MONTE.items() if k != "published-online"}
    assert findings(text, without_online) == [("field-mismatch", "issued", "info")]
    assert findings(text.replace("2005", "2009"), MONTE) == [("field-mismatch", "issued", "error")]


def test_an_issue_range_with_a_dash_or_a_hyphen_is_one_issue() -> None:
    text = ("Rieck K, Laskov P. Sampling the free energy landscape of small peptides in Monte "
            "Carlo studies of folding kinetics. J Chem Phys. 2004;121(3–4):1271-85.")
    assert findings(text, MONTE) == []
    work = {**MONTE, "issue": "Supplement_2"}
    assert findings(text.replace("(3–4)", "(Suppl 2)"), work) == []


# -------------------------------------------------- references without a DOI, and politeness

def _list(entries: list[str]) -> str:
    cites = ", ".join(f"[{i}]" for i in range(1, len(entries) + 1))
    body = "\n".join(f"{i}. {e}" for i, e in enumerate(entries, start=1))
    return f"Everything is cited {cites}.\n\nReferences\n\n{body}\n"


RETRACTED: dict[str, Any] = {**MONTE, "DOI": "10.1063/1.777", "updated-by": [{
    "DOI": "10.1063/1.777.retraction", "type": "retraction", "label": "Retraction",
    "source": "retraction-watch", "updated": {"date-parts": [[2024, 1, 9]]}}]}


def test_a_reference_without_a_doi_is_verified_against_what_the_search_found(
        tmp_path: Path) -> None:
    entries = [
        "Lapeyrolerie A, Müller J, Öztürk C. Seasonal foraging of reef fishes in a marine "
        "protected area. PeerJ. 2025 Jan 10;14:e18789.",
        "Rieck K, Laskov P. Sampling the free energy landscape of small peptides in Monte Carlo "
        "studies of folding kinetics. J Chem Phys. 2004;121(3-4):1271-85.",
    ]
    with CrossrefStandIn([PEERJ, RETRACTED]) as server:
        client = CrossrefClient(requests.Session(), base_url=server.url, mailto="e@example.org",
                                cache=LookupCache(tmp_path / "cache.sqlite"))
        report = check_document(parse_document(_list(entries), "list.txt"))
        resolve_report(report, client)
        searches = server.stats["requests"]
        again = check_document(parse_document(_list(entries), "list.txt"))
        resolve_report(again, client)
        assert server.stats["requests"] == searches  # searches are cached too
        assert server.stats["429"] == 0
    data = json.loads(json.dumps(report.to_json()))
    assert [(r["doi"], r["doi_source"], r["status"], r["search_certain"])
            for r in data["references"]] == [
        ("10.7717/peerj.18789", "search", "mismatch", True),
        ("10.1063/1.777", "search", "verified", True)]
    assert [(f["code"], f["field"], f["severity"], f["ref"]) for f in data["findings"]] == [
        ("missing-doi", "DOI", "info", "1"), ("field-mismatch", "volume", "error", "1"),
        ("missing-doi", "DOI", "info", "2"), ("retracted", "DOI", "error", "2")]
    assert [(f.code, f.field) for f in again.findings] == [(f.code, f.field)
                                                           for f in report.findings]


def test_searches_stay_under_the_announced_limits() -> None:
    works = [{**PEERJ, "DOI": f"10.7717/peerj.{n}", "title": [f"Reef fishes study number {n} "
                                                            f"of the protected area"],
              "article-number": f"e{n}"} for n in range(1000, 1012)]
    entries = [f"Lapeyrolerie A, Müller J, Öztürk C. Reef fishes study number {n} of the "
               f"protected area. PeerJ. 2025 Jan 10;13:e{n}." for n in range(1000, 1012)]
    with CrossrefStandIn(works) as server:  # Crossref's polite limits: 3 list requests a second
        client = CrossrefClient(requests.Session(), base_url=server.url, mailto="e@example.org",
                                use_default_cache=False)
        report = check_document(parse_document(_list(entries), "list.txt"))
        resolve_report(report, client)
        assert (server.stats["requests-list"], server.stats["429"]) == (12, 0)
    assert [r.doi for r in report.references] == [w["DOI"] for w in works]

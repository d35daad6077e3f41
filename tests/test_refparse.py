"""The free-text reference parser: the IVIG list field by field, names, normalisation, bad input."""

from __future__ import annotations

import json
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mascite import read_document, read_references
from mascite.refparse import _pages, _volume_issue, parse_reference
from mascite.refparse.names import split_authors

from .conftest import BIB, EXAMPLES, ROOT


def fold(text: str | None) -> str:
    text = unicodedata.normalize("NFKD", (text or "").replace("’", "'")).casefold()
    return "".join(c for c in text if not unicodedata.combining(c))


def test_the_eleven_ivig_references_parse_like_the_curated_bibliography() -> None:
    entries = read_document(EXAMPLES / "ivig-for-mas.txt").reference_entries
    curated = read_references(BIB / "mas.bib").references
    assert len(entries) == len(curated) == 11
    for entry, truth in zip(entries, curated, strict=True):
        result = parse_reference(entry.text)
        parsed = result.reference
        assert result.is_reference, truth.id
        assert [a.family for a in parsed.author or []] == [a.family for a in truth.author or []]
        assert bool(parsed.truncated_authors) == bool(truth.truncated_authors), truth.id
        assert fold(parsed.title) == fold(truth.plain_title), truth.id
        assert fold(parsed.container_title) in (fold(truth.container_title),
                                                fold(truth.container_title_short)), truth.id
        assert (parsed.year, parsed.volume, parsed.issue, parsed.page) == (
            truth.year, truth.volume, truth.issue, truth.page), truth.id
        assert fold(parsed.doi) == fold(truth.doi), truth.id
        assert set(result.confidence) >= {"author", "title", "container-title", "issued",
                                          "DOI"}
        assert all(0.0 <= v <= 1.0 for v in result.confidence.values())


def test_translated_title_and_full_date() -> None:
    text = read_document(EXAMPLES / "ivig-for-mas.txt").reference_entries[5].text
    parsed = parse_reference(text).reference
    assert parsed.title == ("Inmunoglobulina intravenosa en el síndrome de activación macrofágica "
                            "asociado a lupus eritematoso sistémico")
    assert parsed.translated_title == ("Intravenous immunoglobulin in macrophage activation "
                                       "syndrome associated with systemic lupus erythematosus")
    assert parsed.issued is not None
    assert parsed.issued.date_parts == [[2020, 9, 1]]


@pytest.mark.parametrize(
    ("text", "names", "truncated"),
    [
        ("Bojan, Anca et al.", ["Bojan, Anca"], True),
        ("Öztürk C, Sütçüoğlu S, Aşık Akman S, Arun Özer E.",
         ["Öztürk, C", "Sütçüoğlu, S", "Aşık Akman, S", "Arun Özer, E"], False),
        ("Halyabar, O., Chang, M.H., Schoettler, M.L. et al.",
         ["Halyabar, O.", "Chang, M.H.", "Schoettler, M.L."], True),
        ("Mendoza-Álvarez, Sergio Alberto et al.", ["Mendoza-Álvarez, Sergio Alberto"], True),
        ("Das, Mrinmoy, et al.", ["Das, Mrinmoy"], True),
        ("Littlepage LE, Ruderman JV", ["Littlepage, LE", "Ruderman, JV"], False),
        ("J. P. COLLMAN, J. P. BRAUMAN et J. L. SESSLER",
         ["Collman, J. P.", "Brauman, J. P.", "Sessler, J. L."], False),
        ("Romero, C., Paunesku, D., & Dweck, C.", ["Romero, C.", "Paunesku, D.", "Dweck, C."],
         False),
        ("van der Berg, J., Smith JA", ["van der Berg, J.", "Smith, JA"], False),
        ("Nam, So Hye, and Jin Kim.", ["Nam, So Hye", "Kim, Jin"], False),
        ("World Health Organization", ["World Health Organization"], False),
        ("Smith, John; Doe, Jane", ["Smith, John", "Doe, Jane"], False),
    ],
)
def test_split_authors(text: str, names: list[str], truncated: bool) -> None:
    parsed, was_truncated = split_authors(text)
    assert [str(n) for n in parsed] == names
    assert was_truncated is truncated


@pytest.mark.parametrize(
    ("text", "page", "number"),
    [("1271-85", "1271-1285", None), ("207-11.", "207-211", None), ("pp. 4–10,", "4-10", None),
     ("p. e0267715", "e0267715", "e0267715"), ("904.", "904", None), ("S12-S19", "S12-S19", None),
     ("99-101", "99-101", None)],
)
def test_pages(text: str, page: str, number: str | None) -> None:
    assert _pages(text) == (page, number)


@pytest.mark.parametrize(
    ("text", "volume", "issue"),
    [("vol. 22,2", "22", "2"), ("vol. 68, no. 1,", "68", "1"), ("2(2):", "2", "2"),
     ("58,5", "58", "5"), ("17", "17", None), ("Vol. 3, Part A,", "3", None)],
)
def test_volume_and_issue(text: str, volume: str, issue: str | None) -> None:
    assert _volume_issue(text) == (volume, issue)


@pytest.mark.parametrize(
    "text",
    ["", "   ", "https://example.org/some/page",
     "This is a paragraph of prose that talks about nothing in particular and goes on and on "
     "without any of the parts that make a reference what it is, as prose does.",
     "%$#@!" * 20_000],
)
def test_bad_input_is_not_a_reference_and_never_raises(text: str) -> None:
    result = parse_reference(text)
    assert result.is_reference is False
    assert result.to_csl()["custom"]["not-a-reference"] is True


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_parse_never_raises(text: str) -> None:
    result = parse_reference(text)
    assert isinstance(result.to_csl(), dict)


def test_cli_parse_one_item_per_entry_in_order() -> None:
    text = ("33 Smith J, Lee K. Macrophage activation in adults. J Immunol. 2019;12(3):101-5.\n"
            "[12] not a reference at all, just some words here\n"
            "- Nam, So Hye, et al. “Macrophage Activation Syndrome in Rheumatic Disease.” PLoS ONE,"
            " vol. 17, no. 5, May 2022, p. e0267715, doi:10.1371/journal.pone.0267715.\n")
    result = subprocess.run([sys.executable, "-m", "mascite", "parse", "-"], input=text.encode(),
                            capture_output=True, cwd=ROOT, check=False, timeout=60)
    assert result.returncode == 0, result.stderr
    items = json.loads(result.stdout)
    assert [i["id"] for i in items] == ["33", "12", "3"]
    assert items[0]["page"] == "101-105"
    assert items[0]["author"] == [{"family": "Smith", "given": "J"},
                                  {"family": "Lee", "given": "K"}]
    assert items[1]["custom"]["not-a-reference"] is True
    assert items[2]["DOI"] == "10.1371/journal.pone.0267715"
    assert items[2]["article-number"] == "e0267715"
    bibtex = subprocess.run([sys.executable, "-m", "mascite", "parse", "-", "--to", "bibtex"],
                            input=text.encode(), capture_output=True, cwd=ROOT, check=False,
                            timeout=60)
    assert bibtex.stdout.decode().count("@") == 3


def test_anystyle_books_labelled_as_containers_become_titles(tmp_path: Path) -> None:
    """The training data's convention: a work's own title is "title", as in GROBID's data."""
    from training.refparse.data import load_anystyle

    xml = tmp_path / "set.xml"
    xml.write_text(
        "<dataset>"
        "<sequence><author>Stocking, G.</author><container-title>Race and Evolution."
        "</container-title><publisher>Free Press,</publisher><date>1968</date></sequence>"
        "<sequence><author>Reeves, H.</author><date>1966.</date><journal>Night-lighting."
        "</journal><publisher>Bureau of Fisheries,</publisher></sequence>"
        "<sequence><journal>Nature</journal><volume>12</volume><pages>3-4</pages></sequence>"
        "<sequence><author>Hughes, A.</author><title>Advising.</title><container-title>In Handbook."
        "</container-title><publisher>APA.</publisher></sequence>"
        "</dataset>", encoding="utf-8")
    assert [labels for _, labels in load_anystyle(xml)] == [
        ["author", "author", "title", "title", "title", "publisher", "publisher", "date"],
        ["author", "author", "date", "title", "publisher", "publisher", "publisher"],
        ["container-title", "volume", "pages"],
        ["author", "author", "title", "container-title", "container-title", "publisher"]]


def test_grobid_field_marks_join_their_fields_as_in_anystyle(tmp_path: Path) -> None:
    """GROBID leaves "In", "vol.", "pp." and brackets outside the fields; the loader puts them
    inside, as AnyStyle's data and the rendered strings do, so that all sets teach one way."""
    from training.refparse.data import load_grobid

    (tmp_path / "a.xml").write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><listBibl><bibl>'
        '<author>Corkill, D.</author> ( <date>1979</date> ). '
        '<title level="a">Hierarchical planning.</title> In <title level="m">Proceedings of '
        'IJCAI,</title> vol. <biblScope unit="volume">6</biblScope>, pp. '
        '<biblScope unit="page">168-175</biblScope> . Tokyo ; 2 </bibl></listBibl></TEI>',
        encoding="utf-8")
    [(tokens, labels)] = load_grobid(tmp_path)
    assert list(zip(tokens, labels, strict=True)) == [
        ("Corkill,", "author"), ("D.", "author"), ("(", "date"), ("1979", "date"),
        (").", "date"), ("Hierarchical", "title"), ("planning.", "title"),
        ("In", "container-title"), ("Proceedings", "container-title"), ("of", "container-title"),
        ("IJCAI,", "container-title"), ("vol.", "volume"), ("6,", "volume"), ("pp.", "pages"),
        ("168-175", "pages"), (".", "pages"), ("Tokyo", "other"), (";", "other"), ("2", "other")]
    (tmp_path / "a.xml").write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><listBibl><bibl><author>Li, W.</author> '
        '<title level="a">On rules.</title> In <editor>A. Smith</editor> (eds.) '
        '<title level="m">Rules</title></bibl></listBibl></TEI>', encoding="utf-8")
    [(tokens, labels)] = load_grobid(tmp_path)  # "(eds.)" closes the editors' names
    assert labels == ["author", "author", "title", "title", "editor", "editor", "editor",
                      "editor", "container-title"]


def test_fields_run_together_are_split_into_tokens() -> None:
    from mascite.refparse.features import tokenize
    text = "Applications,Communications in Nonlinear physics.Proceedings 36(6),693-695 1,000 P.B.,"
    assert tokenize(text) == ["Applications,", "Communications", "in", "Nonlinear", "physics.",
                              "Proceedings", "36(6),", "693-695", "1,000", "P.B.,"]
    assert tokenize("doi:10.1000/x,Y https://a.org/b,c") == ["doi:10.1000/x,Y",
                                                              "https://a.org/b,c"]


def test_the_lexicon_keeps_words_mostly_seen_in_one_group(tmp_path: Path) -> None:
    from training.refparse.train import lexicon, write_lexicon

    from mascite.refparse.features import featurize, read_lexicon

    examples = [
        (["Okafor,", "A.", "Macrophage", "storms.", "Blood."],
         ["author", "author", "title", "title", "container-title"]),
        (["Okafor,", "B.", "Storms", "again.", "Blood,"],
         ["author", "author", "title", "title", "container-title"]),
        (["Blood", "counts", "in", "Okafor", "county."], ["title"] * 5),
        (["Lyon,", "J.", "Lyon:", "Press."], ["editor", "editor", "location", "publisher"]),
    ]
    # okafor: 2 of 3 as a name; lyon: once a name; blood: never; "a.", "in": too short
    assert lexicon(examples) == {"okafor": ("name",)}
    examples.append((["Lyon,", "K."], ["author", "author"]))  # lyon: 2 of 3
    assert lexicon(examples) == {"lyon": ("name",), "okafor": ("name",)}
    examples.append((["Lyon", "Lyon", "Lyon."], ["title"] * 3))  # lyon: 2 of 6
    assert lexicon(examples) == {"okafor": ("name",)}
    examples[-1] = (["Lyon", "Lyon."], ["title"] * 2)  # 2 of 5
    assert lexicon(examples) == {"okafor": ("name",)}
    examples[-1] = (["Lyon."], ["title"])  # 2 of 4: as often as elsewhere
    assert lexicon(examples) == {"lyon": ("name",), "okafor": ("name",)}
    path = tmp_path / "x.lexicon.txt"
    write_lexicon(lexicon(examples), path)
    assert path.read_text(encoding="utf-8") == "lyon\tname\nokafor\tname\n"
    assert read_lexicon(path) == {"lyon": ("name",), "okafor": ("name",)}
    assert read_lexicon(tmp_path / "none.txt") == {}
    features = featurize(["Okafor,", "Blood."], {"okafor": ("name",), "blood": ("container",)})
    assert ("lex=name" in features[0], "lex=container" in features[1]) == (True, True)
    assert not any(f.startswith("lex=") for f in featurize(["Okafor,"], {})[0])



def test_training_and_scoring_on_a_small_set(tmp_path: Path) -> None:
    """A model trained by ``train`` learns a clean pattern; ``score`` counts tokens exactly as the
    benchmark does ("other" is never a field: tagging it right or wrong is not counted)."""
    from training.refparse.train import micro, score, train

    names = ["Okafor", "Lyon", "Bauer", "Ngata", "Silva", "Haddad", "Kowalski", "Tanaka"]
    examples = [([f"{name},", "A.", f"{1990 + i}.", "Storms.", "Blood"],
                 ["author", "author", "date", "title", "container-title"])
                for i, name in enumerate(names * 3)]
    model = tmp_path / "m.crfsuite"
    words = train(examples, model, iterations=50)
    assert words == {name.lower(): ("name",) for name in names}
    assert micro(score(model, examples[:4], words)) == (20, 0, 0)
    gold = (["Okafor,", "A.", "1990.", "Storms.", "Blood"],
            ["author", "other", "date", "volume", "container-title"])
    # "A." tagged author against "other": a false positive; "Storms." title against volume:
    # one false positive and one false negative
    counts = score(model, [gold], words)
    assert micro(counts) == (3, 2, 1)
    assert counts == {"tp": {"author": 1, "date": 1, "container-title": 1},
                      "fp": {"author": 1, "title": 1}, "fn": {"other": 1, "volume": 1}}


def test_features_remember_what_came_before() -> None:
    """Each token knows which markers came before it in the reference ("In", an editor mark, a
    publisher word, a page range) and how many stretches since the first year."""
    from mascite.refparse.features import featurize, tokenize

    tokens = tokenize("Okafor A. Storms. In: Lyon J (ed.) Blood. London: Wiley; 2001. p. 3-9. Note")
    memory = [sorted(f for f in features if f.startswith(("after-", "since-year")))
              for features in featurize(tokens, {})]
    assert list(zip(tokens, memory, strict=True)) == [
        ("Okafor", []), ("A.", []), ("Storms.", []), ("In:", []),
        ("Lyon", ["after-in"]), ("J", ["after-in"]), ("(ed.)", ["after-in"]),
        ("Blood.", ["after-ed", "after-in"]), ("London:", ["after-ed", "after-in"]),
        ("Wiley;", ["after-ed", "after-in"]),
        ("2001.", ["after-ed", "after-in", "after-pub"]),
        ("p.", ["after-ed", "after-in", "after-pub", "after-year", "since-year=1"]),
        ("3-9.", ["after-ed", "after-in", "after-pub", "after-year", "since-year=1"]),
        ("Note", ["after-ed", "after-in", "after-pub", "after-range", "after-year",
                  "since-year=2"]),
    ]

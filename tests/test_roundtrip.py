"""Writing is safe for any data: for arbitrary text in every field of a record, what mascite
writes as BibTeX, RIS or CSL-JSON reads back as the same entries with the same fields (no value
can break out of its field), and values that cannot be made safe are refused."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mascite import Reference, read_references_text, write_references

# Any text a record may hold (no control characters, surrogates or unassigned code points),
# with white space as readers fold it.
_text = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Co", "Cn")), min_size=1,
                max_size=40).map(lambda s: " ".join(s.split())).filter(bool)
# A name part: no white space of any kind (a part that is only a line separator is no part)
_word = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Co", "Cn", "Zs", "Zl", "Zp"),
                              blacklist_characters=",;"), min_size=1, max_size=15)
_number = st.from_regex(r"[1-9][0-9]{0,3}[a-z]?", fullmatch=True)
_doi = st.builds(lambda a, b: f"10.{a}/{b}", st.integers(1000, 99999),
                 st.text(st.characters(whitelist_categories=("Ll", "Lu", "Nd"),
                                       whitelist_characters="-._;()/:<>[]"),
                         min_size=1, max_size=25))
_name = st.one_of(st.builds(lambda f, g: {"family": f, "given": g}, _word, _word),
                  st.builds(lambda lit: {"literal": lit}, _text))


@st.composite
def records(draw: Any, names: Any = _name) -> dict[str, Any]:
    item: dict[str, Any] = {"id": "k1", "type": "article-journal"}
    for variable in ("title", "container-title", "publisher", "publisher-place", "note",
                     "abstract", "collection-title", "genre", "language"):
        if draw(st.booleans()):
            item[variable] = draw(_text)
    for variable in ("volume", "issue", "edition"):
        if draw(st.booleans()):
            item[variable] = draw(_number)
    if draw(st.booleans()):
        first = draw(st.integers(1, 9999))
        item["page"] = f"{first}-{first + draw(st.integers(1, 50))}"
    if draw(st.booleans()):
        item["DOI"] = draw(_doi)
    for variable in ("author", "editor"):
        if draw(st.booleans()):
            item[variable] = draw(st.lists(names, min_size=1, max_size=4))
    item["issued"] = {"date-parts": [[draw(st.integers(1500, 2100))]]}
    return item


def _back(item: dict[str, Any], fmt: str) -> dict[str, Any]:
    written = write_references([Reference.from_csl(item)], fmt)
    bibliography = read_references_text(written, fmt, f"x.{fmt}")
    assert bibliography.failures == [], written
    assert len(bibliography.references) == 1, written
    return bibliography.references[0].to_csl()


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(records())
def test_bibtex_reads_back_every_field(item: dict[str, Any]) -> None:
    back = _back(item, "bibtex")
    assert {k: v for k, v in back.items() if k != "custom"} == item


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(records(names=st.builds(lambda f, g: {"family": f, "given": g}, _word, _word)))
def test_ris_reads_back_every_field(item: dict[str, Any]) -> None:
    # RIS has no way to write a comma inside a name part, nor a literal name: not generated.
    assert {k: v for k, v in _back(item, "ris").items() if k != "custom"} == item


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(records())
def test_csl_json_reads_back_every_field(item: dict[str, Any]) -> None:
    assert _back(item, "csl-json") == item


def test_raw_bibtex_from_another_format_cannot_break_an_entry() -> None:
    item = {"id": "k1", "type": "article-journal", "title": "T",
            "custom": {"bibtex": {"note": "x}, title = {PWNED", "bad name}": "v",
                                  "keywords": "{fine} {too}"}}}
    written = write_references([Reference.from_csl(item)], "bibtex")
    back = read_references_text(written, "bibtex", "x.bib")
    assert back.failures == []
    assert [r.title for r in back.references] == ["T"]
    assert back.references[0].note == "x}, title = {PWNED"
    assert "bad name}" not in written
    assert "keywords = {{fine} {too}}" in written

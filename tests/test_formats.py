"""CSL-JSON, RIS and free-text lists, the registry, decoding, and round trips over every format."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mascite.errors import FormatError, InputError, NotAvailableError
from mascite.formats import (
    format_names,
    get_format,
    read_references,
    read_references_text,
    write_references,
)
from mascite.formats.files import decode_text
from mascite.formats.reflist import identifiers_from_text, split_entries
from mascite.model import Reference

# ----------------------------------------------------------------------------------- CSL-JSON


def test_csl_json_list_with_a_bad_item_keeps_the_rest() -> None:
    text = json.dumps([
        {"id": "a", "type": "book", "title": "A"},
        {"id": "b", "type": "book", "author": "not a list"},
        "not an object",
        {"id": "c", "type": "book", "title": "C"},
    ], indent=1)
    bib = read_references_text(text, "csl-json", "refs.json")
    # a variable of the wrong shape loses that variable, with a warning; a non-object is lost
    assert [r.id for r in bib.references] == ["a", "b", "c"]
    assert [e.line for e in bib.entries] == [2, 7, 13]
    assert [(f.line, f.kind, f.severity) for f in bib.failures] == [
        (7, "value", "warning"), (12, "value", "error")]
    assert bib.failures[0].message == ("item 2 (b): author dropped, not valid CSL-JSON "
                                       "(author: Input should be a valid list)")
    assert bib.failures[1].message == "item 3 is a str, not a CSL-JSON object"


def test_csl_json_single_object_and_truncated_json() -> None:
    single = read_references_text('{"id": "x", "type": "book", "title": "X"}', "csl-json")
    assert [r.title for r in single.references] == ["X"]
    truncated = read_references_text('[\n {"id": "x",\n  "title": "X', "csl-json", "t.json")
    assert truncated.references == []
    assert [(f.path, f.line) for f in truncated.failures] == [("t.json", 3)]
    assert truncated.failures[0].message.startswith("not valid JSON: Unterminated string")


def _json_loads(text: str) -> tuple[object, json.JSONDecodeError | None]:
    try:
        return json.loads(text), None
    except json.JSONDecodeError as exc:
        return None, exc


@pytest.mark.parametrize("text", ["[1 2]", "[1,]", "[1] x", "[", "", "[,1]", "[{}\n,\n{]",
                                  ' \n [\n{"id": "a"}\n\n] \n', "[]", '"a"'])
def test_csl_json_is_read_as_json_reads_it(text: str) -> None:
    """The reader decodes a list item by item (to know each item's line); it must accept and
    refuse exactly what ``json.loads`` does, and report the same place."""
    bib = read_references_text(text, "csl-json", "x.json")
    data, error = _json_loads(text)
    if error is not None:
        assert [(f.line, f.message) for f in bib.failures] == [
            (error.lineno, f"not valid JSON: {error.msg} (column {error.colno})")]
    else:
        items = data if isinstance(data, list) else [data]
        assert len(bib.entries) + len(bib.failures) == len(items)
        assert all(f.kind == "value" for f in bib.failures)
    if text.startswith(" \n"):
        assert [e.line for e in bib.entries] == [3]


# ---------------------------------------------------------------------------------------- RIS

RIS = """TY  - JOUR
AU  - Nam, So Hye
AU  - Kim, Jin
TI  - Macrophage Activation Syndrome in Rheumatic Disease: Clinical
  Characteristics and Prognosis of 20 Adult Patients
T2  - PLoS ONE
VL  - 17
IS  - 5
SP  - e0267715
PY  - 2022/05/04/
SN  - 1932-6203
DO  - 10.1371/journal.pone.0267715
KW  - MAS
KW  - adults
M1  - custom value
ER  -

TY  - BOOK
A2  - Editor, An
TI  - A Book
SN  - 978-0-306-40615-7
SP  - 1
EP  - 20
PB  - Springer
CY  - Berlin
"""


def test_ris_repeated_tags_wrapped_values_and_missing_final_er() -> None:
    bib = read_references_text(RIS, "ris", "refs.ris")
    assert bib.failures == []
    assert [e.line for e in bib.entries] == [1, 18]
    article, book = bib.references
    assert article.to_csl() == {
        "type": "article-journal",
        "author": [{"family": "Nam", "given": "So Hye"}, {"family": "Kim", "given": "Jin"}],
        "title": "Macrophage Activation Syndrome in Rheumatic Disease: Clinical Characteristics "
                 "and Prognosis of 20 Adult Patients",
        "container-title": "PLoS ONE", "volume": "17", "issue": "5", "page": "e0267715",
        "issued": {"date-parts": [[2022, 5, 4]]}, "ISSN": "1932-6203",
        "DOI": "10.1371/journal.pone.0267715", "keyword": "MAS, adults",
        "custom": {"ris": {"M1": ["custom value"]}},
    }
    assert book.type == "book"
    assert book.isbn == "978-0-306-40615-7"
    assert book.page == "1-20"
    assert (book.publisher, book.publisher_place) == ("Springer", "Berlin")


def test_ris_text_outside_records_is_a_failure() -> None:
    bib = read_references_text("garbage line\nAU  - Early, Tag\nTY  - GEN\nTI  - Fine\nER  -\n",
                               "ris", "x.ris")
    assert [r.title for r in bib.references] == ["Fine"]
    assert [(f.line, f.message) for f in bib.failures] == [
        (1, "text outside a record (expected 'TY  - TYPE' to start one)"),
        (2, "tag AU before any 'TY  -' line; skipped"),
    ]


# ------------------------------------------------------------------------- free-text lists


def test_split_entries_one_per_line_with_labels() -> None:
    text = "1. First ref 2020.\n[2] Second ref\n3) Third\n- Fourth\n33 Smith J. Title. 2001.\n"
    entries = split_entries(text)
    assert [(e.label, e.text, e.line) for e in entries] == [
        ("1", "First ref 2020.", 1), ("2", "Second ref", 2), ("3", "Third", 3),
        (None, "Fourth", 4), ("33", "Smith J. Title. 2001.", 5)]
    assert text[entries[1].start:entries[1].end] == "Second ref"


def test_split_entries_wrapped_paragraphs() -> None:
    text = "1. Smith J, Lee K. A long title that\n   wraps. J Med. 2020;1:2.\n\n2. Second.\n"
    entries = split_entries(text)
    assert [(e.label, e.text, e.line) for e in entries] == [
        ("1", "Smith J, Lee K. A long title that wraps. J Med. 2020;1:2.", 1),
        ("2", "Second.", 4)]


def test_identifiers_from_a_reference_string() -> None:
    text = ("Shakoory, Bita et al. “The 2022 EULAR/ACR points to consider.” Annals vol. 82,10 "
            "(2023): 1271-1285. doi:10.1136/ard-2023-224123\n"
            "Doe J. Paper. 2019. PMID: 123456. PMCID: PMC765432. arXiv:2101.00001 "
            "https://example.org/paper\n")
    first, second = [identifiers_from_text(e.text, e.label) for e in split_entries(text)]
    first.id, second.id = "1", "2"
    assert first.to_csl() == {"id": "1", "type": "article-journal", "DOI": "10.1136/ard-2023-224123",
                              "issued": {"date-parts": [[2023]]}}
    assert second.to_csl() == {
        "id": "2", "type": "article-journal", "PMID": "123456", "PMCID": "PMC765432",
        "number": "arXiv:2101.00001", "URL": "https://example.org/paper",
        "issued": {"date-parts": [[2019]]}}


# ---------------------------------------------------------------------- registry and decoding


def test_registry_by_name_alias_and_suffix() -> None:
    assert format_names() == ["bibtex", "csl-json", "csl-yaml", "ris", "text", "wos"]
    assert get_format("biblatex").name == "bibtex"
    assert get_format("refs.BIB").name == "bibtex"
    assert get_format("x/items.csl.json").name == "csl-json"
    assert get_format("export.ris").name == "ris"
    with pytest.raises(FormatError, match=r"unknown bibliography format 'refs\.docx'"):
        get_format("refs.docx")
    with pytest.raises(NotAvailableError):
        write_references([Reference(title="x")], "text")


def test_missing_file_and_directory_are_input_errors(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError) as caught:
        read_references(tmp_path / "missing.bib")
    assert str(caught.value) == f"{tmp_path / 'missing.bib'}: no such file"
    (tmp_path / "dir.bib").mkdir()
    with pytest.raises(InputError, match="is a directory"):
        read_references(tmp_path / "dir.bib")


def test_undecodable_bytes_are_a_failure_and_nothing_is_lost(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "latin1.bib"
    path.write_bytes(b"@article{a, title={First}}\n@article{b, title={Caf\xe9}}\n@book{c, title={Third}}\n")
    bib = read_references(path)
    assert [r.title for r in bib.references] == ["First", "Caf\ufffd", "Third"]
    assert [(f.line, f.kind) for f in bib.failures] == [(2, "encoding")]
    assert bib.failures[0].message == (
        "not valid UTF-8 at column 23 (byte e9); read with U+FFFD in its place")


def test_decode_text_honours_boms() -> None:
    assert decode_text("é".encode("utf-8-sig")) == ("é", [])
    assert decode_text("é".encode("utf-16")) == ("é", [])


# --------------------------------------------------------------- round trips, every format


SAMPLE = [
    Reference.from_csl({
        "id": "nam2022macrophage", "type": "article-journal",
        "author": [{"family": "Nam", "given": "So Hye"}, {"family": "Öztürk", "given": "C."}],
        "title": "Macrophage Activation Syndrome in Rheumatic Disease",
        "container-title": "PLoS ONE", "volume": "17", "issue": "5", "page": "e0267715",
        "issued": {"date-parts": [[2022, 5, 4]]}, "DOI": "10.1371/journal.pone.0267715",
        "ISSN": "1932-6203", "URL": "https://example.org/a", "language": "en",
        "publisher": "PLOS", "note": "A note"}),
    Reference.from_csl({
        "id": "book1", "type": "book", "editor": [{"family": "Editor", "given": "An"}],
        "title": "A Book", "publisher": "Springer", "publisher-place": "Berlin",
        "ISBN": "9780306406157", "issued": {"date-parts": [[2019]]}, "edition": "2"}),
]
WRITABLE = [name for name in format_names() if name != "text" and get_format(name).writable]


@pytest.mark.parametrize("fmt", WRITABLE)
def test_model_to_format_to_model_is_the_identity(fmt: str) -> None:
    back = read_references_text(write_references(SAMPLE, fmt), fmt)
    assert back.failures == []
    assert [r.to_csl() for r in back.references] == [r.to_csl() for r in SAMPLE]


@pytest.mark.parametrize("fmt", WRITABLE)
def test_format_to_model_to_format_is_a_fixed_point(fmt: str) -> None:
    text = write_references(SAMPLE, fmt)
    again = write_references(read_references_text(text, fmt).references, fmt)
    assert again == text


@pytest.mark.parametrize(("source", "target"), [(a, b) for a in WRITABLE for b in WRITABLE if a != b])
def test_conversion_between_formats_keeps_shared_fields(source: str, target: str) -> None:
    through = read_references_text(write_references(SAMPLE, source), source).references
    back = read_references_text(write_references(through, target), target).references
    assert [r.to_csl() for r in back] == [r.to_csl() for r in SAMPLE]


# ---------------------------------------------------------------- property: never raises

@settings(max_examples=300)
@given(st.text())
def test_ris_reader_never_raises(text: str) -> None:
    bib = read_references_text(text, "ris", "x.ris")
    assert all(f.line is not None and f.line >= 1 for f in bib.failures)


_risish = st.lists(st.sampled_from(
    ["TY  - JOUR\n", "TY  - ", "ER  -\n", "AU  - ", "PY  - ", "SP  - ", "EP  - ", "SN  - ",
     "2020/13/45", "Smith, J", ",", "\n", "  continued\n", "X", "TI  - T\n", "ZZ  - z\n"]),
    max_size=30).map("".join)


@settings(max_examples=300)
@given(_risish)
def test_ris_shaped_noise_never_raises(text: str) -> None:
    for reference in read_references_text(text, "ris").references:
        assert isinstance(reference.to_csl(), dict)


@settings(max_examples=200)
@given(st.text())
def test_csl_json_and_text_readers_never_raise(text: str) -> None:
    read_references_text(text, "csl-json")
    for entry in read_references_text(text, "text").entries:
        assert entry.line is not None
        assert entry.line >= 1

from __future__ import annotations

import shutil
import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mascite.formats import read_references, read_references_text, write_references
from mascite.formats.bibtex import parse_names
from mascite.model import Name, Reference

from .conftest import BIB

FEATURES = r"""@string{ahj = "American Journal of Hematology"}
@STRING{pre = "Proc. of "}

@article{emmenegger2001,
  author = {Emmenegger, Urban and {\"O}zt{\"u}rk, C. and others},
  title = {Hyperferritinemia in {MAS}: the {\'E}tude of \emph{Homo sapiens}},
  journal = ahj,
  month = jul,
  year = 2001,
  volume = {68}, number = {1},
  pages = {4--10},
  doi = {10.1002/ajh.1141},
  keywords = {ferritin, IVIG},
  abstract = {Levels {\textgreater} 10\,000},
}

@misc{protected, title = {{Whole Title Protected}}}

@inproceedings{child,
  author = {van Gogh, Vincent and Ludwig von Beethoven and Humboldt, Jr., Alexander},
  title = {A chapter},
  crossref = {parent},
  pages = {1--2},
}

@proceedings{parent,
  title = pre # {Things},
  editor = {{World Health Organization}},
  publisher = {Springer},
  address = {Berlin},
  year = {2019},
}

@article{biblatex,
  author = {Mendoza-{\'A}lvarez, Sergio Alberto},
  title = {Inmunoglobulina},
  journaltitle = {Revista M{\'e}dica},
  date = {2020-09-01},
  eprint = {32881461},
  eprinttype = {pubmed},
  langid = {spanish},
  translatedtitle = {Intravenous immunoglobulin},
}

@misc{range, title = {Range}, date = {2019/2021}}
@misc{circa, title = {Circa}, date = {1850~}}
@online{web, title = {Site}, url = {https://example.org/a_b%20c#frag}, urldate = {2024-01-31}}
"""


def _by_id(text: str) -> dict[str, Reference]:
    bib = read_references_text(text, "bibtex", "features.bib")
    assert bib.failures == []
    return {str(r.id): r for r in bib.references}


def test_bibtex_features_are_read_into_csl() -> None:
    refs = _by_id(FEATURES)
    article = refs["emmenegger2001"]
    assert article.to_csl() == {
        "id": "emmenegger2001", "type": "article-journal",
        "author": [{"family": "Emmenegger", "given": "Urban"}, {"family": "Öztürk", "given": "C."}],
        # {\'E} is an accented letter, not case protection (as BibTeX itself treats it)
        "title": 'Hyperferritinemia in <span class="nocase">MAS</span>: the Étude of '
                 "<i>Homo sapiens</i>",
        "container-title": "American Journal of Hematology",
        "issued": {"date-parts": [[2001, 7]]},
        "volume": "68", "issue": "1", "page": "4-10", "DOI": "10.1002/ajh.1141",
        "keyword": "ferritin, IVIG", "abstract": "Levels > 10\u2009000",
        "custom": {"truncated-authors": True},  # "and others": not a CSL variable
    }


def test_double_braced_title_is_protected_whole() -> None:
    assert _by_id(FEATURES)["protected"].title == (
        '<span class="nocase">Whole Title Protected</span>')


def test_crossref_names_and_particles() -> None:
    child = _by_id(FEATURES)["child"]
    assert child.type == "paper-conference"
    assert child.container_title == "Proc. of Things"  # parent's title, with @string concatenation
    assert child.publisher == "Springer"
    assert child.publisher_place == "Berlin"
    assert child.year == 2019
    assert child.page == "1-2"  # the child's own field wins
    assert child.editor == [Name(literal="World Health Organization")]
    assert child.author == [
        Name(family="Gogh", given="Vincent", non_dropping_particle="van"),
        Name(family="Beethoven", given="Ludwig", non_dropping_particle="von"),
        Name(family="Humboldt", given="Alexander", suffix="Jr."),
    ]


def test_biblatex_fields() -> None:
    refs = _by_id(FEATURES)
    ref = refs["biblatex"]
    assert ref.container_title == "Revista Médica"
    assert ref.issued is not None
    assert ref.issued.date_parts == [[2020, 9, 1]]
    assert ref.pmid == "32881461"
    assert ref.language == "spanish"
    assert ref.translated_title == "Intravenous immunoglobulin"
    assert refs["range"].to_csl()["issued"] == {"date-parts": [[2019], [2021]]}
    assert refs["circa"].to_csl()["issued"] == {"date-parts": [[1850]], "circa": True}
    web = refs["web"]
    assert web.type == "webpage"
    assert web.url == "https://example.org/a_b%20c#frag"
    assert web.accessed is not None
    assert web.accessed.date_parts == [[2024, 1, 31]]


@pytest.mark.parametrize(
    ("names", "expected", "truncated"),
    [
        ("Smith, John and Doe, Jane", ["Smith, John", "Doe, Jane"], False),
        ("John Smith AND Jane Doe and others", ["Smith, John", "Doe, Jane"], True),
        ("{Barnes and Noble}", ["Barnes and Noble"], False),
        ("de la Fontaine, Jean", ["de la Fontaine, Jean"], False),
        ("Aşık Akman, S.", ["Aşık Akman, S."], False),
        ("Halyabar, O. and Chang, M. H.", ["Halyabar, O.", "Chang, M. H."], False),
        ("Plato", ["Plato"], False),
    ],
)
def test_parse_names(names: str, expected: list[str], truncated: bool) -> None:
    parsed, was_truncated = parse_names(names)
    assert [str(n) for n in parsed] == expected
    assert was_truncated is truncated


BROKEN = """@article{good1,
  title = {First},
  year = 2020
}

@article{missingcomma
  title = {No comma after the key}
}

@article{unbalanced,
  title = {Unbalanced {brace,
  year = 2020
}

@article{good2,
  title = {Second},
}

@article{good1, title = {Duplicate key}}
@article{dupfield, title = {A}, title = {B}}
@book{good3, title = {Third}}
"""


def test_broken_entries_are_failures_with_lines_and_the_rest_is_read() -> None:
    bib = read_references_text(BROKEN, "bibtex", "broken.bib")
    assert [str(r.id) for r in bib.references] == ["good1", "good2", "dupfield", "good3"]
    assert [r.title for r in bib.references] == ["First", "Second", "A", "Third"]
    assert [(f.line, f.kind, f.severity) for f in bib.failures] == [
        (6, "syntax", "error"), (10, "syntax", "error"), (19, "duplicate-key", "warning"),
        (20, "duplicate-field", "warning")]
    assert bib.failures[0].message == (
        "broken entry: Expected comma after entry key, but found =")
    assert bib.failures[0].raw.startswith("@article{missingcomma")
    assert bib.failures[2].message == "duplicate key 'good1'; the first entry is kept"
    assert bib.failures[3].message == ("entry 'dupfield' gives 'title' twice: the first value "
                                       "is kept and this one ignored, as BibTeX and biber do")
    assert all(f.path == "broken.bib" for f in bib.failures)


def test_writing_escapes_latex_specials_and_keeps_or_makes_keys() -> None:
    refs = [
        Reference(id="kept", type="article-journal", title="50% of R&D #1 costs $5_000 ~ ^",
                  author=[Name(family="Öztürk", given="C.")], container_title="J. Things"),
        Reference(type="book", title="The Art of Computer Programming",
                  author=[Name(family="Knuth", given="Donald E.")],
                  issued={"date-parts": [[1968]]}),  # type: ignore[arg-type]
        Reference(type="book", title="The Art of Computer Programming, 2",
                  author=[Name(family="Knuth", given="Donald E.")],
                  issued={"date-parts": [[1968]]}),  # type: ignore[arg-type]
    ]
    text = write_references(refs, "bibtex")
    assert text.startswith(
        "@article{kept,\n"
        "  author = {{\\\"{O}}zt{\\\"{u}}rk, C.},\n"
        "  title = {50\\% of R\\&D \\#1 costs \\$5\\_000 \\textasciitilde{} \\textasciicircum{}},\n"
        "  journal = {J. Things},\n"
        "}\n"
    )
    assert "@book{knuth1968art,\n" in text
    assert "@book{knuth1968arta,\n" in text
    again = read_references_text(text, "bibtex")
    assert again.failures == []
    assert again.references[0].title == refs[0].title


def test_mas_bib_is_read_whole() -> None:
    bib = read_references(BIB / "mas.bib")
    assert bib.failures == []
    assert [str(r.id) for r in bib.references] == [
        "bojan2021macrophage", "ozturk2015macrophage", "halyabar2019calm",
        "emmenegger2001hyperferritinemia", "alvarezcardona2012intravenous",
        "mendozaalvarez2020inmunoglobulina", "shakoory2023eular", "saha2019intravenous",
        "das2020intravenous", "gomez2019macrophage", "nam2022macrophage"]
    ozturk = bib.references[1]
    assert [str(n) for n in ozturk.author or []] == [
        "Öztürk, C.", "Sütçüoğlu, S.", "Baltalı, O.", "Türker, M.", "Aşık Akman, S.",
        "Arun Özer, E."]
    assert (ozturk.container_title, ozturk.volume, ozturk.issue, ozturk.page, ozturk.year) == (
        "The Journal of Pediatric Research", "2", "2", "92-95", 2015)
    mendoza = bib.references[5]
    assert mendoza.title == ("Inmunoglobulina intravenosa en el síndrome de activación macrofágica "
                             "asociado a lupus eritematoso sistémico")
    assert mendoza.translated_title == ("Intravenous immunoglobulin in macrophage activation "
                                        "syndrome associated with systemic lupus erythematosus")
    assert all(r.truncated_authors for r in bib.references if r.id != "ozturk2015macrophage")


def test_bibtex_to_model_to_bibtex_is_a_fixed_point() -> None:
    for text in (FEATURES, (BIB / "mas.bib").read_text(encoding="utf-8")):
        first = read_references_text(text, "bibtex").references
        written = write_references(first, "bibtex")
        second = read_references_text(written, "bibtex")
        assert second.failures == []
        assert [r.to_csl() for r in second.references] == [r.to_csl() for r in first]
        assert write_references(second.references, "bibtex") == written


HOSTILE = Reference.from_csl({
    "id": "hostile", "type": "article-journal",
    "author": [{"family": "O'Brien & Søn", "given": "José"}, {"literal": "R&D {Group} #1"}],
    "title": "50% of $5_000 ~ ^ \\ {braces} — “quotes” α-synuclein <i>in vivo</i> -- Ærø Škoda",
    "container-title": "J. Tests & Results", "volume": "1", "page": "1-2",
    "issued": {"date-parts": [[2020]]}, "DOI": "10.1000/a_b%c#d{e}",
    "URL": "https://example.org/a_b?x=1&y=%20#frag",
})


@pytest.mark.skipif(shutil.which("bibtex") is None or shutil.which("pdflatex") is None,
                    reason="no bibtex/pdflatex on this machine (CI installs them)")
def test_written_bibtex_compiles_with_bibtex_and_pdflatex(tmp_path) -> None:  # type: ignore[no-untyped-def]
    refs = [*read_references(BIB / "mas.bib").references, HOSTILE]
    (tmp_path / "refs.bib").write_text(write_references(refs, "bibtex"), encoding="utf-8")
    (tmp_path / "doc.tex").write_text(
        "\\documentclass{article}\n\\usepackage[T1]{fontenc}\n\\usepackage{textcomp}\n"
        "\\begin{document}\n\\nocite{*}\n\\bibliographystyle{plain}\n\\bibliography{refs}\n"
        "\\end{document}\n", encoding="utf-8")
    latex = ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "doc"]
    for command in (latex, ["bibtex", "doc"], latex, latex):
        run = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True,
                             errors="replace", check=False, timeout=120)
        assert run.returncode == 0, run.stdout[-3000:]
    blg = (tmp_path / "doc.blg").read_text(errors="replace")
    assert "error message" not in blg
    bbl = (tmp_path / "doc.bbl").read_text(encoding="utf-8")
    assert bbl.count("\\bibitem") == 12


# Property-based: no input string makes the BibTeX code raise.

@settings(max_examples=200)
@given(st.text())
def test_reading_any_text_never_raises(text: str) -> None:
    bib = read_references_text(text, "bibtex", "x.bib")
    assert all(f.line is None or f.line >= 1 for f in bib.failures)


_entryish = st.lists(st.sampled_from(
    ["@article{", "@string{", "@comment{", "key", ",", "=", "{", "}", '"', "#", "\\", "and",
     "title", "author", "\n", " ", "others", "jan", "@", "%", "\\'e", "--"]), max_size=40).map("".join)


@settings(max_examples=300)
@given(_entryish)
def test_reading_bibtex_shaped_noise_never_raises(text: str) -> None:
    bib = read_references_text(text, "bibtex", "x.bib")
    for reference in bib.references:
        assert isinstance(reference.to_csl(), dict)


_plain = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30).map(
    lambda s: " ".join(s.split())).filter(bool)


@settings(max_examples=150)
@given(title=_plain, family=_plain, given_name=_plain, journal=_plain,
       volume=st.from_regex(r"[0-9]{1,4}", fullmatch=True), year=st.integers(1500, 2100))
def test_model_to_bibtex_to_model_is_the_identity(title: str, family: str, given_name: str,
                                                 journal: str, volume: str, year: int) -> None:
    reference = Reference.from_csl({
        "id": "k1", "type": "article-journal", "title": title,
        "author": [{"family": family, "given": given_name}], "container-title": journal,
        "volume": volume, "issued": {"date-parts": [[year]]}})
    back = read_references_text(write_references([reference], "bibtex"), "bibtex")
    assert back.failures == []
    assert back.references[0].to_csl() == reference.to_csl()


PARTS = """@string{J = {Journal One}}
@article{a, title={A}, journal=J, year=2001}
@comment{ @string{K = {no}} }
@article{b, title={B}, journal=K2, year=2002}
@string{K2 = "Later" # { Journal}}
@article{a, title={dup across parts}, year=2003}
@article{c, title = {C}, title = {C2}, year=2004}
@article{broken title={x}}
@preamble{"\\newcommand{\\x}{y}"}
@string{J = {redefined}}
@article{d, title={Stage 1) disease}, pages = {1--2}}
@article{e, title={closes} too} many}}, year = {2020}}
@article{f, journal = {\\apj}, title={F}}
"""


def _read(items: object) -> list[tuple[object, ...]]:
    from mascite.model import ParseFailure

    return [("failure", i.line, i.kind, i.severity, i.message, i.raw)
            if isinstance(i, ParseFailure) else
            ("entry", i.line, i.reference.model_dump(), i.raw, i.field_lines)
            for i in items]  # type: ignore[attr-defined]


@pytest.mark.parametrize("chunk", [1, 40, 200])
@pytest.mark.parametrize("name", ["parts", "broken", "mas"])
def test_a_long_file_read_in_parts_is_read_as_a_whole(name: str, chunk: int) -> None:
    from mascite.formats.bibtex import iter_bibtex

    text = {"parts": PARTS, "broken": BROKEN,
            "mas": (BIB / "mas.bib").read_text(encoding="utf-8")}[name]
    whole = _read(iter_bibtex(text, "x.bib"))
    assert _read(iter_bibtex(text, "x.bib", chunk=chunk)) == whole
    if name == "parts":  # macros defined later, duplicates across parts: as in one part
        assert [(k, line) for k, line, *_ in whole] == [
            ("failure", 12), ("entry", 2), ("entry", 4), ("failure", 6), ("failure", 7),
            ("entry", 7), ("failure", 8), ("failure", 10), ("entry", 11), ("entry", 12),
            ("entry", 13)]
        assert whole[2][2]["container_title"] == "Later Journal"  # type: ignore[index]

"""Formatting through a real CSL processor (pandoc's citeproc) and the styles shipped by name."""

from __future__ import annotations

import functools
import subprocess
import sys
from pathlib import Path

import pytest

from mascite import FormatError, Reference, read_references
from mascite.csl.engines import citeproc_js
from mascite.csl.format import format_bibliography as _format_bibliography
from mascite.csl.styles import find_style

from .conftest import BIB, ROOT, TRUNCATED_STYLE

# what these tests hold is pandoc's engine with mascite's corrections (citeproc-js: test_engines)
format_bibliography = functools.partial(_format_bibliography, engine="pandoc")

pytest.importorskip("pypandoc", reason="formatting needs the format extra (pypandoc-binary)")
ENGINES = [pytest.param("citeproc-js", marks=pytest.mark.skipif(
               citeproc_js.unavailable() is not None, reason=str(citeproc_js.unavailable()))),
           "pandoc"]


@pytest.fixture(scope="module")
def mas() -> list[Reference]:
    return read_references(BIB / "mas.bib").references


def test_apa_text_in_alphabetical_order_with_et_al(mas: list[Reference]) -> None:
    entries = format_bibliography(mas, "apa")
    assert len(entries) == 11
    assert entries[0].startswith("Álvarez-Cardona, A. et al. (2012).")
    assert entries[1] == (
        "Bojan, A. et al. (2021). Macrophage activation syndrome: A diagnostic challenge (Review). "
        "Experimental and Therapeutic Medicine, 22(2), 904. https://doi.org/10.3892/etm.2021.10336")


def test_numbered_styles_keep_the_space_after_the_number(mas: list[Reference]) -> None:
    ama = format_bibliography(mas, "american-medical-association")
    assert ama[0] == ("1. Bojan A et al. Macrophage activation syndrome: A diagnostic challenge "
                      "(Review). Exp Ther Med. 2021;22(2):904. doi:10.3892/etm.2021.10336")
    assert format_bibliography(mas, "nature")[0].startswith("1. Bojan, A. et al. Macrophage")


def test_outputs(mas: list[Reference]) -> None:
    html = format_bibliography(mas[:1], "apa", to="html")[0]
    assert "<em>Experimental and Therapeutic Medicine</em>" in html
    assert "nocase" not in html
    assert format_bibliography(mas[:1], "apa", to="markdown")[0].startswith(
        "Bojan, A. et al. (2021). Macrophage activation syndrome: A diagnostic challenge "
        "(Review). *Experimental and Therapeutic Medicine*")
    latex = format_bibliography(mas[:1], "apa", to="latex")[0]
    assert r"\emph{Experimental and Therapeutic Medicine}" in latex


def test_untrusted_titles_are_escaped_in_html_and_latex() -> None:
    hostile = Reference.from_csl({
        "id": "x", "type": "article-journal", "title": "<script>alert(1)</script> & 100% #1_$",
        "container-title": "<img src=x onerror=alert(1)>", "author": [{"family": "O'Neil"}],
        "issued": {"date-parts": [[2020]]}})
    html = format_bibliography([hostile], "apa", to="html")[0]
    assert "<script>" not in html
    assert "<img" not in html
    latex = format_bibliography([hostile], "apa", to="latex")[0]
    assert r"100\%" in latex
    assert r"\#1\_\$" in latex


def test_styles_by_name_path_and_dependents(tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert find_style("apa").name == "apa.csl"
    assert find_style("apa.csl").name == "apa.csl"
    with pytest.raises(FormatError, match="no CSL style named 'apaa'; did you mean apa"):
        find_style("apaa")
    independent = find_style("nature")
    dependent = tmp_path / "my-journal.csl"
    dependent.write_text(
        '<?xml version="1.0"?><style xmlns="http://purl.org/net/xbiblio/csl" version="1.0">'
        '<info><link href="http://www.zotero.org/styles/nature" rel="independent-parent"/>'
        '</info></style>', encoding="utf-8")
    assert find_style(dependent) == independent


def test_a_style_the_processor_rejects_is_a_format_error(tmp_path: Path,
                                                        mas: list[Reference]) -> None:
    style = tmp_path / "cut.csl"
    style.write_text(TRUNCATED_STYLE, encoding="utf-8")
    with pytest.raises(FormatError, match=r"^the CSL processor failed: CiteprocXMLError: Expected "
                                          r"end element for: Name \{nameLocalName = \"style\""):
        format_bibliography(mas, style)


def test_cli_format() -> None:
    result = subprocess.run([sys.executable, "-m", "mascite", "format", "bib/mas.bib", "--style",
                             "american-medical-association", "--engine", "pandoc"],
                            capture_output=True, text=True,
                            cwd=ROOT, check=False, timeout=120)
    assert result.returncode == 0, result.stderr
    entries = result.stdout.strip().split("\n\n")
    assert len(entries) == 11
    assert entries[10].startswith("11. Nam SH et al.")


def test_what_mascite_corrects_before_and_after_the_processor() -> None:
    preprint = Reference.from_csl({
        "id": "p", "type": "article", "title": "Optimization with Cross-vector Demand Response",
        "author": [{"family": "Lee", "given": "K"}], "issued": {"date-parts": [[2020, 6, 28]]},
        "DOI": "10.1002/x"})
    assert format_bibliography([preprint], "chicago-author-date") == [
        "Lee, K. 2020. “Optimization with Cross-Vector Demand Response.” Preprint, June 28. "
        "https://doi.org/10.1002/x."]  # the full stop inside the quotes, American style
    article = Reference.from_csl({
        "id": "q", "type": "article-journal", "title": "A title.", "container-title": "Physica B",
        "author": [{"family": "Lee", "given": "K"}], "issued": {"date-parts": [[2020]]},
        "volume": "177", "issue": "1-4", "page": "425-425"})
    assert format_bibliography([article], "chicago-author-date") == [
        "Lee, K. 2020. “A Title.” Physica B 177 (1–4): 425–425."]  # as citeproc-js: not "425–25"


@pytest.mark.parametrize("engine", ENGINES)
def test_render_the_ivig_example_with_linked_citations(tmp_path: Path, engine: str) -> None:
    out = tmp_path / "ivig.html"
    result = subprocess.run([sys.executable, "-m", "mascite", "render",
                             "examples/ivig-for-mas.txt", "--bib", "bib/mas.bib", "--style",
                             "american-medical-association", "--output", str(out),
                             "--engine", engine],
                            capture_output=True, text=True, cwd=ROOT, check=False, timeout=120)
    assert result.returncode == 0, result.stderr
    page = out.read_text(encoding="utf-8")
    assert page.count('class="csl-entry"') == 11
    assert ('improve MAS symptoms by<span class="citation" data-cites="r8 r9"><sup>'
            '<a id="cite-r8"></a><a href="#ref-r8" role="doc-biblioref">8</a>,'
            '<a id="cite-r9"></a><a href="#ref-r9" role="doc-biblioref">9</a></sup></span>:') in page
    assert '<a href="#cite-r8" class="back-link"' in page
    assert "nocase" not in page
    assert page.count("<li><p>Suppressing macrophage activation") == 1


@pytest.mark.parametrize("engine", ENGINES)
def test_render_escapes_the_document_and_markdown_output(engine: str) -> None:
    from mascite import check_document, parse_document
    from mascite.csl.render import render_document

    text = ("Claim <script>alert(1)</script> with *stars* and @handles [1].\n"
            "References\n1. Nam, So Hye, et al. “Macrophage Activation Syndrome in Rheumatic "
            "Disease.” PLoS ONE, vol. 17, no. 5, 2022, p. e0267715.\n")
    document = parse_document(text, "doc.txt")
    report = check_document(document)
    page = render_document(document, report, "apa", engine=engine)
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "*stars*" in page
    head = page[page.index("<head>"):page.index("</head>")]
    assert head.split("\n")[1] == (
        '  <meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; "
        "frame-ancestors 'none'\">")
    markdown = render_document(document, report, "apa", to="markdown", engine=engine)
    names = {"citeproc-js": "Nam", "pandoc": "Nam et al."}[engine]  # "et al.": pandoc's "others"
    assert f"and @handles ([{names}, 2022](#ref-r1))." in markdown


def test_title_case_leaves_protected_lower_case_words_alone() -> None:
    reference = Reference.from_csl({
        "id": "t", "type": "article-journal", "author": [{"family": "Lee", "given": "K"}],
        "title": "Studies on urokinase. the measurement of fragilities under earthquake loadings",
        "container-title": "Journal de Mathématiques Pures et Appliquées",
        "issued": {"date-parts": [[2014]]}, "volume": "102", "page": "702-757"})
    assert format_bibliography([reference], "chicago-author-date") == [
        "Lee, K. 2014. “Studies on Urokinase. the Measurement of Fragilities under Earthquake "
        "Loadings.” Journal de Mathématiques Pures et Appliquées 102: 702–57."]
    latex = format_bibliography([reference], "chicago-author-date", to="latex")[0]
    assert "{under}" not in latex

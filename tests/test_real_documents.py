"""Documents read as their authors' tools read them (issue 21): LaTeX citations wherever LaTeX
typesets them, natbib and biblatex commands, ``\\nocite``, the bibliography a document names,
pandoc's front matter and braced keys, and BibTeX as BibTeX and biber keep it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from mascite import read_references_text
from mascite.checks.pipeline import check, check_document
from mascite.document import parse_document
from mascite.errors import InputError
from mascite.identifiers import is_short_doi, isbn_problem, issn_problem, normalize_issn

PAPER_TEX = r"""\documentclass{article}
\usepackage{natbib}
\citestyle{nature}
\begin{document}
\section{Background \cite{sec}}
Ferritin above 10,000 ng/mL is reported in 70\% of patients \Citet{a}.
\begin{figure}[ht]
\centering
\includegraphics[width=3cm]{f.png}
\caption{Ferritin over time \citep[see][p.~3]{cap}.}
\label{fig:1}
\end{figure}
\begin{table}\begin{tabular}{|l|p{3cm}|}
Drug & Source \\ \hline
IVIG & \citealp{tab} \\
\end{tabular}\end{table}
\begin{center}Centred \parencite{cen}.\end{center}
\begin{itemize}\item Listed \textcite{item}.\end{itemize}
Text\footnote{See \cites(See)()[3]{foot1}[4]{foot2}.}.
% \cite{commented}
\nocite{extra}
\bibliography{refs,more}
\end{document}
"""


def test_latex_citations_in_captions_tables_centre_items_footnotes_and_titles() -> None:
    report = check_document(parse_document(PAPER_TEX, "paper.tex"))
    assert [(c.marker, c.kind, c.keys, c.line) for c in report.citations] == [
        (r"\cite{sec}", "key", ["sec"], 5), (r"\Citet{a}", "key", ["a"], 6),
        (r"\citep[see][p.~3]{cap}", "key", ["cap"], 10), (r"\citealp{tab}", "key", ["tab"], 15),
        (r"\parencite{cen}", "key", ["cen"], 17), (r"\textcite{item}", "key", ["item"], 18),
        (r"\cites(See)()[3]{foot1}[4]{foot2}", "key", ["foot1", "foot2"], 19),
        (r"\nocite{extra}", "nocite", ["extra"], 21)]
    assert [c.text for c in report.claims][-2:] == [
        r"Listed \textcite{item}.", r"Text\footnote{See \cites(See)()[3]{foot1}[4]{foot2}.}."]


def test_latex_names_its_bibliographies_and_nocite_lists_without_supporting(
        tmp_path: Path) -> None:
    (tmp_path / "paper.tex").write_text(
        "\\documentclass{article}\\begin{document}\nMAS is fatal in 8\\% of cases "
        "\\citep{a}.\n\n\\nocite{b}\n\\bibliography{refs}\n\\end{document}\n", encoding="utf-8")
    (tmp_path / "refs.bib").write_text(
        "@article{a, author={Doe, J.}, title={A}, journal={J}, year={2000}}\n"
        "@article{b, author={Roe, R.}, title={B}, journal={J}, year={2001}}\n"
        "@article{c, author={Poe, P.}, title={C}, journal={J}, year={2002}}\n", encoding="utf-8")
    report = check(tmp_path / "paper.tex", offline=True)
    assert [r.id for r in report.references] == ["a", "b", "c"]
    assert [(c.kind, c.refs) for c in report.citations] == [("key", ["a"]), ("nocite", ["b"])]
    assert [c.refs for c in report.claims] == [["a"]]
    assert [(f.code, f.ref) for f in report.findings if f.code == "unused-reference"] == [
        ("unused-reference", "c")]
    star = check_document(parse_document("Text.\n\n\\nocite{*}\n", "x.tex"),
                          [read_references_text("@misc{x, title={X}}\n@misc{y, title={Y}}",
                                                "bibtex", "x.bib")])
    assert [c.refs for c in star.citations] == [["x", "y"]]
    assert [f.code for f in star.findings if f.code == "unused-reference"] == []


def test_commands_that_configure_citations_are_not_citations() -> None:
    report = check_document(parse_document(
        "\\citestyle{nature}\\defcitealias{a}{Paper I} Shown in \\citetalias{a}.\n", "x.tex"))
    assert [c.marker for c in report.citations] == [r"\citetalias{a}"]


PAPER_MD = """---
title: "MAS"
bibliography:
  - refs.bib
  - missing.bib
nocite: |
  @extra
references:
- id: inline
  type: article-journal
  title: Inline item
  issued: {date-parts: [[2020]]}
---

- Ferritin rises in MAS [@a; @{Doe:2000/odd.key}].
<!-- hidden [@hidden] -->
Inline items count too [@inline].
"""
REFS = ("@article{a, author={Doe, J.}, title={A}, journal={\\apj}, year={2000}, keywords={x}, "
        "keywords={y}}\n"
        "@article{Doe:2000/odd.key, author={Poe, P.}, title={C}, journal={J}, year={2002}, "
        "doi={10/bqhp9z}}\n"
        "@book{extra, author={Loe, L.}, title={D}, publisher={P}, year={2003}, "
        "isbn={ISBN 0-89871-447-8 (paperback)}, issn={ISSN 2325-9671 (Electronic)}}\n")


def test_pandoc_front_matter_names_bibliographies_holds_references_and_lists_nocite(
        tmp_path: Path) -> None:
    (tmp_path / "paper.md").write_text(PAPER_MD, encoding="utf-8")
    (tmp_path / "refs.bib").write_text(REFS, encoding="utf-8")
    report = check(tmp_path / "paper.md", offline=True)
    assert [(c.marker, c.kind, c.refs, c.line) for c in report.citations] == [
        ("[@a; @{Doe:2000/odd.key}]", "key", ["a", "Doe:2000/odd.key"], 15),
        ("[@inline]", "key", ["inline"], 17), ("nocite", "nocite", ["extra"], 6)]
    assert [c.text for c in report.claims] == [
        "Ferritin rises in MAS [@a; @{Doe:2000/odd.key}].", "Inline items count too [@inline]."]
    assert [(r.id, r.csl.container_title, r.csl.container_title_short)
            for r in report.references] == [
        ("a", "The Astrophysical Journal", "ApJ"), ("Doe:2000/odd.key", "J", None),
        ("extra", None, None), ("inline", None, None)]
    missing = str(tmp_path / "missing.bib")
    assert [(f.code, f.severity.value, f.line, f.message) for f in report.findings] == [
        ("parse-error", "warning", 1, "entry 'a' gives 'keywords' twice: the first value is kept "
                                      "and this one ignored, as BibTeX and biber do"),
        ("short-doi", "info", 2, "Doe:2000/odd.key: '10/bqhp9z' is a shortDOI: Crossref takes "
                                 "only full DOIs, so this reference is not verified; give the "
                                 "full DOI"),
        ("parse-error", "error", 5, f"the document names the bibliography 'missing.bib', and "
                                    f"there is no file {missing!r}: its citations cannot be "
                                    f"checked (give it with --bib)"),
        ("missing-container", "warning", 1, "inline: a journal article without its journal")]


def test_given_bibliographies_replace_named_ones_as_with_pandoc(tmp_path: Path) -> None:
    (tmp_path / "paper.md").write_text(PAPER_MD, encoding="utf-8")
    (tmp_path / "other.bib").write_text("@misc{a, title={Other A}}\n", encoding="utf-8")
    report = check(tmp_path / "paper.md", [tmp_path / "other.bib"], offline=True)
    assert [r.id for r in report.references] == ["a"]
    assert report.failures == []


def test_front_matter_pandoc_cannot_read_is_a_failure_and_not_content() -> None:
    document = parse_document("---\ntitle: [unclosed\n---\n\nText [@a].\n", "x.md")
    assert [(f.line, f.message) for f in document.failures] == [
        (3, "the YAML front matter cannot be read: expected ',' or ']', but got '<stream end>'")]
    assert [(b.kind, b.text) for b in document.blocks] == [
        ("code", "---\ntitle: [unclosed\n---"), ("paragraph", "Text [@a].")]


def test_identifiers_with_qualifiers_and_short_dois() -> None:
    assert isbn_problem("ISBN 0-89871-447-8 (paperback)") is None
    assert isbn_problem("0-89871-447-9 (pbk.)") == "ISBN-10 check digit does not match"
    assert issn_problem("ISSN 2325-9671 (Electronic)") is None
    assert normalize_issn("2325-9671 (Print)") == "2325-9671"
    assert is_short_doi("10/bqhp9z")
    assert is_short_doi("https://doi.org/10/bqhp9z")
    assert not is_short_doi("10.1000/bqhp9z")


def test_ads_journal_macros_read_as_the_journal() -> None:
    bibliography = read_references_text(
        "@article{x, journal={\\mnras}, title={T}, year=2000}\n"
        "@article{y, journal=\\aap, title={T}, year=2000}\n"
        "@article{z, journal={\\unknownjournal}, title={T}, year=2000}\n", "bibtex", "ads.bib")
    assert [(r.container_title, r.container_title_short) for r in bibliography.references] == [
        ("Monthly Notices of the Royal Astronomical Society", "MNRAS"),
        ("Astronomy and Astrophysics", "A&A"), ("", None)]  # an unknown macro: typesets nothing
    assert [(f.path, f.line, f.severity, f.message) for f in bibliography.failures] == [
        ("ads.bib", 3, "warning", "entry 'z': journal = {\\unknownjournal} is a macro that is not "
         "one of the AAS journals (aas_macros.sty): LaTeX needs the document to define "
         "\\unknownjournal, and mascite reads the journal as empty")]


def test_pandoc_div_fences_and_raw_tex_lines_are_not_text() -> None:
    document = parse_document("Text [@a].\n\n::: {#refs}\n:::\n\n\\endgroup\n", "x.md")
    assert [(b.kind, b.text) for b in document.blocks] == [("paragraph", "Text [@a].")]


def test_r_markdown_and_quarto_read_as_markdown_with_code_chunks_skipped() -> None:
    text = ("---\ntitle: x\n---\n\n```{r setup}\ny <- z[800, 600]\n```\n\n"
            "Result `r mean(x[1])` is shown [@a].\n")
    for name in ("p.Rmd", "p.qmd"):
        report = check_document(parse_document(text, name))
        assert report.source is not None
        assert report.source.format == "markdown"
        assert [c.marker for c in report.citations] == ["[@a]"]


def test_back_matter_sentences_need_no_source() -> None:
    text = ("# Results\n\nIn 2019, 40% of patients died in the study.\n\n# Acknowledgements\n\n"
            "We thank the 40% of patients who took part in the 2019 study.\n\n## Funding\n\n"
            "This study was funded by grant 123 in 2020, covering 50% of costs.\n\n"
            "# Data availability\n\nThe 2019 data of 40% of patients are on request.\n\n"
            "# Discussion\n\nMortality was 20% in a 2018 cohort study.\n")
    report = check_document(parse_document(text, "x.md"))
    # the Results report the authors' own data; back matter cites nothing
    assert [c.needs_citation for c in report.claims] == [False, False, False, False, True]


def test_a_list_numbered_one_on_every_line_is_numbered_as_markdown_numbers_it() -> None:
    from mascite.formats.reflist import split_entries

    entries = split_entries("1. Smith J. One. J A. 2020;1:1-2.\n1. Lee K. Two. J B. 2021;2:3-4.\n"
                            "1. Roe R. Three. J C. 2022;3:5-6.\n")
    assert [e.label for e in entries] == ["1", "2", "3"]
    kept = split_entries("3. Smith J. One. J A. 2020;1:1-2.\n3. Lee K. Two. J B. 2021;2:3-4.\n")
    assert [e.label for e in kept] == ["3", "4"]


def test_others_ends_an_author_list_and_group_authors_are_authors() -> None:
    from mascite.refparse import parse_reference

    listed = parse_reference("Lee K, others. Two trials of IVIG. J B. 2021;2:3-4.", "1").reference
    assert [(n.family, n.given) for n in listed.author or []] == [("Lee", "K")]
    assert listed.truncated_authors is True
    group = parse_reference("Antithrombotic Trialists' Collaboration. Collaborative meta-analysis "
                            "of randomised trials. BMJ. 2002;324:71-86.", "1").reference
    assert [n.literal for n in group.author or []] == ["Antithrombotic Trialists' Collaboration"]
    assert group.title == "Collaborative meta-analysis of randomised trials"


def test_bibtex_round_trips_entry_types_urls_and_and_others() -> None:
    from mascite import write_references

    text = ("@proceedings{pr, title={Proc}, year={2020}, editor={Doe, J.}}\n"
            "@misc{hp, title={Web}, howpublished={\\url{https://example.org/x}}, year={2020}}\n"
            "@article{tr, author={Doe, J. and others}, title={T}, journal={J}, year={2020}}\n")
    refs = read_references_text(text, "bibtex").references
    assert [(r.type, r.url) for r in refs] == [
        ("book", None), ("document", "https://example.org/x"), ("article-journal", None)]
    written = write_references(refs, "bibtex")
    assert written.startswith("@proceedings{pr,\n")
    assert written.count("https://example.org/x") == 1
    assert "author = {Doe, J. and others}" in written
    csl = json.loads(write_references(refs, "csl-json"))
    assert [i.get("custom") for i in csl] == [
        {"bibtex-type": "proceedings"},
        {"bibtex": {"howpublished": "\\url{https://example.org/x}"}},
        {"truncated-authors": True}]
    assert all("truncated-authors" not in i for i in csl)
    again = read_references_text(json.dumps(csl), "csl-json").references
    assert [r.truncated_authors for r in again] == [None, None, True]


def test_common_style_names_resolve() -> None:
    from mascite.csl.styles import find_style

    assert {name: find_style(name).stem for name in
            ("vancouver", "nlm", "ama", "harvard", "mla", "chicago")} == {
        "vancouver": "nlm-citation-sequence", "nlm": "nlm-citation-sequence",
        "ama": "american-medical-association", "harvard": "harvard-cite-them-right",
        "mla": "modern-language-association", "chicago": "chicago-author-date"}


def test_markdown_table_row_is_read_once() -> None:
    text = "| Package | Language |\n|---|---|\n| GibbsSeaWater.jl [@Barth2020] | Julia |\n"
    report = check_document(parse_document(text, "x.md"))
    assert [(c.marker, c.line) for c in report.citations] == [("[@Barth2020]", 3)]


def test_keys_in_an_image_caption_or_link_text_are_cited_one_by_one() -> None:
    text = ("![Peaks as described in @menzel2020, Appx. B; see also @lee2021.](fig.pdf)\n\n"
            "[As in @roe2019](https://example.org) and [@doe2020].\n")
    report = check_document(parse_document(text, "x.md"))
    assert [c.marker for c in report.citations] == ["@menzel2020", "@lee2021", "@roe2019",
                                                   "[@doe2020]"]


def test_r_markdown_chunk_header_with_backticks_is_still_a_chunk() -> None:
    text = ('```{r fig, fig.cap="Built with `R Markdown` [1]"}\nplot(x[1, 2])\n```\n\n'
            "# Methods\n\nWe used R [@R-base].\n")
    report = check_document(parse_document(text, "x.Rmd"))
    assert [c.marker for c in report.citations] == ["[@R-base]"]
    assert [b.kind for b in parse_document(text, "x.Rmd").blocks] == [
        "code", "heading", "paragraph"]


def test_latex_parts_are_found_as_tex_finds_them() -> None:
    document = parse_document("\\begin{document}\n\\input{intro}\n% \\include{old}\n"
                              "\\include{methods}\n\\subfile{parts/a.tex}\n\\end{document}\n",
                              "ms.tex")
    assert document.metadata.parts == [("input", "intro", 2), ("include", "methods", 4),
                                       ("subfile", "parts/a.tex", 5)]
    assert document.failures == []


MAIN_TEX = """\\documentclass{article}
\\begin{document}
Macrophage activation syndrome is rare \\cite{a}.
\\input{sections/intro}
\\include{chapter}
% \\input{commented}
\\input{missing}
\\bibliographystyle{plain}
\\bibliography{refs}
\\end{document}
"""
PARTS = {
    "sections/intro.tex": "\\section{Introduction}\nFerritin rises \\citep{b}.\n"
                          "\\input{sections/table}\n",
    "sections/table.tex": "\\begin{table}\\caption{Doses from \\cite{d}}\\end{table}\n",
    "chapter.tex": "\\chapter{More}\nAnakinra is used \\cite{b,e}.\n",
    "refs.bib": "".join(f"@article{{{k}, author={{{k.upper()}, A}}, title={{T {k}}}, "
                        f"journal={{J}}, year={{200{i}}}}}\n" for i, k in enumerate("abcda")),
}


@pytest.mark.parametrize("named", [["."], ["main.tex"], ["chapter.tex", "main.tex"]])
def test_latex_parts_are_checked_with_the_document_that_reads_them(
        tmp_path: Path, named: list[str]) -> None:
    from .test_cli import run

    (tmp_path / "sections").mkdir()
    (tmp_path / "main.tex").write_text(MAIN_TEX, encoding="utf-8")
    for name, text in PARTS.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = run("check", *named, "--offline", "--format", "json", cwd=tmp_path)
    data = json.loads(result.stdout)
    assert [(r["document"], [(c["marker"], c["refs"]) for c in r["citations"]])
            for r in data["reports"]] == [
        ("main.tex", [("\\cite{a}", ["a"])]),
        (str(Path("sections/intro.tex")), [("\\citep{b}", ["b"])]),
        (str(Path("sections/table.tex")), [("\\cite{d}", ["d"])]),
        ("chapter.tex", [("\\cite{b,e}", ["b"])])]
    # the bibliography's duplicate key (kept, as BibTeX keeps it) is said once, with main.tex
    assert [(r["document"], f["code"], f["line"], f["message"]) for r in data["reports"]
            for f in r["findings"] if f["code"] != "uncited-claim"] == [
        ("main.tex", "parse-error", 5, "duplicate key 'a'; the first entry is kept"),
        ("main.tex", "unused-reference", 3,
         "reference c is never cited in the text of any of the 4 documents that use refs.bib"),
        ("main.tex", "parse-error", 7,
         f"\\input{{missing}}: there is no file {str(Path('missing.tex'))!r}, so its citations "
         "and claims are not checked"),
        ("chapter.tex", "dangling-citation", 2,
         "\\cite{b,e} cites e, but the reference list has no such entry")]
    assert result.stderr == (f"refs.bib:5: duplicate key 'a'; the first entry is kept\n"
                             f"mascite: warning: main.tex:7: \\input{{missing}}: there is no "
                             f"file {str(Path('missing.tex'))!r}, so its citations and claims "
                             "are not checked\n")


JATS = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE article [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<article xmlns:xlink="http://www.w3.org/1999/xlink" article-type="research-article">
<front><journal-meta><journal-title>J Theor Biol</journal-title></journal-meta>
<article-meta><article-id pub-id-type="doi">10.1000/x</article-id>
<title-group><article-title>Gene networks</article-title></title-group>
<abstract><p>Robustness is common &xxe; [<xref ref-type="bibr" rid="b1">1</xref>].</p></abstract>
</article-meta></front>
<body><sec><title>Introduction</title>
<p>Networks are robust in 80% of cases [<xref ref-type="bibr" rid="b1">1</xref>]&#8211;[<xref
ref-type="bibr" rid="b2">2</xref>].</p>
<fig id="f1"><label>Figure 1</label><caption><p>Robust cores [<xref ref-type="bibr"
rid="b2">2</xref>].</p></caption><graphic xlink:href="f1.tif"/></fig>
</sec></body>
<back><ref-list><title>References</title>
<ref id="b1"><label>1</label><element-citation publication-type="journal"><person-group
person-group-type="author"><name><surname>Kauffman</surname><given-names>SA</given-names></name>
</person-group><year>1969</year><article-title>Metabolic stability.</article-title>
<source>J Theor Biol</source><volume>22</volume><fpage>437</fpage><lpage>467</lpage>
</element-citation></ref>
<ref id="b2"><label>2</label><mixed-citation>Wagner A (2005) Robustness. FEBS Lett 579:
1772&#8211;1778.</mixed-citation></ref>
</ref-list></back></article>
"""


def test_jats_article_body_captions_and_reference_list() -> None:
    document = parse_document(JATS, "article.xml")
    assert document.failures == []
    assert [(e.label, e.text) for e in document.reference_entries] == [
        ("1", "Kauffman SA 1969 Metabolic stability. J Theor Biol 22 437–467"),
        ("2", "Wagner A (2005) Robustness. FEBS Lett 579: 1772–1778.")]
    report = check_document(document)
    assert [(c.marker, c.refs, c.line) for c in report.citations] == [
        ("[1]", ["1"], 7), ("[1]–[2]", ["1", "2"], 10), ("[2]", ["2"], 12)]
    assert "etc/passwd" not in " ".join(c.text for c in report.claims)


def test_xml_that_is_not_jats_is_refused_with_a_message() -> None:
    document = parse_document('<?xml version="1.0"?><root><a>x [1]</a></root>', "x.xml")
    assert document.blocks == []
    assert [f.message for f in document.failures] == [
        "an XML file that is not a JATS <article>: mascite reads JATS XML (PubMed Central, "
        "publishers' exports); other XML it does not guess at"]


SAVEDRECS = """FN Clarivate Analytics Web of Science
VR 1.0
PT J
AU Ravelli, A
   Minoia, F
AF Ravelli, Angelo
   Minoia, Francesca
TI 2016 Classification Criteria for Macrophage Activation Syndrome
   Complicating Systemic Juvenile Idiopathic Arthritis
SO ANNALS OF THE RHEUMATIC DISEASES
JI Ann. Rheum. Dis.
PD MAR
PY 2016
VL 75
IS 3
BP 481
EP 489
DI 10.1136/annrheumdis-2015-208982
UT WOS:000370925300006
ER

PT J
CA Antithrombotic Trialists Collaboration
TI Collaborative meta-analysis
SO BMJ
PY 2002
VL 324
AR 71
ER

EF
"""


def test_web_of_science_export_is_read_whatever_its_name(tmp_path: Path) -> None:
    from mascite import read_references

    path = tmp_path / "savedrecs.txt"
    path.write_text(SAVEDRECS, encoding="utf-8")
    bibliography = read_references(path)
    assert bibliography.failures == []
    assert [r.to_csl() for r in bibliography.references] == [
        {"id": "WOS:000370925300006", "type": "article-journal",
         "author": [{"family": "Ravelli", "given": "Angelo"},
                    {"family": "Minoia", "given": "Francesca"}],
         "issued": {"date-parts": [[2016, 3]]},
         "title": "2016 Classification Criteria for Macrophage Activation Syndrome "
                  "Complicating Systemic Juvenile Idiopathic Arthritis",
         "container-title": "ANNALS OF THE RHEUMATIC DISEASES",
         "container-title-short": "Ann. Rheum. Dis.", "volume": "75", "issue": "3",
         "page": "481-489", "DOI": "10.1136/annrheumdis-2015-208982"},
        {"type": "article-journal", "author": [{"literal": "Antithrombotic Trialists Collaboration"}],
         "issued": {"date-parts": [[2002]]}, "title": "Collaborative meta-analysis",
         "container-title": "BMJ", "volume": "324", "article-number": "71"}]
    report = check(path, offline=True)
    assert [r.id for r in report.references] == ["WOS:000370925300006", "2"]


def test_ris_record_numbers_between_records_and_markup_in_written_titles() -> None:
    from mascite import write_references

    text = "1.\nTY  - JOUR\nTI  - A\nER  - \n\n2.\nTY  - JOUR\nTI  - B\nER  - \n"
    bibliography = read_references_text(text, "ris", "x.ris")
    assert [r.title for r in bibliography.references] == ["A", "B"]
    assert bibliography.failures == []
    written = write_references(read_references_text(
        '[{"id": "k", "type": "book", "title": "The <i>Homo</i> <span class=\\"nocase\\">MAS</span>"}]',
        "csl-json").references, "ris")
    assert "TI  - The Homo MAS" in written


HANGING = ("Text [1,2,3].\n\nReferences\n\n1. Smith J. A paper about\n   things. J A. 2017;1:1-2. "
           "doi:10.1007/978-3-319-67394-1\n2. Lee K. Another paper. J B.\n   2018;2:3-4. "
           "doi:10.1137/141000671\n3. Roe R. Third. J C. 2019;3:5-6.\n")


def test_reference_entries_wrapped_onto_hanging_lines_stay_whole() -> None:
    from mascite.formats.reflist import split_entries

    report = check_document(parse_document(HANGING, "paper.txt"))
    assert [(r.label, r.doi) for r in report.references] == [
        ("1", "10.1007/978-3-319-67394-1"), ("2", "10.1137/141000671"), ("3", None)]
    assert report.references[1].raw == "Lee K. Another paper. J B. 2018;2:3-4. doi:10.1137/141000671"
    flat = HANGING[HANGING.index("1. Smith"):].replace("   ", "")  # a PDF's text, no indent
    assert [(e.label, e.text[-25:]) for e in split_entries(flat)] == [
        ("1", "10.1007/978-3-319-67394-1"), ("2", "-4. doi:10.1137/141000671"),
        ("3", ". Third. J C. 2019;3:5-6.")]


@pytest.mark.parametrize("engine", ["citeproc-js", "pandoc"])
def test_render_keeps_narrative_citations_locators_and_math(tmp_path: Path, engine: str) -> None:
    from mascite.csl.engines import citeproc_js

    if engine == "citeproc-js" and citeproc_js.unavailable():
        pytest.skip(str(citeproc_js.unavailable()))
    from mascite.checks.pipeline import named_bibliographies
    from mascite.csl.render import render_document
    from mascite.document import read_document

    (tmp_path / "refs.bib").write_text(
        "@article{a, author={Doe, J.}, title={A}, journal={J}, year={2000}}\n"
        "@article{b, author={Poe, P.}, title={B}, journal={J}, year={2002}}\n", encoding="utf-8")
    (tmp_path / "r.md").write_text(
        "---\ntitle: x\nbibliography: refs.bib\n---\n\n# Intro\n\nAs @a showed, MAS is fatal "
        "[see @a, p. 3; @b]. Math $x^2$ stays.\n", encoding="utf-8")
    (tmp_path / "r.tex").write_text(
        "\\begin{document}\nAs \\citet{a} showed, MAS is fatal \\citep[see][p.~3]{a} and $x^2$ "
        "holds.\n\\bibliography{refs}\n\\end{document}\n", encoding="utf-8")
    out = {}
    for name in ("r.md", "r.tex"):
        document = read_document(tmp_path / name)
        report = check_document(document, named_bibliographies(document))
        out[name] = render_document(document, report, "apa", to="markdown",
                                    engine=engine).split("\n\n")
    # each engine's own: citeproc-js links a narrative citation whole and puts a no-break
    # space after "p."; pandoc links the year alone
    expected = {
        "citeproc-js": ("As [Doe (2000)](#ref-ra) showed, MAS is fatal ([see Doe, 2000, "
                        "p.\u00a03](#ref-ra); [Poe, 2002](#ref-rb)). Math $x^2$ stays.",
                        "As [Doe (2000)](#ref-ra) showed, MAS is fatal ([see Doe, 2000, "
                        "p.\u00a03](#ref-ra)) and $x^2$ holds."),
        "pandoc": ("As Doe ([2000](#ref-ra)) showed, MAS is fatal (see [Doe, 2000, p. 3](#ref-ra); "
                   "[Poe, 2002](#ref-rb)). Math $x^2$ stays.",
                   "As Doe ([2000](#ref-ra)) showed, MAS is fatal (see [Doe, 2000, p. 3](#ref-ra)) "
                   "and $x^2$ holds.")}[engine]
    assert out["r.md"][:2] == ["## Intro", expected[0]]
    assert out["r.tex"][0] == expected[1]


def test_raised_numbers_that_are_powers_are_not_citations() -> None:
    html = ("<p>A fit with r<sup>2</sup> = 0.79 and <i>S</i><sup>2</sup> of 0.1, about 2.6×10"
            "<sup>7</sup> cells, σ²; fatal in 8% of cases<sup>2</sup> and in 2010<sup>3</sup>."
            "</p><h2>References</h2><ol><li>A. One. J. 2001.</li><li>B. Two. J. 2002.</li>"
            "<li>C. Three. J. 2003.</li></ol>")
    report = check_document(parse_document(html, "x.html"))
    assert [(c.kind, c.labels) for c in report.citations] == [
        ("superscript", ["2"]), ("superscript", ["3"])]


def test_jupyter_notebook_markdown_cells_are_the_document(tmp_path: Path) -> None:
    notebook = {"cells": [
        {"cell_type": "markdown", "source": ["# Results\n", "\n", "Ferritin rose in 40% [@a]."]},
        {"cell_type": "code", "source": ["plt.figure(figsize=[800, 600])\n", "x = y[1]"]},
        {"cell_type": "markdown", "source": "As @b showed."}], "nbformat": 4}
    path = tmp_path / "paper.ipynb"
    path.write_text(json.dumps(notebook), encoding="utf-8")
    report = check(path, offline=True)
    assert [(c.marker, c.line) for c in report.citations] == [("[@a]", 3), ("@b", 10)]
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError) as raised:
        check(path, offline=True)
    assert "is not a Jupyter notebook (not valid JSON" in str(raised.value)


def test_a_doi_or_url_broken_at_a_line_end_goes_on_on_the_next_line() -> None:
    text = ("Claims [1,2,3].\n\nReferences\n\n"
            "1. Smith J. A paper. SIAM J Sci Comput. 2015;37:A1. doi:10.1137/\n141000671\n"
            "2. Park S. Third. Nature. 2017;5:6. https://doi.org/10.1007/978-3-319-\n67394-1\n"
            "3. Lee K. Another. J Comput Phys. 2016;1:2. doi:10.1016/j.jcp.2016.01.001.\n")
    report = check_document(parse_document(text, "refs.txt"))
    assert [(r.id, r.doi) for r in report.references] == [
        ("1", "10.1137/141000671"), ("2", "10.1007/978-3-319-67394-1"),
        ("3", "10.1016/j.jcp.2016.01.001")]
    assert [f.code for f in report.findings] == []
    from mascite.formats.reflist import split_entries

    assert [(e.label, e.text) for e in split_entries(
        "1. A. doi:10.1137/\n  141000671\n2. B. 2016. doi:10.1000/xyz.\nAvailable online.\n")] == [
        ("1", "A. doi:10.1137/141000671"), ("2", "B. 2016. doi:10.1000/xyz. Available online.")]


def test_latex_sees_only_its_cite_commands() -> None:
    text = ("\\documentclass{acmart}\n\\ccsdesc[500]{Security~Embedded}\n\\begin{document}\n"
            "Shown in [3] and (Smith, 2001) but cited \\cite{a}.\n\\end{document}\n")
    report = check_document(parse_document(text, "paper.tex"))
    assert [(c.marker, c.kind) for c in report.citations] == [("\\cite{a}", "key")]


@pytest.mark.skipif(shutil.which("kpsewhich") is None, reason="needs TeX's kpsewhich")
def test_a_latex_bibliography_is_found_where_bibtex_finds_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    library = tmp_path / "texmf"
    library.mkdir()
    (library / "shared-abbrev.bib").write_text(
        "@string{IEEE_J_X = {IEEE Trans. X}}\n@article{a, title={T}, journal=IEEE_J_X}\n",
        encoding="utf-8")
    monkeypatch.setenv("BIBINPUTS", f"{library}:")
    paper = tmp_path / "paper"
    paper.mkdir()
    (paper / "p.tex").write_text("\\begin{document}\nText \\cite{a}.\n"
                                 "\\bibliography{shared-abbrev}\n\\end{document}\n",
                                 encoding="utf-8")
    report = check(paper / "p.tex")
    assert [(r.id, r.path, r.csl.container_title) for r in report.references] == [
        ("a", str(library / "shared-abbrev.bib"), "IEEE Trans. X")]
    assert report.failures == []


def test_undecodable_bytes_between_bibtex_entries_are_a_warning(tmp_path: Path) -> None:
    outside = tmp_path / "outside.bib"
    outside.write_bytes(b"Thanks to Nicol\xe1s.\n@article{a, title={T}}\n")
    inside = tmp_path / "inside.bib"
    inside.write_bytes(b"@article{a, title={Nicol\xe1s}}\n")
    from mascite.formats import read_references

    assert [(f.line, f.severity, f.message) for f in read_references(outside).failures] == [
        (1, "warning", "not valid UTF-8 at column 16 (byte e1); read with U+FFFD in its "
                       "place, in text outside any entry, which BibTeX skips")]
    assert [(f.line, f.severity) for f in read_references(inside).failures] == [(1, "error")]

"""Fuzz every reader and writer for a fixed time each, and count what ran.

Readers get text built from their own syntax (tokens of the format, real sample files cut,
spliced and repeated) and arbitrary Unicode; nothing but a documented :class:`MasciteError`
may escape, and readers return their failures as data, so any other exception is a defect.
Writers get arbitrary Unicode in every field of a record (the strategy of
``tests/test_roundtrip.py``) and what they write must read back as the same record.
Hypothesis runs in rounds with fresh seeds until the time is up; each failure is printed
with its shrunk input.

    python benchmarks/fuzz.py [--minutes 10] [--target bibtex,latex,...] [--jobs 2]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
import traceback
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from tests.test_roundtrip import records  # noqa: E402

from mascite import Reference, read_references_text, write_references  # noqa: E402
from mascite.checks.pipeline import check_document  # noqa: E402
from mascite.document import parse_document  # noqa: E402
from mascite.errors import MasciteError  # noqa: E402
from mascite.formats.bibtex_spans import entry_spans  # noqa: E402
from mascite.formats.files import decode_exact, decode_text  # noqa: E402

_BIB = (ROOT / "bib" / "mas.bib").read_text(encoding="utf-8")
_REFERENCES = read_references_text(_BIB, "bibtex").references
_PAPER = (ROOT / "examples" / "about-mas.txt").read_text(encoding="utf-8")
_MARKDOWN = "\n".join(p.read_text(encoding="utf-8")
                      for p in sorted((ROOT / "examples" / "mkdocs-site" / "docs").glob("*.md")))
_RST = (ROOT / "examples" / "sphinx-project" / "index.rst").read_text(encoding="utf-8")
_LATEX = r"""\documentclass{article}\usepackage{natbib}
\begin{document}
MAS is fatal in 8\% of cases \citep[p.~3]{Ravelli2016,Minoia2014}.
\begin{figure}\caption{Ferritin over time \cite{Grom2016}.}\end{figure}
% a comment \cite{Hidden}
\footnote{See \citet*{Crayne2019}.} \verb|\cite{x}| $a_{1}$
\begin{thebibliography}{9}
\bibitem[Ravelli et al.(2016)]{Ravelli2016} A. Ravelli. Classification criteria. \emph{Ann
Rheum Dis}, 75(3):481--489, 2016. doi:10.1136/annrheumdis-2015-208982
\end{thebibliography}
\bibliography{mas}\end{document}
"""
_HTML = """<!DOCTYPE html><html><head><title>MAS</title><style>p{}</style></head><body>
<h1>About</h1><p>MAS is fatal in 8% of cases <a href="#ref1">[1]</a>, <sup>2,3</sup>.</p>
<!-- a comment [4] --><ul><li>Ferritin rises [2&ndash;3].</li></ul><script>var a="[5]";</script>
<h2>References</h2><ol><li id="ref1">Ravelli A. Classification criteria. Ann Rheum Dis.
2016;75(3):481-9. doi:<a href="https://doi.org/10.1136/annrheumdis-2015-208982">10.1136/a</a></li>
</ol></body></html>
"""
_JATS = (ROOT / "tests" / "test_real_documents.py").read_text(encoding="utf-8")
_JATS = _JATS[_JATS.index('JATS = """') + 10:_JATS.index('</article>\n"""') + 10]
_DOCX_XML = ('<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
             'wordprocessingml/2006/main"><w:body><w:p><w:pPr><w:pStyle w:val="Heading1"/>'
             '</w:pPr><w:r><w:t>About</w:t></w:r></w:p><w:p><w:r><w:t>MAS is fatal [1]</w:t>'
             '</w:r><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:t>2,3</w:t></w:r>'
             '<w:r><w:footnoteReference w:id="1"/></w:r></w:p><w:p><w:pPr><w:numPr/></w:pPr>'
             '<w:r><w:t>Ravelli A. Criteria. Ann Rheum Dis. 2016;75:481-9.</w:t></w:r></w:p>'
             '</w:body></w:document>')
SEEDS = {
    "bibtex": _BIB + '@string{ard = "Ann Rheum Dis"}\n@comment{x}\n@preamble{"\\x"}\n'
              '@article{c, crossref = {Ravelli2016}, journal = ard # " x"}\n',
    "csl-json": write_references(_REFERENCES, "csl-json"),
    "ris": write_references(_REFERENCES, "ris"),
    "text": _PAPER[_PAPER.find("References"):],
    "jats": _JATS, "docx": _DOCX_XML,
    "document-text": _PAPER, "markdown": _MARKDOWN, "rst": _RST, "latex": _LATEX, "html": _HTML,
}
TOKENS = {
    "bibtex": ["@article{", "@string{", "@comment{", "@preamble{", "@", "{", "}", "(", ")", "=",
               '"', "#", ",", "\\", "\\'", "{\\\"o}", "%", "\n", " and ", "title", "author",
               "year = 2020", "crossref", "pages = {1--2}"],
    "csl-json": ["[", "]", "{", "}", ",", ":", '"', '"id"', '"type"', '"author"', '"issued"',
                 '{"date-parts": [[2020, 1]]}', '"family"', "null", "1e999", "-0", "\\u00e9",
                 "\\ud800", "9" * 30, "true"],
    "ris": ["TY  - JOUR\n", "ER  - \n", "AU  - ", "TI  - ", "PY  - 2020///\n", "DO  - ", "SP  - ",
            "EP  - ", "  - ", "\n", "\r\n", "JO  - ", "VL  - ", "IS  - "],
    "text": ["1. ", "[1] ", "\n", "\n\n", "References\n", "doi:", "10.1000/x", "2020;", "(", ")",
             "12(3):45-67", "et al.", ". ", "—", "Smith J, ", "https://doi.org/"],
    "document-text": ["[1]", "[1–3]", "(Smith 2020)", "\n\n", "References\n", "1. ", ". ", "%",
                      "¹", "e.g.", "Fig. 1", "\n- "],
    "markdown": ["[@key]", "@key", "[-@key; @b, p. 3]", "```\n", "`", "<!--", "-->", "\n# ",
                 "\n- ", "[^1]", "[^1]: ", "\n\n", "::: {#refs}\n", ":::\n", "\\@", "<div>",
                 "---\n", "bibliography: x.bib\n"],
    "rst": [":cite:`key`", ":footcite:`k`", "[1]_", ".. [1] ", "\n\n", "::\n\n    ", ".. ",
            "\n====\n", "``", "`", "\n- ", ".. bibliography::\n"],
    "latex": ["\\cite{", "\\citep[", "]{", "}", "{", "\\begin{figure}", "\\end{figure}",
              "\\caption{", "%", "\n", "\\verb|", "|", "$", "\\\\", "\\bibitem{", "\\input{",
              "\\begin{thebibliography}{9}", "\\end{thebibliography}", "\\footnote{", "\\"],
    "html": ["<p>", "</p>", "<!--", "-->", "<a href=\"#r1\">", "</a>", "<sup>", "</sup>",
             "&amp;", "&#x1F600;", "&#99999999;", "<script>", "</script>", "<li id=\"r1\">",
             "<ol>", "</ol>", "<h2>References</h2>", "<", ">", "\"", "<![CDATA[", "]]>"],
}
TOKENS["bytes"] = []
TOKENS["jats"] = ["<p>", "</p>", "<xref ref-type=\"bibr\" rid=\"b1\">", "</xref>", "<ref id=\"b1\">",
                  "</ref>", "<ref-list>", "</ref-list>", "<title>", "</title>", "<fpage>",
                  "<lpage>", "<!DOCTYPE article [<!ENTITY a \"b\">]>", "&a;", "<![CDATA[", "]]>",
                  "<sup>", "</sup>", "<", ">", "&#8211;"]
TOKENS["docx"] = ["<w:p>", "</w:p>", "<w:r>", "</w:r>", "<w:t>", "</w:t>", "<w:numPr/>",
                  '<w:vertAlign w:val="superscript"/>', '<w:footnoteReference w:id="1"/>',
                  '<w:pStyle w:val="Heading9"/>', "<!DOCTYPE x [<!ENTITY a \"b\">]>", "&a;"]


def _mutate(seed: str, tokens: list[str]) -> st.SearchStrategy[str]:
    """Text built from a seed file: slices of it, the format's tokens and arbitrary text."""
    piece = st.one_of(
        st.builds(lambda a, n: seed[a:a + n], st.integers(0, len(seed)), st.integers(0, 400)),
        st.sampled_from(tokens) if tokens else st.just(""),
        st.text(max_size=20),
        st.builds(lambda a, n, k: seed[a:a + n] * k, st.integers(0, len(seed)),
                  st.integers(1, 30), st.integers(2, 50)))
    return st.one_of(st.lists(piece, max_size=30).map("".join), st.text(max_size=300))


def _reader(fmt: str) -> Callable[[str], Any]:
    return lambda text: read_references_text(text, fmt, f"fuzz.{fmt}")


def _document(fmt: str) -> Callable[[str], Any]:
    return lambda text: check_document(parse_document(text, "fuzz", fmt))


def _escaped(text: str) -> str:
    import html

    return html.escape("".join(c for c in text if c in "\t\n\r" or (" " <= c < "\ufffe"
                               and not "\ud800" <= c <= "\udfff")))


_RUN = st.builds(lambda text, raised, note: (
    "<w:r>" + ('<w:rPr><w:vertAlign w:val="superscript"/></w:rPr>' if raised else "")
    + f'<w:t xml:space="preserve">{_escaped(text)}</w:t>'
    + (f'<w:footnoteReference w:id="{note}"/>' if note is not None else "") + "</w:r>"),
    st.text(max_size=40), st.booleans(), st.none() | st.integers(0, 3))
_PARAGRAPH = st.builds(lambda style, numbered, runs: (
    "<w:p><w:pPr>" + (f'<w:pStyle w:val="{style}"/>' if style else "")
    + ("<w:numPr/>" if numbered else "") + "</w:pPr>" + "".join(runs) + "</w:p>"),
    st.sampled_from(["", "Heading1", "Heading7", "Title", "ListBullet", "ListNumber", "x"]),
    st.booleans(), st.lists(_RUN, max_size=5))
# well-formed Word XML of any shape, so that the reader itself is exercised, not only refusals
_WORD = st.lists(_PARAGRAPH, max_size=12).map(
    lambda ps: '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
               'wordprocessingml/2006/main"><w:body>' + "".join(ps) + "</w:body></w:document>")


def _docx(xml: str) -> None:
    import io
    import zipfile

    from mascite.document.docx import docx_html

    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr("word/document.xml", xml.encode("utf-8", "surrogatepass"))
        archive.writestr("word/footnotes.xml", xml.encode("utf-8", "surrogatepass"))
    check_document(parse_document(docx_html(data.getvalue(), "fuzz.docx"), "fuzz.docx", "html"))


def _spans(text: str) -> None:
    read_references_text(text, "bibtex", "fuzz.bib")
    entry_spans(text)


def _bytes(data: bytes) -> None:
    decode_text(data, "fuzz")
    exact = decode_exact(data)
    assert exact.encode(exact.text) == data, "decode_exact does not give the bytes back"


def _written(fmt: str) -> Callable[[dict[str, Any]], None]:
    def check(item: dict[str, Any]) -> None:
        written = write_references([Reference.from_csl(item)], fmt)
        back = read_references_text(written, fmt, f"fuzz.{fmt}")
        assert back.failures == [], (written, back.failures)
        assert len(back.references) == 1, written
        got = {k: v for k, v in back.references[0].to_csl().items() if k != "custom"}
        assert got == item, (written, got)
    return check


_RIS_NAMES = st.builds(lambda f, g: {"family": f, "given": g},
                       *[st.text(st.characters(blacklist_categories=("Cs", "Cc", "Co", "Cn", "Zs",
                                                                     "Zl", "Zp"),
                                               blacklist_characters=",;"), min_size=1,
                                 max_size=15)] * 2)
TARGETS: dict[str, tuple[st.SearchStrategy[Any], Callable[[Any], Any]]] = {
    "read:bibtex": (_mutate(SEEDS["bibtex"], TOKENS["bibtex"]), _spans),
    "read:csl-json": (_mutate(SEEDS["csl-json"], TOKENS["csl-json"]), _reader("csl-json")),
    "read:ris": (_mutate(SEEDS["ris"], TOKENS["ris"]), _reader("ris")),
    "read:text": (_mutate(SEEDS["text"], TOKENS["text"]), _reader("text")),
    "document:text": (_mutate(SEEDS["document-text"], TOKENS["document-text"]), _document("text")),
    "document:markdown": (_mutate(SEEDS["markdown"], TOKENS["markdown"]), _document("markdown")),
    "document:rst": (_mutate(SEEDS["rst"], TOKENS["rst"]), _document("rst")),
    "document:latex": (_mutate(SEEDS["latex"], TOKENS["latex"]), _document("latex")),
    "document:html": (_mutate(SEEDS["html"], TOKENS["html"]), _document("html")),
    "document:jats": (_mutate(SEEDS["jats"], TOKENS["jats"]), _document("jats")),
    "document:docx": (st.one_of(_WORD, _mutate(SEEDS["docx"], TOKENS["docx"])), _docx),
    "decode:bytes": (st.one_of(st.binary(max_size=400), st.text(max_size=200).map(
        lambda s: s.encode("utf-16") if len(s) % 2 else s.encode("utf-8", "surrogatepass"))),
        _bytes),
    "write:bibtex": (records(), _written("bibtex")),
    "write:ris": (records(names=_RIS_NAMES), _written("ris")),
    "write:csl-json": (records(), _written("csl-json")),
}


def fuzz(target: str, seconds: float) -> dict[str, Any]:
    """Run one target for ``seconds``; the number of examples, documented errors and defects."""
    strategy, body = TARGETS[target]
    counts = {"examples": 0, "documented": 0}
    defects: list[str] = []

    def run(value: Any) -> None:
        counts["examples"] += 1
        try:
            body(value)
        except MasciteError:
            counts["documented"] += 1

    end = time.monotonic() + seconds
    rounds = 0
    while time.monotonic() < end and len(defects) < 5:
        rounds += 1
        test = settings(max_examples=500, deadline=None, database=None, derandomize=False,
                        phases=[Phase.generate, Phase.shrink], print_blob=False,
                        suppress_health_check=list(HealthCheck))(given(strategy)(run))
        try:
            test()
        except Exception as exc:  # noqa: BLE001 - any exception is a defect, shrunk by hypothesis
            lines = traceback.format_exception(exc)
            defects.append("".join(lines[-6:])[-1500:])
    return {"target": target, "seconds": round(seconds), "rounds": rounds, **counts,
            "defects": defects}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--target", default=",".join(TARGETS))
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args()
    targets = args.target.split(",")
    unknown = [t for t in targets if t not in TARGETS]
    if unknown:
        parser.error(f"unknown targets {unknown}: use {', '.join(TARGETS)}")
    random.seed()
    with ProcessPoolExecutor(args.jobs) as pool:
        results = list(pool.map(fuzz, targets, [args.minutes * 60] * len(targets)))
    print(f"{'target':20} {'seconds':>8} {'examples':>9} {'documented':>10} {'defects':>8}")
    for r in results:
        print(f"{r['target']:20} {r['seconds']:>8} {r['examples']:>9} {r['documented']:>10} "
              f"{len(r['defects']):>8}")
    for r in results:
        for defect in r["defects"]:
            print(f"\n--- {r['target']}\n{defect}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1), encoding="utf-8")
    sys.exit(1 if any(r["defects"] for r in results) else 0)


if __name__ == "__main__":
    main()

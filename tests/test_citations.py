"""The marker grammar: every form people write, and the things that only look like markers."""

from __future__ import annotations

import pytest

from mascite.document import Block, parse_document
from mascite.document.citations import find_citations


def markers(text: str, fmt: str = "text") -> list[tuple[str, str, list[str], list[str]]]:
    document = parse_document(text, format=fmt)
    block = Block("paragraph", text, 0, len(text))
    return [(c.marker, c.kind, c.labels, c.keys)
            for c in find_citations(block, fmt, document.line_column)]


@pytest.mark.parametrize(
    ("text", "marker", "labels"),
    [
        ("A claim [1].", "[1]", ["1"]),
        ("A claim [8,9].", "[8,9]", ["8", "9"]),
        ("A claim [2-4].", "[2-4]", ["2", "3", "4"]),
        ("A claim [2–4].", "[2–4]", ["2", "3", "4"]),
        ("A claim [2]–[4].", "[2]–[4]", ["2", "3", "4"]),
        ("A claim [1, 3-5].", "[1, 3-5]", ["1", "3", "4", "5"]),
        ("A claim [ 7 ].", "[ 7 ]", ["7"]),
        ("A claim [1: fig. 4].", "[1: fig. 4]", ["1"]),
        ("A claim [e.g., 77].", "[e.g., 77]", ["77"]),
        ("A claim [23, pl. LII: 9].", "[23, pl. LII: 9]", ["23"]),
        ("A claim [16: 168; 22: 72].", "[16: 168; 22: 72]", ["16", "22"]),
        ("Linked [3](#ref-3) here.", "[3]", ["3"]),
    ],
)
def test_numeric_markers(text: str, marker: str, labels: list[str]) -> None:
    assert markers(text) == [(marker, "numeric", labels, [])]


@pytest.mark.parametrize(
    ("text", "marker", "labels"),
    [
        ("Claim¹ here.", "¹", ["1"]),
        ("Claim¹²³ here.", "¹²³", ["123"]),
        ("Claim.¹⁻³ Next", "¹⁻³", ["1", "2", "3"]),
        ("Claim²,⁴ here.", "²,⁴", ["2", "4"]),
        ("Claim<sup>2,3</sup> here.", "<sup>2,3</sup>", ["2", "3"]),
    ],
)
def test_superscript_markers(text: str, marker: str, labels: list[str]) -> None:
    assert markers(text) == [(marker, "superscript", labels, [])]


@pytest.mark.parametrize(
    ("text", "marker", "keys"),
    [
        ("Shown before (Smith et al., 2020).", "(Smith et al., 2020)", ["Smith|2020"]),
        ("Shown before (Smith 2020; Lee 2021, p. 4).", "(Smith 2020; Lee 2021, p. 4)",
         ["Smith|2020", "Lee|2021"]),
        ("As Smith and Jones (2019a) showed.", "Smith and Jones (2019a)", ["Smith|2019a"]),
        ("As Smith et al. (2019, 2020) showed.", "Smith et al. (2019, 2020)",
         ["Smith|2019", "Smith|2020"]),
        ("Seen (see van der Berg, 2018).", "(see van der Berg, 2018)", ["van der Berg|2018"]),
        ("Policy (World Health Organization, 2020).", "(World Health Organization, 2020)",
         ["World Health Organization|2020"]),
    ],
)
def test_author_date_markers(text: str, marker: str, keys: list[str]) -> None:
    assert markers(text) == [(marker, "author-date", [], keys)]


@pytest.mark.parametrize(
    ("text", "fmt", "marker", "keys"),
    [
        ("As shown [@smith2020; @lee2021, p. 3].", "markdown", "[@smith2020; @lee2021, p. 3]",
         ["smith2020", "lee2021"]),
        ("As @smith2020 shows.", "markdown", "@smith2020", ["smith2020"]),
        ("Shown [-@smith2020].", "markdown", "[-@smith2020]", ["smith2020"]),
        (r"As shown \cite{a,b}.", "latex", r"\cite{a,b}", ["a", "b"]),
        (r"As shown \citep[p.~3]{smith2020}.", "latex", r"\citep[p.~3]{smith2020}", ["smith2020"]),
        (r"As \textcite{lee} shows.", "latex", r"\textcite{lee}", ["lee"]),
        ("As shown {cite}`smith2020,lee2021`.", "markdown", "{cite}`smith2020,lee2021`",
         ["smith2020", "lee2021"]),
        ("As shown {cite:p}`smith2020`.", "markdown", "{cite:p}`smith2020`", ["smith2020"]),
        ("As shown :cite:`smith2020`.", "rst", ":cite:`smith2020`", ["smith2020"]),
        ("As shown [Smith2020]_.", "rst", "[Smith2020]_", ["Smith2020"]),
    ],
)
def test_key_markers(text: str, fmt: str, marker: str, keys: list[str]) -> None:
    assert markers(text, fmt) == [(marker, "key", [], keys)]


@pytest.mark.parametrize(
    "text",
    [
        "He said [sic] it.",
        "[Intravenous immunoglobulin in macrophage activation syndrome]",
        "Mail me at someone@example.org today.",
        "Value x[1] = 3 and a[2][3].",
        "An area of 5 m² and x³.",
        "A footnote[^1] in Markdown.",
        "In code `refs[1]` only.",
        "Months (June 2020) and seasons (Spring 2019).",
        "A table (Table 2) and figure (Fig. 3).",
    ],
)
def test_things_that_only_look_like_markers(text: str) -> None:
    assert markers(text, "markdown") == []


def test_code_blocks_are_not_searched() -> None:
    text = "Claim [1].\n\n```python\nx = refs[2]\n```\n\nReferences\n\n1. One. 2020.\n2. Two. 2021.\n"
    document = parse_document(text, format="markdown")
    from mascite import check_document

    report = check_document(document)
    assert [c.marker for c in report.citations] == ["[1]"]

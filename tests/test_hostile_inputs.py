"""Hostile data from records and files: control and bidi characters never reach a terminal, a CI
log or XML raw; JSON that Python cannot hold is an input failure with its line."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from defusedxml.ElementTree import fromstring
from hypothesis import given, settings
from hypothesis import strategies as st

from mascite import Finding, Reference, Report, ReportReference, Severity
from mascite.cli import main
from mascite.formats import read_references_text, write_references
from mascite.formats.reflist import split_entries
from mascite.output import render_report
from mascite.text import printable

HOSTILE = "Macrophage\x1b]0;PWNED-TITLE\x07 activation\x1b[2J \u202eemordnys\u202c\x00 end"
SHOWN = "Macrophage\\x1b]0;PWNED-TITLE\\x07 activation\\x1b[2J \\u202eemordnys\\u202c\\x00 end"


def hostile_report() -> Report:
    return Report(
        document="doc.md",
        references=[ReportReference(id="1", label="1", raw="Smith J. 2020.", path="doc.md",
                                    csl={"title": HOSTILE}, status="mismatch")],
        findings=[Finding(code="field-mismatch", severity=Severity.ERROR, path="doc.md", line=3,
                          ref="1", field="title", expected=HOSTILE, found="A title",
                          message=f"the record's title is {HOSTILE}", suggestion=HOSTILE)])


def test_printable_escapes_controls_and_bidi_only() -> None:
    assert printable(HOSTILE) == SHOWN
    assert printable("a\nb\tc\r") == "a\\x0ab\\x09c\\x0d"
    assert printable("a\nb\tc", keep="\n\t") == "a\nb\tc"
    assert printable("Müller – 東京 \u200b") == "Müller – 東京 \u200b"


def test_text_report_shows_data_escaped_and_keeps_our_colours() -> None:
    text = render_report(hostile_report(), "text", colour=True)
    assert "\x07" not in text
    assert "\u202e" not in text
    assert "\x00" not in text
    assert [c for c in text if c == "\x1b"] == ["\x1b"] * 4  # two colours, two resets
    assert f"\x1b[33m  [1]    mismatch   -                                  {SHOWN}\x1b[0m" in text
    assert f"  doc.md:3: \x1b[31merror field-mismatch\x1b[0m: the record's title is {SHOWN}" \
        in text
    assert f"      suggestion: {SHOWN}" in text


def test_github_annotations_show_data_escaped() -> None:
    assert render_report(hostile_report(), "github") == (
        "::error file=doc.md,line=3,title=mascite field-mismatch::the record's title is "
        f"{SHOWN} Suggestion: {SHOWN}\n")


def test_junit_is_well_formed_with_control_characters() -> None:
    root = fromstring(render_report(hostile_report(), "junit"))
    case = root.find("testsuite/testcase")
    assert case is not None
    assert case.get("name") == f"[1] {SHOWN}"[:84]
    failure = case.find("failure")
    assert failure is not None
    assert failure.get("message") == f"the record's title is {SHOWN}"
    assert failure.text == f"doc.md:3: error field-mismatch: the record's title is {SHOWN}"


def test_cli_stderr_quotes_data_escaped(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    bib = tmp_path / "refs.bib"
    bib.write_text("@article{a, title = {T}, year = {20\x1b[2J20}, doi = {10.1/x\x1b]0;P\x07}}\n",
                   encoding="utf-8")
    main(["check", str(bib), "--offline", "--quiet"])
    captured = capsys.readouterr()
    assert "\x1b" not in captured.out + captured.err
    assert "\x07" not in captured.out + captured.err


def test_bibtex_and_ris_writers_drop_controls_and_keep_structure() -> None:
    ref = Reference.from_csl({"id": "a", "type": "book", "title": HOSTILE,
                              "author": [{"family": "Lee\x1b[2J\nTY  - JOUR", "given": "K"}]})
    bibtex = write_references([ref], "bibtex")
    assert bibtex == ("@book{a,\n  author = {{Lee[2J\nTY  - JOUR}, K},\n"
                      "  title = {Macrophage]0;PWNED-TITLE activation[2J \u202eemordnys\u202c "
                      "end},\n}\n")
    ris = write_references([ref], "ris")
    assert ris == ("TY  - BOOK\nID  - a\nAU  - Lee[2J TY - JOUR, K\nTI  - Macrophage]0;PWNED-TITLE "
                   "activation[2J \u202eemordnys\u202c end\nER  -\n")
    back = read_references_text(ris, "ris")
    assert [(r.reference.type, len(r.reference.author or [])) for r in back.entries] == \
        [("book", 1)]


GOOD = '{"id": "a", "type": "book", "title": "Kept"}'


@pytest.mark.parametrize(("text", "line", "message"), [
    (f"[{GOOD},\n" + "[" * 200_000 + "]" * 200_000 + "]", 2,
     "not valid JSON: nested too deeply to read (column 1)"),
    (f'[{GOOD},\n{{"id": "b", "type": "book", "volume": {"9" * 10_000}}}]', 2,
     f"not valid JSON: a number of more than {sys.get_int_max_str_digits()} digits (column 1)"),
    ("[" * 100_000, 1, "not valid JSON: nested too deeply to read (column 2)"),
])
def test_csl_json_that_python_cannot_hold_is_an_input_failure(text: str, line: int,
                                                             message: str) -> None:
    bibliography = read_references_text(text, "csl-json", path="refs.json")
    assert bibliography.entries == []  # the file is refused whole, as json.loads refuses it
    assert [(f.path, f.line, f.message) for f in bibliography.failures] == \
        [("refs.json", line, message)]


def test_csl_json_variable_nested_within_the_limit_is_dropped_from_its_item() -> None:
    deep = "[" * 500 + "]" * 500  # within the decoder's limit, not within validation's
    bibliography = read_references_text(f'[{GOOD},\n{{"id": "d", "type": "book", "note": {deep}}}]',
                                        "csl-json", path="refs.json")
    assert [(r.reference.id, r.reference.note) for r in bibliography.entries] == [
        ("a", None), ("d", None)]
    assert [(f.line, f.severity, f.message[:40]) for f in bibliography.failures] == \
        [(2, "warning", "item 2 (d): note dropped, not valid CSL-")]


def test_bibtex_value_followed_by_text_is_read_as_bibtex_reads_it_with_a_warning() -> None:
    text = ("@article{a, title = {closes} too} many}}, year = {2020}}\n\n"
            "@article{b, title = {Fine}, year = {2021}}\n")
    bibliography = read_references_text(text, "bibtex", path="refs.bib")
    assert [(e.reference.id, e.reference.title, e.reference.year, e.line)
            for e in bibliography.entries] == [("a", "closes", None, 1), ("b", "Fine", 2021, 3)]
    assert [(f.line, f.severity, f.message) for f in bibliography.failures] == [
        (1, "warning", "entry 'a': after the title value BibTeX expects ',' or '}' and finds "
                       "'too} many}}, year = {2020}}': it skips the rest of the entry (year), "
                       "and so does mascite; check the braces")]


def test_warning_failure_does_not_make_the_input_unusable(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    import json

    bib = tmp_path / "refs.bib"
    bib.write_text("@article{a, author = {Lee, K}, journal = {J}, title = {Closes} too}, "
                   "year = {2020}}\n",
                   encoding="utf-8")
    code = main(["check", str(bib), "--offline", "--quiet", "--format", "json"])
    assert code == 0  # a warning: never 2 (unusable input)
    report = json.loads(capsys.readouterr().out)
    assert [(f["code"], f["severity"]) for f in report["findings"]] == \
        [("parse-error", "warning")]


def test_fix_refuses_an_entry_bibtex_gives_up() -> None:
    from mascite.checks.fix import Correction, apply_corrections

    text = "@article{a, title = {Closes} too}, year = {2020}}\n"
    applied = apply_corrections(text, [Correction("a", "pages", "1-2", "the record")])
    assert applied.text == text
    assert [why for _, why in applied.refused] == [
        "BibTeX stops reading entry 'a' after its title value (see the warning): mend its "
        "braces first"]


def test_one_per_line_list_after_a_heading_is_not_merged() -> None:
    from mascite.formats.reflist import split_entries

    lines = [f"Author{i} J. Title number {i}. J Med. {1990 + i % 30};{i}:1-2." for i in range(3)]
    text = "References\n\n" + "\n".join(lines) + "\n"
    assert [e.text for e in split_entries(text)] == ["References", *lines]
    many = "References\n\n" + "\n".join(
        f"Author{i} J. Title {i}. J Med. 2020;{i}:1-2." for i in range(100_000)) + "\n"
    assert len(split_entries(many)) == 100_001
    wrapped = ("References\n\nSmith J, Lee K, Wong A. A first title on the matter of\n"
               "macrophage activation. J Med. 2020;1:2-3.\n\nLee K. Second title here. Nature.\n"
               "2019;5:10-12.\n")
    assert [e.text for e in split_entries(wrapped)] == [
        "References",
        "Smith J, Lee K, Wong A. A first title on the matter of macrophage activation. J Med. "
        "2020;1:2-3.",
        "Lee K. Second title here. Nature. 2019;5:10-12."]


_PARAGRAPH_REGEX = re.compile(r"\S(?:.|\n(?![ \t]*\n))*")
_LINE_REGEX = re.compile(r"[^\n]*\S[^\n]*")


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(["a", "b", " ", "\t", "\n", "\r", "\x0b", "\u3000"]),
               max_size=40), st.integers(0, 40), st.integers(0, 40))
def test_paragraphs_and_lines_are_the_regular_expressions_spans(text: str, a: int, b: int) -> None:
    """The linear scans say exactly what the (quadratic, memory-hungry) expressions said."""
    from mascite.text.blocks import line_spans, paragraph_spans

    assert paragraph_spans(text) == [m.span() for m in _PARAGRAPH_REGEX.finditer(text)]
    assert line_spans(text) == [m.span() for m in _LINE_REGEX.finditer(text)]
    start, end = min(a, b, len(text)), min(max(a, b), len(text))
    assert line_spans(text, start, end) == [m.span() for m in
                                            _LINE_REGEX.finditer(text, start, end)]


def test_a_blank_line_of_spaces_and_one_long_line_are_read(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Once a line of 40,000 spaces took seconds, and a 4 MB one-line list 500 MB; the growth
    itself is measured in benchmarks/scaling.py."""
    text = "Smith J. A title. J Immunol. 2019;12:101-5.\n" + " " * 40_000 + "\n" + \
        "Lee K. Another title. Blood. 2020;1:1-2.\n"
    assert [(e.text[:8], e.line) for e in split_entries(text)] == [("Smith J.", 1), ("Lee K. A", 3)]
    one_line = tmp_path / "line.txt"
    one_line.write_text("Smith J. A title. J Immunol. 2019;12:101-5. " * 5_000, "utf-8")
    done = subprocess.run([sys.executable, "-m", "mascite", "parse", str(one_line)],
                          capture_output=True, text=True, check=False, timeout=120)
    assert done.returncode == 0, done.stderr
    items = json.loads(done.stdout)
    # one entry (nothing splits it), 220,000 characters: read, and not taken for a reference
    assert [(i["id"], i["custom"].get("not-a-reference")) for i in items] == [("1", True)]


def test_a_list_numbered_past_9999_keeps_every_entry() -> None:
    """Numbers of five digits once read as continuation lines: 100,000 references became 9,999."""
    text = "".join(f"{n}. Smith J. Title {n}. J Immunol. 2019;12:101-5.\n" for n in range(1, 10_003))
    entries = split_entries(text)
    assert len(entries) == 10_002
    assert [(e.label, e.text) for e in entries[-2:]] == [
        ("10001", "Smith J. Title 10001. J Immunol. 2019;12:101-5."),
        ("10002", "Smith J. Title 10002. J Immunol. 2019;12:101-5.")]

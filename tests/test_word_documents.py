"""Word .docx files as Word shows them (written here by python-docx, as Word writes them), and
binary files mascite does not read refused with what to do instead."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest

from mascite.checks.pipeline import check
from mascite.errors import InputError

REFERENCES = [
    "Ravelli A, Minoia F, Davì S, et al. Classification criteria for macrophage activation "
    "syndrome. Ann Rheum Dis. 2016;75(3):481-489.",
    "Grom AA, Horne A, De Benedetti F. Macrophage activation syndrome in the era of biologic "
    "therapy. Nat Rev Rheumatol. 2016;12(5):259-268.",
    "Minoia F, Davì S, Horne A, et al. Clinical features of macrophage activation syndrome. "
    "Arthritis Rheumatol. 2014;66(11):3160-3169.",
]


def _paper(path: Path) -> Path:
    document = docx.Document()
    document.add_heading("Macrophage activation syndrome", 1)
    paragraph = document.add_paragraph("MAS is fatal in 8% to 22% of cases")
    paragraph.add_run("1,2").font.superscript = True
    paragraph.add_run(". IVIG was given to 40% of patients [3].")
    document.add_paragraph("Ferritin above 10,000 ng/mL is typical.", style="List Bullet")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "IVIG"
    table.cell(0, 1).text = "Used in 30% of cases [2]."
    document.add_heading("References", 1)
    for reference in REFERENCES:
        document.add_paragraph(reference, style="List Number")
    document.save(str(path))
    return path


def test_word_paragraphs_superscripts_lists_tables_and_references(tmp_path: Path) -> None:
    report = check(_paper(tmp_path / "paper.docx"), offline=True)
    assert [r.raw for r in report.references] == REFERENCES
    assert [r.label for r in report.references] == ["1", "2", "3"]
    assert [(c.marker, c.refs, c.line) for c in report.citations] == [
        ("1,2", ["1", "2"], 2), ("[3]", ["3"], 2), ("[2]", ["2"], 5)]
    assert [c.text for c in report.claims] == [
        "MAS is fatal in 8% to 22% of cases1,2.", "IVIG was given to 40% of patients [3].",
        "Ferritin above 10,000 ng/mL is typical.", "IVIG", "Used in 30% of cases [2]."]
    assert report.failures == []


def test_word_footnotes_follow_the_paragraph_that_calls_them(tmp_path: Path) -> None:
    path = _paper(tmp_path / "paper.docx")
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    body = parts["word/document.xml"].decode("utf-8")
    parts["word/document.xml"] = body.replace(
        "IVIG was given", '</w:t></w:r><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
        '<w:footnoteReference w:id="1"/></w:r><w:r><w:t xml:space="preserve"> IVIG was given',
        1).encode("utf-8")
    parts["word/footnotes.xml"] = (
        f'<?xml version="1.0"?><w:footnotes {w}><w:footnote w:id="1"><w:p><w:r><w:t>'
        "As reported in 2016 [1].</w:t></w:r></w:p></w:footnote></w:footnotes>").encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    report = check(path, offline=True)
    assert [(c.marker, c.refs, c.line) for c in report.citations][:3] == [
        ("1,2", ["1", "2"], 2), ("[3]", ["3"], 2), ("[1]", ["1"], 3)]


@pytest.mark.parametrize(("data", "says"), [
    (b"%PDF-1.4\n...", "is a PDF: give mascite its text (pdftotext -layout paper.pdf)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "is a Word 97-2003 .doc (or other OLE) file"),
    (b"PK\x03\x04rest", "is a zip archive (OpenDocument, EPUB...)"),
])
def test_binary_files_are_refused_with_what_to_do(tmp_path: Path, data: bytes, says: str) -> None:
    path = tmp_path / "paper.txt"
    path.write_bytes(data)
    with pytest.raises(InputError) as raised:
        check(path, offline=True)
    assert says in str(raised.value)


def test_a_docx_that_is_not_a_zip_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "paper.docx"
    path.write_bytes(b"not a zip")
    with pytest.raises(InputError) as raised:
        check(path, offline=True)
    assert "is not a Word .docx file (not a zip archive)" in str(raised.value)

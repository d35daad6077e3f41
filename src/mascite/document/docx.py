"""Word (.docx) documents as Word shows them: paragraphs, headings (by style), numbered and
bulleted lists, table cells, superscript runs, footnotes and endnotes (after the paragraph that
calls them). Rendered to simple HTML, one paragraph per line, so that a finding's line is the
paragraph's number. The XML is parsed with defusedxml: no entities, no network."""

from __future__ import annotations

import html
import io
import zipfile
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from ..errors import InputError

__all__ = ["docx_html"]

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MAX_PART = 50 * 2**20  # a part larger than this unpacked is a zip bomb, not a paper


def _part(archive: zipfile.ZipFile, name: str, path: str) -> Element | None:
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > _MAX_PART:
        raise InputError(f"its {name} unpacks to {info.file_size // 2**20} MB: not read",
                         path=path)
    try:
        root: Element = fromstring(archive.read(name))
    except (DefusedXmlException, SyntaxError) as exc:
        raise InputError(f"its {name} is not well-formed XML: {exc}", path=path) from exc
    return root


def _notes(root: Element | None, tag: str) -> dict[str, list[str]]:
    if root is None:
        return {}
    return {note.get(f"{_W}id", ""): [_runs(p, {}) for p in note.iter(f"{_W}p")]
            for note in root.iter(f"{_W}{tag}")}


def _runs(paragraph: Element, called: dict[str, list[str]]) -> str:
    """A paragraph's text as HTML: superscript runs in <sup>, notes called noted in ``called``."""
    out = []
    for run in paragraph.iter(f"{_W}r"):
        properties = run.find(f"{_W}rPr")
        align = properties.find(f"{_W}vertAlign") if properties is not None else None
        raised = align is not None and align.get(f"{_W}val") == "superscript"
        text = "".join(html.escape(node.text or "") if node.tag == f"{_W}t" else
                       " " if node.tag in (f"{_W}tab", f"{_W}br") else ""
                       for node in run)
        for kind in ("footnoteReference", "endnoteReference"):
            for reference in run.iter(f"{_W}{kind}"):
                note = reference.get(f"{_W}id", "")
                called.setdefault(kind, []).append(note)  # its mark is not a citation
        out.append(f"<sup>{text}</sup>" if raised and text else text)
    return "".join(out)


def docx_html(data: bytes, path: str) -> str:
    """The document as HTML: ``<h1>``-``<h6>`` for heading styles, ``<ol>``/``<ul>`` for list
    paragraphs, ``<p>`` for the rest; :class:`InputError` when it is not a Word file."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise InputError("is not a Word .docx file (not a zip archive)", path=path) from None
    with archive:
        body = _part(archive, "word/document.xml", path)
        if body is None:
            raise InputError("is not a Word .docx file (no word/document.xml)", path=path)
        footnotes = _notes(_part(archive, "word/footnotes.xml", path), "footnote")
        endnotes = _notes(_part(archive, "word/endnotes.xml", path), "endnote")
    lines: list[str] = []  # one per paragraph (and note), so that line N is paragraph N
    open_list = ""
    for paragraph in body.iter(f"{_W}p"):
        properties = paragraph.find(f"{_W}pPr")
        style = ""
        numbered = False
        if properties is not None:
            style_node = properties.find(f"{_W}pStyle")
            style = (style_node.get(f"{_W}val", "") if style_node is not None else "").lower()
            numbered = properties.find(f"{_W}numPr") is not None or "list" in style
        called: dict[str, list[str]] = {}
        text = _runs(paragraph, called)
        wanted = ("ul" if "bullet" in style else "ol") if numbered else ""
        prefix = (f"</{open_list}>" if open_list and wanted != open_list else "") + (
            f"<{wanted}>" if wanted and wanted != open_list else "")
        open_list = wanted
        level = min(int(next((c for c in style if c.isdigit()), "1")), 6)
        if style.startswith("heading") or style == "title":
            lines.append(f"{prefix}<h{level}>{text}</h{level}>")
        elif numbered:
            lines.append(f"{prefix}<li>{text}</li>")
        else:
            lines.append(f"{prefix}<p>{text}</p>")
        for kind, notes in (("footnoteReference", footnotes), ("endnoteReference", endnotes)):
            for note in called.get(kind, []):
                lines.extend(f"<p>{line}</p>" for line in notes.get(note, []) if line.strip())
    if open_list:
        lines[-1] += f"</{open_list}>"
    if lines:
        lines[0] = "<html><body>" + lines[0]
        lines[-1] += "</body></html>"
    return "\n".join(lines) + "\n"

"""Finding the reference list among a document's blocks, in any common language."""

from __future__ import annotations

import re

from ..formats.reflist import RawEntry, unwrap
from .base import Block, Document, Section

__all__ = ["REFERENCE_HEADINGS", "find_reference_list", "is_reference_heading"]

REFERENCE_HEADINGS = frozenset(" ".join(h.split()).casefold() for h in (
    "references", "reference list", "bibliography", "literature cited", "works cited",
    "literature", "cited literature", "sources", "notes and references", "citations",
    "references and notes", "references cited", "selected references", "further reading",
    "referencias", "referencias bibliográficas", "bibliografía", "références",
    "références bibliographiques", "bibliographie", "literatur", "literaturverzeichnis",
    "quellen", "quellenverzeichnis", "riferimenti", "riferimenti bibliografici", "bibliografia",
    "referências", "referências bibliográficas", "referenties", "literatuur", "litteratur",
    "referenser", "kirjallisuus", "kaynaklar", "kaynakça", "tài liệu tham khảo", "参考文献",
    "參考文獻", "文献", "引用文献", "참고문헌", "литература", "список литературы",
    "список использованной литературы", "المراجع", "מקורות", "bibliografie", "piśmiennictwo",
    "literatura", "hivatkozások", "βιβλιογραφία",
))
_NUMBERED = re.compile(r"\d{1,4}|\[\d{1,4}\]")
_LOOKS_LIKE_REFERENCE = re.compile(r"(?:1[6-9]|20)\d\d|\b10\.\d{4,9}/|https?://")


def is_reference_heading(text: str) -> bool:
    """"References", "TÀI LIỆU THAM KHẢO:", "## Bibliography", "5. Literatur"... in any case."""
    name = re.sub(r"^[#*_\s]*(?:\d+(?:\.\d+)*\.?\s+)?", "", text.strip())
    name = re.sub(r"[\s:：*_#.]+$", "", name)
    return " ".join(name.split()).casefold() in REFERENCE_HEADINGS


def _entry(document: Document, block: Block) -> RawEntry:
    text = unwrap(block.text)
    line = document.line_column(block.start)[0]
    label = block.label if block.label and block.label not in "-*+•▪●–" else None
    return RawEntry(text, label, line, block.start, block.end)


def _line_start(document: Document, offset: int) -> int:
    """Where the line holding ``offset`` starts its content (so "1. " labels are inside)."""
    start = document.text.rfind("\n", 0, offset) + 1
    while start < offset and document.text[start] in " \t":
        start += 1
    return start if document.format != "html" else offset


def find_reference_list(document: Document) -> None:
    """Set ``reference_section`` and ``reference_entries``: the entries under the last reference
    heading, or else the trailing run of numbered entries that look like references."""
    blocks = document.blocks
    heading_index = None
    for index, block in enumerate(blocks):
        short = len(block.text.split()) <= 6 and block.kind != "code"
        if short and is_reference_heading(block.text):
            heading_index = index
    if heading_index is not None:
        entries: list[Block] = []
        for block in blocks[heading_index + 1:]:
            if block.kind == "heading" and entries:
                break
            if block.kind in ("list-item", "paragraph") and block.text.strip():
                entries.append(block)
        heading = blocks[heading_index]
        end = entries[-1].end if entries else heading.end
        start = _line_start(document, entries[0].start) if entries else heading.end
        document.reference_section = Section(start, end, re.sub(
            r"[\s:：]+$", "", heading.text.strip()), heading.start)
        document.reference_entries = [_entry(document, b) for b in entries]
        return
    run: list[Block] = []
    for block in reversed(blocks):
        if block.kind == "list-item" and block.label and _NUMBERED.fullmatch(block.label):
            run.append(block)
        elif block.kind == "code" or not block.text.strip():
            continue
        else:
            break
    run.reverse()
    if run and sum(bool(_LOOKS_LIKE_REFERENCE.search(b.text)) for b in run) * 2 >= len(run):
        document.reference_section = Section(_line_start(document, run[0].start), run[-1].end)
        document.reference_entries = [_entry(document, b) for b in run]

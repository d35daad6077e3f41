"""The shape every document reader produces: blocks of text with exact offsets into the source.

A block's ``text`` is what a reader sees (for plain text and Markdown, the source itself; for HTML,
the text without tags, with ``offsets`` mapping each character back to the source), so markers and
claims found in it map back to exact 0-based character offsets of the original document.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Literal

from ..formats.reflist import RawEntry
from ..model import ParseFailure
from .metadata import Metadata

__all__ = ["Block", "BlockKind", "Document", "Section", "attach_lead_ins"]

BlockKind = Literal["heading", "paragraph", "list-item", "code", "navigation", "entry"]


@dataclass
class Block:
    """One block of content: a heading, a paragraph, a list item, code...

    ``start``/``end`` are source offsets; ``offsets[i]`` is the source offset of ``text[i]`` when
    the text is not a plain slice of the source. ``label`` is a list item's number ("3") or bullet.
    ``lead_in`` is the index of the paragraph that introduces this list item (it ends with a colon).
    """

    kind: BlockKind
    text: str
    start: int
    end: int
    offsets: list[int] | None = None
    label: str | None = None
    level: int = 0
    lead_in: int | None = None

    def source_span(self, i: int, j: int) -> tuple[int, int]:
        """Source offsets of ``text[i:j]`` (end exclusive)."""
        if self.offsets is None:
            return self.start + i, self.start + j
        if i >= j:
            at = self.offsets[i] if i < len(self.offsets) else self.end
            return at, at
        return self.offsets[i], self.offsets[j - 1] + 1


@dataclass(frozen=True)
class Section:
    """The reference list: a source span, and the heading that opened it if there was one."""

    start: int
    end: int
    heading: str | None = None
    heading_start: int | None = None


@dataclass
class Document:
    """A decoded document, its blocks, its reference list and what it says of its bibliography."""

    text: str
    path: str | None = None
    format: str = "text"
    blocks: list[Block] = field(default_factory=list)
    reference_section: Section | None = None
    reference_entries: list[RawEntry] = field(default_factory=list)
    failures: list[ParseFailure] = field(default_factory=list)
    metadata: Metadata = field(default_factory=Metadata)
    _line_starts: list[int] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        self._line_starts = [0] + [m.end() for m in re.finditer(r"\n", self.text)]

    @property
    def body_end(self) -> int:
        """Where the content ends: the reference heading, or the end of the text."""
        section = self.reference_section
        if section is None:
            return len(self.text)
        return section.heading_start if section.heading_start is not None else section.start

    def line_column(self, offset: int) -> tuple[int, int]:
        """1-based line and column of a character offset."""
        index = bisect_right(self._line_starts, offset) - 1
        return index + 1, offset - self._line_starts[index] + 1


def attach_lead_ins(blocks: list[Block]) -> None:
    """List items under a paragraph ending in a colon belong to that lead-in ("IVIG is thought
    to improve MAS symptoms by [8,9]:" supports each item below it)."""
    lead: int | None = None
    for index, block in enumerate(blocks):
        if block.kind == "list-item":
            block.lead_in = lead
        elif block.kind == "paragraph" and block.text.rstrip().endswith(":"):
            lead = index
        else:
            lead = None

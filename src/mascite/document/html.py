"""HTML with the standard library's parser: text without tags, each character mapped back to its
source offset. Script, style and navigation are skipped; ``<sup>`` runs are kept as superscripts."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from ..errors import FormatError
from .base import Block, BlockKind, attach_lead_ins

__all__ = ["html_blocks"]

_BLOCK_TAGS: dict[str, BlockKind] = {
    "p": "paragraph", "li": "list-item", "h1": "heading", "h2": "heading", "h3": "heading",
    "h4": "heading", "h5": "heading", "h6": "heading", "pre": "code", "blockquote": "paragraph",
    "td": "paragraph", "th": "paragraph", "dd": "paragraph", "dt": "paragraph",
    "figcaption": "paragraph", "caption": "paragraph", "div": "paragraph", "section": "paragraph",
    "article": "paragraph", "body": "paragraph", "main": "paragraph", "tr": "paragraph",
}
_SKIP = {"script", "style", "nav", "noscript", "template", "head", "svg", "button", "form"}
_VOID = frozenset({"br", "hr", "img", "input", "meta", "link", "wbr", "area", "base", "col", "source"})
_BOGUS_SECTION = re.compile(r"<!\[(?!\s*(?:CDATA\[|(?:if|else|endif|temp|ignore|include|rcdata)\b))",
                            re.I)
SUPERSCRIPT_OPEN = "\u2063"  # invisible separators bracket <sup> text, for the marker grammar
SUPERSCRIPT_CLOSE = "\u2064"


class _Reader(HTMLParser):
    """HTML's blocks; a subclass names other tags (JATS) by the class attributes."""

    block_tags = _BLOCK_TAGS
    skip_tags = _SKIP
    void_tags = _VOID
    spaced: frozenset[str] = frozenset()  # tags whose end separates words ("<surname>")

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=False)
        self.source = text
        self.line_starts = [0] + [m.end() for m in re.finditer(r"\n", text)]
        self.blocks: list[Block] = []
        self.stack: list[tuple[str, int, int, str | None]] = []  # tag, chars, offsets, label
        self.chars: list[str] = []
        self.offsets: list[int] = []
        self.skip = 0
        self.list_counters: list[int] = []

    def _pos(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def _flush(self, kind: BlockKind, begin: int, label: str | None) -> None:
        chars, offsets = self.chars[begin:], self.offsets[begin:]
        del self.chars[begin:], self.offsets[begin:]
        text = "".join(chars)
        left = len(text) - len(text.lstrip())
        right = len(text.rstrip())
        if right <= left:
            return
        text, offsets = text[left:right], offsets[left:right]
        self.blocks.append(Block(kind, text, offsets[0], offsets[-1] + 1, offsets=offsets,
                                 label=label, level=len(self.list_counters)))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.void_tags:
            if tag == "br" and not self.skip:
                self._add(" ", self._pos())
            return
        if tag in self.skip_tags or self.skip:
            self.skip += 1
            return
        label = self._label(tag)
        if tag in ("ol", "ul"):
            self.list_counters.append(0 if tag == "ol" else -1)
        if tag == "li" and self.list_counters and self.list_counters[-1] >= 0:
            self.list_counters[-1] += 1
            label = str(self.list_counters[-1])
        if tag == "sup":
            self._add(SUPERSCRIPT_OPEN, self._pos())
        if tag in self.block_tags:
            self._flush("paragraph", self._open_block_start(), None)
            self.stack.append((tag, len(self.chars), self._pos(), label))

    def _label(self, tag: str) -> str | None:  # a subclass numbers its own items
        return None

    def _open_block_start(self) -> int:
        return self.stack[-1][1] if self.stack else 0

    def handle_endtag(self, tag: str) -> None:
        if tag in self.void_tags:
            return
        if self.skip:
            if tag in self.skip_tags or self.skip > 1:
                self.skip -= 1
            return
        if tag == "sup":  # the marker's source span ends after "</sup>"
            end = self.source.find(">", self._pos())
            self._add(SUPERSCRIPT_CLOSE, end if end >= 0 else self._pos())
        if tag in ("ol", "ul") and self.list_counters:
            self.list_counters.pop()
        if tag in self.spaced:
            self._add(" ", self._pos())
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                _, begin, _, label = self.stack[index]
                del self.stack[index:]
                self._flush(self.block_tags[tag], begin, label)
                break

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        start = self._pos()
        for index, char in enumerate(data):
            self._add(" " if char in "\n\t\r" else char, start + index)

    def handle_entityref(self, name: str) -> None:
        self._entity(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self._entity(f"&#{name};")

    def _entity(self, raw: str) -> None:
        if not self.skip:
            for char in html.unescape(raw):
                self._add(char, self._pos())

    def _add(self, char: str, offset: int) -> None:
        if char == " " and self.chars and self.chars[-1] == " ":
            return
        self.chars.append(char)
        self.offsets.append(offset)


def html_blocks(text: str, reader_class: type[_Reader] = _Reader) -> list[Block]:
    """Blocks of an HTML document, each character mapped back to its source offset."""
    reader = reader_class(text)
    try:
        # "<![" that opens no section the parser knows is a bogus comment to a browser; the
        # standard library's parser asserts on it (fixed in later Pythons): read it as text
        reader.feed(_BOGUS_SECTION.sub(" ![", text))
        reader.close()
    except AssertionError as exc:  # any other such case: a clear refusal, not a traceback
        raise FormatError(f"markup the HTML parser cannot read: {exc}") from None
    reader._flush("paragraph", 0, None)
    blocks = sorted(reader.blocks, key=lambda b: b.start)
    attach_lead_ins(blocks)
    return blocks

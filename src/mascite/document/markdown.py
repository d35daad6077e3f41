"""Markdown through markdown-it-py (CommonMark): its block tokens carry line maps, which we turn
into exact character offsets. Inline markup stays in the block text; code is a code block."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

from .base import Block, BlockKind, attach_lead_ins
from .metadata import front_matter

__all__ = ["markdown_blocks"]

_PARSER = MarkdownIt("commonmark").enable("table")
_NEWLINE = re.compile(r"\r\n?|\n")
_NOT_TEXT = re.compile(r"^ {0,3}(?::{3,}[ \t]*(?:\{[^{}\n]*\}|[\w-]+)?[ \t]*:*"
                       r"|\\[a-zA-Z@]+\*?(?:\[[^\]\n]*\])?(?:\{[^{}\n]*\})*)[ \t]*$", re.M)
_CHUNK = re.compile(r"^( {0,3}`{3,})(\{.*\}[ \t]*)$", re.M)
_PREFIX = re.compile(r"^[ \t>]*(?:#{1,6}[ \t]+|(?P<num>\d{1,9})[.)][ \t]+|[-*+][ \t]+)?")


def markdown_blocks(text: str) -> list[Block]:
    """Blocks of a CommonMark document with exact source offsets."""
    # markdown-it counts lines as it normalises them: CR LF, a lone CR and LF each end one
    line_starts = [0] + [m.end() for m in _NEWLINE.finditer(text)] + [len(text)]
    blocks: list[Block] = []
    front = front_matter(text)
    if front is not None:  # metadata, not content: blank it, as pandoc takes it out
        start, end, _ = front
        blocks.append(Block("code", text[start:end], start, end))
        text = re.sub(r"[^\r\n]", " ", text[:end]) + text[end:]
    # pandoc's fenced div fences ("::: {#refs}") and lines of raw TeX ("\\endgroup") are
    # structure, not text
    text = _NOT_TEXT.sub(lambda m: " " * len(m.group(0)), text)
    # an R Markdown chunk header may hold backticks (fig.cap="`R`"), which end a CommonMark
    # info string; knitr and pandoc read the chunk: so must we
    text = _CHUNK.sub(lambda m: m.group(1) + m.group(2).replace("`", "'"), text)
    kind: BlockKind = "paragraph"
    label: str | None = None
    depth = 0
    mapped: set[tuple[int, ...]] = set()
    for token in _PARSER.parse(text):
        if token.type in ("bullet_list_open", "ordered_list_open"):
            depth += 1
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
        elif token.type == "list_item_open":
            kind, label = "list-item", token.info or token.markup
        elif token.type == "heading_open":
            kind = "heading"
        elif token.type in ("fence", "code_block", "html_block") and token.map:
            start, end = line_starts[token.map[0]], line_starts[token.map[1]]
            blocks.append(Block("code", text[start:end], start, end))
        elif token.type == "inline" and token.map and tuple(token.map) not in mapped:
            mapped.add(tuple(token.map))  # a table's cells share their row's map: one block
            first, last = token.map
            start = line_starts[first]
            prefix = _PREFIX.match(text[start:line_starts[first + 1]])
            start += prefix.end() if prefix else 0
            end = line_starts[min(last, len(line_starts) - 1)]
            while end > start and text[end - 1].isspace():
                end -= 1
            end = _drop_setext_underline(text, start, end) if kind == "heading" else end
            blocks.append(Block(kind, text[start:end], start, end, label=label, level=depth))
            kind, label = ("list-item" if depth and kind == "list-item" else "paragraph"), None
        elif token.type == "paragraph_close" and kind == "list-item":
            kind = "paragraph"
    attach_lead_ins(blocks)
    return blocks


def _drop_setext_underline(text: str, start: int, end: int) -> int:
    body = text[start:end]
    match = re.search(r"(?:\r\n?|\n)[ \t]*(?:=+|-+)[ \t]*$", body)
    return start + match.start() if match else end

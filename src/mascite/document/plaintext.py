"""Plain text as real web content has it: bare-line headings, ``-`` and numbered lists, hard-wrapped
paragraphs, and navigation fragments glued in. Lines become blocks; wrapped lines are joined."""

from __future__ import annotations

import re

from ..formats.reflist import BROKEN_LINK
from .base import Block, attach_lead_ins

__all__ = ["plain_text_blocks"]

_LIST = re.compile(r"^[ \t]*(?:(?P<num>\d{1,4})[.)]|\[(?P<bracket>\d{1,4})\]|(?P<bullet>[-*•▪●–]))"
                   r"(?:[ \t]+|(?=[^\s\d-]))")
_END_PUNCT = re.compile(r"[.!?:;。]['\"”’)\]]*\s*$")


def _is_heading(line: str) -> bool:
    """A bare line that titles what follows: short, no sentence ending, or a question heading."""
    stripped = line.strip()
    words = stripped.split()
    if not words or len(words) > 16 or len(stripped) > 120:
        return False
    if stripped.endswith("?"):
        return len(words) <= 14
    if _END_PUNCT.search(stripped) or re.search(r"\[\d", stripped):
        return False
    return stripped[0].isupper() or stripped[0].isdigit() or not stripped[0].isalpha()


def plain_text_blocks(text: str) -> list[Block]:
    """Blocks of a plain-text document, each with exact source offsets (identity mapping)."""
    blocks: list[Block] = []
    previous_blank = True
    for match in re.finditer(r"[^\n]*", text):
        line = match.group(0)
        if not line.strip():
            if match.start() != match.end() or match.start() == 0 or text[match.start() - 1] == "\n":
                previous_blank = True
            continue
        start = match.start() + (len(line) - len(line.lstrip()))
        end = match.start() + len(line.rstrip())
        item = _LIST.match(line)
        if item and end > match.start() + item.end():
            label = item.group("num") or item.group("bracket") or item.group("bullet")
            body = match.start() + item.end()
            blocks.append(Block("list-item", text[body:end], body, end, label=label))
        elif (blocks and not previous_blank and blocks[-1].kind in ("paragraph", "list-item")
              and _continues(blocks[-1].text, line, blocks[-1].kind)):
            last = blocks[-1]
            blocks[-1] = Block(last.kind, text[last.start:end], last.start, end, label=last.label)
        elif _is_heading(line):
            blocks.append(Block("heading", text[start:end], start, end))
        else:
            blocks.append(Block("paragraph", text[start:end], start, end))
        previous_blank = False
    attach_lead_ins(blocks)
    return blocks


_OPEN_END = re.compile(r"(?:[,(\-–/&]|\b(?:and|or|the|of|in|to|a|an|with|for|by|on|at|from|as|is|"
                       r"are|was|were|that|which|et al\.?))\s*$", re.I)


def _continues(previous: str, line: str, kind: str) -> bool:
    """A hard-wrapped line: the block so far stops mid-sentence and this line goes on with it;
    under a list item, any indented line (a hanging indent, as in a PDF's reference list)."""
    if kind == "list-item" and (line[:1].isspace() or BROKEN_LINK.search(previous)):
        return True
    if _END_PUNCT.search(previous) and not previous.rstrip().endswith("et al."):
        return False
    if kind == "list-item" and not line[:1].isspace():
        return False  # a list item goes on only on indented lines
    first = line.strip()[:1]
    return bool(first) and (first.islower() or bool(_OPEN_END.search(previous)))

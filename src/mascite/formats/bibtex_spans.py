"""Where each entry of a BibTeX file, and each field of an entry, stands: character spans, found
as BibTeX finds them (braces count, "\\{" does not; ")" ends a parenthesised entry only outside
braces; ``@comment``, ``@string`` and ``@preamble`` are not entries; the first of two entries
with one key is the one BibTeX keeps). Edits go there and nowhere else."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["EntrySpan", "entry_spans"]

_AT = re.compile(r"@[ \t]*([A-Za-z][\w-]*)[ \t\r\n]*([{(])")
_KEY = re.compile(r"[ \t\r\n]*([^,\s{}()\"#%'=\\]+)[ \t\r\n]*,")
_MARK = re.compile(r'\\.|[{}"]', re.DOTALL)  # what the delimiter scan stops at
_BARE = re.compile(r"[^\s,#{}\"()]+")
_CONCAT = re.compile(r"[ \t\r\n]*#[ \t\r\n]*")
_SPACE_COMMA = re.compile(r"[ \t\r\n,]*")
_SPACE_ONLY = re.compile(r"[ \t\r\n]*")
_FIELD = re.compile(r"[ \t\r\n,]*([A-Za-z][\w:.+-]*)[ \t\r\n]*=[ \t\r\n]*")


@dataclass
class EntrySpan:
    """An entry: its key, the span of the whole entry, where its body closes, and each field's
    value span (braces or quotes included)."""

    key: str
    start: int
    end: int  # just after the closing delimiter
    close: int  # the closing delimiter itself
    fields: dict[str, tuple[int, int]] = field(default_factory=dict)
    stop: int | None = None  # where BibTeX stopped reading it ("expecting a ',' or a '}'")
    after: str | None = None  # the field whose value came just before that place
    closer: str = "}"


def _closing(text: str, at: int) -> int:
    """The index just after the delimiter that closes the brace or the quote at ``at``, or -1.
    Braces count inside either (a quote closes only outside them); ``\\x`` is one character."""
    quoted = text[at] == '"'
    depth = 0
    for mark in _MARK.finditer(text, at + 1 if quoted else at):
        char = mark.group()
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0 and not quoted:
                return mark.end()
        elif char == '"' and quoted and depth == 0:
            return mark.end()
    return -1


def _value_end(text: str, at: int, closer: str) -> int:
    """The end of a field value starting at ``at``: parts joined by ``#``."""
    index = at
    while index < len(text):
        char = text[index]
        if char in '{"':
            index = _closing(text, index)
        else:
            bare = _BARE.match(text, index)
            if bare is None:
                return -1
            index = bare.end()
        if index < 0:
            return -1
        after = _CONCAT.match(text, index)
        if after is None:
            return index
        index = after.end()
    return -1


def _fields(text: str, start: int, closer: str) -> tuple[dict[str, tuple[int, int]], int]:
    """Field value spans from ``start`` to the entry's closing delimiter, and its position:
    ``-1`` when the entry never closes; ``-2 - i`` when BibTeX gives the entry up at ``i`` (a
    value followed by something other than "," or the closer, or a field that is not one)."""
    fields: dict[str, tuple[int, int]] = {}
    index = start
    while index < len(text):
        rest = _SPACE_COMMA.match(text, index)
        index = rest.end() if rest else index
        if index >= len(text):
            break
        if text[index] == closer:
            return fields, index
        name = _FIELD.match(text, index)
        if name is None:
            return fields, (-2 - index if fields else -1)
        value_end = _value_end(text, name.end(), closer)
        if value_end < 0:
            return fields, -1
        fields.setdefault(name.group(1).lower(), (name.end(), value_end))  # the first counts
        space = _SPACE_ONLY.match(text, value_end)
        index = space.end() if space else value_end
        if index < len(text) and text[index] not in (",", closer):
            return fields, -2 - index
    return fields, -1


def entry_spans(text: str, strings: list[str] | None = None) -> dict[str, EntrySpan]:
    """Every entry by key (the key as written; the first of two with one key), skipping
    comments, ``@string`` and ``@preamble`` blocks and text between entries; ``strings``, when
    given, gets the text of each ``@string`` block, in order."""
    found: dict[str, EntrySpan] = {}
    index = 0
    while True:
        at = _AT.search(text, index)
        if at is None:
            return found
        kind, opener = at.group(1).lower(), at.group(2)
        closer = "}" if opener == "{" else ")"
        body = at.end()
        if kind in ("comment", "string", "preamble"):
            end = _closing(text, at.end() - 1) if opener == "{" else text.find(")", body) + 1
            if kind == "string" and strings is not None and end > 0:
                strings.append(text[at.start():end])
            index = end if end > 0 else at.end()
            continue
        key = _KEY.match(text, body)
        if key is None:
            index = at.end()
            continue
        fields, close = _fields(text, key.end(), closer)
        if close <= -2:  # BibTeX keeps what it read, and skips to the next "@"
            stop = -2 - close
            after = max(fields, key=lambda name: fields[name][1])
            following = text.find("@", stop)
            found.setdefault(key.group(1), EntrySpan(
                key.group(1), at.start(), following if following >= 0 else len(text), -1,
                fields, stop=stop, after=after, closer=closer))
            index = stop
            continue
        if close < 0:
            index = at.end()
            continue
        found.setdefault(key.group(1), EntrySpan(key.group(1), at.start(), close + 1, close,
                                                 fields, closer=closer))
        index = close + 1

"""BibTeX's grammar below the entry: braces (a value's depth, what ``\\{`` escapes) and name
lists (``von Last, Jr, First and others``), read as BibTeX reads them and written back so they
read the same."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..model import Name
from ..text.latex import latex_to_unicode, unicode_to_latex

__all__ = ["balanced", "format_name", "parse_names", "scan"]


def scan(text: str) -> Iterator[tuple[int, str, int]]:
    """Each character with its brace depth (outside its own brace); ``\\{`` does not count."""
    depth, escaped = 0, False
    for index, char in enumerate(text):
        if escaped:
            escaped = False
            yield index, char, depth
            continue
        if char == "\\":
            escaped = True
        elif char == "{":
            yield index, char, depth
            depth += 1
            continue
        elif char == "}":
            depth -= 1
        yield index, char, depth


def balanced(text: str) -> bool:
    """Whether every brace in ``text`` is closed and none closes before it opens."""
    depths = [depth for _, char, depth in scan(text)]
    return all(d >= 0 for d in depths) and (not depths or _final_depth(text) == 0)


def _final_depth(text: str) -> int:
    depth = 0
    for _, char, at in scan(text):
        depth = at + 1 if char == "{" else at
    return depth


def parse_names(value: str) -> tuple[list[Name], bool]:
    """Split a BibTeX name list (``A and B and others``); True when it ends in ``others``."""
    names, truncated = [], False
    for part in _split_and(value):
        if part.strip().lower() == "others":
            truncated = True
        elif part.strip():
            names.append(_parse_name(part.strip()))
    return names, truncated


def _split_and(value: str) -> list[str]:
    top = {index for index, _, depth in scan(value) if depth == 0}
    parts, start = [], 0
    for match in re.finditer(r"\s+and\s+", value, re.I):
        if match.start() in top and match.start() >= start:
            parts.append(value[start:match.start()])
            start = match.end()
    parts.append(value[start:])
    return parts


def _words(text: str) -> list[str]:
    words, current = [], ""
    for _, char, depth in scan(text):
        if char.isspace() and depth == 0:
            if current:
                words.append(current)
            current = ""
        else:
            current += char
    return [*words, current] if current else words


def _is_lower(word: str) -> bool:
    plain = latex_to_unicode(word) if not word.startswith("{") or word.startswith("{\\") else ""
    first = next((c for c in plain if c.isalpha()), "")
    return bool(first) and first.islower()


def _parse_name(text: str) -> Name:
    if text.startswith("{") and text.endswith("}") and balanced(text[1:-1]):
        return Name(literal=latex_to_unicode(text[1:-1]))
    pieces = [p.strip() for p in _split_commas(text)]
    if len(pieces) == 1:
        words = _words(pieces[0])
        von_start = next((i for i, w in enumerate(words[:-1]) if _is_lower(w)), None)
        if von_start is None:
            first, von, last = words[:-1], [], words[-1:]
        else:
            von_end = max(i for i, w in enumerate(words[:-1]) if _is_lower(w))
            first, von, last = words[:von_start], words[von_start:von_end + 1], words[von_end + 1:]
        suffix: list[str] = []
    else:
        von_last = _words(pieces[0])
        split = next((i for i, w in enumerate(von_last) if not _is_lower(w)), 0)
        von, last = von_last[:split], von_last[split:] or von_last
        if last is von_last:
            von = []
        suffix = [pieces[1]] if len(pieces) == 3 else []
        first = _words(pieces[-1]) if len(pieces) >= 2 else []
    return Name(family=_join(last), given=_join(first), non_dropping_particle=_join(von),
                suffix=_join(suffix))


def _join(words: list[str]) -> str | None:
    return latex_to_unicode(" ".join(words)).strip() or None


def _split_commas(text: str) -> list[str]:
    parts, start = [], 0
    for index, char, depth in scan(text):
        if char == "," and depth == 0:
            parts.append(text[start:index])
            start = index + 1
    parts.append(text[start:])
    return [*parts[:2], ",".join(parts[2:])] if len(parts) > 3 else parts


def format_name(name: Name) -> str:
    """A name as BibTeX reads it back: ``von Last, Jr, First``, or ``{Literal}``."""
    if name.literal and not name.family:
        return "{" + unicode_to_latex(name.literal) + "}"
    family = _name_part(name.family or "", always=" " in (name.family or ""))
    if name.non_dropping_particle:
        family = _name_part(name.non_dropping_particle) + " " + family
    given = " ".join(p for p in (name.given, name.dropping_particle) if p)
    parts = [family]
    if name.suffix:
        parts.append(_name_part(name.suffix))
    if given or name.suffix:
        parts.append(_name_part(given))
    return ", ".join(parts)


def _name_part(text: str, always: bool = False) -> str:
    """Encode one part of a name, braced where a comma or "and" would split it."""
    encoded = unicode_to_latex(text)
    if always or "," in text or re.search(r"(^|\s)and(\s|$)", text, re.I) or text != text.strip():
        return "{" + encoded + "}"
    return encoded

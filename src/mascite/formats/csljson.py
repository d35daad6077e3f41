"""CSL-JSON: a list of items, or a single item; each item read on its own so one bad item is
one failure. A list is decoded an item at a time, which tells the line each item starts on
(``json.loads`` does not)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from pydantic import ValidationError

from ..model import ParseFailure, Reference
from .base import Bibliography, BibliographyFormat, ParsedReference

__all__ = ["CSL_JSON", "read_csl_json", "write_csl_json"]


_SPACE = re.compile(r"\s*")


def _skip(text: str, index: int) -> int:
    """Where the first character that is not white space is, at or after ``index``."""
    match = _SPACE.match(text, index)
    return match.end() if match else index


def _parse(text: str) -> tuple[list[Any], list[int]]:
    """The items of a CSL-JSON text (a list, or one item) and the 1-based line each starts on:
    a list is decoded one element at a time, which tells where each begins (``json.loads``
    does not) at the speed of the C decoder. Raises ``json.JSONDecodeError`` as ``json.loads``
    would."""
    index = _skip(text, 0)
    if text[index:index + 1] != "[":
        return [json.loads(text)], [1]
    decoder = json.JSONDecoder()
    items: list[Any] = []
    lines: list[int] = []
    line, counted = 1, 0
    index = _skip(text, index + 1)
    while text[index:index + 1] != "]" or items:
        item, end = decoder.raw_decode(text, index)
        line += text.count("\n", counted, index)
        counted = index
        items.append(item)
        lines.append(line)
        index = _skip(text, end)
        if text[index:index + 1] == "]":
            break
        if text[index:index + 1] != ",":
            raise json.JSONDecodeError("Expecting ',' delimiter", text, index)
        index = _skip(text, index + 1)
    rest = _skip(text, index + 1)
    if rest != len(text):
        raise json.JSONDecodeError("Extra data", text, rest)
    return items, lines


def read_csl_json(text: str, path: str | None = None) -> Bibliography:
    """Read CSL-JSON: every valid item, and a failure (with its line) for each other one."""
    result = Bibliography(path=path, format="csl-json")
    try:
        items, item_lines = _parse(text)
    except json.JSONDecodeError as exc:
        lines = text.splitlines()
        raw = lines[exc.lineno - 1][:200] if 0 < exc.lineno <= len(lines) else ""
        result.failures.append(ParseFailure(
            path=path, line=exc.lineno, raw=raw,
            message=f"not valid JSON: {exc.msg} (column {exc.colno})"))
        return result
    for index, (item, line) in enumerate(zip(items, item_lines, strict=True)):
        raw = json.dumps(item, ensure_ascii=False)[:500]
        if not isinstance(item, dict):
            result.failures.append(ParseFailure(
                path=path, line=line, kind="value", raw=raw,
                message=f"item {index + 1} is a {type(item).__name__}, not a CSL-JSON object"))
            continue
        try:
            reference = Reference.from_csl(item)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()[:3])
            result.failures.append(ParseFailure(
                path=path, line=line, kind="value", raw=raw,
                message=f"item {index + 1} ({item.get('id', 'no id')}) is not valid CSL-JSON: "
                        f"{problems}"))
            continue
        result.entries.append(ParsedReference(reference, line, raw))
    return result


def write_csl_json(references: Iterable[Reference]) -> str:
    """The references as a CSL-JSON list."""
    return json.dumps([r.to_csl() for r in references], ensure_ascii=False, indent=2) + "\n"


CSL_JSON = BibliographyFormat("csl-json", (".json", ".csl.json", ".csljson"), read_csl_json, write_csl_json)

"""CSL-JSON: a list of items, or a single item; each item read on its own so one bad item is
one failure. Lines are found by scanning the text, since ``json`` does not report them."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from pydantic import ValidationError

from ..model import ParseFailure, Reference
from .base import Bibliography, ParsedReference

__all__ = ["CSLJSONFormat", "read_csl_json", "write_csl_json"]


def _item_lines(text: str) -> list[int]:
    """1-based line where each element of a top-level JSON array starts."""
    lines, depth, line, in_string, escaped, expecting = [], 0, 1, False, False, False
    for char in text:
        if char == "\n":
            line += 1
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
            continue
        if depth == 1 and expecting and not char.isspace() and char not in ",]":
            lines.append(line)
            expecting = False
        if char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            expecting = depth == 1
        elif char in "]}":
            depth -= 1
        elif char == "," and depth == 1:
            expecting = True
    return lines


def read_csl_json(text: str, path: str | None = None) -> Bibliography:
    result = Bibliography(path=path, format="csl-json")
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        lines = text.splitlines()
        raw = lines[exc.lineno - 1][:200] if 0 < exc.lineno <= len(lines) else ""
        result.failures.append(ParseFailure(
            path=path, line=exc.lineno, raw=raw,
            message=f"not valid JSON: {exc.msg} (column {exc.colno})"))
        return result
    items = data if isinstance(data, list) else [data]
    item_lines = _item_lines(text) if isinstance(data, list) else [1]
    for index, item in enumerate(items):
        line = item_lines[index] if index < len(item_lines) else None
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
    return json.dumps([r.to_csl() for r in references], ensure_ascii=False, indent=2) + "\n"


class CSLJSONFormat:
    name: str = "csl-json"
    suffixes: tuple[str, ...] = (".json", ".csl.json", ".csljson")

    def read(self, text: str, path: str | None = None) -> Bibliography:
        return read_csl_json(text, path)

    def write(self, references: Iterable[Reference]) -> str:
        return write_csl_json(references)

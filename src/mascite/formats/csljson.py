"""CSL-JSON: a list of items, or a single item; each item read on its own so one bad item is
one failure. A list is decoded an item at a time, which tells the line each item starts on
(``json.loads`` does not)."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Iterator
from typing import Any

from pydantic import ValidationError

from ..model import ParseFailure, Reference
from .base import Bibliography, BibliographyFormat, ParsedReference

__all__ = ["CSL_JSON", "add_csl_item", "iter_csl_json", "read_csl_json", "write_csl_json"]


_SPACE = re.compile(r"\s*")


def _skip(text: str, index: int) -> int:
    """Where the first character that is not white space is, at or after ``index``."""
    match = _SPACE.match(text, index)
    return match.end() if match else index


def _decode(decoder: json.JSONDecoder, text: str, index: int) -> tuple[Any, int]:
    """One JSON value at ``index``; what Python cannot hold (nesting deeper than its stack, a
    number of thousands of digits) is a ``JSONDecodeError`` at that value, like bad syntax."""
    try:
        return decoder.raw_decode(text, index)
    except json.JSONDecodeError:
        raise
    except RecursionError:
        raise json.JSONDecodeError("nested too deeply to read", text, index) from None
    except ValueError:  # int() refuses a number of more than sys.get_int_max_str_digits()
        raise json.JSONDecodeError(f"a number of more than {sys.get_int_max_str_digits()} digits",
                                   text, index) from None


def _parse(text: str) -> tuple[list[Any], list[int], json.JSONDecodeError | None]:
    """The items of a CSL-JSON text (a list, or one item), the 1-based line each starts on, and
    the error that ended the reading early, if any. A list is decoded
    one element at a time, which tells where each begins (``json.loads`` does not) at the speed
    of the C decoder."""
    decoder = json.JSONDecoder()
    items: list[Any] = []
    lines: list[int] = []
    index = _skip(text, 0)
    try:
        if text[index:index + 1] != "[":
            item, end = _decode(decoder, text, index)
            rest = _skip(text, end)
            if rest != len(text):
                raise json.JSONDecodeError("Extra data", text, rest)
            return [item], [1], None
        line, counted = 1, 0
        index = _skip(text, index + 1)
        while text[index:index + 1] != "]" or items:
            item, end = _decode(decoder, text, index)
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
    except json.JSONDecodeError as exc:
        return items, lines, exc
    return items, lines, None


def read_csl_json(text: str, path: str | None = None) -> Bibliography:
    """Read CSL-JSON: every valid item, and a failure (with its line) for each other one."""
    result = Bibliography(path=path, format="csl-json")
    items, item_lines, error = _parse(text)
    if error is not None:  # as json.loads (and pandoc) refuse the whole file, so do we
        lines = text.splitlines()
        raw = lines[error.lineno - 1][:200] if 0 < error.lineno <= len(lines) else ""
        result.failures.append(ParseFailure(
            path=path, line=error.lineno, raw=raw,
            message=f"not valid JSON: {error.msg} (column {error.colno})"))
        return result
    for index, (item, line) in enumerate(zip(items, item_lines, strict=True)):
        try:
            add_csl_item(result, index, item, line, path)
        except RecursionError:  # a value nested deep enough to defeat validation or dumping
            result.failures.append(ParseFailure(
                path=path, line=line, kind="value", raw="",
                message=f"item {index + 1} is nested too deeply to read"))
    return result


def _article(noun: str) -> str:
    return f"{'an' if noun[:1] in 'aeiou' else 'a'} {noun}"


def add_csl_item(result: Bibliography, index: int, item: Any, line: int, path: str | None) -> None:
    """One decoded item into ``result``: a variable of the wrong shape is dropped with a warning."""
    raw = json.dumps(item, ensure_ascii=False, default=str)[:500]
    if not isinstance(item, dict):
        result.failures.append(ParseFailure(
            path=path, line=line, kind="value", raw=raw,
            message=f"item {index + 1} is {_article(type(item).__name__)}, not a CSL-JSON object"))
        return
    try:
        reference = Reference.from_csl(item)
    except ValidationError as exc:
        # a variable of the wrong shape loses that variable, not the item (the issue says what)
        bad = sorted({str(err["loc"][0]) for err in exc.errors() if err["loc"]} - {"id", "type"})
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()[:3])
        try:
            reference = Reference.from_csl({k: v for k, v in item.items() if k not in bad})
        except ValidationError:
            result.failures.append(ParseFailure(
                path=path, line=line, kind="value", raw=raw,
                message=f"item {index + 1} ({item.get('id', 'no id')}) is not valid CSL-JSON: "
                        f"{problems}"))
            return
        result.failures.append(ParseFailure(
            path=path, line=line, kind="value", raw=raw, severity="warning",
            message=f"item {index + 1} ({item.get('id', 'no id')}): {', '.join(bad)} "
                    f"dropped, not valid CSL-JSON ({problems})"))
    result.entries.append(ParsedReference(reference, line, raw))


def write_csl_json(references: Iterable[Reference]) -> str:
    """The references as a CSL-JSON list (``json.dumps(items, indent=2)`` exactly)."""
    return "".join(iter_csl_json(references))


def iter_csl_json(references: Iterable[Reference]) -> Iterator[str]:
    """:func:`write_csl_json`'s text in pieces, one item each: a stream of references is
    written without being held whole."""
    return iter_json_list(reference.to_csl() for reference in references)


def iter_json_list(items: Iterable[dict[str, Any]]) -> Iterator[str]:
    """``json.dumps(list(items), ensure_ascii=False, indent=2) + "\\n"`` in pieces, one item
    each."""
    first = True
    for item in items:
        text = json.dumps(item, ensure_ascii=False, indent=2)
        yield ("[\n  " if first else ",\n  ") + text.replace("\n", "\n  ")
        first = False
    yield "[]\n" if first else "\n]\n"


CSL_JSON = BibliographyFormat("csl-json", (".json", ".csl.json", ".csljson"), read_csl_json, write_csl_json)

"""Citation markers in text and their link to reference labels. Pure functions.

Numeric markers for now: ``[1]``, ``[8,9]``, ``[2-4]``, ``[2–4]``, ``[2]–[4]``, ``[1, 3-5]``; ranges
expand to every number. Other grammars (author–date, pandoc, LaTeX, MyST) join this module.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .model import Citation

__all__ = ["MAX_RANGE", "expand_numbers", "find_numeric_citations"]

MAX_RANGE = 200  # a range wider than this is a typo or not a citation ("[1-2020]")
_NUMBER_LIST = r"\d{1,3}(?:\s*[-–—,;]\s*\d{1,3})*"
_MARKER = re.compile(rf"\[({_NUMBER_LIST})\](?:\s*[-–—]\s*\[(\d{{1,3}})\])?")


def expand_numbers(text: str) -> list[int] | None:
    """``"1, 3-5"`` → ``[1, 3, 4, 5]``; ``None`` when a range runs backwards or is absurd."""
    numbers: list[int] = []
    for part in re.split(r"\s*[,;]\s*", text.strip()):
        bounds = re.split(r"\s*[-–—]\s*", part)
        if len(bounds) == 1:
            numbers.append(int(bounds[0]))
            continue
        low, high = int(bounds[0]), int(bounds[-1])
        if high < low or high - low > MAX_RANGE:
            return None
        numbers.extend(range(low, high + 1))
    return numbers


def find_numeric_citations(
    text: str, end: int | None = None, *, line_column: Callable[[int], tuple[int, int]]
) -> list[Citation]:
    """Numeric markers in ``text[:end]``, with positions; ``labels`` are the numbers as text."""
    found = []
    for match in _MARKER.finditer(text, 0, len(text) if end is None else end):
        spec = match.group(1) + (f"-{match.group(2)}" if match.group(2) else "")
        numbers = expand_numbers(spec)
        if not numbers or any(n == 0 for n in numbers):
            continue
        line, column = line_column(match.start())
        found.append(Citation(marker=match.group(0), start=match.start(), end=match.end(),
                              line=line, column=column, labels=[str(n) for n in numbers]))
    return found

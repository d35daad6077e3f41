"""A long list in a numeric style formatted in parts, the parts' runs going at once on as many
processors, where that gives the entries one run would give: styles whose entries depend on the
item and its position alone (:func:`position_alone`), cut anywhere, the numbers filled in
afterwards. Pandoc takes about half a millisecond of one processor per entry; on two processors
two halves take about half the time."""

from __future__ import annotations

import re
from typing import Any

from . import run

__all__ = ["PER_RUN", "numbered", "position_alone"]

PER_RUN = 150  # items a run must have to be worth its start-up (~0.05 s, ~100 entries)
_NUMBER = "\ue00f"  # a citation number, filled in when the parts are put together
_NUMBER_TEXT = re.compile(r'(<text\b[^>]*?)\bvariable="citation-number"')
_NUMBER_KEY = re.compile(r'<key variable="citation-number"|collapse="citation-number"')
_BIBLIOGRAPHY = re.compile(r"<bibliography\b.*?</bibliography>", re.S)


def position_alone(text: str) -> bool:
    """Whether each entry depends on its item and its position alone, as in most numeric styles:
    no sorting but by citation number, no disambiguation, no substitution of repeated names, and
    the number printed by plain ``<text variable="citation-number">``. Then parts of a list can
    be formatted apart, at once, and put together."""
    bibliography = _BIBLIOGRAPHY.search(text)
    if bibliography is None or re.search(r"disambiguat|subsequent-author|year-suffix", text):
        return False
    sort = re.search(r"<sort>(.*?)</sort>", bibliography.group(0), re.S)
    if sort and re.sub(r'<key variable="citation-number"(?: sort="ascending")?\s*/>', "",
                       sort.group(1)).strip():
        return False
    plain = len(_NUMBER_TEXT.findall(text)) + len(_NUMBER_KEY.findall(text))
    return text.count("citation-number") == plain


def numbered(items: list[dict[str, Any]], text: str, parts: int, to: run.Output,
             options: list[str], failure: str) -> list[str] | None:
    """The entries of a style where :func:`position_alone` holds, from ``parts`` runs at once;
    ``None`` if they do not come out one per item."""
    numbered_text = _NUMBER_TEXT.sub(rf'\1value="{_NUMBER}"', text)
    size = -(-len(items) // parts)
    outputs = run.run_many([(items[start:start + size], numbered_text, run.NOCITE,
                                run.WRITER[to], options)
                               for start in range(0, len(items), size)], failure=failure)
    entries = [entry for output in outputs for entry in run.entries(output, to)]
    if len(entries) != len(items):
        return None
    return [entry.replace(_NUMBER, str(number)) for number, entry in enumerate(entries, 1)]

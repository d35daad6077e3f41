"""Free-text reference lists: one reference per line, or per blank-line-separated paragraph.

Splitting and labels live here; turning a string into fields is :mod:`mascite.refparse`'s job.
Until that parser lands, a reference carries what can be read without guessing: identifiers
(DOI, PMID, PMCID, arXiv, URL) and the year.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from ..identifiers import find_arxiv_ids, find_dois, find_pmcids, find_pmids
from ..model import Reference
from ..text.blocks import line_spans, paragraph_spans

if TYPE_CHECKING:
    from ..refparse import ParseResult
from .base import Bibliography, BibliographyFormat, ParsedReference

__all__ = [
    "BROKEN_LINK",
    "REFERENCE_LIST",
    "RawEntry",
    "identifiers_from_text",
    "parse_entry",
    "read_reference_list",
    "reference_from_text",
    "split_entries",
    "unwrap",
]

# a number in brackets or before "." or ")" has up to six digits (a library's export counts
# past 9,999); a bare number, four, as a year or a page may start a line
_LABEL = re.compile(r"^\s*(?:\[(\d{1,6})\]|(\d{1,6})[.)]|(\d{1,4})(?=\s+\S)|[-–•*▪●]|\(\d{1,4}\))\s*")
_YEAR = re.compile(r"(?<![\d./-])((?:1[6-9]|20)\d\d)[a-z]?(?![\d/-])")
_URL = re.compile(r"https?://[^\s<>\"]+[^\s<>\".,;)\]]")


@dataclass(frozen=True)
class RawEntry:
    """One entry of a list: its text without the label, the label, and where it starts."""

    text: str
    label: str | None
    line: int
    start: int
    end: int


_YEAR = re.compile(r"(?<!\d)(?:1[5-9]\d\d|20\d\d)(?!\d)|\bn\.\s?d\.")
_ENDS = re.compile(r"(?:[.)\]]|\d|\S+/\S+)\s*$")


def _whole_lines(paragraph: str) -> bool:
    """Whether each line of a paragraph is a reference of its own, not a wrapped piece: every
    line has a year, and (nearly) every line ends as a reference does."""
    lines = [line for line in paragraph.split("\n") if line.strip()]
    ending = sum(1 for line in lines if _ENDS.search(line))
    return all(_YEAR.search(line) for line in lines) and ending >= 0.8 * len(lines)


# a DOI or URL broken at a line's end after "/" or "-" (a PDF's text, a hard-wrapped list): the
# next line goes on with it ("doi:10.1137/" + "141000671"); after "." it may end a sentence
BROKEN_LINK = re.compile(r"\b(?:10\.\d{4,9}|https?:)\S*[/\-]$")
_BREAK = re.compile(r"(\b(?:10\.\d{4,9}|https?:)\S*[/\-])[ \t]*\n\s*(?=\w)")


def unwrap(text: str) -> str:
    """An entry's text on one line: line breaks are spaces, except inside a broken DOI or URL."""
    return " ".join(_BREAK.sub(r"\1", text).split())


def split_entries(text: str, base_offset: int = 0, base_line: int = 1) -> list[RawEntry]:
    """Entries one per line, or per paragraph when the text has blank-line-separated paragraphs
    that wrap over several lines; a leading ``1.``, ``[12]``, ``33`` or ``- `` is the label."""
    paragraphs = paragraph_spans(text)
    wrapped = len(paragraphs) > 1 and any(text.find("\n", a, b) >= 0 for a, b in paragraphs)
    if wrapped:  # a paragraph whose every line is a whole reference is a list, one per line
        spans: list[tuple[int, int]] = []
        for a, b in paragraphs:
            if text.find("\n", a, b) >= 0 and _whole_lines(text[a:b]):
                spans += line_spans(text, a, b)
            else:
                spans.append((a, b))
    else:
        spans = _hanging(text, line_spans(text))
    entries = []
    line, counted = base_line, 0  # lines counted as we go: one pass, however long the list
    for chunk_start, chunk_end in spans:
        raw = text[chunk_start:chunk_end]
        label_match = _LABEL.match(raw)
        label = None
        body_start = 0
        if label_match and label_match.end() < len(raw.rstrip()):
            label = next((g for g in label_match.groups() if g), None)
            body_start = label_match.end()
        body = unwrap(raw[body_start:])
        start = base_offset + chunk_start + body_start
        line += text.count("\n", counted, chunk_start)
        counted = chunk_start
        entries.append(RawEntry(body, label, line, start, base_offset + chunk_end))
    return _lazy_numbers(entries)


_NUMBERED = re.compile(r"^\s*(?:\[(\d{1,6})\]|(\d{1,6})[.)])\s")


def _hanging(text: str, lines: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A numbered list whose entries wrap onto unnumbered lines (a PDF's text, hanging indents):
    when the numbered lines count 1, 2, 3..., each unnumbered line continues the entry above."""
    numbers = [(i, int(m.group(1) or m.group(2))) for i, (a, b) in enumerate(lines)
               if (m := _NUMBERED.match(text[a:b]))]
    if len(numbers) < 2 or numbers[0][0] != 0 or len(numbers) == len(lines) or any(
            n != numbers[0][1] + k for k, (_, n) in enumerate(numbers)):
        return lines
    starts = {i for i, _ in numbers}
    merged: list[tuple[int, int]] = []
    for index, (a, b) in enumerate(lines):
        if index in starts or not merged or _LABEL.match(text[a:b]):
            merged.append((a, b))
        else:
            merged[-1] = (merged[-1][0], b)
    return merged


def _lazy_numbers(entries: list[RawEntry]) -> list[RawEntry]:
    """"1." on every line is a Markdown list numbered by its first item, as CommonMark and
    pandoc number it (1, 2, 3...), not a list of entries that are all number 1."""
    labels = [e.label for e in entries]
    if len(entries) < 2 or not all(label and label.isdigit() for label in labels) or \
            len(set(labels)) != 1:
        return entries
    first = int(labels[0] or 1)
    return [replace(e, label=str(first + i)) for i, e in enumerate(entries)]


def reference_from_text(text: str, key: str | None = None) -> Reference:
    """The fields of a reference string, by the trained parser (identifiers only without it)."""
    return parse_entry(text, key).reference


def parse_entry(text: str, key: str | None = None) -> ParseResult:
    """The parser's full answer for one entry: the reference and its confidences."""
    from ..errors import NotAvailableError
    from ..refparse import ParseResult, parse_reference

    try:
        return parse_reference(text, key)
    except NotAvailableError:
        return ParseResult(text, identifiers_from_text(text, key), {})


def identifiers_from_text(text: str, key: str | None = None) -> Reference:
    """What can be read from a reference string without a trained parser: ids and the year."""
    item: dict[str, Any] = {"type": "article-journal"}
    if key:
        item["id"] = key
    dois = find_dois(text)
    if dois:
        item["DOI"] = dois[0].doi
    for finder, variable in ((find_pmids, "PMID"), (find_pmcids, "PMCID")):
        found = finder(text)
        if found:
            item[variable] = found[0]
    arxiv = find_arxiv_ids(text)
    if arxiv:
        item["number"] = f"arXiv:{arxiv[0]}"
    urls = [u for u in _URL.findall(text) if "doi.org/" not in u]
    if urls:
        item["URL"] = urls[0]
    without_ids = text
    for match in reversed(dois):
        without_ids = without_ids[:match.start] + without_ids[match.end:]
    year = _year(_URL.sub(" ", without_ids))
    if year:
        item["issued"] = {"date-parts": [[year]]}
    return Reference.from_csl(item)


def _year(text: str) -> int | None:
    """The publication year: one in parentheses first, then one outside a quoted title."""
    in_parens = re.search(r"\(\s*((?:1[6-9]|20)\d\d)[a-z]?\s*\)", text)
    if in_parens:
        return int(in_parens.group(1))
    unquoted = re.sub(r"“[^”]*”|\"[^\"]*\"|\[[^\]]*\]", " ", text)
    years = _YEAR.findall(unquoted) or _YEAR.findall(text)
    return int(years[0]) if years else None


def read_reference_list(text: str, path: str | None = None) -> Bibliography:
    """Free-text references, one per entry, parsed into fields."""
    result = Bibliography(path=path, format="text")
    for index, entry in enumerate(split_entries(text), start=1):
        key = entry.label or str(index)
        result.entries.append(
            ParsedReference(reference_from_text(entry.text, key), entry.line, entry.text))
    return result


def write_reference_list(references: Iterable[Reference]) -> str:
    """Refused: free text needs a citation style."""
    from ..errors import NotAvailableError

    raise NotAvailableError(
        "writing free text needs a citation style: use 'mascite format FILE --style STYLE'")


REFERENCE_LIST = BibliographyFormat("text", (".txt",), read_reference_list, write_reference_list)

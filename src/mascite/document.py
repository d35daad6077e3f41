"""Documents: decode, find the reference list, keep exact offsets. Pure apart from ``read_document``.

Offsets are 0-based character offsets into the decoded text (end exclusive); lines are 1-based.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError
from .model import ParseFailure
from .sources.base import decode_text
from .sources.reflist import RawEntry, split_entries

__all__ = ["Document", "find_reference_section", "parse_document", "read_document"]

# Headings that open a reference list, in the languages our users write in.
_REFERENCE_HEADINGS = (
    "references", "reference list", "bibliography", "literature cited", "works cited",
    "literature", "cited literature", "sources", "notes and references", "citations",
    "references and notes", "referencias", "referencias bibliográficas", "bibliografía",
    "références", "références bibliographiques", "bibliographie", "literatur",
    "literaturverzeichnis", "quellen", "riferimenti", "riferimenti bibliografici",
    "bibliografia", "referências", "referências bibliográficas", "referenties",
    "literatuur", "litteratur", "referenser", "kaynaklar", "tài liệu tham khảo",
    "参考文献", "參考文獻", "文献", "참고문헌", "литература", "список литературы",
    "المراجع", "מקורות", "bibliografie", "piśmiennictwo", "bibliografia i przypisy",
)
_HEADING_RE = re.compile(
    r"^[ \t]*(?:#{1,6}[ \t]*|\d+\.?[ \t]+)?(?P<name>[^\n:：]{2,40}?)[ \t]*[:：]?[ \t]*$",
    re.MULTILINE,
)
_NUMBERED = re.compile(r"^[ \t]*(?:\[\d{1,4}\]|\d{1,4}[.)])[ \t]+\S")


@dataclass(frozen=True)
class Section:
    """A span of the document: ``start``/``end`` offsets, ``heading`` text if it has one."""

    start: int
    end: int
    heading: str | None = None
    heading_start: int | None = None


@dataclass
class Document:
    """A decoded document and what was found in it."""

    text: str
    path: str | None = None
    reference_section: Section | None = None
    reference_entries: list[RawEntry] = field(default_factory=list)
    failures: list[ParseFailure] = field(default_factory=list)
    _line_starts: list[int] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        self._line_starts = [0] + [m.end() for m in re.finditer(r"\n", self.text)]

    @property
    def body_end(self) -> int:
        """Where the content ends: the reference heading, or the end of the text."""
        section = self.reference_section
        if section is None:
            return len(self.text)
        return section.heading_start if section.heading_start is not None else section.start

    def line_column(self, offset: int) -> tuple[int, int]:
        """1-based line and column of a character offset."""
        index = bisect_right(self._line_starts, offset) - 1
        return index + 1, offset - self._line_starts[index] + 1


def _normalise_heading(text: str) -> str:
    return " ".join(text.strip().strip("*_#").split()).casefold()


def find_reference_section(text: str) -> Section | None:
    """The reference list: under the last reference heading, or the trailing numbered entries."""
    names = {_normalise_heading(h) for h in _REFERENCE_HEADINGS}
    found = None
    for match in _HEADING_RE.finditer(text):
        if _normalise_heading(match.group("name")) in names:
            found = match
    if found is not None:
        start = found.end() + 1 if found.end() < len(text) else found.end()
        return Section(start, len(text.rstrip()), found.group("name").strip(), found.start())
    # No heading: a run of numbered entries at the end of the text.
    lines = list(re.finditer(r"[^\n]*", text))
    run_start = None
    for match in reversed(lines):
        if not match.group(0).strip():
            continue
        if _NUMBERED.match(match.group(0)):
            run_start = match.start()
        elif run_start is not None:
            break
        else:
            return None
    if run_start is None:
        return None
    return Section(run_start, len(text.rstrip()))


def parse_document(text: str, path: str | None = None) -> Document:
    """Find the reference section and split it into entries."""
    document = Document(text=text, path=path)
    section = find_reference_section(text)
    document.reference_section = section
    if section is not None:
        line = document.line_column(section.start)[0]
        document.reference_entries = split_entries(
            text[section.start:section.end], base_offset=section.start, base_line=line)
    return document


def read_document(path: str | Path) -> Document:
    """Read and parse a document file; undecodable bytes are a failure, not an exception."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", path=str(path)) from None
    except IsADirectoryError:
        raise InputError("is a directory, not a document", path=str(path)) from None
    except OSError as exc:
        raise InputError(f"cannot be read: {exc.strerror}", path=str(path)) from exc
    text, failures = decode_text(data, str(path))
    document = parse_document(text, str(path))
    document.failures.extend(failures)
    return document

"""What every bibliography format shares: the result of a read, the format interface, decoding."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ..errors import FormatError
from ..model import ParseFailure, Reference
from ..text.fold import STOP_WORDS

__all__ = ["Bibliography", "BibliographyFormat", "ParsedReference", "make_key"]


@dataclass
class ParsedReference:
    """A reference as read, with where it stood (1-based line) and its raw text."""

    reference: Reference
    line: int | None = None
    raw: str = ""
    field_lines: dict[str, int] = field(default_factory=dict)  # CSL variable: its line, if known


@dataclass
class Bibliography:
    """The result of reading one input: every reference that could be read, and every failure."""

    entries: list[ParsedReference] = field(default_factory=list)
    failures: list[ParseFailure] = field(default_factory=list)
    path: str | None = None
    format: str = ""

    @property
    def references(self) -> list[Reference]:
        """The references read, in order."""
        return [entry.reference for entry in self.entries]


@dataclass(frozen=True)
class BibliographyFormat:
    """A format: its name, the file suffixes it is known by, and its reader and writer. Each
    format's module defines one; the registry looks them up by name or suffix."""

    name: str
    suffixes: tuple[str, ...]
    reader: Callable[[str, str | None], Bibliography]
    writer: Callable[[Iterable[Reference]], str] | None = None  # None: read only

    @property
    def writable(self) -> bool:
        """Whether mascite writes this format (some, such as Web of Science's, it only reads)."""
        return self.writer is not None

    def read(self, text: str, path: str | None = None) -> Bibliography:
        """Every reference in ``text`` that can be read, and a failure for the rest."""
        return self.reader(text, path)

    def write(self, references: Iterable[Reference]) -> str:
        """The references as text in this format."""
        if self.writer is None:
            raise FormatError(f"mascite reads {self.name} files but does not write them")
        return self.writer(references)


def make_key(reference: Reference, taken: set[str]) -> str:
    """A readable citation key, ``familyYEARword`` (``bojan2021macrophage``), unique in ``taken``."""

    def ascii_word(text: str) -> str:
        text = unicodedata.normalize("NFKD", text)
        return re.sub(r"[^a-z0-9]", "", text.encode("ascii", "ignore").decode().lower())

    first = reference.first_author
    family = ascii_word(first.family or first.literal or "") if first else ""
    if first and first.literal and not first.family:
        family = ascii_word((first.literal.split() or [""])[0])
    words = re.sub(r"<[^>]+>", " ", reference.title or "").split()
    word = next((ascii_word(w) for w in words
                 if ascii_word(w).isalpha() and ascii_word(w) not in STOP_WORDS), "")
    year = str(reference.year or "")
    base = (family + year + word) or "ref"
    key, suffix = base, 0
    while key in taken:
        key = base + "abcdefghijklmnopqrstuvwxyz"[suffix % 26] * (suffix // 26 + 1)
        suffix += 1
    taken.add(key)
    return key

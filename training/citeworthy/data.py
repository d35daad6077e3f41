"""Sentences of the PLOS articles, labelled by their authors' own citations.

Read straight from the JATS XML (not through mascite's reader): a sentence is *cited* when it
holds a ``<xref ref-type="bibr">``. Sentences are split by mascite's splitter on the text a reader
sees, markers included, then the markers are removed as the runtime removes them. The split is by
article: a third of the articles (by a hash of the file name) is held out; the rest is the
development set, on which features, the regularisation and the thresholds are chosen.
"""

from __future__ import annotations

import hashlib
import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from defusedxml.ElementTree import parse as parse_xml

from mascite.document.citeworthy import section_kind, strip_markers
from mascite.document.claims import citation_reasons, split_sentences

__all__ = ["Sentence", "articles", "plos_dir", "sentences", "split_of"]

_SKIP = {"fig", "table-wrap", "disp-formula", "supplementary-material", "inline-formula",
         "boxed-text", "fn"}


@dataclass(frozen=True)
class Sentence:
    article: str
    section: str  # section_kind of the top-level section
    heading: str
    position: str  # first, middle, last or only in its paragraph
    text: str  # markers removed
    reasons: tuple[str, ...]
    cited: bool


def plos_dir() -> Path:
    base = os.environ.get("MASCITE_SHARED_DATA") or str(
        Path(__file__).resolve().parents[3] / "shared" / "data")
    return Path(base) / "plos"


def split_of(name: str) -> str:
    """'heldout' for a third of the articles, else 'dev'."""
    digest = hashlib.sha1(name.encode(), usedforsecurity=False).hexdigest()
    return "heldout" if int(digest, 16) % 3 == 0 else "dev"


def _inline(element: ET.Element, out: list[str], spans: list[tuple[int, int]]) -> None:
    def emit(text: str | None) -> None:
        if text:
            out.append(re.sub(r"\s+", " ", text))

    emit(element.text)
    for child in element:
        tag = child.tag.split("}")[-1]
        if tag == "xref" and child.get("ref-type") == "bibr":
            start = sum(map(len, out))
            emit("".join(child.itertext()))
            spans.append((start, sum(map(len, out))))
        elif tag not in _SKIP:
            _inline(child, out, spans)
        emit(child.tail)


def _paragraphs(sec: ET.Element, heading: str) -> Iterator[tuple[str, ET.Element]]:
    for child in sec:
        tag = child.tag.split("}")[-1]
        if tag == "p":
            yield heading, child
        elif tag == "sec":
            yield from _paragraphs(child, heading)


def sentences(path: Path) -> list[Sentence]:
    root = parse_xml(path).getroot()
    body = root.find(".//body")
    if body is None:
        return []
    out: list[Sentence] = []
    for sec in body.findall("sec"):
        title = " ".join("".join(sec.findtext("title") or "").split())
        if re.search(r"supporting information", title, re.I):
            continue
        kind = section_kind(title)
        for heading, p in _paragraphs(sec, title):
            parts: list[str] = []
            xrefs: list[tuple[int, int]] = []
            _inline(p, parts, xrefs)
            text = "".join(parts)
            split = split_sentences(text)
            for i, s in enumerate(split):
                inside = [(a - s.start, b - s.start) for a, b in xrefs
                          if s.start <= a < s.end]
                clean = strip_markers(s.text, [(max(a, 0), min(b, len(s.text)))
                                               for a, b in inside])
                if len(clean.split()) < 3:
                    continue
                position = ("only" if len(split) == 1 else "first" if i == 0
                            else "last" if i == len(split) - 1 else "middle")
                out.append(Sentence(path.name, kind, heading, position, clean,
                                    tuple(citation_reasons(clean)), bool(inside)))
    return out


def articles(split: str | None = None) -> list[Path]:
    paths = sorted(plos_dir().glob("*.xml"))
    return [p for p in paths if split is None or split_of(p.name) == split]

"""Cite-worthiness: how likely a reader is to want a source for a sentence.

A logistic model over words, word pairs, the sentence's opening, its section and the patterns of
:mod:`.claims` (kept as features as well as reasons), trained by ``python -m
training.citeworthy.train`` on PLOS articles, whose authors' own citations are the labels
(CC BY 4.0; see ``CITEWORTHY-LICENSE.md``). Scoring is pure Python over a JSON table of weights:
offline, and thousands of sentences a second.
"""

from __future__ import annotations

import functools
import itertools
import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

__all__ = ["MODEL_PATH", "CiteworthyModel", "features", "model", "section_kind", "strip_markers"]

MODEL_PATH = Path(__file__).with_name("citeworthy.json")

_SECTIONS = (
    ("abstract", re.compile(r"\b(?:abstract|summary|synopsis|highlights)\b", re.I)),
    ("results", re.compile(r"\bresults?\b|\bfindings\b", re.I)),
    ("methods", re.compile(r"\b(?:methods?|materials?|methodology|patients|participants|"
                           r"procedures?|statistic(?:s|al)|experimental|data collection|"
                           r"study design|model)\b", re.I)),
    ("discussion", re.compile(r"\b(?:discussion|conclusions?|limitations|perspectives?|outlook|"
                              r"implications)\b", re.I)),
    ("intro", re.compile(r"\b(?:introduction|background|overview|motivation|related work|"
                         r"state of the art|literature)\b", re.I)),
)
_NAME = re.compile(r"[A-Z][a-z]")  # a capitalised word after the first: a name, a gene, a place
_ACRONYM = re.compile(r"[A-Z0-9\-]{2,}[a-z]?")
_TOKEN = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*|\d+(?:[.,]\d+)?%?|%")


def section_kind(heading: str | None) -> str:
    """The kind of section a heading opens: intro, methods, results, discussion, abstract or
    other ("Results and Discussion" is results: its sentences mostly report the authors' data)."""
    if not heading:
        return "other"
    for kind, pattern in _SECTIONS:
        if pattern.search(heading):
            return kind
    return "other"


def _token(raw: str) -> str:
    if raw[0].isdigit():
        if raw.endswith("%"):
            return "<pct>"
        return "<year>" if re.fullmatch(r"(?:19|20)\d\d", raw) else "<num>"
    return "<pct>" if raw == "%" else raw.lower()


def features(text: str, section: str, position: str, reasons: Iterable[str] = ()) -> list[str]:
    """The model's features of a sentence (its citation markers already removed): ``position``
    is "first", "middle", "last" or "only" in its paragraph."""
    words = [_token(t) for t in _TOKEN.findall(text)]
    out = [f"s:{section}", f"p:{position}", f"n:{min(len(words) // 8, 6)}"]
    out.extend(f"w:{w}" for w in dict.fromkeys(words))
    out.extend(f"b:{a}_{b}" for a, b in dict.fromkeys(itertools.pairwise(words)))
    out.extend(f"f:{w}" for w in words[:2])
    out.extend(f"r:{reason}" for reason in reasons)
    out.extend(f"s:{section}|r:{reason}" for reason in reasons)
    if words:
        out.append(f"s:{section}|f:{words[0]}")
    rest = text.split()[1:]
    names = sum(1 for w in rest if _NAME.match(w))
    acronyms = sum(1 for w in rest if _ACRONYM.fullmatch(w.strip(",.;:()[]")))
    out.extend((f"c:{min(names, 4)}", f"a:{min(acronyms, 3)}"))
    if re.search(r"\bet al\b", text):
        out.append("x:etal")
    if re.search(r"\b(?:we|our|us)\b", text, re.I):
        out.append(f"s:{section}|x:we")
    return out


@dataclass(frozen=True)
class CiteworthyModel:
    """Weights, bias and the decision thresholds chosen on the development split, per policy."""

    weights: dict[str, float]
    bias: float
    thresholds: dict[str, float]

    def probability(self, feats: Iterable[str]) -> float:
        """The model's probability that the sentence needs a source."""
        z = self.bias + sum(self.weights.get(f, 0.0) for f in feats)
        return 1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0)))


@functools.lru_cache(maxsize=1)
def model() -> CiteworthyModel:
    """The shipped model, read once."""
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    return CiteworthyModel(weights=data["weights"], bias=float(data["bias"]),
                           thresholds={k: float(v) for k, v in data["thresholds"].items()})


_RUN = re.compile(r"[\[(⁽]?\x00(?:[\s,;–—\-\[\]()⁽⁾]*\x00)*[\])⁾]?")


def strip_markers(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """The sentence without its citation markers (``spans``, offsets into ``text``), the brackets
    around them and the separators between them: what the model reads, so that a marker is never
    its own evidence."""
    out: list[str] = []
    at = 0
    for start, end in sorted(spans):
        if start >= at:
            out.extend((text[at:start].replace("\x00", " "), "\x00"))
            at = end
    out.append(text[at:].replace("\x00", " "))
    stripped = _RUN.sub("", "".join(out))
    return re.sub(r"\s+([.,;:!?])", r"\1", re.sub(r"\s{2,}", " ", stripped)).strip()

"""Is this search result the work a reference describes? Pure scoring, with a threshold and a
margin over the runner-up, because a wrong DOI is worse than none.

Each candidate is checked against the reference *text* (so it works before and without a parsed
reference): its title, first author, year, journal, volume and first page must appear there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from ..text.fold import fold
from .mapping import Record

__all__ = ["Candidate", "Match", "agreements", "certainty", "choose", "score_candidate"]

WEIGHTS = {"title": 0.45, "author": 0.15, "year": 0.15, "container": 0.10, "volume": 0.05,
           "page": 0.10}
THRESHOLD = 0.80
MARGIN = 0.08


@dataclass(frozen=True)
class Candidate:
    """A search result, how well it fits the reference, and the score of each field."""

    record: Record
    score: float
    parts: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Match:
    """The chosen record (or ``None``), why, and every candidate for a person to choose from;
    ``probable``: the best candidate where it is likely but not certain the work."""

    record: Record | None
    score: float
    reason: str
    candidates: tuple[Candidate, ...] = ()
    probable: Record | None = None


def _token(value: str | None, text_tokens: set[str]) -> float:
    if not value:
        return 0.5
    return 1.0 if fold(value) in text_tokens else 0.0


def score_candidate(text: str, record: Record) -> Candidate:
    """How well a record fits a reference string, field by field, in [0, 1]."""
    folded = fold(text)
    tokens = set(folded.split())
    ref = record.reference
    parts: dict[str, float] = {}
    titles = [t for t in (ref.title, f"{ref.title or ''} {ref.subtitle or ''}".strip()) if t]
    if titles:
        best = max(fuzz.partial_ratio(fold(t), folded) for t in titles) / 100
        short = len(fold(titles[0])) < 15
        parts["title"] = best if not short or fold(titles[0]) in folded else best * 0.5
    else:
        parts["title"] = 0.0
    first = ref.first_author
    family = (first.family or first.literal or "") if first else ""
    parts["author"] = (1.0 if all(w in tokens for w in fold(family).split()) else 0.0) \
        if family else 0.5
    years = record.years
    found_years = {int(y) for y in re.findall(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)", text)}
    if not years:
        parts["year"] = 0.5
    elif years & found_years:
        parts["year"] = 1.0
    elif any(abs(a - b) <= 1 for a in years for b in found_years):
        parts["year"] = 0.6
    else:
        parts["year"] = 0.0
    containers = [c for c in (ref.container_title, ref.container_title_short) if c]
    parts["container"] = max((min(1.0, max(0.0, (fuzz.partial_ratio(fold(c), folded) / 100 - 0.5)
                                           * 2)) for c in containers), default=0.5)
    parts["volume"] = _token(ref.volume, tokens)
    first_page = re.split(r"[-–]", ref.page or "")[0] or ref.article_number
    parts["page"] = _token(first_page, tokens)
    score = sum(WEIGHTS[k] * v for k, v in parts.items())
    return Candidate(record, round(score, 4), parts)


AGREEING = ("author", "year", "container", "volume", "page")


def agreements(candidate: Candidate) -> int:
    """How many of the fields beside the title the reference's text shows as the record has
    them."""
    return sum(1 for name in AGREEING if candidate.parts.get(name, 0.0) >= 0.9)


def _telling(candidate: Candidate) -> int:
    """Agreements that tell one work from another: not a volume that is the year (Hindawi's
    "2021"), not a first page 1."""
    ref = candidate.record.reference
    plain = {str(y) for y in candidate.record.years}
    first = re.split(r"[-–]", ref.page or "")[0]
    weak = {"volume"} if (ref.volume or "") in plain else set()
    weak |= {"page"} if first in ("1", "") and not ref.article_number else set()
    return sum(1 for name in AGREEING if name not in weak
               and candidate.parts.get(name, 0.0) >= 0.9)


def certainty(candidate: Candidate) -> str:
    """``certain``: the title and two more fields agree, or all five other fields (pages that
    tell one article from another among them) and part of the title (a changed word in a short
    title); ``probable``: the title and one field, or most of
    the title and three; else ``unlikely``. One wrong field (a dropped author, a typo, the
    wrong year) leaves a work certain: the reference is then verified against it."""
    title, agree = candidate.parts.get("title", 0.0), agreements(candidate)
    if (title >= 0.9 and agree >= 2) or (title >= 0.3 and _telling(candidate) >= 5):
        return "certain"
    if (title >= 0.9 and agree >= 1) or (title >= 0.75 and agree >= 3):
        return "probable"
    return "unlikely"


def choose(text: str, records: list[Record], threshold: float = THRESHOLD,
           margin: float = MARGIN) -> Match:
    """The best candidate when it is certain (:func:`certainty`) and no other work is as
    likely, or the score clears ``threshold`` and beats the runner-up by ``margin``; a best
    candidate only probable is ``probable``, not ``record``."""
    candidates = tuple(sorted((score_candidate(text, r) for r in records),
                              key=lambda c: (-_rank(certainty(c)), -c.score)))
    if not candidates:
        return Match(None, 0.0, "no candidates", ())
    best = candidates[0]
    verdict = certainty(best)
    runner_up = next((c for c in candidates[1:] if c.record.doi != best.record.doi), None)
    rival = runner_up is not None and (
        _rank(certainty(runner_up)) >= _rank(verdict) and verdict != "unlikely"
        and best.score - runner_up.score < margin)
    if rival:
        assert runner_up is not None  # noqa: S101 - rival implies one
        return Match(None, best.score, f"two candidates score alike ({best.score:.2f} and "
                                       f"{runner_up.score:.2f})", candidates)
    if verdict == "certain" or (best.score >= threshold and (
            runner_up is None or best.score - runner_up.score >= margin)):
        return Match(best.record, best.score, "matched", candidates)
    if verdict == "probable":
        return Match(None, best.score, "probably this work", candidates, probable=best.record)
    return Match(None, best.score, f"best candidate scores {best.score:.2f}, below "
                                   f"{threshold:.2f}", candidates)


def _rank(verdict: str) -> int:
    return {"certain": 2, "probable": 1}.get(verdict, 0)

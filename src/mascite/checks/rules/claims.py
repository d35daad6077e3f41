"""Rules on claims: a claim that needs a source and has none (with the reference a person would
most likely cite there, from the document's own list), and a claim naming a study year its cited
work contradicts."""

from __future__ import annotations

import functools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable

from ...document.base import Document
from ...document.claims import years_named
from ...document.linking import ANAPHORA, Linked
from ...model import Finding, ReportReference, Severity
from ...text.fold import STOP_WORDS, fold_letters

__all__ = ["SUGGEST_THRESHOLD", "Suggester", "claim_findings", "claim_year_mismatches",
           "uncited_claims"]

_YEAR_IN_TEXT = re.compile(r"(?<!\d)((?:1[5-9]|20)\d\d)(?!\d)")


# a word starts only after a non-word character, and is taken whole (possessive): linear time
_ACRONYM = re.compile(r"(?<![\w-])((?:[\w\-]++\s+){1,8})\(([A-Za-z][A-Za-z\-]{1,9})\)")


def _acronyms(text: str) -> dict[str, list[str]]:
    """"systemic juvenile idiopathic arthritis (sJIA)" → {"sjia": [systemic, juvenile, ...]}."""
    found: dict[str, list[str]] = {}
    for match in _ACRONYM.finditer(text):
        letters = fold_letters(match.group(2))
        words = match.group(1).split()[-len(letters):]
        if len(words) == len(letters) and all(fold_letters(w)[:1] == c for w, c in zip(
                words, letters, strict=True)):
            found[letters] = [_stem(w) for w in words]
    return found


@functools.lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    word = fold_letters(word)
    for suffix in ("ies", "es", "s", "ing", "ed"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


# words that say a claim has evidence behind it, not what it is about
_FRAMING = frozenset("study studies shown show shows showed report reported reports previous "
                     "previously evidence found suggest suggests suggested known research "
                     "researchers".split())


def _words(text: str, acronyms: dict[str, list[str]]) -> set[str]:
    out: set[str] = set()
    for token in re.findall(r"[^\W\d_][\w\-]*", text):
        folded = fold_letters(token)
        if folded in acronyms:
            out.update(acronyms[folded])
        elif token.lower() not in STOP_WORDS and token.lower() not in _FRAMING and len(folded) > 2:
            out.add(_stem(token))
    return out


_MARKERS = re.compile(r"\[[\d,;\s–—-]+\]|[⁰¹²³⁴⁵⁶⁷⁸⁹]+")


def _numbers(text: str) -> set[str]:
    """Figures a sentence states (not its citation markers, not years)."""
    return {n for n in re.findall(r"(?<![\d.])\d+(?:\.\d+)?(?![\d])", _MARKERS.sub(" ", text))
            if not _YEAR_IN_TEXT.fullmatch(n)}


# The least match a suggestion must have (0-1), chosen by benchmarks/suggest.py on the
# development PLOS articles: the lowest at which the first suggestion is the authors' own
# reference for at least half the sentences that get one (no threshold reaches 0.8 there)
SUGGEST_THRESHOLD = 0.65
SUGGESTIONS = 3  # at most, best first


class Suggester:
    """Ranks the references a person could cite for a claim: the document's own list and its
    bibliographies, by the claim's study year, figures and subject against each reference's
    title, abstract (when the record has one) and the other sentences that cite it."""

    def __init__(self, linked: Linked, references: list[ReportReference],
                 document: Document) -> None:
        self.linked = linked
        acronyms = _acronyms(document.text)
        self.claim_words = [_words(claim.text, acronyms) for claim in linked.claims]
        self.claim_numbers = [_numbers(claim.text) for claim in linked.claims]
        self.vocab = Counter(w for words in self.claim_words for w in words)
        self.total = max(len(linked.claims), 1)
        self.citing: dict[str, list[int]] = defaultdict(list)
        for position, claim in enumerate(linked.claims):
            for ref_id in claim.refs:
                self.citing[ref_id].append(position)
        self.own: dict[str, set[str]] = {}
        self.years: dict[str, set[int]] = {}
        for ref in references:
            record = ref.record
            about = " ".join(t for t in (ref.csl.title, ref.csl.abstract,
                                         record.abstract if record else None) if t)
            self.own[ref.id] = _words(about, acronyms)
            self.years[ref.id] = {y for y in (ref.csl.year,) if y} | {
                int(y) for y in _YEAR_IN_TEXT.findall(ref.raw)}
        self.profiles = {ref_id: self._profile(ref_id, None) for ref_id in self.own}

    def _profile(self, ref_id: str, leave: int | None) -> tuple[set[str], set[str]]:
        """What a reference is known for: its own words and those of the claims citing it (but
        the claim at ``leave``), and the figures those claims state."""
        others = [i for i in self.citing.get(ref_id, ()) if i != leave]
        return (self.own[ref_id].union(*(self.claim_words[i] for i in others)),
                set().union(*(self.claim_numbers[i] for i in others)))

    def rank(self, position: int, leave_out: bool = False) -> list[tuple[float, str]]:
        """Every reference with its match (0-1) for the claim at ``position``, best first;
        ``leave_out``: as if the claim cited nothing (for calibration on cited claims)."""
        claim = self.linked.claims[position]
        words = self.claim_words[position]
        numbers = self.claim_numbers[position]
        years = set(years_named(claim.text))
        weight = {w: math.log((self.total + 1) / (self.vocab[w] + 0.5)) for w in words}
        norm = sum(weight.values()) or 1.0
        nearby = {r for i, c in enumerate(self.linked.claims[max(0, position - 2):position + 3],
                                          start=max(0, position - 2))
                  if i != position for r in c.refs}
        scored = []
        for ref_id in self.own:
            left_out = leave_out and position in self.citing.get(ref_id, ())
            profile, figures = (self._profile(ref_id, position) if left_out
                                else self.profiles[ref_id])
            # the share of the claim's subject (words weighted by rarity) the reference covers,
            # raised by a shared study year, shared figures and a citation nearby
            score = sum(weight[w] for w in words & profile) / norm
            score += 0.3 if years & self.years[ref_id] else 0.0
            score += 0.15 * min(len(numbers & figures), 2)
            score += 0.1 if ref_id in nearby else 0.0
            scored.append((round(min(score, 1.0), 3), ref_id))
        scored.sort(key=lambda item: (-item[0], item[1]))
        return scored


def uncited_claims(linked: Linked, references: list[ReportReference],
                   document: Document) -> list[Finding]:
    """Claims that need a source (under the policy they were linked with) and cite none, each
    with the references that match it best, when any matches well enough."""
    found: list[Finding] = []
    suggester = Suggester(linked, references, document)
    by_id = {r.id: r for r in references}
    previous: tuple[int, list[tuple[float, str]]] = (-1, [])
    for position, claim in enumerate(linked.claims):
        if claim.refs or not claim.needs_citation:
            continue
        if (previous[0] == position - 1 and ANAPHORA.match(claim.text)
                and linked.claims[position - 1].block == claim.block):
            chosen = previous[1]  # "The researchers concluded…" goes with the study before it
        else:
            chosen = [(score, ref_id) for score, ref_id in suggester.rank(position)
                      if score >= SUGGEST_THRESHOLD][:SUGGESTIONS]
        previous = (position, chosen)
        text = " ".join(claim.text.split())
        text = text if len(text) <= 160 else text[:157] + "…"
        why = ", ".join(claim.reasons) or "factual claim"
        suggestion = "; or ".join(f"cite {by_id[ref_id].name} (match {score:.2f})"
                                  for score, ref_id in chosen) or None
        found.append(Finding(
            code="uncited-claim", severity=Severity.WARNING, path=document.path, line=claim.line,
            column=document.line_column(claim.start)[1], found=claim.text,
            ref=chosen[0][1] if chosen else None,
            message=f"claim without a citation ({why}): “{text}”", suggestion=suggestion))
    return found


def claim_year_mismatches(linked: Linked, references: list[ReportReference],
                          document: Document) -> list[Finding]:
    """A claim naming a study year its cited reference contradicts. A year in the reference itself
    ("The 2022 EULAR/ACR points to consider", published 2023) or one year off (online vs print) is
    consistent."""
    found: list[Finding] = []
    by_id = {r.id: r for r in references}
    for claim in linked.claims:
        years = years_named(claim.text)
        refs = [by_id[r] for r in claim.refs if r in by_id]
        if not years or not refs:
            continue
        for year in years:
            if any(_consistent(year, ref) for ref in refs):
                continue
            cited_years = ", ".join(str(r.csl.year or "n.d.") for r in refs)
            found.append(Finding(
                code="claim-year-mismatch", severity=Severity.WARNING, path=document.path,
                line=claim.line, column=document.line_column(claim.start)[1],
                ref=refs[0].id, field="issued", found=str(year), expected=cited_years,
                message=f"the claim names {year}, but the cited reference "
                        f"{', '.join(r.name for r in refs)} is from {cited_years}"))
    return found


def _consistent(year: int, ref: ReportReference) -> bool:
    ref_year = ref.csl.year
    mentioned: Iterable[str] = _YEAR_IN_TEXT.findall(ref.raw + " " + (ref.csl.title or ""))
    return (ref_year is not None and abs(ref_year - year) <= 1) or str(year) in set(mentioned)


def claim_findings(linked: Linked, references: list[ReportReference],
                   document: Document) -> list[Finding]:
    """Every finding of this family: uncited claims, then year contradictions."""
    return [*uncited_claims(linked, references, document),
            *claim_year_mismatches(linked, references, document)]

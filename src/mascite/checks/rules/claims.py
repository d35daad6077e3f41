"""Rules on claims: a claim that needs a source and has none (with the reference a person would
most likely cite there, from the document's own list), and a claim naming a study year its cited
work contradicts."""

from __future__ import annotations

import functools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from ...document.base import Document
from ...document.claims import years_named
from ...document.linking import ANAPHORA, Linked
from ...model import Claim, Finding, ReportReference, Severity
from ...text.fold import STOP_WORDS, fold_letters

__all__ = ["claim_findings", "claim_year_mismatches", "uncited_claims"]

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


def _words(text: str, acronyms: dict[str, list[str]]) -> set[str]:
    out: set[str] = set()
    for token in re.findall(r"[^\W\d_][\w\-]*", text):
        folded = fold_letters(token)
        if folded in acronyms:
            out.update(acronyms[folded])
        elif token.lower() not in STOP_WORDS and len(folded) > 2:
            out.add(_stem(token))
    return out


_MARKERS = re.compile(r"\[[\d,;\s–—-]+\]|[⁰¹²³⁴⁵⁶⁷⁸⁹]+")


def _numbers(text: str) -> set[str]:
    """Figures a sentence states (not its citation markers, not years)."""
    return {n for n in re.findall(r"(?<![\d.])\d+(?:\.\d+)?(?![\d])", _MARKERS.sub(" ", text))
            if not _YEAR_IN_TEXT.fullmatch(n)}


def uncited_claims(linked: Linked, references: list[ReportReference],
                   document: Document, policy: str = "needs-source") -> list[Finding]:
    """Claims that need a source (``policy`` "all": every claim) and cite none, each with a
    suggested reference when one stands out."""
    found: list[Finding] = []
    acronyms = _acronyms(document.text)
    cited_text: dict[str, list[str]] = defaultdict(list)
    for claim in linked.claims:
        for ref_id in claim.refs:
            cited_text[ref_id].append(claim.text)
    claim_words = [_words(claim.text, acronyms) for claim in linked.claims]
    vocab = Counter(w for words in claim_words for w in words)
    total = max(len(linked.claims), 1)
    by_id = {r.id: r for r in references}
    profiles = {
        ref_id: _Profile(
            words=_words(" ".join(cited_text.get(ref_id, [])) + " " + (ref.csl.title or ""),
                         acronyms),
            numbers=_numbers(" ".join(cited_text.get(ref_id, []))),
            years={y for y in (ref.csl.year,) if y} | {
                int(y) for y in _YEAR_IN_TEXT.findall(ref.raw)})
        for ref_id, ref in by_id.items()}
    previous_suggestion: tuple[int, str | None] = (-1, None)
    for position, claim in enumerate(linked.claims):
        if claim.refs or not (claim.needs_citation or policy == "all"):
            continue
        suggestion = None
        if (previous_suggestion[0] == position - 1 and ANAPHORA.match(claim.text)
                and linked.claims[position - 1].block == claim.block):
            suggestion = previous_suggestion[1]
        else:
            suggestion = _suggest(claim, claim_words[position], position, linked, profiles,
                                  vocab, total)
        previous_suggestion = (position, suggestion)
        ref = by_id.get(suggestion) if suggestion else None
        text = " ".join(claim.text.split())
        text = text if len(text) <= 160 else text[:157] + "…"
        why = ", ".join(claim.reasons) or "every claim is to be cited"
        found.append(Finding(
            code="uncited-claim", severity=Severity.WARNING, path=document.path, line=claim.line,
            column=document.line_column(claim.start)[1], found=claim.text, ref=suggestion,
            message=f"claim without a citation ({why}): “{text}”",
            suggestion=f"cite {ref.name}" if ref else None))
    return found


@dataclass(frozen=True)
class _Profile:
    """What a reference is known for in this document: words and figures of the sentences citing
    it (and its title), and its years."""

    words: set[str]
    numbers: set[str]
    years: set[int]


def _suggest(claim: Claim, claim_words: set[str], position: int, linked: Linked,
             profiles: dict[str, _Profile], vocab: Counter[str], total: int) -> str | None:
    """The reference a person would most likely cite here: same study year, same figures, same
    subject as sentences citing it elsewhere, nearby citations. ``None`` when nothing stands out."""
    claim_numbers = _numbers(claim.text)
    claim_years = set(years_named(claim.text))
    weight = {w: math.log((total + 1) / (vocab[w] + 0.5)) for w in claim_words}
    norm = sum(weight.values()) or 1.0
    neighbours = {r for c in linked.claims[max(0, position - 2):position + 3] for r in c.refs}
    scores: list[tuple[float, str]] = []
    for ref_id, profile in profiles.items():
        score = 3.0 if claim_years & profile.years else 0.0
        score += 2.0 * min(len(claim_numbers & profile.numbers), 2)
        score += 4.0 * sum(weight[w] for w in claim_words & profile.words) / norm
        if ref_id in neighbours:
            score += 1.0
        scores.append((score, ref_id))
    scores.sort(reverse=True)
    if not scores or scores[0][0] < 3.0:
        return None
    if len(scores) > 1 and scores[0][0] - scores[1][0] < 1.0:
        return None
    return scores[0][1]


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
                   document: Document, policy: str = "needs-source") -> list[Finding]:
    """Every finding of this family: uncited claims (by ``policy``), then year contradictions."""
    return [*uncited_claims(linked, references, document, policy),
            *claim_year_mismatches(linked, references, document)]

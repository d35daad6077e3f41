"""Linking: markers to references, claims to the citations that support them, and the findings
an editor acts on. Pure: a parsed document and the report's references in, data out."""

from __future__ import annotations

import functools
import itertools
import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from .citations import find_citations
from .claims import block_sentences, citation_reasons, years_named
from .document.base import Document
from .model import Citation, Claim, Finding, Severity
from .report import ReportReference

__all__ = ["Linked", "link_document"]

_YEAR_IN_TEXT = re.compile(r"(?<!\d)((?:1[5-9]|20)\d\d)(?!\d)")
_ANAPHORA = re.compile(
    r"^(?:(?:during|in|throughout|over|at the end of|after)\s+(?:the|this|that|these)\s+"
    r"(?:study|studies|trial|period|study period|follow-up|cohort|report|series)"
    r"|(?:the|this|these|those)\s+(?:study|studies|trial|researchers|authors|investigators|"
    r"findings|results|data|participants|patients|cohort|report|total number)"
    r"|the\s+\w+\s+(?:of|in)\s+(?:the|this)\s+(?:study|trial)|they\b|their\b|its\b)", re.I)
_CALL_FOR_RESEARCH = re.compile(r"\b(?:are|is)\s+(?:still\s+)?(?:needed|required|warranted)\b",
                                re.I)
_STOP = frozenset(
    "a an the of in on for and or to with from by at as is are was were be been being that this "
    "these those it its their they which who whom what when where how than then there here not no "
    "may might can could would should will also such other some any all more most less many much "
    "into about over after before during between both each either per via within without".split())


@dataclass
class Linked:
    """What linking found: citations with their refs, claims, findings and coverage."""

    citations: list[Citation] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def coverage(self) -> dict[str, float | int | None]:
        needing = [c for c in self.claims if c.needs_citation]
        cited = [c for c in needing if c.refs]
        return {
            "claims": len(self.claims),
            "claims_cited": sum(1 for c in self.claims if c.refs),
            "needing_citation": len(needing),
            "cited": len(cited),
            "uncited": len(needing) - len(cited),
            "coverage": round(len(cited) / len(needing), 4) if needing else None,
        }


@functools.lru_cache(maxsize=65536)
def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return re.sub(r"[^a-z]", "", "".join(c for c in text if not unicodedata.combining(c)).lower())


def _families_of(ref: ReportReference) -> set[str]:
    """The first author's family name as parsed, and as the raw text begins ("Öztürk C" →
    "öztürk"): either may be what a marker names."""
    names = set()
    authors = ref.csl.get("author") or []
    if authors:
        first = authors[0]
        names.add(_fold(" ".join(p for p in (first.get("non-dropping-particle"),
                                             first.get("family") or first.get("literal")) if p)))
    head = re.split(r"[,.;:(“\"]", ref.raw.strip(), maxsplit=1)[0].split()
    while len(head) > 1 and re.fullmatch(r"[A-Z][A-Z.\-]{0,3}", head[-1]):
        head.pop()  # "Öztürk C" → "Öztürk"
    names.add(_fold(" ".join(head)))
    return {n for n in names if n}


def _year_of(ref: ReportReference) -> int | None:
    parts = ((ref.csl.get("issued") or {}).get("date-parts") or [[None]])[0]
    year = parts[0] if parts else None
    return year if isinstance(year, int) else None


class _Index:
    """References looked up by number, key, and author–year."""

    def __init__(self, references: list[ReportReference], document: Document) -> None:
        listed = [r for r in references if r.path == document.path and r.label is not None]
        numbered = listed or references
        self.by_number: dict[str, ReportReference] = {}
        for position, ref in enumerate(numbered, start=1):
            label = ref.label if ref.label and ref.label.isdigit() else str(position)
            self.by_number.setdefault(label, ref)
        self.count = len(numbered)
        self.by_key: dict[str, ReportReference] = {}
        for ref in references:
            for key in (ref.id, ref.label, ref.csl.get("citation-key")):
                if key:
                    self.by_key.setdefault(str(key), ref)
                    self.by_key.setdefault(str(key).casefold(), ref)
        groups: dict[tuple[str, int | None], list[ReportReference]] = defaultdict(list)
        for ref in references:
            for family in _families_of(ref):
                groups[(family, _year_of(ref))].append(ref)
        self.by_author: dict[str, list[ReportReference]] = defaultdict(list)
        for (family, year), refs in groups.items():
            for letter, ref in zip("abcdefghijklmnopqrstuvwxyz", refs, strict=False):
                self.by_author[f"{family}|{year}"].append(ref)
                self.by_author[f"{family}|{year}{letter}"] = [ref]

    def author_date(self, item: str) -> list[ReportReference]:
        name, _, year = item.partition("|")
        family = _fold(name)
        found = self.by_author.get(f"{family}|{year}")
        if found:
            return found
        first_word = _fold(name.split()[0]) if name.split() else ""
        for key, refs in self.by_author.items():
            ref_family, _, ref_year = key.partition("|")
            if ref_year == year and (ref_family.startswith(first_word) or family == ref_family):
                return refs
        return []


def link_document(document: Document, references: list[ReportReference]) -> Linked:
    """Find every marker and claim, link them, and report what an editor must see."""
    index = _Index(references, document)
    linked = Linked()
    found = [(i, c) for i, block in enumerate(document.blocks) if block.start < document.body_end
             for c in find_citations(block, document.format, document.line_column)]
    author_date = _author_date_style(found, index)
    per_block: dict[int, list[Citation]] = defaultdict(list)
    for block_index, citation in found:
        if citation.kind == "author-date" and not author_date:
            continue  # "(Weigelt, 1933)" in a numeric document is a name, not a citation
        if _resolve(citation, index, document, linked.findings):
            per_block[block_index].append(citation)
            linked.citations.append(citation)
    _claims(document, per_block, linked)
    _order(linked, document.path, index.count)
    _unused(references, linked, document)
    _uncited(linked, references, document)
    _year_mismatch(linked, references, document)
    return linked


def _author_date_style(found: list[tuple[int, Citation]], index: _Index) -> bool:
    """Does the document cite by author and year? Numeric markers outvote look-alikes."""
    numeric = sum(1 for _, c in found if c.kind in ("numeric", "superscript") and c.labels
                  and all(label in index.by_number for label in c.labels))
    authored = sum(1 for _, c in found if c.kind == "author-date"
                   and all(index.author_date(k) for k in c.keys))
    if numeric == 0:
        return True
    return authored > numeric


def _resolve(citation: Citation, index: _Index, document: Document,
             findings: list[Finding]) -> bool:
    """Set ``refs``; False when the marker is not a citation after all (a year in brackets)."""
    missing: list[str] = []
    refs: list[str] = []
    if citation.kind in ("numeric", "superscript"):
        numbers = [int(n) for n in citation.labels]
        if len(numbers) == 1 and 1500 <= numbers[0] <= 2100 and numbers[0] > index.count:
            return False  # "[2020]" is a year
        if citation.kind == "superscript" and len(citation.labels) == 1 and index.count:
            digits = citation.labels[0]
            if int(digits) > index.count and len(digits) > 1 and all(
                    "0" < d <= str(index.count) for d in digits):
                citation.labels = list(digits)  # "¹²" with 5 references is 1 and 2
        if not index.count and citation.kind == "superscript":
            return False
        for label in citation.labels:
            ref = index.by_number.get(label)
            (refs.append(ref.id) if ref else missing.append(label))
    elif citation.kind == "key":
        for key in citation.keys:
            ref = index.by_key.get(key) or index.by_key.get(key.casefold())
            (refs.append(ref.id) if ref else missing.append(key))
    else:
        for item in citation.keys:
            found = index.author_date(item)
            refs.extend(r.id for r in found)
            if not found:
                missing.append(item.replace("|", " "))
        if not refs and not re.search(r",|\bet al\b|\band\b|&", citation.marker):
            return False  # "(Paris 2019)": one capitalised word and a year, matching nothing
    citation.refs = list(dict.fromkeys(refs))
    if missing:
        what = ("has " + str(index.count) + " entries") if citation.kind in (
            "numeric", "superscript") else "has no such entry"
        findings.append(Finding(
            code="dangling-citation", severity=Severity.ERROR, path=document.path,
            line=citation.line, column=citation.column, found=citation.marker,
            message=f"{citation.marker} cites {', '.join(missing)}, but the reference list {what}"))
    return True


def _claims(document: Document, per_block: dict[int, list[Citation]], linked: Linked) -> None:
    block_claims: dict[int, list[Claim]] = {}
    for block_index, block in enumerate(document.blocks):
        sentences = block_sentences(document, block_index, block)
        claims = []
        for sentence in sentences:
            refs = [r for c in per_block.get(block_index, [])
                    if sentence.start <= c.block_offset < sentence.end for r in c.refs]
            start, end = block.source_span(sentence.start, sentence.end)
            text = re.sub(r"[\u2063\u2064]", "", sentence.text)
            reasons = [] if _CALL_FOR_RESEARCH.search(text) else citation_reasons(text)
            claims.append(Claim(text=text, start=start, end=end,
                                line=document.line_column(start)[0],
                                refs=list(dict.fromkeys(refs)), needs_citation=bool(reasons),
                                reasons=reasons, block=block_index))
        _anaphora(claims)
        lead = block.lead_in
        if lead is not None and block_claims.get(lead):
            inherited = block_claims[lead][-1].refs
            for claim in claims:
                if inherited and not claim.refs:
                    claim.refs, claim.via = list(inherited), "lead-in"
        block_claims[block_index] = claims
        linked.claims.extend(claims)


def _anaphora(claims: list[Claim]) -> None:
    """"During the study period, ... [11]" supports the sentence it refers back to, and back."""
    for previous, current in itertools.pairwise(claims):
        if not _ANAPHORA.match(current.text):
            continue
        if current.refs and not previous.refs:
            previous.refs, previous.via = list(current.refs), "next-sentence"
        elif previous.refs and not current.refs:
            current.refs, current.via = list(previous.refs), "previous-sentence"


def _order(linked: Linked, path: str | None, count: int) -> None:
    """Numeric styles number references by first citation: 1, 2, 3..."""
    seen: set[int] = set()
    highest = 0
    for citation in linked.citations:
        if citation.kind not in ("numeric", "superscript"):
            continue
        for label in citation.labels:
            number = int(label)
            if number in seen or number > count:  # a dangling number is reported as such
                continue
            seen.add(number)
            if number != highest + 1 and number > highest:
                skipped = ", ".join(str(n) for n in range(highest + 1, number) if n not in seen)
                if skipped:
                    linked.findings.append(Finding(
                        code="citation-order", severity=Severity.WARNING, path=path,
                        line=citation.line,
                        column=citation.column, found=citation.marker,
                        message=f"[{number}] is cited before [{skipped}]: numeric styles number "
                                f"references in order of first citation"))
            highest = max(highest, number)


def _unused(references: list[ReportReference], linked: Linked, document: Document) -> None:
    if not linked.citations:
        return
    cited = {r for c in linked.citations for r in c.refs}
    for ref in references:
        if ref.id not in cited:
            linked.findings.append(Finding(
                code="unused-reference", severity=Severity.WARNING, path=ref.path, line=ref.line,
                ref=ref.id, message=f"reference {_name(ref)} is never cited in the text"))


def _name(ref: ReportReference) -> str:
    return f"[{ref.label}]" if ref.label else ref.id


def _acronyms(text: str) -> dict[str, list[str]]:
    """"systemic juvenile idiopathic arthritis (sJIA)" → {"sjia": [systemic, juvenile, ...]}."""
    found: dict[str, list[str]] = {}
    for match in re.finditer(r"((?:[\w\-]+\s+){1,8})\(([A-Za-z][A-Za-z\-]{1,9})\)", text):
        letters = _fold(match.group(2))
        words = match.group(1).split()[-len(letters):]
        if len(words) == len(letters) and all(_fold(w)[:1] == c for w, c in zip(
                words, letters, strict=True)):
            found[letters] = [_stem(w) for w in words]
    return found


@functools.lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    word = _fold(word)
    for suffix in ("ies", "es", "s", "ing", "ed"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def _words(text: str, acronyms: dict[str, list[str]]) -> set[str]:
    out: set[str] = set()
    for token in re.findall(r"[^\W\d_][\w\-]*", text):
        folded = _fold(token)
        if folded in acronyms:
            out.update(acronyms[folded])
        elif token.lower() not in _STOP and len(folded) > 2:
            out.add(_stem(token))
    return out


_MARKERS = re.compile(r"\[[\d,;\s–—-]+\]|[⁰¹²³⁴⁵⁶⁷⁸⁹]+")


def _numbers(text: str) -> set[str]:
    """Figures a sentence states (not its citation markers, not years)."""
    return {n for n in re.findall(r"(?<![\d.])\d+(?:\.\d+)?(?![\d])", _MARKERS.sub(" ", text))
            if not _YEAR_IN_TEXT.fullmatch(n)}


def _uncited(linked: Linked, references: list[ReportReference], document: Document) -> None:
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
            words=_words(" ".join(cited_text.get(ref_id, [])) + " " + str(ref.csl.get("title", "")),
                         acronyms),
            numbers=_numbers(" ".join(cited_text.get(ref_id, []))),
            years={y for y in (_year_of(ref),) if y} | {
                int(y) for y in _YEAR_IN_TEXT.findall(ref.raw)})
        for ref_id, ref in by_id.items()}
    previous_suggestion: tuple[int, str | None] = (-1, None)
    for position, claim in enumerate(linked.claims):
        if not claim.needs_citation or claim.refs:
            continue
        suggestion = None
        if (previous_suggestion[0] == position - 1 and _ANAPHORA.match(claim.text)
                and linked.claims[position - 1].block == claim.block):
            suggestion = previous_suggestion[1]
        else:
            suggestion = _suggest(claim, claim_words[position], position, linked, profiles,
                                  vocab, total)
        previous_suggestion = (position, suggestion)
        ref = by_id.get(suggestion) if suggestion else None
        text = claim.text if len(claim.text) <= 160 else claim.text[:157] + "…"
        linked.findings.append(Finding(
            code="uncited-claim", severity=Severity.WARNING, path=document.path, line=claim.line,
            column=document.line_column(claim.start)[1], found=claim.text, ref=suggestion,
            message=f"claim without a citation ({', '.join(claim.reasons)}): “{text}”",
            suggestion=f"cite {_name(ref)}" if ref else None))


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


def _year_mismatch(linked: Linked, references: list[ReportReference], document: Document) -> None:
    """A claim naming a study year its cited reference contradicts. A year in the reference itself
    ("The 2022 EULAR/ACR points to consider", published 2023) or one year off (online vs print) is
    consistent."""
    by_id = {r.id: r for r in references}
    for claim in linked.claims:
        years = years_named(claim.text)
        refs = [by_id[r] for r in claim.refs if r in by_id]
        if not years or not refs:
            continue
        for year in years:
            if any(_consistent(year, ref) for ref in refs):
                continue
            cited_years = ", ".join(str(_year_of(r) or "n.d.") for r in refs)
            linked.findings.append(Finding(
                code="claim-year-mismatch", severity=Severity.WARNING, path=document.path,
                line=claim.line, column=document.line_column(claim.start)[1],
                ref=refs[0].id, field="issued", found=str(year), expected=cited_years,
                message=f"the claim names {year}, but the cited reference "
                        f"{', '.join(_name(r) for r in refs)} is from {cited_years}"))


def _consistent(year: int, ref: ReportReference) -> bool:
    ref_year = _year_of(ref)
    mentioned: Iterable[str] = _YEAR_IN_TEXT.findall(ref.raw + " " + str(ref.csl.get("title", "")))
    return (ref_year is not None and abs(ref_year - year) <= 1) or str(year) in set(mentioned)

"""Linking: markers to references, and claims to the citations that support them. Pure: a parsed
document and the report's references in, data out. What an editor acts on (dangling markers,
unused references, uncited claims) is found from this by the rules in :mod:`mascite.check.rules`."""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from dataclasses import dataclass, field

from ..model import Citation, Claim, ReportReference
from ..text.fold import fold_letters
from .base import Document
from .citations import find_citations
from .citeworthy import section_kind, strip_markers
from .claims import block_sentences
from .policy import ClaimsPolicy, Context, assess

__all__ = ["ANAPHORA", "BACK_MATTER", "Linked", "link_document"]

ANAPHORA = re.compile(
    r"^(?:(?:during|in|throughout|over|at the end of|after)\s+(?:the|this|that|these)\s+"
    r"(?:study|studies|trial|period|study period|follow-up|cohort|report|series)"
    r"|(?:the|this|these|those)\s+(?:study|studies|trial|researchers|authors|investigators|"
    r"findings|results|data|participants|patients|cohort|report|total number)"
    r"|the\s+\w+\s+(?:of|in)\s+(?:the|this)\s+(?:study|trial)|they\b|their\b|its\b)", re.I)
# Sections that thank, declare and describe, and cite no evidence: their sentences are claims
# of the authors about themselves
BACK_MATTER = re.compile(
    r"^(?:\d+(?:\.\d+)*\.?\s+)?(?:acknowledge?ments?|funding(?:\s+(?:sources?|statement|"
    r"information))?|financial\s+(?:support|disclosures?)|author(?:s'?|'s)?\s+contributions?|"
    r"contributions|(?:data|code|software|materials?)(?:\s+and\s+(?:code|software|materials?))?"
    r"\s+availability(?:\s+statement)?|availability|(?:conflicts?|declarations?)\s+of\s+"
    r"interests?|competing\s+interests?|disclosures?|ethics(?:\s+(?:statement|approval))?|"
    r"ethical\s+approval|consent(?:\s+for\s+publication)?|supplementary\s+(?:material|"
    r"information)|abbreviations|software|installation|usage)$", re.I)


@dataclass
class Linked:
    """What linking found: citations with their refs, claims, and the length of the numbered
    reference list the numeric markers count in."""

    citations: list[Citation] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    numbered: int = 0
    policy: ClaimsPolicy = "standard"

    def coverage(self) -> dict[str, float | int | str | None]:
        """Claims, those cited, those needing a source under the policy, and the share of those
        that have one."""
        needing = [c for c in self.claims if c.needs_citation]
        cited = [c for c in needing if c.refs]
        return {
            "policy": self.policy,
            "claims": len(self.claims),
            "claims_cited": sum(1 for c in self.claims if c.refs),
            "needing_citation": len(needing),
            "cited": len(cited),
            "uncited": len(needing) - len(cited),
            "coverage": round(len(cited) / len(needing), 4) if needing else None,
        }


def _families_of(ref: ReportReference) -> set[str]:
    """The first author's family name as parsed, and as the raw text begins ("Öztürk C" →
    "öztürk"): either may be what a marker names."""
    names = set()
    first = ref.csl.first_author
    if first is not None:
        names.add(fold_letters(first.full_family))
    head = re.split(r"[,.;:(“\"]", ref.raw.strip(), maxsplit=1)[0].split()
    while len(head) > 1 and re.fullmatch(r"[A-Z][A-Z.\-]{0,3}", head[-1]):
        head.pop()  # "Öztürk C" → "Öztürk"
    names.add(fold_letters(" ".join(head)))
    return {n for n in names if n}


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
        self.all = references
        self.by_key: dict[str, ReportReference] = {}
        for ref in references:
            for key in (ref.id, ref.label, ref.csl.citation_key):
                if key:
                    self.by_key.setdefault(str(key), ref)
                    self.by_key.setdefault(str(key).casefold(), ref)
        groups: dict[tuple[str, int | None], list[ReportReference]] = defaultdict(list)
        for ref in references:
            for family in _families_of(ref):
                groups[(family, ref.csl.year)].append(ref)
        self.by_author: dict[str, list[ReportReference]] = defaultdict(list)
        for (family, year), refs in groups.items():
            for letter, ref in zip("abcdefghijklmnopqrstuvwxyz", refs, strict=False):
                self.by_author[f"{family}|{year}"].append(ref)
                self.by_author[f"{family}|{year}{letter}"] = [ref]

    def author_date(self, item: str) -> list[ReportReference]:
        name, _, year = item.partition("|")
        family = fold_letters(name)
        found = self.by_author.get(f"{family}|{year}")
        if found:
            return found
        first_word = fold_letters(name.split()[0]) if name.split() else ""
        for key, refs in self.by_author.items():
            ref_family, _, ref_year = key.partition("|")
            if ref_year == year and (ref_family.startswith(first_word) or family == ref_family):
                return refs
        return []


def link_document(document: Document, references: list[ReportReference],
                  policy: ClaimsPolicy = "standard") -> Linked:
    """Find every marker and claim and link them: each citation's ``refs`` (and ``missing``, what
    names no reference), each claim's ``refs`` and, under ``policy``, whether it needs a source."""
    index = _Index(references, document)
    linked = Linked(numbered=index.count)
    found = [(i, c) for i, block in enumerate(document.blocks) if block.start < document.body_end
             for c in find_citations(block, document.format, document.line_column)]
    found.extend((-1, c) for c in _metadata_nocite(document))
    author_date = _author_date_style(found, index)
    per_block: dict[int, list[Citation]] = defaultdict(list)
    for block_index, citation in found:
        if citation.kind == "author-date" and not author_date:
            continue  # "(Weigelt, 1933)" in a numeric document is a name, not a citation
        if _resolve(citation, index):
            per_block[block_index].append(citation)
            linked.citations.append(citation)
    _claims(document, per_block, linked, policy)
    linked.policy = policy
    return linked


def _metadata_nocite(document: Document) -> list[Citation]:
    """Front matter ``nocite: "@a, @b"`` lists references as ``\\nocite`` does, at its line."""
    keys, span = document.metadata.nocite, document.metadata.span
    if not keys or span is None:
        return []
    at = document.text.find("nocite", span[0], span[1])
    at = at if at >= 0 else span[0]
    line, column = document.line_column(at)
    return [Citation(marker="nocite", start=at, end=at + len("nocite"), line=line, column=column,
                     kind="nocite", keys=keys)]


def _author_date_style(found: list[tuple[int, Citation]], index: _Index) -> bool:
    """Does the document cite by author and year? Numeric markers outvote look-alikes."""
    numeric = sum(1 for _, c in found if c.kind in ("numeric", "superscript") and c.labels
                  and all(label in index.by_number for label in c.labels))
    authored = sum(1 for _, c in found if c.kind == "author-date"
                   and all(index.author_date(k) for k in c.keys))
    if numeric == 0:
        return True
    return authored > numeric


def _resolve(citation: Citation, index: _Index) -> bool:
    """Set ``refs`` and ``missing``; False when the marker is not a citation after all (a year in
    brackets)."""
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
    elif citation.kind == "nocite" and citation.keys == ["*"]:
        refs = [ref.id for ref in index.all]  # \nocite{*}: every entry of the bibliography
    elif citation.kind in ("key", "nocite"):
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
    citation.missing = missing
    return True


def _claims(document: Document, per_block: dict[int, list[Citation]], linked: Linked,
            policy: ClaimsPolicy) -> None:
    block_claims: dict[int, list[Claim]] = {}
    items: dict[int, list[str]] = defaultdict(list)
    for block in document.blocks:
        if block.kind == "list-item" and block.lead_in is not None:
            items[block.lead_in].append(block.text)
    back_matter, section, heading = False, "other", ""
    for block_index, block in enumerate(document.blocks):
        if block.kind == "heading":
            heading = block.text.strip(" #*:.")
            back_matter = bool(BACK_MATTER.match(heading))
            kind = section_kind(heading)
            if kind != "other" and len(heading.split()) <= 5:
                section = kind  # "Results"; a subsection keeps its section's kind
        sentences = block_sentences(document, block_index, block)
        claims = []
        for number, sentence in enumerate(sentences):
            markers = [c for c in per_block.get(block_index, [])
                       if sentence.start <= c.block_offset < sentence.end]
            text = re.sub(r"[\u2063\u2064]", "", sentence.text)
            bare = strip_markers(sentence.text, [(c.block_offset - sentence.start,
                                                  c.block_end - sentence.start) for c in markers])
            position = ("only" if len(sentences) == 1 else "first" if number == 0
                        else "last" if number == len(sentences) - 1 else "middle")
            lead = number == len(sentences) - 1 and bool(items.get(block_index))
            context = Context(section=section, position=position, heading=heading,
                              back_matter=back_matter,
                              items=tuple(items[block_index]) if lead else (),
                              carried=block.kind == "list-item" and block.lead_in is not None)
            verdict = assess(bare, context, policy)
            if verdict.excluded == "not English":
                continue  # a page's untranslated interface, not a claim
            refs = [r for c in markers if c.kind != "nocite" for r in c.refs]
            start, end = block.source_span(sentence.start, sentence.end)
            claims.append(Claim(text=text, start=start, end=end,
                                line=document.line_column(start)[0],
                                refs=list(dict.fromkeys(refs)), needs_citation=verdict.needs,
                                reasons=verdict.reasons, score=verdict.score,
                                block=block_index))
        _anaphora(claims)
        lead_in = block.lead_in
        if lead_in is not None and block_claims.get(lead_in):
            inherited = block_claims[lead_in][-1].refs
            for claim in claims:
                if inherited and not claim.refs:
                    claim.refs, claim.via = list(inherited), "lead-in"
        block_claims[block_index] = claims
        linked.claims.extend(claims)


def _anaphora(claims: list[Claim]) -> None:
    """"During the study period, ... [11]" supports the sentence it refers back to, and back."""
    for previous, current in itertools.pairwise(claims):
        if not ANAPHORA.match(current.text):
            continue
        if current.refs and not previous.refs:
            previous.refs, previous.via = list(current.refs), "next-sentence"
        elif previous.refs and not current.refs:
            current.refs, current.via = list(previous.refs), "previous-sentence"



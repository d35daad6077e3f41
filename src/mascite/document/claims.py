"""Claims: the sentences of a document's content, and which of them a reader would want sourced.

Pure functions. A claim is a sentence of a paragraph or list item (not a heading, a question
heading, navigation, code or the reference list). ``needs_citation`` is deliberately narrow — an
editor must not drown in warnings: statistics, study and research language, study years,
regulatory facts and treatment recommendations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .base import Block, Document
from .html import SUPERSCRIPT_CLOSE, SUPERSCRIPT_OPEN

__all__ = ["Sentence", "citation_reasons", "split_sentences", "years_named"]

_ABBREVIATIONS = frozenset(
    "al e.g i.e vs v cf fig figs eq eqs ref refs no nos vol vols p pp ch chap sec approx ca "
    "dr mr mrs ms prof st jr sr inc ltd co corp dept univ est resp incl ed eds trans "
    "jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k e.u u.n ph.d m.d b.sc m.sc "
    "a.m p.m viz etc.al mt ft sq min max no.".split())
_BOUNDARY = re.compile(
    r"[.!?。！？]['\"”’)\]]*(?:\s*(?:\[[\d,\s–\-]+\]|[⁰¹²³⁴⁵⁶⁷⁸⁹]+))*(?=\s+[\"“‘(\[]?[A-Z0-9À-ÖØ-Þ]"
    r"|\s*$)")


@dataclass(frozen=True)
class Sentence:
    """A sentence within a block: ``start``/``end`` index the block's text."""

    text: str
    start: int
    end: int


_WORD_BEFORE = re.compile(r"[\w.]+$")


def _is_abbreviation(text: str, period: int) -> bool:
    # the word before the full stop, looked for in a short window: linear in the block
    match = _WORD_BEFORE.search(text, max(0, period - 40), period)
    if match is None:
        return False
    word = match.group(0).lower()
    if word in _ABBREVIATIONS or word.rstrip(".") in _ABBREVIATIONS:
        return True
    return bool(re.fullmatch(r"[a-z]", word)) or bool(re.fullmatch(r"(?:[a-z]\.)+[a-z]", word))


def split_sentences(text: str) -> list[Sentence]:
    """Sentences, robust to "et al.", "e.g.", "vs.", "U.S.", "75.2%", "2 g/kg/dose", "Fig. 2";
    a marker after the full stop ("... cases. [1]") stays with its sentence."""
    sentences: list[Sentence] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        if text[match.start()] == "." and _is_abbreviation(text, match.start()):
            continue
        end = match.end()
        _add(sentences, text, start, end)
        start = end
    _add(sentences, text, start, len(text))
    return sentences


def _add(sentences: list[Sentence], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if any(c.isalpha() for c in text[start:end]):
        sentences.append(Sentence(text[start:end], start, end))


_YEAR = re.compile(r"(?<![\d.,/-])((?:19|20)\d\d)(?![\d%/-])")
_STUDY_YEAR = re.compile(
    r"(?:\b(?:in|from|a|an|the|by|of)\s+(?:a\s+|the\s+)?)((?:19|20)\d\d)\b"
    r"|\b((?:19|20)\d\d)\s+(?:[A-Z][\w/\-]*\s+){0,4}(?:study|studies|trial|report|review|survey|"
    r"analysis|meta-analysis|cohort|guidelines?|consensus|statements?|recommendations?|"
    r"case\s+report|paper|article|publication|points)\b", re.I)
_SIGNALS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("statistic", re.compile(
        r"\d+(?:[.,]\d+)?\s*(?:%|percent|per cent)|\b\d+\s+(?:in|out of)\s+\d+\b|"
        r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten)\s+(?:in|out of)\s+\d+|"
        r"\b(?:mortality|survival|incidence|prevalence)\b", re.I)),
    ("study", re.compile(
        r"\b(?:stud(?:y|ies)|trials?|research(?:ers)?|evidence|meta-analys[ie]s|case reports?|"
        r"cohort|survey|participants|patients\s+(?:were|who)|reported|found that|showed|shown|"
        r"concluded|demonstrated|revealed|data (?:show|suggest))\b", re.I)),
    ("regulatory", re.compile(
        r"\b(?:FDA|EMA|MHRA|WHO|CDC|NICE|approved|approval|off-label|licensed|guidelines?|"
        r"consensus|recommendations?)\b")),
    ("comparative", re.compile(
        r"\b(?:most|least)\s+(?:common(?:ly)?|frequent(?:ly)?|effective|widely|often|important)\b|"
        r"\bcommonly used\b|\bthe (?:leading|main|major) cause\b|\bstandard of care\b|"
        r"\bgold standard\b", re.I)),
    ("causal", re.compile(
        r"\b(?:risk factors?|(?:is|are|be) (?:caused|triggered) by|increases? the risk|"
        r"(?:is|are) (?:strongly |often |usually )?associated with|"
        r"(?:is|are) (?:believed|thought|known) to (?:be )?(?:cause|trigger))", re.I)),
    ("treatment", re.compile(
        r"\b(?:first-line|second-line|first- or second-line|treatment of choice|"
        r"(?:is|are) (?:usually |often |generally )?(?:preferred|recommended|indicated)|"
        r"should be (?:considered|used|given|avoided)|(?:usual|recommended|standard) dose|"
        r"\d+(?:\.\d+)?\s*(?:mg|g|µg|mcg|ml|mL|IU)(?:/kg)?)", re.I)),
)
_CALL_TO_ACTION = re.compile(
    r"^(?:discover|learn|find|read|click|contact|talk|call|ask|see|visit|download|sign up|subscribe|"
    r"get|explore|check|share|follow|join|book|schedule|speak)\b", re.I)


def years_named(text: str) -> list[int]:
    """Years a sentence names as the time of a study, report or statement ("a 2001 study")."""
    return sorted({int(m.group(1) or m.group(2)) for m in _STUDY_YEAR.finditer(text)})


def citation_reasons(text: str) -> list[str]:
    """Why a sentence asserts something a reader would want a source for (empty: it does not)."""
    clean = text.replace(SUPERSCRIPT_OPEN, "").replace(SUPERSCRIPT_CLOSE, "")
    if clean.rstrip().endswith("?") or len(clean.split()) < 4 or _CALL_TO_ACTION.match(clean):
        return []  # questions, fragments and calls to action assert nothing
    reasons = [name for name, pattern in _SIGNALS if pattern.search(clean)]
    if years_named(clean) and "year" not in reasons:
        reasons.append("year")
    return reasons


def block_sentences(document: Document, index: int, block: Block) -> list[Sentence]:
    """Claim sentences of a content block (none for headings, code and navigation)."""
    if block.kind not in ("paragraph", "list-item") or block.start >= document.body_end:
        return []
    return split_sentences(block.text)

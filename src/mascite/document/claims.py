"""Claims: the sentences of a document's content, what kind of assertion each makes, and which
assert nothing at all.

Pure functions. A claim is a sentence of a paragraph or list item (not a heading, navigation,
code or the reference list). Its reasons (:data:`REASONS`: statistic, definition, treatment/dose…)
say in words why a reader would want a source; whether it needs one is decided in
:mod:`.policy`, with the cite-worthiness model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..text.fold import ENGLISH_STOP_WORDS
from .base import Block, Document
from .html import SUPERSCRIPT_CLOSE, SUPERSCRIPT_OPEN

__all__ = ["PRIOR_WORK", "REASONS", "Sentence", "citation_reasons", "english", "heading_reasons",
           "not_a_claim", "split_sentences", "years_named"]

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
_REASONS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("statistic", re.compile(
        r"\d+(?:[.,]\d+)?\s*(?:%|percent|per cent)|\b\d+\s+(?:in|out of)\s+\d+\b|"
        r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten)\s+(?:in|out of)\s+\d+|"
        r"\b(?:odds|hazard|risk) ratios?\b|\bp\s*[<=>]\s*0?\.\d", re.I)),
    ("epidemiology", re.compile(
        r"\b(?:rare|uncommon|prevalen(?:t|ce)|incidence|epidemiolog\w*|affects?|affecting|"
        r"worldwide|per (?:100,?000|million)|common(?:ly)? (?:in|among)|occurs? (?:in|most|mainly|"
        r"more|without)|cases (?:per|each|a) year)\b", re.I)),
    ("definition", re.compile(
        r"\b(?:is|are) (?:a|an) (?:[\w\-’']+,?\s+){0,6}?(?:disease|disorder|syndrome|condition|"
        r"complication|procedure|therapy|treatment|drug|medication|product|response|antibody|"
        r"inhibitor|agent|class|form|type)s?\b|\b(?:is|are) (?:characteri[sz]ed|defined) (?:by|as)\b|"
        r"\brefers? to\b|\bare drugs that\b", re.I)),
    ("symptom", re.compile(
        r"\bsymptoms?\b|\bsigns?\b(?! up)|\bpresents? with\b|\bmanifestations?\b|"
        r"\bclinical (?:features|picture|presentation)\b", re.I)),
    ("cause/mechanism", re.compile(
        r"\b(?:caused|triggered|induced|mediated|driven) by\b|\bcauses?\b|\btrigger(?:s|ed)?\b|"
        r"\bdue to\b|\bleads? to\b|\bresult(?:s|ing)? (?:in|from)\b|\bmechanisms?\b|"
        r"\b(?:is|are) (?:thought|believed|known) to\b|\bpathogenesis\b|\bpathophysiolog\w+|"
        r"\bwork(?:s)? by\b|\bby (?:suppressing|activating|promoting|inhibiting|blocking)\b|"
        r"\bhelps? (?:to )?(?:reduce|suppress|destroy|prevent|remove)\b", re.I)),
    ("treatment/dose", re.compile(
        r"\b(?:treat(?:ment|ments|ed|ing|s)?|therap(?:y|ies|eutic)|medications?|drugs?|"
        r"dos(?:e|es|age|ing)|first-line|second-line|first- or second-line|administered|prescribed|"
        r"(?:is|are) (?:usually |often |generally )?(?:preferred|recommended|indicated)|"
        r"should be (?:considered|used|given|avoided)|(?:cortico|gluco)?steroids?|"
        r"immunosuppress\w*|transfusions?|plasma exchange|vaccin\w+)\b|"
        r"\b\d+(?:\.\d+)?\s*(?:mg|g|µg|mcg|ml|mL|IU)(?:/kg)?", re.I)),
    ("prognosis", re.compile(
        r"\b(?:prognos\w+|surviv\w+|mortality|deaths?|die[ds]?|fatal|life-threatening|"
        r"life expectancy|outcomes?|recover\w*|cure[ds]?|remission|relapses?|complications?)\b",
        re.I)),
    ("risk factor", re.compile(
        r"\brisk factors?\b|\b(?:increases?|raises?|higher|elevated|greater) (?:the )?risk\b|"
        r"\bat (?:high|higher|increased) risk\b|\bpredispos\w+|\bsusceptib\w+", re.I)),
    ("study finding", re.compile(
        r"\b(?:stud(?:y|ies)|trials?|research(?:ers)?|evidence|meta-analys[ie]s|"
        r"case (?:reports?|series)|cohort|survey|participants|reported|found that|(?:has|have) found|"
        r"showed|concluded|demonstrated|revealed|data (?:show|suggest)|according to|"
        r"(?:has|have) been (?:shown|reported|described|found|proposed|suggested|observed|"
        r"identified))\b", re.I)),
    ("regulatory status", re.compile(
        r"\b(?:FDA|EMA|MHRA|WHO|CDC|NICE|approved|approval|off-label|licensed|guidelines?|"
        r"consensus|recommendations?)\b")),
    ("comparison", re.compile(
        r"\b(?:most|least)\s+(?:common(?:ly)?|frequent(?:ly)?|effective|widely|often|important|"
        r"used)\b|\b(?:more|less|fewer|greater|higher|lower|better|worse)\b[^.;]{0,40}\bthan\b|"
        r"\bcompared (?:with|to)\b|\bversus\b|\bsuperior\b|\binferior\b|\bdifference between\b|"
        r"\bthe (?:leading|main|major) cause\b|\bstandard of care\b|\bgold standard\b|"
        r"\bcommonly used\b", re.I)),
)
REASONS = tuple(name for name, _ in _REASONS)
# what a sentence under a heading is about: "What are the risk factors for MAS?"
_HEADING_REASONS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("risk factor", re.compile(r"\brisk factors?\b", re.I)),
    ("symptom", re.compile(r"\b(?:symptoms?|signs?|presentation)\b", re.I)),
    ("cause/mechanism", re.compile(r"\b(?:causes?|triggers?|mechanisms?|how \w+ works)\b",
                                   re.I)),
    ("treatment/dose", re.compile(r"\b(?:treatments?|therap(?:y|ies)|medications?|management|"
                                  r"cures?|dos(?:e|es|age))\b", re.I)),
    ("prognosis", re.compile(r"\b(?:prognosis|outlook|life expectancy|survival)\b", re.I)),
    ("epidemiology", re.compile(r"\b(?:how (?:common|rare)|prevalence|incidence|who gets)\b",
                                re.I)),
    ("regulatory status", re.compile(r"\b(?:FDA|EMA|approved|approval|licensed|regulat\w+)\b")),
)
_WHAT_IS = re.compile(r"^what (?:is|are)\b(?!.*\bdifference\b)", re.I)
_CALL_TO_ACTION = re.compile(
    r"^(?:discover|learn|find|read|click|contact|talk|call|ask|see|visit|download|sign up|subscribe|"
    r"get|explore|check|share|follow|join|book|schedule|speak|request|apply|register)\b", re.I)
_OWN_AIMS = re.compile(
    r"^(?:(?:this|the present|the current|our)\s+(?:article|page|guide|review|paper|post|"
    r"section|chapter|study|work|report)\s+(?:explains|describes|discusses|covers|presents|"
    r"reviews|outlines|summari[sz]es|examines|aims|will|provides|introduces|is organi[sz]ed)|"
    r"in this (?:article|page|guide|review|paper|post|section|chapter|study|work),?\s+(?:we|you|"
    r"i)\b|here,? we\b|we (?:here )?(?:describe|present|propose|investigate|examine|aim)\b)", re.I)
_CALL_FOR_RESEARCH = re.compile(r"\b(?:are|is)\s+(?:still\s+)?(?:needed|required|warranted)\b",
                                re.I)
# in a Results section, what a sentence must name to be about others' work, not the authors' data
PRIOR_WORK = re.compile(
    r"\b(?:previous(?:ly)?|prior|earlier|consistent with|in (?:agreement|line|accordance) with|"
    r"(?:as|was|were|been) (?:reported|described|shown|proposed)|known|et al|literature|"
    r"others have|in contrast to)\b", re.I)
_WORD = re.compile(r"[^\W\d_]+")


def years_named(text: str) -> list[int]:
    """Years a sentence names as the time of a study, report or statement ("a 2001 study")."""
    return sorted({int(m.group(1) or m.group(2)) for m in _STUDY_YEAR.finditer(text)})


def _clean(text: str) -> str:
    # superscript marks of the HTML reader; LaTeX's escaped per cent sign
    return text.replace(SUPERSCRIPT_OPEN, "").replace(SUPERSCRIPT_CLOSE, "").replace("\\%", "%")


def citation_reasons(text: str) -> list[str]:
    """The kinds of assertion (:data:`REASONS`, in that order) a sentence makes that a reader
    would want a source for; whether it asserts anything at all is :func:`not_a_claim`'s."""
    clean = _clean(text)
    reasons = [name for name, pattern in _REASONS if pattern.search(clean)]
    if "study finding" not in reasons and years_named(clean):
        reasons.append("study finding")
    return reasons


def heading_reasons(heading: str) -> list[str]:
    """What the sentences under a heading are about ("What are the risk factors…?"); under
    "What is X?", when it asks nothing more specific, a definition."""
    heading = heading.strip()
    reasons = [name for name, pattern in _HEADING_REASONS if pattern.search(heading)]
    return reasons or (["definition"] if _WHAT_IS.match(heading) else [])


def not_a_claim(text: str) -> str | None:
    """Why a sentence asserts nothing that needs a source (None: it may): a question, a fragment,
    a call to action or navigation, the document's own aims, a call for research, or text that is
    not English (a page's untranslated interface)."""
    clean = _clean(text).strip()
    words = _WORD.findall(clean)
    if clean.endswith("?"):
        return "question"
    if not english(words):
        return "not English"
    if len(words) < 2:
        return "fragment"
    if _CALL_TO_ACTION.match(clean):
        return "call to action"
    if _OWN_AIMS.match(clean):
        return "the document's own aims"
    if _CALL_FOR_RESEARCH.search(clean):
        return "call for research"
    return None


def english(words: list[str]) -> bool:
    """Is text of these words English? Words with letters outside ASCII, and few English
    function words, say it is not ("Nói chuyện với một chuyên gia", "Gan và lách to")."""
    if not words:
        return False
    foreign = sum(1 for w in words if not w.isascii()) / len(words)
    function = sum(1 for w in words if w.lower() in ENGLISH_STOP_WORDS) / len(words)
    return foreign < 0.3 or (function >= 0.3 and len(words) >= 5)


def block_sentences(document: Document, index: int, block: Block) -> list[Sentence]:
    """Claim sentences of a content block (none for headings, code and navigation)."""
    if block.kind not in ("paragraph", "list-item") or block.start >= document.body_end:
        return []
    return split_sentences(block.text)

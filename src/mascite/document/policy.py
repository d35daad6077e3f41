"""Which claims need a source, under a policy a person chooses.

- ``standard`` (the default, for scientific papers): the cite-worthiness model's reading, at the
  threshold with the best F1 on the development articles, and outside Methods a sentence making
  two kinds of :data:`EVIDENCE` claim (on the development articles such sentences are cited as
  often as those the model flags: 48% against 45%);
- ``lenient``: only what the model is surest of (a development precision of 0.7);
- ``strict``, a medical editor's reading: every factual statement about a disease, drug,
  procedure or population, every statement of a kind in :data:`.claims.REASONS`, and whatever
  the model would flag at a development recall of 0.85;
- ``all``: every claim.

Under every policy, what asserts nothing never needs a source (:func:`.claims.not_a_claim`),
nor do back matter, what the authors say they did (Methods and Results sentences in the first
person) and, in Results, the report of their own data. In Methods, strict reads as the model
does: a procedure is not a medical statement. Pure: a sentence and its context in, an :class:`Assessment` out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from .citeworthy import features, model
from .claims import PRIOR_WORK, citation_reasons, heading_reasons, not_a_claim

__all__ = ["EVIDENCE", "POLICIES", "Assessment", "ClaimsPolicy", "Context", "assess", "medical"]

# kinds of assertion that are evidence a reader checks: two in one sentence need a source
EVIDENCE = frozenset({"statistic", "study finding", "regulatory status", "epidemiology",
                      "comparison"})
ClaimsPolicy = Literal["strict", "standard", "lenient", "all"]
POLICIES: tuple[ClaimsPolicy, ...] = ("strict", "standard", "lenient", "all")

# what makes a statement medical: a disease, drug, procedure, population or clinical term (and
# not the body's ordinary workings: "the heart pumps blood" names none of these)
_MEDICAL = re.compile(
    r"\b(?:[a-z]+(?:itis|osis|emia|aemia|omas?|pathy|pathies|algia|penia|plasia|ectomy|otomy|"
    r"scopy|mab|nib|sone|olone|mycin|cillin|statin|pril|sartan|kinra|sporine|vir)|syndromes?|"
    r"diseases?|disorders?|infections?|infectious|virus(?:es)?|viral|bacteri\w+|cancers?|"
    r"tumou?rs?|malignan\w+|lymphoma|leuka?emia|lupus|arthritis|inflammat\w+|immun\w+|"
    r"autoimmune|fever|rash|symptoms?|diagnos\w+|prognos\w+|complications?|patients?|"
    r"treatments?|therap\w+|medications?|drugs?|dos(?:e|es|age)|(?:cortico|gluco)?steroids?|"
    r"antibod(?:y|ies)|immunoglobulins?|plasma|transplant\w*|surgery|clinical|chronic|acute|"
    r"mortality|survival|fatal|life-threatening|organ failure|macrophages?|lymphocytes?|cells|"
    r"cytokines?|genetic|mutations?|hospital\w*|vaccin\w+|children|adults|infants|pregnan\w+)\b",
    re.I)
_OWN_WORK = re.compile(r"^(?:[\w ]{0,30},\s*)?(?:we|our)\b", re.I)  # "In total, we enrolled…"
_CLINICAL_ACRONYM = re.compile(r"\b(?!(?:US|UK|EU|FAQ|OK|AM|PM|TV|PDF|URL)\b)[A-Z][A-Z0-9-]{1,6}s?\b")


def medical(text: str) -> bool:
    """Does the statement name a disease, drug, procedure, population or clinical term (or an
    acronym, which in medical text names one)?"""
    return bool(_MEDICAL.search(text) or _CLINICAL_ACRONYM.search(text))


@dataclass(frozen=True)
class Context:
    """Where a sentence stands: its section's kind (:func:`.citeworthy.section_kind`), its place
    in the paragraph, the heading above it, and for a list's lead-in the text of its items."""

    section: str = "other"
    position: str = "only"
    heading: str = ""
    back_matter: bool = False
    items: tuple[str, ...] = ()
    carried: bool = False  # a list item whose lead-in carries its need


@dataclass(frozen=True)
class Assessment:
    """The decision on one sentence: whether it needs a source, why in words, the model's
    probability, and why it never needs one when it does not (``excluded``)."""

    needs: bool
    reasons: list[str]
    score: float
    excluded: str | None = None


def _score(text: str, reasons: list[str], section: str, position: str) -> float:
    return model().probability(features(text, section, position, reasons))


def assess(text: str, context: Context, policy: ClaimsPolicy = "standard") -> Assessment:
    """Does ``text`` (its citation markers removed) need a source under ``policy``?"""
    own = citation_reasons(text)
    score = _score(text, own, context.section, context.position)
    item_reasons = [citation_reasons(item) for item in context.items]
    if context.items:
        score = max([score, *(_score(item, found, context.section, "only")
                              for item, found in zip(context.items, item_reasons, strict=True))])
    excluded = not_a_claim(text) or _excluded(text, context)
    if excluded:
        return Assessment(False, [], round(score, 3), excluded)
    reasons = list(own)
    for extra in (*heading_reasons(context.heading), *(r for found in item_reasons for r in found)):
        if extra not in reasons:
            reasons.append(extra)
    if policy == "all":
        needs = True
    elif policy == "strict" and context.section == "methods":
        needs = score >= model().thresholds["strict"]  # procedures, read as the model reads them
    elif policy == "strict":
        stated = " ".join((text, *context.items))
        needs = score >= model().thresholds["strict"] or bool(reasons) or medical(stated)
    elif policy == "standard":
        needs = score >= model().thresholds[policy] or (
            context.section not in ("methods", "results")
            and len(EVIDENCE.intersection(own)) >= 2)
    else:
        needs = score >= model().thresholds[policy]
    if needs and not reasons:
        reasons = ["every claim is to be cited" if policy == "all" else "factual claim"]
    return Assessment(needs, reasons, round(score, 3))


def _excluded(text: str, context: Context) -> str | None:
    if context.back_matter:
        return "back matter"
    if context.carried:
        return "carried by its lead-in"
    if context.section == "results" and not PRIOR_WORK.search(text):
        return "the authors' own results"
    if context.section in ("methods", "results") and _OWN_WORK.match(text):
        return "the authors' own work"
    return None

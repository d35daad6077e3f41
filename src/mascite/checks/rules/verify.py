"""Verification: a reference against its registered record, one rule per field, plus the
notices a record carries (retractions, corrections...). Pure functions.

Findings say exactly what differs (``field``, ``expected`` = the record, ``found`` = the
reference) and are calibrated: error = wrong, warning = likely wrong, info = worth a look. What
the parser only guessed (low confidence) is reported one level lower: the list may be right and
our reading wrong.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from rapidfuzz import fuzz

from ...crossref.mapping import Record
from ...model import Finding, Reference, Severity
from ...text.fold import STOP_WORDS, fold, plain_text

__all__ = ["FIELD_RULES", "Comparison", "Difference", "journals_match", "page_range",
           "pages_match", "status_findings", "titles_match", "verify_reference"]

_DOWNGRADE = {Severity.ERROR: Severity.WARNING, Severity.WARNING: Severity.INFO,
              Severity.INFO: Severity.INFO}
GUESSED = 0.6  # below this parser confidence, a field is what we read, not what the list says


def titles_match(found: str, expected: str, subtitle: str | None = None) -> float:
    """1.0 for the same title (a missing subtitle, case, punctuation and markup aside), else
    a similarity in [0, 1)."""
    a, b = fold(found), fold(expected)
    full = fold(f"{expected} {subtitle}") if subtitle else b
    if not a or not b:
        return 0.0
    if a in (b, full) or (len(b) > 20 and (full.startswith(a) or a.startswith(b))):
        return 1.0
    return max(fuzz.ratio(a, b), fuzz.ratio(a, full)) / 100


def journals_match(found: str, record: Record) -> bool:
    """Full title, ISO 4 / NLM abbreviation, or short title: the same journal."""
    ref = record.reference
    names = [n for n in (ref.container_title, ref.container_title_short) if n]
    wanted = [w for w in fold(found).split() if w not in STOP_WORDS]
    for name in names:
        full = [w for w in fold(name).split() if w not in STOP_WORDS]
        if wanted == full or fold(found) == fold(name):
            return True
        if len(wanted) == len(full) and all(f.startswith(w) or _abbreviates(w, f)
                                            for w, f in zip(wanted, full, strict=True)):
            return True
    return False


def _abbreviates(short: str, word: str) -> bool:
    """"hematol" abbreviates "hematology", "immunother" "immunotherapeutics"."""
    return len(short) >= 2 and word.startswith(short[:2]) and all(
        c in word for c in short) and _subsequence(short, word)


def _subsequence(short: str, word: str) -> bool:
    letters = iter(word)
    return all(c in letters for c in short)


def page_range(text: str | None) -> tuple[str, str] | None:
    """First and last page of a page value ("1271-85" is 1271–1285), lower case, or ``None``."""
    if not text:
        return None
    page = r"[A-Za-z]?\d+(?:\.\d+)?[A-Za-z]?|[ivxlcdmIVXLCDM]{1,7}"
    match = re.match(rf"\s*({page})\s*(?:[-–—]+\s*({page}))?", text)
    if match is None:
        return None
    first, last = match.group(1), match.group(2) or match.group(1)
    if last.isdigit() and first.isdigit() and len(last) < len(first):
        last = first[: len(first) - len(last)] + last
    # "309a" is page 309's first column: letters after the number do not make another page
    return re.sub(r"(?<=\d)[a-z]$", "", first.lower()), re.sub(r"(?<=\d)[a-z]$", "", last.lower())


def pages_match(found: str, record: Record) -> str:
    """``same``, ``first-same`` (the last page differs) or ``different``."""
    ref = record.reference
    mine = page_range(found)
    for theirs in (page_range(ref.page), page_range(ref.article_number)):
        if mine is None or theirs is None:
            continue
        if mine == theirs or (mine[0] == theirs[0] and mine[1] == mine[0]):
            return "same"
        if mine[0] == theirs[0]:
            return "first-same"
    return "different" if mine and (ref.page or ref.article_number) else "same"


def _number(text: str | None) -> str:
    """The number a volume or issue starts with ("1 Microbial Pat" → "1", "n° 95" → "95")."""
    found = re.search(r"[A-Za-z]?\d+[A-Za-z]?(?:[-–/]\d+)?", text or "")
    value = found.group(0) if found else (text or "").strip()
    return re.sub(r"^0+(?=\d)", "", value.lower())


def _family(name: str | None) -> str:
    return fold(name).replace(" ", "").replace("-", "")


@dataclass(frozen=True)
class Difference:
    """Where a reference and its record disagree on one field, and how sure that is wrong."""

    field: str
    severity: Severity
    message: str
    expected: str
    found: str
    suggestion: str | None = None


@dataclass(frozen=True)
class Comparison:
    """What several rules need, computed once: the title similarity and whether the first
    authors are the same person."""

    title_score: float | None
    author_ok: bool


def compare(ref: Reference, record: Record) -> Comparison:
    """The title similarity (``None`` without both titles) and the first-author verdict."""
    rec = record.reference
    title_score = None
    if ref.title and rec.title:
        candidates = [ref.title] + ([ref.translated_title] if ref.translated_title else [])
        title_score = max(titles_match(t, rec.title, rec.subtitle) for t in candidates)
    author_ok = True
    first, theirs = ref.first_author, rec.first_author
    if first and theirs:
        mine_family = _family(first.full_family or first.literal)
        their_family = _family(theirs.full_family or theirs.literal)
        author_ok = bool(mine_family) and (mine_family == their_family or (
            len(mine_family) > 3 and (mine_family in their_family or their_family in mine_family))
            or fuzz.ratio(mine_family, their_family) >= 85)
    return Comparison(title_score, author_ok)


def title_rule(ref: Reference, record: Record, seen: Comparison) -> list[Difference]:
    """A title that differs beyond case, markup, punctuation and a missing subtitle."""
    score, rec = seen.title_score, record.reference
    if score is None or score >= 0.92:
        return []
    severity = Severity.WARNING if score >= 0.6 else Severity.ERROR
    return [Difference("title", severity, f"title differs from the record (similarity {score:.2f})",
                       plain_text(rec.title), plain_text(ref.title), plain_text(rec.title))]


def author_rule(ref: Reference, record: Record, seen: Comparison) -> list[Difference]:
    """Another first author, or (without "et al.") another number of authors."""
    rec = record.reference
    first, theirs = ref.first_author, rec.first_author
    if first and theirs and not seen.author_ok:
        return [Difference("author", Severity.ERROR, f"first author "
                           f"{first.full_family or first.literal} is "
                           f"{theirs.full_family or theirs.literal} in the record",
                           str(theirs), str(first), str(theirs))]
    if ref.author and rec.author and not ref.truncated_authors and len(ref.author) != len(
            rec.author) and len(ref.author) > 1:
        return [Difference("author", Severity.WARNING, f"{len(ref.author)} authors listed, the "
                           f"record has {len(rec.author)}", str(len(rec.author)),
                           str(len(ref.author)))]
    return []


def year_rule(ref: Reference, record: Record, seen: Comparison) -> list[Difference]:
    """A year that is none of the record's (issued, print, online); one year off is a note."""
    if not ref.year or not record.years or ref.year in record.years:
        return []
    years = sorted(record.years)
    close = any(abs(ref.year - y) <= 1 for y in years)
    return [Difference("issued", Severity.INFO if close else Severity.ERROR,
                       f"year {ref.year}; the record has {', '.join(map(str, years))}"
                       + (" (print vs online)" if close else ""), str(years[0]), str(ref.year),
                       str(record.reference.year or years[0]))]


def journal_rule(ref: Reference, record: Record, seen: Comparison) -> list[Difference]:
    """A journal that is not the record's, in full, abbreviated or short."""
    rec = record.reference
    if not ref.container_title or not (rec.container_title or rec.container_title_short) or \
            journals_match(ref.container_title, record):
        return []
    return [Difference("container-title", Severity.WARNING, f"journal “{ref.container_title}” is "
                       f"“{rec.container_title}” in the record", rec.container_title or "",
                       ref.container_title, rec.container_title)]


def _number_rule(field: str, severity: Severity) -> Callable[[Reference, Record, Comparison],
                                                             list[Difference]]:
    def rule(ref: Reference, record: Record, seen: Comparison) -> list[Difference]:
        mine, theirs = getattr(ref, field), getattr(record.reference, field)
        if mine and theirs and _number(mine) != _number(theirs):
            return [Difference(field, severity, f"{field} {mine}; the record has {theirs}",
                               theirs, mine, theirs)]
        return []

    rule.__doc__ = f"A {field} that is not the record's (the number it starts with compared)."
    rule.__name__ = f"{field}_rule"
    return rule


volume_rule = _number_rule("volume", Severity.ERROR)
issue_rule = _number_rule("issue", Severity.WARNING)


def page_rule(ref: Reference, record: Record, seen: Comparison) -> list[Difference]:
    """Other pages (an error), or the same first page and another last one (a warning)."""
    rec = record.reference
    if not ref.page or not (rec.page or rec.article_number):
        return []
    verdict = pages_match(ref.page, record)
    expected = rec.page or rec.article_number or ""
    if verdict == "different":
        return [Difference("page", Severity.ERROR, f"pages {ref.page}; the record has {expected}",
                           expected, ref.page, expected)]
    if verdict == "first-same":
        return [Difference("page", Severity.WARNING, f"last page of {ref.page} differs from the "
                           f"record's {expected}", expected, ref.page, expected)]
    return []


FieldRule = Callable[[Reference, Record, Comparison], list[Difference]]
FIELD_RULES: tuple[FieldRule, ...] = (title_rule, author_rule, year_rule, journal_rule,
                                       volume_rule, issue_rule, page_rule)


def verify_reference(reference: Reference, record: Record,
                     confidence: dict[str, float] | None = None,
                     where: Callable[..., Finding] | None = None) -> list[Finding]:
    """Field-by-field findings for a reference against its record (empty when all agree); a DOI
    that names another work is one ``doi-mismatch`` instead."""
    confidence = confidence or {}
    make = where or (lambda **kw: Finding(**kw))
    rec = record.reference
    seen = compare(reference, record)
    another_work = make(
        code="doi-mismatch", severity=Severity.ERROR, field="DOI", expected=rec.title,
        found=reference.title, message=f"the DOI {record.doi} belongs to another work: "
                                       f"“{plain_text(rec.title)[:90]}” by {rec.first_author}")
    if seen.title_score is not None and seen.title_score < 0.5 and not seen.author_ok:
        return [another_work]
    found: list[Finding] = []
    for rule in FIELD_RULES:
        for difference in rule(reference, record, seen):
            severity, message = difference.severity, difference.message
            if confidence.get(difference.field, 1.0) < GUESSED:
                severity = _DOWNGRADE[severity]
                message += " (as mascite read the reference; check the list itself)"
            found.append(make(code="field-mismatch", severity=severity, message=message,
                              field=difference.field, expected=difference.expected,
                              found=difference.found, suggestion=difference.suggestion))
    # A wrong DOI shows as many disagreements at once: say that, not each of them.
    wrong = [f for f in found if f.severity == Severity.ERROR]
    if len(wrong) >= 3 or (seen.title_score is not None and seen.title_score < 0.7
                           and not seen.author_ok):
        return [another_work]
    return found


def status_findings(record: Record, where: Callable[..., Finding] | None = None) -> list[Finding]:
    """Retractions, expressions of concern, corrections, and published versions of preprints."""
    make = where or (lambda **kw: Finding(**kw))
    found = []
    for update in record.updates:
        if update.direction != "updated-by":
            continue
        kind = update.type.lower()
        detail = ", ".join(p for p in (f"notice {update.doi}" if update.doi else "",
                                       update.date or "",
                                       f"source: {update.source}" if update.source else "") if p)
        if "retract" in kind or "withdraw" in kind or "removal" in kind:
            code, severity = "retracted", Severity.ERROR
        elif "concern" in kind:
            code, severity = "expression-of-concern", Severity.WARNING
        elif "correct" in kind or "erratum" in kind or "corrigendum" in kind:
            code, severity = "corrected", Severity.INFO
        else:
            code, severity = "updated", Severity.INFO
        found.append(make(code=code, severity=severity, field="DOI", expected=update.doi,
                          message=f"{record.doi} has a {update.label or kind} ({detail})",
                          suggestion=f"see {update.doi}" if update.doi else None))
    for published in record.relations.get("is-preprint-of", []):
        found.append(make(code="preprint-published", severity=Severity.INFO, field="DOI",
                          expected=published, suggestion=f"cite the published version {published}",
                          message=f"{record.doi} is a preprint; its published version is "
                                  f"{published}"))
    if record.agency not in ("crossref", ""):
        found.append(make(code="other-agency", severity=Severity.INFO, field="DOI",
                          message=f"{record.doi} is registered with {record.agency}, not Crossref; "
                                  f"its metadata came from there"))
    return found

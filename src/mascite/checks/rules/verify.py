"""Verification: a reference against its registered record, one rule per field, plus the
notices a record carries (retractions, corrections...). Pure functions.

Findings say exactly what differs (``field``, ``expected`` = the record, ``found`` = the
reference) and are calibrated: error = wrong, warning = likely wrong, info = worth a look. For a
free-text reference, a field that disagrees is reported only when the record's value is not
written in the reference either (:mod:`.evidence`): then the list is wrong, not our reading of
it. What the parser only guessed (low confidence) is reported one level lower.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from difflib import SequenceMatcher

from ...crossref.mapping import Record
from ...model import Finding, Name, Reference, Severity
from ...text.fold import fold, plain_text
from .compare import (
    compare_titles,
    issue_key,
    journals_match,
    number_key,
    page_range,
    pages_match,
    same_family,
    strip_notice,
)
from .evidence import Written

__all__ = ["DOWNGRADE", "FIELD_RULES", "Comparison", "Difference", "Written", "journals_match",
           "page_range", "pages_match", "status_findings", "verify_reference"]

DOWNGRADE = {Severity.ERROR: Severity.WARNING, Severity.WARNING: Severity.INFO,
             Severity.INFO: Severity.INFO}
GUESSED = 0.6  # below this parser confidence, a field is what we read, not what the list says
_EDGE_WORDS = frozenset("et al editor editors ed eds in available from online internet accessed "
                        "retrieved doi url http https www org com".split())


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
    """What several rules need, computed once: the record's title without a notice before it,
    how the titles compare, whether the first authors are one person, and the reference's own
    text when it is free text."""

    title: str
    retraction_in_title: bool
    title_share: float | None
    title_words_changed: int
    title_changes: tuple[tuple[str, str], ...]
    author_ok: bool
    written: Written | None


def _edges(record: Record) -> frozenset[str]:
    """Words of other fields that a parser may read into a title at either end."""
    rec = record.reference
    words = set(_EDGE_WORDS)
    for name in rec.author or []:
        words.update(fold(name.full_family).split())
        words.update(fold(name.given).split())
    for text in (rec.container_title, rec.container_title_short, rec.volume, rec.issue,
                 rec.page, rec.article_number):
        words.update(fold(text).split())
    words.update(str(y) for y in record.years)
    words.update("jan feb mar apr may jun jul aug sep oct nov dec".split())
    return frozenset(words)


def _name_family(name: Name) -> str:
    return name.full_family or name.literal or ""


def compare(ref: Reference, record: Record, written: Written | None = None) -> Comparison:
    """The title verdict (``None`` share without both titles) and the first-author verdict."""
    rec = record.reference
    title, notice = strip_notice(rec.title)
    share: float | None = None
    changed = 0
    changes: tuple[tuple[str, str], ...] = ()
    shown = ref.title or (written.title_like(title) if written and title else None)
    if shown and title:
        edges = _edges(record) if written is not None else frozenset()
        verdicts = [compare_titles(t, title, rec.subtitle, edges)
                    for t in (shown, ref.translated_title) if t]
        best = min(verdicts, key=lambda v: (not v.same, v.words_changed))
        share = 1.0 if best.same else best.share
        changed, changes = best.words_changed, best.changes
    author_ok = True
    first, theirs = ref.first_author, rec.first_author
    if first and theirs:
        author_ok = same_family(_name_family(first), _name_family(theirs)) or bool(
            written and written.leads_with(_name_family(theirs), theirs.given))
    return Comparison(title, notice, share, changed, changes, author_ok, written)


def _initials(given: str | None) -> str:
    """"Zhi-Yuan" and "Z. Y." are "zy"; "ZY" (Vancouver) too."""
    out = []
    for word in re.split(r"[\s.\-]+", given or ""):
        if word.isupper() and len(word) <= 3:
            out.append(word)
        elif word:
            out.append(word[0])
    return fold("".join(out)).replace(" ", "")


def _spelled(given: str | None) -> str:
    """The first given name if it is written out ("Nima"), not initials ("NEC", "N. E.")."""
    word = (given or "").split()[0] if (given or "").split() else ""
    return fold(word) if len(word) >= 3 and "." not in word and not word.isupper() else ""


def _resembles(found: str, expected: str) -> bool:
    """A name with a letter or two changed ("Zhnag" for "Zhang"), not another word."""
    a, b = fold(found).replace(" ", ""), fold(expected).replace(" ", "")
    return SequenceMatcher(None, a, b).ratio() >= 0.75 and a not in b and b not in a


def _same_given(found: str | None, expected: str | None) -> bool:
    """The same given names as far as both go: initials agree ("ZQ" is not "Zhi-Yuan"), and two
    spelled-out first names are one ("Nima" is not "Nariman")."""
    mine, theirs = _initials(found), _initials(expected)
    if not mine or not theirs:
        return True
    if mine[:len(theirs)] != theirs[:len(mine)]:
        return False
    first_mine, first_theirs = _spelled(found), _spelled(expected)
    if first_mine and first_theirs:
        return first_mine.startswith(first_theirs) or first_theirs.startswith(first_mine)
    return True


def title_rule(ref: Reference, record: Record, seen: Comparison) -> list[Difference]:
    """A title with words that differ (case, markup, punctuation, spelling variants, a missing
    subtitle and a bracketed translation aside): the changed words, a warning for one or two,
    an error for more."""
    if seen.title_share is None or seen.title_share == 1.0 or not seen.title_changes:
        return []
    shown = ref.title or " ".join(mine for mine, _ in seen.title_changes)
    severity = Severity.WARNING if seen.title_words_changed <= 2 else Severity.ERROR
    words = "; ".join(f"“{mine or '—'}” for “{theirs or '—'}”"
                      for mine, theirs in seen.title_changes[:3])
    return [Difference("title", severity, f"title differs from the record: {words}",
                       plain_text(seen.title), plain_text(shown), plain_text(seen.title))]


def author_rule(ref: Reference, record: Record, seen: Comparison) -> list[Difference]:
    """Another first author (a letter changed, a name missing), another later author among those
    listed, or (without "et al.") another number of authors."""
    rec = record.reference
    listed, registered = ref.author or [], rec.author or []
    if not listed or not registered:
        return []
    written = seen.written
    first, theirs = listed[0], registered[0]
    if not seen.author_ok:
        return [Difference("author", Severity.ERROR, f"first author {_name_family(first)} is "
                           f"{_name_family(theirs)} in the record", str(theirs), str(first),
                           str(theirs))]
    sane = len(_name_family(first).split()) <= 3  # not a title read as a name
    if sane and same_family(_name_family(first), _name_family(theirs)) and not _same_given(
            first.given, theirs.given):
        return [Difference("author", Severity.ERROR, f"first author {first} is {theirs} in the "
                           f"record", str(theirs), str(first), str(theirs))]
    givens = {w for n in registered for w in fold(n.given).split()}
    for index in range(1, min(len(listed), len(registered))):
        mine, record_name = _name_family(listed[index]), _name_family(registered[index])
        if same_family(mine, record_name):
            continue
        if any(same_family(mine, _name_family(n)) for n in registered):
            continue  # the same people in another order: not a typo
        if written is not None and (fold(mine) in givens or (
                written.has_family(record_name) and not _resembles(mine, record_name))):
            continue  # the name is written; the parser read another word as a family name
        return [Difference("author", Severity.ERROR, f"author {index + 1}, {mine}, is "
                           f"{record_name} in the record", str(registered[index]),
                           str(listed[index]), str(registered[index]))]
    if not ref.truncated_authors and len(listed) != len(registered) and len(listed) > 1:
        if written is not None and all(written.has_family(_name_family(n))
                                       for n in registered[:len(listed)]):
            return []  # every name is there: the parser split or joined names
        return [Difference("author", Severity.WARNING, f"{len(listed)} authors listed, the "
                           f"record has {len(registered)}", str(len(registered)),
                           str(len(listed)))]
    return []


def year_rule(ref: Reference, record: Record, seen: Comparison) -> list[Difference]:
    """A year that is none of the record's (issued, print, online). One year off is a note when
    the record lacks a print or an online date (the other may be the one cited), else a
    warning."""
    if not ref.year or not record.years or ref.year in record.years:
        return []
    if seen.written is not None and seen.written.has_year(record):
        return []
    years = sorted(record.years)
    close = any(abs(ref.year - y) <= 1 for y in years)
    both = record.published_print is not None and record.published_online is not None
    severity = Severity.ERROR if not close else Severity.WARNING if both else Severity.INFO
    note = "" if not close else " (neither the print nor the online year)" if both else \
        " (print vs online?)"
    return [Difference("issued", severity, f"year {ref.year}; the record has "
                       f"{', '.join(map(str, years))}{note}", str(years[0]), str(ref.year),
                       str(record.reference.year or years[0]))]


def journal_rule(ref: Reference, record: Record, seen: Comparison) -> list[Difference]:
    """A journal that is not the record's, in full, abbreviated or short."""
    rec = record.reference
    if not ref.container_title or not (rec.container_title or rec.container_title_short) or \
            journals_match(ref.container_title, record):
        return []
    if seen.written is not None and seen.written.has_journal(record):
        return []
    return [Difference("container-title", Severity.WARNING, f"journal “{ref.container_title}” is "
                       f"“{rec.container_title}” in the record", rec.container_title or "",
                       ref.container_title, rec.container_title)]


def _number_rule(field: str, severity: Severity, key: Callable[[str | None], str],
                 ) -> Callable[[Reference, Record, Comparison], list[Difference]]:
    def rule(ref: Reference, record: Record, seen: Comparison) -> list[Difference]:
        mine, theirs = getattr(ref, field), getattr(record.reference, field)
        if not mine or not theirs or key(mine) == key(theirs):
            return []
        written = seen.written
        if written is not None and field in written.covered(record, (field,)) and \
                written.explained(mine, record):
            return []  # the record's value is written, and what we read is another field's
        return [Difference(field, severity, f"{field} {mine}; the record has {theirs}",
                           theirs, mine, theirs)]

    rule.__doc__ = f"A {field} that is not the record's, nor written in the reference."
    rule.__name__ = f"{field}_rule"
    return rule


volume_rule = _number_rule("volume", Severity.ERROR, number_key)
issue_rule = _number_rule("issue", Severity.WARNING, issue_key)


def page_rule(ref: Reference, record: Record, seen: Comparison) -> list[Difference]:
    """Other pages (an error), or the same first page and another last one (a note)."""
    rec = record.reference
    if not ref.page or not (rec.page or rec.article_number):
        return []
    verdict = pages_match(ref.page, record)
    if verdict == "same" or (seen.written is not None
                             and "page" in seen.written.covered(record, ("page",))):
        return []
    expected = rec.page or rec.article_number or ""
    if verdict == "different":
        return [Difference("page", Severity.ERROR, f"pages {ref.page}; the record has {expected}",
                           expected, ref.page, expected)]
    # The first page finds the article; another last page misleads no reader: a note.
    return [Difference("page", Severity.INFO, f"last page of {ref.page} differs from the "
                       f"record's {expected}", expected, ref.page, expected)]


FieldRule = Callable[[Reference, Record, Comparison], list[Difference]]
FIELD_RULES: tuple[FieldRule, ...] = (title_rule, author_rule, year_rule, journal_rule,
                                       volume_rule, issue_rule, page_rule)


def verify_reference(reference: Reference, record: Record,
                     confidence: dict[str, float] | None = None,
                     where: Callable[..., Finding] | None = None,
                     written: Written | None = None) -> list[Finding]:
    """Field-by-field findings for a reference against its record (empty when all agree); a DOI
    that names another work is one ``doi-mismatch`` instead. ``written`` is the reference's own
    text, for free-text references."""
    confidence = confidence or {}
    make = where or (lambda **kw: Finding(**kw))
    rec = record.reference
    seen = compare(reference, record, written)
    another_work = make(
        code="doi-mismatch", severity=Severity.ERROR, field="DOI", expected=seen.title,
        found=reference.title, message=f"the DOI {record.doi} belongs to another work: "
                                       f"“{plain_text(seen.title)[:90]}” by {rec.first_author}")
    share = seen.title_share
    if share is not None and share < 0.5 and not seen.author_ok:
        return [another_work]
    found: list[Finding] = []
    for rule in FIELD_RULES:
        for difference in rule(reference, record, seen):
            severity, message = difference.severity, difference.message
            guessed = confidence.get(difference.field, 1.0) < GUESSED
            # Beside the text itself, a guess is checked: the record's value is not written.
            if guessed and (written is None or difference.field == "title"):
                severity = DOWNGRADE[severity]
                message += " (as mascite read the reference; check the list itself)"
            found.append(make(code="field-mismatch", severity=severity, message=message,
                              field=difference.field, expected=difference.expected,
                              found=difference.found, suggestion=difference.suggestion))
    # A wrong DOI shows as many disagreements at once: say that, not each of them.
    wrong = [f for f in found if f.severity == Severity.ERROR]
    if len(wrong) >= 3 or (share is not None and share < 0.7 and not seen.author_ok):
        return [another_work]
    if seen.retraction_in_title and not record.retracted:
        found.append(make(code="retracted", severity=Severity.ERROR, field="DOI",
                          expected=record.doi, message=f"{record.doi} is retracted: its title "
                          f"in the record begins “{(rec.title or '')[:30]}”"))
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

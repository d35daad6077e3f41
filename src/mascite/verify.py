"""Verification: a reference against its registered record, field by field. Pure functions.

Findings say exactly what differs (``field``, ``expected`` = the record, ``found`` = the
reference) and are calibrated: error = wrong, warning = likely wrong, info = worth a look. What
the parser only guessed (low confidence) is reported one level lower: the list may be right and
our reading wrong.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from rapidfuzz import fuzz

from .crossref.mapping import Record
from .identifiers import isbn_problem, issn_problem
from .model import Finding, Reference, Severity, plain_text

__all__ = ["journals_match", "pages_match", "schema_findings", "status_findings", "titles_match",
           "verify_reference"]

_STOP = frozenset("the of and in for on a an de la le der die das des du y et".split())
_TRANSLIT = str.maketrans({"ß": "ss", "ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "œ": "oe",
                           "Œ": "OE", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "þ": "th",
                           "ı": "i", "&": " and "})
_DOWNGRADE = {Severity.ERROR: Severity.WARNING, Severity.WARNING: Severity.INFO,
              Severity.INFO: Severity.INFO}
GUESSED = 0.6  # below this parser confidence, a field is what we read, not what the list says


def fold(text: str | None) -> str:
    """Case, accents, markup, punctuation and transliteration folded away."""
    text = plain_text(text or "").translate(_TRANSLIT)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


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
    wanted = [w for w in fold(found).split() if w not in _STOP]
    for name in names:
        full = [w for w in fold(name).split() if w not in _STOP]
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


def _page_range(text: str | None) -> tuple[str, str] | None:
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
    mine = _page_range(found)
    for theirs in (_page_range(ref.page), _page_range(ref.article_number)):
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


def verify_reference(reference: Reference, record: Record,
                     confidence: dict[str, float] | None = None,
                     where: Callable[..., Finding] | None = None) -> list[Finding]:
    """Field-by-field findings for a reference against its record (empty when all agree)."""
    confidence = confidence or {}
    make = where or (lambda **kw: Finding(**kw))
    found: list[Finding] = []
    ref, rec = reference, record.reference

    def report(field: str, severity: Severity, message: str, expected: str, value: str,
               suggestion: str | None = None, code: str = "field-mismatch") -> None:
        if confidence.get(field, 1.0) < GUESSED:
            severity = _DOWNGRADE[severity]
            message += " (as mascite read the reference; check the list itself)"
        found.append(make(code=code, severity=severity, message=message, field=field,
                          expected=expected, found=value, suggestion=suggestion))

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
    another_work = make(
        code="doi-mismatch", severity=Severity.ERROR, field="DOI", expected=rec.title,
        found=ref.title, message=f"the DOI {record.doi} belongs to another work: "
                                 f"“{plain_text(rec.title)[:90]}” by {theirs}")
    if title_score is not None and title_score < 0.5 and not author_ok:
        return [another_work]
    if title_score is not None and title_score < 0.92:
        severity = Severity.WARNING if title_score >= 0.6 else Severity.ERROR
        report("title", severity, f"title differs from the record (similarity {title_score:.2f})",
               plain_text(rec.title), plain_text(ref.title), suggestion=plain_text(rec.title))
    if first and theirs and not author_ok:
        report("author", Severity.ERROR, f"first author {first.full_family or first.literal} is "
               f"{theirs.full_family or theirs.literal} in the record",
               str(theirs), str(first), suggestion=str(theirs))
    elif ref.author and rec.author and not ref.truncated_authors and len(ref.author) != len(
            rec.author) and len(ref.author) > 1:
        report("author", Severity.WARNING, f"{len(ref.author)} authors listed, the record has "
               f"{len(rec.author)}", str(len(rec.author)), str(len(ref.author)))
    if ref.year and record.years and ref.year not in record.years:
        years = sorted(record.years)
        close = any(abs(ref.year - y) <= 1 for y in years)
        report("issued", Severity.INFO if close else Severity.ERROR,
               f"year {ref.year}; the record has {', '.join(map(str, years))}"
               + (" (print vs online)" if close else ""), str(years[0]), str(ref.year),
               suggestion=str(rec.year or years[0]))
    if ref.container_title and (rec.container_title or rec.container_title_short) and \
            not journals_match(ref.container_title, record):
        report("container-title", Severity.WARNING, f"journal “{ref.container_title}” is "
               f"“{rec.container_title}” in the record", rec.container_title or "",
               ref.container_title, suggestion=rec.container_title)
    for field, severity in (("volume", Severity.ERROR), ("issue", Severity.WARNING)):
        mine_value, their_value = getattr(ref, field), getattr(rec, field)
        if mine_value and their_value and _number(mine_value) != _number(their_value):
            report(field, severity, f"{field} {mine_value}; the record has {their_value}",
                   their_value, mine_value, suggestion=their_value)
    if ref.page and (rec.page or rec.article_number):
        verdict = pages_match(ref.page, record)
        expected = rec.page or rec.article_number or ""
        if verdict == "different":
            report("page", Severity.ERROR, f"pages {ref.page}; the record has {expected}",
                   expected, ref.page, suggestion=expected)
        elif verdict == "first-same":
            report("page", Severity.WARNING, f"last page of {ref.page} differs from the "
                   f"record's {expected}", expected, ref.page, suggestion=expected)
    # A wrong DOI shows as many disagreements at once: say that, not each of them.
    wrong = [f for f in found if f.severity == Severity.ERROR]
    if len(wrong) >= 3 or (title_score is not None and title_score < 0.7 and not author_ok):
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


def schema_findings(reference: Reference, *, stated: bool,
                    where: Callable[..., Finding] | None = None,
                    this_year: int | None = None) -> list[Finding]:
    """Checks that need no record: identifiers' check digits, a plausible year, page order, and
    (where the entry states its type, as a bibliography does) a title and an article's journal."""
    import datetime

    make = where or (lambda **kw: Finding(**kw))
    found = []
    year_now = this_year or datetime.date.today().year
    for variable, check, kind in (("ISSN", issn_problem, "ISSN"), ("ISBN", isbn_problem, "ISBN")):
        value = reference.get(variable)
        for part in re.split(r"[,;]\s*|\s+(?=\d{4}-)", str(value or "")):
            problem = check(part) if part.strip() else None
            if problem:
                found.append(make(code=f"invalid-{kind.lower()}", severity=Severity.ERROR,
                                  field=variable, found=part,
                                  message=f"{kind} {part}: {problem}"))
    year = reference.year
    if year is not None and (year > year_now + 1 or year < 1450):
        found.append(make(code="implausible-year", severity=Severity.ERROR, field="issued",
                          found=str(year), message=f"year {year} is "
                          f"{'in the future' if year > year_now else 'before printing'}"))
    pages = _page_range(reference.page)
    if pages and pages[0].isdigit() and pages[1].isdigit() and int(pages[0]) > int(pages[1]):
        found.append(make(code="page-order", severity=Severity.ERROR, field="page",
                          found=reference.page, message=f"pages {reference.page}: the first page "
                                                        f"comes after the last"))
    if stated:
        if not plain_text(reference.title).strip():
            found.append(make(code="missing-title", severity=Severity.ERROR, field="title",
                              message="no title"))
        if reference.type == "article-journal" and not reference.container_title:
            found.append(make(code="missing-container", severity=Severity.WARNING,
                              field="container-title", message="a journal article without its "
                                                               "journal"))
    return found

"""What a free-text reference's own words show, beyond what the parser read from them.

When a parsed field disagrees with the record, the question is whether the list is wrong or our
reading of it: "2021 Jan 13;2021:1–5" read with volume 13 still shows the record's volume 2021.
So a disagreement is reported only when the record's value is not written in the reference
where that field can stand: its numbers among the reference's numbers (each number used once),
its names before the title, its journal outside the title, its year outside the title.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from ...crossref.mapping import Record
from ...identifiers import find_dois
from ...text.fold import fold
from .compare import journals_match, page_range, same_family

__all__ = ["Written"]

_URL = re.compile(r"(?:https?://|www\.)\S+")
_QUESTION_END = re.compile(r"(?<=[?!])\s+")
_SENTENCE = re.compile(r"(?<=[^\s.]{2})\.\s+|[,;:]\s+|[“”\"()\[\]]|\s+(?=\d)|"
                       r"\b(?:vol|no|pp)\b\.?")
_NUMBER = re.compile(r"(?<![\w.])([A-Za-z]?\d+[A-Za-z]?)(?:\s*[-–—]\s*([A-Za-z]?\d+[A-Za-z]?))?"
                     r"(?![\w])")
_ROMAN = re.compile(r"(?<![\w])([ivxlcdm]{1,7})(?:\s*[-–—]\s*([ivxlcdm]{1,7}))?(?![\w])", re.I)
_MONTH_DAY = re.compile(r"\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|"
                        r"aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|"
                        r"dec(?:ember)?)\b\.?\s+([0-3]?\d)\b", re.I)


def _key(token: str) -> str:
    return re.sub(r"^0+(?=\d)", "", token.lower())


@dataclass
class Written:
    """A reference's raw text and where the parser read its fields (character offsets)."""

    raw: str
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)

    def _without(self, *variables: str, ids: bool = True) -> str:
        text = list(self.raw)
        cuts = [self.spans[v] for v in variables if v in self.spans]
        if ids:
            cuts += [(m.start, m.end) for m in find_dois(self.raw)]
            cuts += [m.span() for m in _URL.finditer(self.raw)]
        for start, end in cuts:
            text[start:end] = " " * (end - start)
        return "".join(text)

    def names_region(self) -> str:
        """Where names stand: before the title (the whole text when no title was read)."""
        title = self.spans.get("title")
        return self.raw[:title[0]] if title else self.raw

    def has_family(self, family: str | None) -> bool:
        """Whether a family name is written among the names."""
        if not family:
            return False
        words = fold(self.names_region()).split()
        size = len(fold(family).split()) or 1
        return any(same_family(" ".join(words[i:i + size]), family)
                   for i in range(0, max(len(words) - size + 1, 0)))

    def title_like(self, title: str) -> str | None:
        """The words of the reference where the record's title would stand (folded), found by
        aligning the two; ``None`` when fewer than half of the title's words are there."""
        words, target = fold(self.raw).split(), fold(title).split()
        if not target:
            return None
        blocks = [b for b in SequenceMatcher(None, words, target, autojunk=False)
                  .get_matching_blocks() if b.size]
        if sum(b.size for b in blocks) * 2 < len(target):
            return None
        core = max(blocks, key=lambda b: b.size)
        first = last = core
        for block in sorted((b for b in blocks if b.a > core.a), key=lambda b: b.a):
            if block.b > last.b and block.a - (last.a + last.size) <= block.b - (
                    last.b + last.size) + 2:
                last = block
        for block in sorted((b for b in blocks if b.a < core.a), key=lambda b: -b.a):
            if block.b < first.b and first.a - (block.a + block.size) <= first.b - (
                    block.b + block.size) + 2:
                first = block
        start = max(0, first.a - first.b)
        end = min(len(words), last.a + last.size + len(target) - (last.b + last.size))
        return " ".join(words[start:end])

    def leads_with(self, family: str | None, given: str | None = None) -> bool:
        """Whether the names begin with this person: the family name first ("Smith J", "Smith,
        John"), or after that person's given names or initials ("J. Smith", "John A. Smith")."""
        if not family:
            return False
        words = fold(self.raw).split()  # the first name leads, wherever the parser put it
        size = len(fold(family).split()) or 1
        allowed = set(fold(given).split()) | {w[:1] for w in fold(given).split()}
        for start in range(0, 4):
            if same_family(" ".join(words[start:start + size]), family):
                return True
            if start >= len(words) or words[start] not in allowed:
                return False
        return False

    def has_year(self, record: Record) -> bool:
        """Whether one of the record's years is written outside the title, as a number the
        record's volume, issue or pages do not take ("2026;2021:1-15" does not show 2021)."""
        pool = self._pool(record)
        return any(pool[str(year)] > 0 for year in record.years)

    def has_journal(self, record: Record) -> bool:
        """Whether the record's journal, in full or abbreviated, is what the reference names
        where the parser read a journal: the whole of one of that span's sentences ("Myer L,
        editor. PLoS ONE. 2010 Oct" names PLoS ONE; "JAMA Pediatrics" does not name JAMA), or,
        with no journal read, a run of words outside the title and the names."""
        span = self.spans.get("container-title")
        candidates: list[str] = []
        title = self.spans.get("title")
        if span is not None:
            text = self.raw[span[0]:span[1]]
            candidates += [text, re.split(r"[\s,.;:]+(?:19|20)\d\d\b", text)[0],
                           *_QUESTION_END.split(text)]  # "Why? Lancet": the title's last word
            if title is not None and title[1] <= span[0]:
                # where the title's last sentence is the journal's start ("… diameters.
                # Contributions from the Museum of Paleontology, University of Michigan")
                last = _QUESTION_END.split(self.raw[title[0]:title[1]].rstrip(" ."))[-1]
                last = re.split(r"(?<=[^\s.]{2})\.\s+", last)[-1]
                candidates.append(last + self.raw[title[1]:span[1]])
        rest = self._without("title")[title[1] if title else len(self.names_region()):]
        candidates += _SENTENCE.split(rest)
        return any(journals_match(part, record) for part in candidates if part.strip())

    def numbers(self, roman: bool) -> Counter[str]:
        """The numbers outside the title and the journal (ranges expanded, days after a month
        left out), each as often as it is written."""
        text = self._without("title", "container-title")
        text = _MONTH_DAY.sub(lambda m: m.group(0)[: m.start(1) - m.start()], text)
        found: Counter[str] = Counter()
        for match in _NUMBER.finditer(text):
            first, last = match.group(1), match.group(2)
            if last:
                pages = page_range(f"{first}-{last}")
                if pages:
                    found.update(pages)
                    continue
            found[_key(first)] += 1
        if roman:
            for match in _ROMAN.finditer(text):
                found.update(_key(g) for g in match.groups() if g)
        return found

    def _pool(self, record: Record) -> Counter[str]:
        """The numbers left once the record's volume, issue and pages have taken theirs."""
        wanted = _wanted(record)
        pool = self.numbers(_roman(wanted))
        for name in ("page", "volume", "issue"):
            taken = [_take(pool, n, loose=name == "issue") for n in wanted.get(name, [])]
            if None in taken:
                pool.update(t for t in taken if t is not None)
        return pool

    def explained(self, value: str, record: Record) -> bool:
        """Whether the numbers of a value read from the reference are the record's own (its
        year, date, volume, issue or pages) or a day after a month: read from another field."""
        rec = record.reference
        known = {str(y) for y in record.years}
        for date in (rec.issued,):
            if date is not None and date.date_parts:
                known.update(str(p) for p in date.date_parts[0])
        for numbers in _wanted(record).values():
            known.update(numbers)
        known.update(_key(n) for n in re.findall(r"\d+", rec.title or ""))  # "Article 11:51"
        days = {m.group(1).lstrip("0") for m in _MONTH_DAY.finditer(self.raw)}
        found = [_key(n) for n in re.findall(r"[A-Za-z]?\d+[A-Za-z]?", value)]
        return all(n in known or n in days for n in found)  # no number: nothing contradicts

    def covered(self, record: Record, fields: tuple[str, ...]) -> set[str]:
        """Which of ``fields`` (``volume``, ``issue``, ``page``) have every one of the record's
        numbers written, once the record's year has taken its number."""
        wanted = _wanted(record)
        pool = self.numbers(_roman(wanted))
        for year in sorted(record.years):
            if pool[str(year)]:
                pool[str(year)] -= 1
                break
        covered: set[str] = set()
        for name in ("page", "volume", "issue"):
            numbers = wanted.get(name)
            if not numbers or name not in fields:
                continue
            taken = [_take(pool, n, loose=name == "issue") for n in numbers]
            if all(t is not None for t in taken):
                covered.add(name)
            else:
                pool.update(t for t in taken if t is not None)  # give back what was taken
        return covered


def _wanted(record: Record) -> dict[str, list[str]]:
    """The numbers each of the record's locators is written with."""
    rec = record.reference
    wanted: dict[str, list[str]] = {}
    if rec.volume:
        wanted["volume"] = _numbers_in(rec.volume)
    if rec.issue:
        wanted["issue"] = _numbers_in(rec.issue)
    pages = page_range(rec.page) or page_range(rec.article_number)
    if pages:
        wanted["page"] = sorted(set(pages))
    return wanted


def _roman(wanted: dict[str, list[str]]) -> bool:
    return any(re.fullmatch(r"[ivxlcdm]+", p) for p in wanted.get("page", []))


def _take(pool: Counter[str], number: str, *, loose: bool) -> str | None:
    """Take one ``number`` from the pool (with ``loose``, also one written with a letter before
    it, as "S2" for supplement 2); the key taken, or ``None``."""
    if pool[number] > 0:
        pool[number] -= 1
        return number
    if loose:
        for key in pool:
            if pool[key] > 0 and len(key) > 1 and key[0].isalpha() and key[1:] == number:
                pool[key] -= 1
                return key
    return None


def _numbers_in(value: str) -> list[str]:
    found = re.findall(r"\d+", value) if re.search(r"suppl|supplement|^s\d", value, re.I) \
        else re.findall(r"[A-Za-z]?\d+[A-Za-z]?", value)
    return [_key(n) for n in found] or [_key(value)]

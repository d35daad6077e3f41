"""Comparing one value of a reference with its record's: titles word by word, journals in full or
abbreviated, family names, pages and numbers. Pure functions; what counts as the same is what an
editor would accept as the same (case, accents, markup, punctuation, spelling variants,
hyphenation, a missing subtitle), and nothing more: a changed word or letter is a change."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache

from ...crossref.mapping import Record
from ...text.fold import STOP_WORDS, fold, fold_letters, plain_text

__all__ = ["TitleVerdict", "compare_titles", "issue_key", "journals_match", "number_key",
           "page_range", "pages_match", "same_family", "strip_notice"]

_NOTICE = re.compile(r"^\s*(?:retracted(?:\s+article)?|withdrawn(?:\s+article)?|retraction|"
                     r"expression\s+of\s+concern)\s*[:.\-–]\s*", re.I)
# British and American spellings, and ligature spellings, of one word
_VARIANTS = ((re.compile(r"ae"), "e"), (re.compile(r"oe"), "e"), (re.compile(r"our(s?)$"), r"or\1"),
             (re.compile(r"tre(s?)$"), r"ter\1"), (re.compile(r"is(e|es|ed|ing|ation|ations)$"),
                                                   r"iz\1"),
             (re.compile(r"ys(e|es|ed|ing)$"), r"yz\1"), (re.compile(r"ll(ed|ing|er|ers)$"), r"l\1"),
             (re.compile(r"ogue(s?)$"), r"og\1"), (re.compile(r"^sulph"), "sulf"),
             (re.compile(r"aluminium"), "aluminum"), (re.compile(r"^grey"), "gray"))
_PARTICLES = frozenset("van von de der den del della di da du le la dos das ten ter bin al el "
                       "d l".split())


def strip_notice(title: str | None) -> tuple[str, bool]:
    """A record title without "RETRACTED:" (and the like) before it, and whether it had one."""
    text = title or ""
    match = _NOTICE.match(text)
    return (text[match.end():], True) if match else (text, False)


@lru_cache(maxsize=65536)
def _spelling(word: str) -> str:
    for pattern, replacement in _VARIANTS:
        word = pattern.sub(replacement, word)
    return word


def _equivalent(found: list[str], expected: list[str]) -> bool:
    """Two runs of words that are one spelling: "non small" for "nonsmall", "tumour" for
    "tumor", "haemophagocytic" for "hemophagocytic"."""
    a, b = "".join(found), "".join(expected)
    return a == b or _spelling(a) == _spelling(b) or (
        len(found) == len(expected) and all(_spelling(x) == _spelling(y)
                                            for x, y in zip(found, expected, strict=True)))


@dataclass(frozen=True)
class TitleVerdict:
    """How a title compares: the same, or the words that differ (the reference's run, the
    record's run), and the share of the record's words the reference has."""

    same: bool
    changes: tuple[tuple[str, str], ...] = ()
    share: float = 1.0
    words_changed: int = 0
    notes: tuple[str, ...] = field(default=())


def _diff(found: list[str], expected: list[str], edges: frozenset[str],
          ) -> tuple[list[tuple[str, str]], int, int]:
    """Word runs that differ, how many words they change, and how many record words match."""
    matcher = SequenceMatcher(None, found, expected, autojunk=False)
    changes: list[tuple[str, str]] = []
    changed = matched = 0
    blocks = matcher.get_opcodes()
    for index, (tag, i1, i2, j1, j2) in enumerate(blocks):
        if tag == "equal":
            matched += j2 - j1
            continue
        mine, theirs = found[i1:i2], expected[j1:j2]
        if _equivalent(mine, theirs):
            matched += j2 - j1
            continue
        at_edge = index in (0, len(blocks) - 1)
        if at_edge and not theirs and all(w in edges for w in mine):
            continue  # an author's name, the journal or the year read into the title
        changes.append((" ".join(mine), " ".join(theirs)))
        changed += max(len(mine), len(theirs))
    return changes, changed, matched


def compare_titles(found: str, expected: str, subtitle: str | None = None,
                   edges: frozenset[str] = frozenset()) -> TitleVerdict:
    """Word by word, after folding: the same title, or what changed. A missing or extra
    subtitle is no change, nor are ``edges`` words (other fields' words) at either end."""
    a = fold(found).split()
    candidates = [fold(expected).split()]
    if subtitle:
        candidates.append(fold(f"{expected} {subtitle}").split())
    if not a or not candidates[0]:
        return TitleVerdict(False, share=0.0)
    best: TitleVerdict | None = None
    for b in candidates:
        if a == b or fold_letters(found) == fold_letters(" ".join(b)):
            return TitleVerdict(True)
        shorter, longer = (a, b) if len(a) <= len(b) else (b, a)
        if longer[:len(shorter)] == shorter and (len(shorter) >= 3 or _main_title(
                found if shorter is a else expected, expected if shorter is a else found)):
            return TitleVerdict(True, notes=("subtitle",))
        changes, changed, matched = _diff(a, b, edges)
        if not changes:
            return TitleVerdict(True)
        verdict = TitleVerdict(False, tuple(changes), matched / len(b), changed)
        if best is None or verdict.words_changed < best.words_changed:
            best = verdict
    assert best is not None  # noqa: S101 - one candidate at least
    return best


def _main_title(main: str, whole: str) -> bool:
    """Whether ``whole`` is ``main`` followed by a subtitle (after ":", ".", "?" or a dash)."""
    words = len(fold(main).split())
    found = re.match(rf"\s*(?:\S+\s+){{{words - 1}}}\S*?[\w)]([:.?!—–]|\s[:–—-]\s)",
                     plain_text(whole))
    return words > 0 and found is not None


def _abbreviates(short: str, word: str) -> bool:
    """"hematol" abbreviates "hematology", "immunother" "immunotherapeutics"."""
    if len(short) < 2 or not word.startswith(short[:2]):
        return False
    letters = iter(word)
    return all(c in letters for c in short)


def _words(name: str) -> list[str]:
    return [w for w in fold(name).split() if w not in STOP_WORDS]


def _abbreviation_of(short: list[str], full: list[str]) -> bool:
    return bool(short) and len(short) == len(full) and all(
        f.startswith(w) or _abbreviates(w, f) for w, f in zip(short, full, strict=True))


def journals_match(found: str, record: Record) -> bool:
    """Full title, ISO 4 / NLM abbreviation, or short title: the same journal."""
    ref = record.reference
    wanted = _words(found)
    names = [n for n in (ref.container_title, ref.container_title_short) if n]
    names += [re.sub(r"\s*\([^()]*\)\s*$", "", n) for n in names if n.rstrip().endswith(")")]
    for name in names:
        full = _words(name)
        if wanted == full or fold(found) == fold(name) or _abbreviation_of(wanted, full):
            return True
    return False


def _letters(name: str) -> str:
    """A family name's letters, its particles and German transliterations folded away."""
    words = [w for w in fold(name).split() if w not in _PARTICLES] or fold(name).split()
    text = "".join(words)
    return text.replace("ue", "u").replace("oe", "o").replace("ae", "a")


def same_family(found: str | None, expected: str | None) -> bool:
    """The same family name: accents, transliteration ("Müller", "Mueller"), particles and
    compound names ("Mendoza-Álvarez", "Mendoza") aside; a changed letter is another name."""
    if not found or not expected:
        return False
    if _letters(found) == _letters(expected):
        return True
    mine, theirs = fold(found).split(), fold(expected).split()
    shorter, longer = (mine, theirs) if len(mine) <= len(theirs) else (theirs, mine)
    return bool(shorter) and all(len(w) >= 3 and w in longer for w in shorter)


def page_range(text: str | None) -> tuple[str, str] | None:
    """First and last page of a page value ("1271-85" is 1271–1285), lower case, or ``None``."""
    if not text:
        return None
    page = r"[A-Za-z]?\d+(?:\.\d+)?[A-Za-z]?|[ivxlcdmIVXLCDM]{1,7}"
    match = re.match(rf"\s*({page})\s*(?:[-–—]+\s*({page}))?", text)
    if match is None:
        return None
    first, last = match.group(1), match.group(2) or match.group(1)
    head = re.fullmatch(r"([A-Za-z]?)(\d+)([A-Za-z]?)", first)
    tail = re.fullmatch(r"([A-Za-z]?)(\d+)([A-Za-z]?)", last)
    if head and tail and head.group(2).startswith("0") and \
            len(tail.group(2)) < len(head.group(2)):
        last = first  # "034004-1": page 1 of the e-locator 034004 (no page number starts with 0)
    elif head and tail and len(tail.group(2)) < len(head.group(2)):
        digits = head.group(2)[: len(head.group(2)) - len(tail.group(2))] + tail.group(2)
        last = (tail.group(1) or head.group(1)) + digits + tail.group(3)  # "S155-6", "309a-10a"
    elif head and tail and head.group(1) and not tail.group(1):
        last = head.group(1) + last
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


def number_key(text: str | None) -> str:
    """The number a volume starts with ("1 Microbial Pat" → "1", "n° 95" → "95"); dashes and
    slashes in ranges are one ("3–4", "3-4", "3/4")."""
    found = re.search(r"[A-Za-z]?\d+[A-Za-z]?(?:\s*[-–—/]\s*\d+)?", text or "")
    value = found.group(0) if found else (text or "").strip()
    value = re.sub(r"\s*[-–—/]\s*", "-", value.lower())
    return re.sub(r"^0+(?=\d)", "", value)


_SUPPLEMENT = re.compile(r"\b(?:suppl(?:ement)?|supp|s)\.?[\s_]*(\d*)\b|(\d+)\s*suppl(?:ement)?",
                         re.I)


def issue_key(text: str | None) -> str:
    """An issue's key: "Suppl 2", "Supplement_2", "S2" and "2 Suppl" are one ("s2")."""
    value = (text or "").strip()
    if not re.search(r"\d", value):  # "ed.esp.": an edition, compared by its first letters
        return fold(value).replace(" ", "")[:2]
    supplement = _SUPPLEMENT.search(value)
    if supplement:
        return "s" + (supplement.group(1) or supplement.group(2) or "")
    return number_key(value)

"""Token features for the reference CRF: word, shape, affixes, punctuation, small lexicons
(months, journal and publisher words, locator words), a lexicon learnt from the training data
(words mostly seen in names: see ``train.lexicon``), position (in the reference and since the
last full stop), quote/bracket state, what came before (a year, "In", an editor mark, a publisher
word, a page range), and three neighbours on each side (words; shapes and trailing punctuation of
the nearer ones; word pairs). Strings, not dicts: crfsuite takes them fastest."""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

__all__ = ["LEXICON_PATH", "Lexicon", "featurize", "read_lexicon", "token_spans", "tokenize",
           "word"]

Lexicon = dict[str, tuple[str, ...]]
LEXICON_PATH = Path(__file__).with_name("model.lexicon.txt")

_MONTHS = frozenset(
    "jan feb mar apr may jun jul aug sep sept oct nov dec january february march april june july "
    "august september october november december spring summer autumn fall winter".split())
_JOURNAL = frozenset(
    "journal j jour proc proceedings rev review acta ann annals bull bulletin trans transactions "
    "lett letters res research med medicine sci science clin clinical int intl am eur br natl "
    "nat nature phys chem biol soc rep reports arch quart q plos bmc lancet jama".split())
_PUBLISHER = frozenset(
    "press university univ publishing publishers publisher verlag springer elsevier wiley inc "
    "ltd llc co company books academic mcgraw-hill routledge sage oxford cambridge taylor "
    "francis crc pergamon blackwell".split())
_LOCATORS = {"vol": "vol", "volume": "vol", "vols": "vol", "no": "no", "nr": "no", "issue": "no",
             "iss": "no", "p": "pp", "pp": "pp", "pages": "pp", "page": "pp", "ed": "ed",
             "eds": "ed", "editor": "ed", "editors": "ed", "edn": "edition", "edition": "edition",
             "in": "in", "and": "and", "&": "and", "et": "and", "al": "al", "doi": "doi",
             "retrieved": "retrieved", "available": "retrieved", "accessed": "retrieved",
             "chapter": "chap", "chap": "chap", "thesis": "thesis", "dissertation": "thesis",
             "report": "report", "tech": "report", "technical": "report"}
# Markers whose presence earlier in a reference tells where a token stands: after "In" or an
# editor mark, a publisher word, a page range (a chapter's container and its editors follow "In").
_MEMORY = {"in": "after-in", "ed": "after-ed", "eds": "after-ed", "editor": "after-ed",
           "editors": "after-ed"}
_OPEN = "([{“\"‘'«<"
_CLOSE = ")]}”\"’'»>"


_NONSPACE = re.compile(r"\S+")
_ID_TOKEN = re.compile(r"10\.\d{4,9}/|doi:|www\.", re.I)
# Also split where text pasted from PDFs runs fields together: after a comma before a letter,
# digit or bracket ("Applications,Communications", "36(6),693"; not "1,000"), and after a full
# stop ending a lower-case word before a capitalised one ("physics.Proceedings").
_SPLIT = re.compile(r"(?<=[;:])(?=[\w(])|(?<=\))(?=\d)|(?:(?<=[^\W\d_],)|(?<=[)\]],)|(?<=^,))(?=[\w(])"
                    r"|(?<=\d,)(?=[^\W\d_(])|(?<=[a-z][a-z]\.)(?=[A-Z][a-z])")
_CUTS = frozenset(";:),.")


def token_spans(text: str, limit: int | None = None) -> list[tuple[int, int]]:
    """Tokens: white-space separated, and split after ";" or ":" that run into the next field
    ("2015;2(2):92-95." → "2015;" "2(2):" "92-95.") and where fields run together (see
    ``_SPLIT``), but never inside a DOI or URL. ``limit``: the first so many, the rest of a long
    text not even looked at."""
    spans: list[tuple[int, int]] = []
    for match in _NONSPACE.finditer(text):
        if limit is not None and len(spans) >= limit:
            return spans[:limit]
        token = match.group(0)
        # Every cut follows one of _CUTS, so a token with none before its last character is whole.
        if _CUTS.isdisjoint(token[:-1]) or "://" in token or _ID_TOKEN.search(token):
            spans.append(match.span())
            continue
        start = match.start()
        for cut in _SPLIT.finditer(token):
            if cut.start() > 0 and start < match.start() + cut.start():
                spans.append((start, match.start() + cut.start()))
                start = match.start() + cut.start()
        spans.append((start, match.end()))
    return spans if limit is None else spans[:limit]


def tokenize(text: str) -> list[str]:
    """Tokens as the model was trained on them."""
    return [text[s:e] for s, e in token_spans(text)]


_REPEAT = re.compile(r"(.)\1+")
_LETTER = re.compile(r"[^\W\d_]")
_DIGIT = re.compile(r"\d")
_YEARISH = re.compile(r"(?<!\d)(1[5-9]\d\d|20[0-3]\d)[a-z]?(?!\d)")
_INIT1 = re.compile(r"(?:[A-Z]\.-?){1,3},?")
_INIT2 = re.compile(r"[A-Z]{1,3},?")
_RANGE = re.compile(r"\d+[-–—]\d+|[A-Za-z]?\d+[-–—][A-Za-z]?\d+")
_ROMAN = re.compile(r"[ivxlcdm]+")
_DOI = re.compile(r"10\.\d{4,9}/")
_PAREN_NUM = re.compile(r"\(?\d+\)?[:,]?")


@lru_cache(maxsize=200_000)
def _own(token: str) -> tuple[str, ...]:
    """Features of a token alone (cached: reference lists repeat words a lot)."""
    stripped = token.strip(".,;:()[]{}“”\"‘’'«»<>!?")
    lower = stripped.lower()
    shape = _REPEAT.sub(r"\1", _LETTER.sub(lambda m: "X" if m.group(0).isupper() else "x",
                                             _DIGIT.sub("d", token)))
    lead = token[: len(token) - len(token.lstrip(_OPEN + ".,;:"))]
    trail = token[len(token.rstrip(_CLOSE + ".,;:!?")):]
    out = [f"w={lower}", f"sh={shape[:8]}", f"lp={lead[:2]}", f"tp={trail[-3:]}",
           f"p2={lower[:2]}", f"p3={lower[:3]}", f"s2={lower[-2:]}", f"s3={lower[-3:]}",
           f"len={min(len(stripped), 9)}"]
    if stripped.isupper() and len(stripped) > 1 and stripped.isalpha():
        out.append("caps")
    if stripped[:1].isupper():
        out.append("cap1")
    if stripped.isdigit():
        out.append("digits")
    elif any(c.isdigit() for c in stripped):
        out.append("hasdigit")
    if _YEARISH.search(token):
        out.append("year")
    if _INIT1.fullmatch(token) or _INIT2.fullmatch(token):
        out.append("initials")
    if _RANGE.fullmatch(stripped):
        out.append("range")
    if _ROMAN.fullmatch(lower) and len(lower) < 6:
        out.append("roman")
    if "http" in lower or "www." in lower:
        out.append("url")
    if _DOI.search(token):
        out.append("doi")
    if lower in _MONTHS or (lower[:3] in _MONTHS and len(lower) <= 4):
        out.append("month")
    if lower in _JOURNAL:
        out.append("jword")
    if lower in _PUBLISHER:
        out.append("pubword")
    if lower in _LOCATORS:
        out.append(f"loc={_LOCATORS[lower]}")
    if "(" in token and _PAREN_NUM.fullmatch(token):
        out.append("paren-num")
    return tuple(out)


def word(token: str) -> str:
    """A token as the word features spell it: lower case, without the punctuation around it."""
    return _own(token)[0][2:]


@lru_cache(maxsize=1)
def read_lexicon(path: Path = LEXICON_PATH) -> Lexicon:
    """The lexicon trained with the model: a word, a tab, its groups (comma-separated) per line;
    empty if there is none."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    return {word: tuple(groups.split(",")) for word, _, groups in
            (line.partition("\t") for line in text.splitlines()) if groups}


def featurize(tokens: list[str], lexicon: Lexicon | None = None) -> list[list[str]]:
    """Feature strings for each token of a reference (``lexicon``: the model's, unless training
    gives another)."""
    lexicon = read_lexicon() if lexicon is None else lexicon
    own = [_own(t) for t in tokens]
    words = [f[0][2:] for f in own]
    shapes = [f[1][3:] for f in own]
    trails = [f[3][3:] for f in own]
    pairs = [a + "|" + b for a, b in pairwise(words)]
    # Each neighbour feature spelt once (index: the neighbour's position), not once per use.
    wm1, wm2, wm3 = ["w-1=" + w for w in words], ["w-2=" + w for w in words], ["w-3=" + w for w in words]
    wp1, wp2, wp3 = ["w+1=" + w for w in words], ["w+2=" + w for w in words], ["w+3=" + w for w in words]
    shm1, shm2 = ["sh-1=" + s for s in shapes], ["sh-2=" + s for s in shapes]
    shp1, shp2 = ["sh+1=" + s for s in shapes], ["sh+2=" + s for s in shapes]
    tpm1, tpm2 = ["tp-1=" + t for t in trails], ["tp-2=" + t for t in trails]
    bm1, bp1 = ["b-1=" + p for p in pairs], ["b+1=" + p for p in pairs]
    lpp1 = ["lp+1=" + f[2][3:] for f in own]
    get = lexicon.get
    n = len(tokens)
    last = n - 1
    quote = paren = segment = 0
    seen_quote = False
    segpos = 0
    seg_has_year = False
    year_segment = -1  # the stretch of the first year, once there is one
    memory: list[str] = []  # what has been seen before this token: see _MEMORY
    sequence = []
    for i, token in enumerate(tokens):
        mine = own[i]
        features = list(mine)
        groups = get(words[i])
        if groups:
            features += ["lex=" + group for group in groups]
        features.append(f"pos={10 * i // n}")
        features.append(f"seg={min(segment, 6)}")
        if year_segment >= 0:
            features.append("after-year")
        if seen_quote and not quote:
            features.append("after-quote")
        if quote:
            features.append("inquote")
        if paren:
            features.append("inparen")
        if i == 0:
            features.append("first")
        else:
            features += (wm1[i - 1], shm1[i - 1], tpm1[i - 1], bm1[i - 1])
            if i > 1:
                features += (wm2[i - 2], shm2[i - 2], tpm2[i - 2])
            if trails[i - 1][-1:] in ".:" and "cap1" in mine:  # a field may begin here
                features.append("stop-cap")
        if i == last:
            features.append("last")
        else:
            features += (wp1[i + 1], shp1[i + 1], bp1[i], lpp1[i + 1])
            if i < n - 2:
                features += (wp2[i + 2], shp2[i + 2])
        if i > 2:
            features.append(wm3[i - 3])
        if i < n - 3:
            features.append(wp3[i + 3])
        features.append(f"segpos={min(segpos, 3)}")  # place in the stretch since the last stop
        if seg_has_year:
            features.append("seg-year")
        if year_segment >= 0:
            features.append(f"since-year={min(segment - year_segment, 4)}")
        features += memory
        sequence.append(features)
        segpos += 1
        if "year" in mine:
            if year_segment < 0:
                year_segment = segment
            seg_has_year = True
        seen = "after-pub" if "pubword" in mine else (
            "after-range" if "range" in mine else _MEMORY.get(words[i]))
        if seen and seen not in memory:
            memory.append(seen)
        if token[-1:] in ".:)" and not ("initials" in mine or len(token) <= 2):
            segment += 1
            segpos = 0
            seg_has_year = False
        core = token.rstrip(".,;:")
        if token[:1] in "“‘«\"" and not (len(core) > 1 and core[-1:] in "”’»\""):
            quote = 1
            seen_quote = True
        elif core[-1:] in "”’»\"" and quote and token[:1] not in "“‘«\"":
            quote = 0
        if "(" in token or ")" in token:
            paren = max(0, paren + token.count("(") - token.count(")"))
    return sequence

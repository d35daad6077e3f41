"""Free-text references → structured fields, offline: a CRF (python-crfsuite) labels tokens,
post-processing turns labelled spans into a CSL :class:`~mascite.model.Reference`, and every field
carries a confidence (the CRF's marginal probability, averaged over its tokens).

The model ships inside the package (``model.crfsuite``, trained by ``python -m
training.refparse.train`` on AnyStyle and GROBID data; their licences are in ``MODEL-LICENSES.md``)
and is loaded once, on first use.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import NotAvailableError
from ..identifiers import find_arxiv_ids, find_dois, find_pmcids, find_pmids
from ..model import Reference
from .features import featurize, token_spans
from .names import ORGANISATION, split_authors

__all__ = ["ParseResult", "parse_reference", "split_authors"]

MODEL = Path(__file__).with_name("model.crfsuite")
MAX_TOKENS = 400
_LOCK = threading.Lock()
_MONTHS = {m: i for i, ms in enumerate(
    ("jan january ene enero janv", "feb february febr feb. fév février febrero", "mar march marzo mars",
     "apr april abr abril avr avril", "may mayo mai", "jun june junio juin", "jul july julio juil juillet",
     "aug august ago agosto août", "sep sept september septiembre", "oct october octubre octobre",
     "nov november noviembre novembre", "dec december dic diciembre déc décembre"), start=1)
    for m in ms.split()}


# Patterns used per reference, compiled once.
_YEAR_IN_PARENS = re.compile(r"\((?:1[5-9]|20)\d\d\)")
_NUMERO = re.compile(r"^\W*n°\s*(?=\d+\s*\()")
_VOLUME_WORD = re.compile(r"\b(?:vol|volume|bd|t|tome)\.?\s*(?:n°\s*|no\.\s*)?([\w\-–]+)", re.I)
_ISSUE_WORDS = re.compile(r"(?:\b(?:no|nr|num|number|issue|iss|h|heft|fasc)\.?|n°)\s*"
                          r"((?:suppl(?:ement)?\.?\s*)?[\w\-–/]+)",
                          re.I)
_IN_PREFIX = re.compile(r"^(?:in:|in\s+:|in(?=\s+[A-Z]))\s*", re.I)
_INITIAL_END = re.compile(r"\b\w\.$")
_COMMA_ISSUE = re.compile(r"\s*,\s*(\d+)")
_FIRST_NUMBER = re.compile(r"^\D*?(\d[\w\-–]*)")
_PAREN_ISSUE = re.compile(r"(\w[\w\-–]*)\s*\(([\w\-–/ ]+)\)")
_COMMA_PAIR = re.compile(r"(\d+)\s*,\s*(\d+)")
_BARE_VOLUME = re.compile(r"([A-Za-z]?\d[\w\-–]*)")
_PAGE_PREFIX = re.compile(r"\b(?:pp?|pages?|s|pág|págs)(?:\.\s*|\s+)", re.I)
_SINGLE_PAGE = re.compile(r"([A-Za-z]*\d+)")
_E_NUMBER = re.compile(r"e\d{4,}")
_BRACKETED_TRANSLATION = re.compile(r"^(.*?)[”\"’]?\s*\[([^\[\]]{8,})\]\s*$")
_DOI_TOKEN = re.compile(r"10\.\d{4,9}/|^doi:", re.I)
_URL_TOKEN = re.compile(r"https?://|www\.")
_DAY_TOKEN = re.compile(r"[0-3]?\d")
_URL = re.compile(r"https?://[^\s<>\"]+[^\s<>\".,;)\]]")
_SPACES = re.compile(r"\s+")


@dataclass
class ParseResult:
    """A parsed reference string: the reference, a confidence per CSL variable, whether the text
    looked like a reference at all, and where in ``text`` each field was read (character
    offsets of its first span, by CSL variable)."""

    text: str
    reference: Reference
    confidence: dict[str, float] = field(default_factory=dict)
    is_reference: bool = True
    tokens: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)

    def to_csl(self) -> dict[str, Any]:
        """The CSL item, with the confidences (and a not-a-reference mark) under ``custom``."""
        item = self.reference.to_csl()
        custom = dict(item.get("custom") or {})
        custom["confidence"] = {k: round(v, 3) for k, v in self.confidence.items()}
        if not self.is_reference:
            custom["not-a-reference"] = True
        item["custom"] = custom
        return item


@lru_cache(maxsize=1)
def _tagger() -> Any:
    try:
        import pycrfsuite
    except ImportError as exc:  # pragma: no cover - a core dependency
        raise NotAvailableError("the reference parser needs python-crfsuite") from exc
    if not MODEL.exists():
        raise NotAvailableError(f"the reference model is missing ({MODEL}); train it with "
                                "python -m training.refparse.train")
    tagger = pycrfsuite.Tagger()
    tagger.open(str(MODEL))
    return tagger


def _spans(tokens: list[str], labels: list[str]) -> list[tuple[str, int, int]]:
    spans: list[tuple[str, int, int]] = []
    for index, label in enumerate(labels):
        if spans and spans[-1][0] == label and spans[-1][2] == index:
            spans[-1] = (label, spans[-1][1], index + 1)
        else:
            spans.append((label, index, index + 1))
    return spans


def _clean(text: str, container: bool = False) -> str:
    text = text.strip()
    if container:  # "In: Smith J, editor. Book" / "In Proceedings of ..."
        text = _IN_PREFIX.sub("", text)
    text = text.strip(" ,;:.")
    if len(text) > 1 and text[0] in "“\"'‘«" and text[-1] in "”\"'’»":
        text = text[1:-1]
    text = text.strip(" ,;:").strip("“”\"‘’«»").strip()
    return text[:-1].rstrip() if text.endswith(".") and not _INITIAL_END.search(text) else text


_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")
_MONTH_WORD = re.compile(r"\b(" + "|".join(sorted((re.escape(m) for m in _MONTHS), key=len,
                                                   reverse=True)) + r")\b\.?", re.I)
_DAY = re.compile(r"(?<![\d.])([0-3]?\d)(?![\d])(?=\s*[A-Za-zé]|\s*[,;:.)]|\s*$)")


def _date(text: str) -> dict[str, Any] | None:
    year = _YEAR.search(text)
    if year is None:
        return None
    parts = [int(year.group(1))]
    found = _MONTH_WORD.search(text)
    month = _MONTHS.get(found.group(1).lower()) if found else None
    if month:
        parts.append(month)
        day = _DAY.search(text)
        if day and 1 <= int(day.group(1)) <= 31 and day.group(1) != year.group(1)[:2]:
            parts.append(int(day.group(1)))
    return {"date-parts": [parts]}


def _volume_issue(text: str) -> tuple[str | None, str | None]:
    text = _YEAR_IN_PARENS.sub(" ", text)  # a year in brackets is not the issue
    text = _NUMERO.sub("", text)  # "n° 95(2)": volume 95, issue 2
    volume = _VOLUME_WORD.search(text)
    rest = text[volume.end():] if volume else text
    issue = _ISSUE_WORDS.search(rest) or (volume and _COMMA_ISSUE.match(rest))
    if volume or issue:
        vol = volume.group(1) if volume else None
        if vol is None:
            bare = _FIRST_NUMBER.search(text)
            vol = bare.group(1) if bare and (not issue or bare.start(1) < issue.start()) else None
        return vol, issue.group(1) if issue else None
    paren = _PAREN_ISSUE.search(text)
    if paren:
        return paren.group(1), paren.group(2).strip()
    pair = _COMMA_PAIR.search(text)
    if pair:
        return pair.group(1), pair.group(2)
    bare = _BARE_VOLUME.search(text)
    return (bare.group(1) if bare else None), None


_PAGE = r"(?:[A-Za-z]?\d+(?:\.\d+)?[A-Za-z]?|[ivxlcdmIVXLCDM]{1,7}(?![a-z]))"
_PAGE_RANGE = re.compile(rf"({_PAGE})\s*[-–—‐]+\s*({_PAGE})")


def _pages(text: str) -> tuple[str | None, str | None]:
    """A page range normalised ("1271-85" → "1271-1285"), or an article number."""
    text = _PAGE_PREFIX.sub("", text)
    match = _PAGE_RANGE.search(text)
    if match:
        first, last = match.group(1), match.group(2)
        if first.startswith("0") and len(last) < len(first):
            return f"{first}-{last}", None  # "034004-1": an e-locator's page 1, kept as written
        if last.isdigit() and first.isdigit() and len(last) < len(first) and int(last) < int(
                first[-len(last):]) + 10 ** len(last):
            last = first[: len(first) - len(last)] + last
        return f"{first}-{last}", None
    single = _SINGLE_PAGE.search(text)
    if single is None:
        return None, None
    value = single.group(1)
    return value, value if _E_NUMBER.fullmatch(value) else None


_BRACKET_AFTER = re.compile(r"[.”\"’]*\s*\[([^\[\]]{8,})\]")


def _translated(text: str, title: str) -> tuple[str, str | None]:
    """Keep a translation in brackets apart from the original title."""
    inside = _BRACKETED_TRANSLATION.search(title)
    if inside:
        return inside.group(1).strip(" .,“”\""), inside.group(2).strip()
    at = text.find(title[-30:]) if title else -1
    if at < 0:
        return title, None
    after = _BRACKET_AFTER.match(text, at + len(title[-30:]))
    return title, after.group(1).strip() if after else None


def parse_reference(text: str, key: str | None = None) -> ParseResult:
    """Parse one reference string (a leading label is not part of it)."""
    text = _SPACES.sub(" ", text).strip()  # as " ".join(text.split()), without a list of words
    offsets = token_spans(text, MAX_TOKENS)
    tokens = [text[s:e] for s, e in offsets]
    if not tokens:
        return ParseResult(text, Reference(id=key, type="document"), {}, False)
    tagger = _tagger()
    with _LOCK:
        tagger.set(featurize(tokens))
        labels = tagger.tag()
        marginals = [tagger.marginal(label, i) for i, label in enumerate(labels)]
    labels = _repair(tokens, list(labels))
    item: dict[str, Any] = {"type": "article-journal"}
    if key:
        item["id"] = key
    confidence: dict[str, float] = {}
    where: dict[str, tuple[int, int]] = {}
    seen: set[str] = set()

    def put(variable: str, value: Any, start: int, end: int) -> None:
        if value in (None, "", []) or variable in item:
            return
        item[variable] = value
        confidence[variable] = sum(marginals[start:end]) / max(end - start, 1)
        where[variable] = (offsets[start][0], offsets[end - 1][1])

    spans = _spans(tokens, labels)
    for label, start, end in spans:
        words = " ".join(tokens[start:end])
        first_time = label not in seen
        seen.add(label)
        if label == "author" and first_time:
            names, truncated = split_authors(words)
            put("author", [n.model_dump(by_alias=True, exclude_none=True) for n in names],
                start, end)
            if truncated:
                item["truncated-authors"] = True
        elif label == "editor" and first_time:
            names, _ = split_authors(words)
            put("editor", [n.model_dump(by_alias=True, exclude_none=True) for n in names],
                start, end)
        elif label == "title" and first_time:
            title, translated = _translated(text, _clean(words))
            put("title", title, start, end)
            if translated:
                put("translated-title", translated, start, end)
        elif label == "container-title" and first_time:
            put("container-title", _clean(words, container=True), start, end)
        elif label == "collection-title" and first_time:
            put("collection-title", _clean(words, container=True), start, end)
        elif label == "date":
            put("issued", _date(words), start, end)
        elif label == "volume":
            volume, issue = _volume_issue(words)
            put("volume", volume, start, end)
            put("issue", issue, start, end)
        elif label == "pages" and first_time:
            page, number = _pages(words)
            put("page", page, start, end)
            put("article-number", number, start, end)
        elif label in ("publisher", "location", "edition", "genre") and first_time:
            variable = {"location": "publisher-place"}.get(label, label)
            put(variable, _clean(words), start, end)
        elif label == "note" and first_time:
            put("note", _clean(words), start, end)
    _group_author(item, where)
    if "issued" not in item:  # no date labelled: a year outside the title, with low confidence
        title = str(item.get("title", ""))
        year = _YEAR.search(text.replace(title, " ") if title else text)
        if year:
            item["issued"], confidence["issued"] = {"date-parts": [[int(year.group(1))]]}, 0.3
    _identifiers(text, item, confidence)
    _guess_type(item)
    reference = Reference.from_csl(item)
    return ParseResult(text, reference, confidence, _looks_like_reference(item, confidence,
                                                                          tokens), tokens, labels,
                       where)


_ISSUE_WORD = re.compile(r"^(?:no|nr|num|number|issue|iss|n°)\.?$", re.I)
_BARE_YEAR = re.compile(r"^\(?(?:1[5-9]|20)\d\d[a-z]?\)?[;.,:]?$")
_RANGE = re.compile(r"^[A-Za-z]?\d+[-–—][A-Za-z]?\d+[.,;]?$")
_MONTH_TOKEN = re.compile(r"^(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?,?$",
                          re.I)
_DAY_AFTER = re.compile(r"^[0-3]?\d[;,:.]?$")
_VANCOUVER_END = re.compile(r"^[A-Z]{2,3}\.$")  # "RL." ends a Vancouver author list
_INITIAL_STOP = re.compile(r"^[A-Z]\.$")
_VANCOUVER_DOTTED = re.compile(r"^(?:[A-Z]\.){2,3}$")  # "D.H." ends a name too
_EDITOR_TOKEN = re.compile(r"^(?:editors?|eds?)\.?,?$", re.I)
_INITIALS_TOKEN = re.compile(r"^(?:[A-Z]{1,3}|(?:[A-Z]\.){1,3})[.,;]?$")


def _repair(tokens: list[str], labels: list[str]) -> list[str]:
    """Fix what a sequence model gets wrong but a rule gets right: identifiers are identifiers,
    a page range after the volume is pages ("vol. 58,5 634-643."), a day before a month is date."""
    dated = "date" in labels
    for index, token in enumerate(tokens):
        if not dated and labels[index] == "volume" and _BARE_YEAR.match(token):
            labels[index] = "date"  # "2021;3(2):" — the year before the volume
            dated = True
        elif ("10." in token or token[:1] in "dD") and _DOI_TOKEN.search(token):
            labels[index] = "doi"
        elif token[:1] in "hw" and _URL_TOKEN.match(token):
            labels[index] = "url"
        elif (labels[index] == "pages" and index and _ISSUE_WORD.match(tokens[index - 1])):
            labels[index] = "volume"  # "no. 2-3" is an issue, not pages
        elif (labels[index] == "volume" and index and labels[index - 1] == "volume"
              and _RANGE.match(token) and not _ISSUE_WORD.match(tokens[index - 1])):
            labels[index] = "pages"
        elif (_DAY_TOKEN.fullmatch(token) and index + 1 < len(tokens)
              and _MONTH_TOKEN.match(tokens[index + 1]) and labels[index + 1] == "date"):
            labels[index] = "date"
        elif (index >= 2 and labels[index] != "date" and _DAY_AFTER.match(token)
              and _MONTH_TOKEN.match(tokens[index - 1]) and labels[index - 1] == "date"
              and _BARE_YEAR.match(tokens[index - 2])):
            labels[index] = "date"  # NLM: "2025 Jan 10;13:e18789", the day is no volume
        elif (labels[index] == "container-title" and index + 1 < len(tokens)
              and _BARE_YEAR.match(token) and labels[index + 1] in ("volume", "container-title")
              and (_MONTH_TOKEN.match(tokens[index + 1]) or labels[index + 1] == "volume")):
            labels[index] = "date"  # "PLoS ONE. 2010 Oct 5;5(10)": the date after the journal
            if _MONTH_TOKEN.match(tokens[index + 1]):
                labels[index + 1] = "date"
    _title_after_vancouver_names(tokens, labels)
    _title_after_family_first_names(tokens, labels)
    _editors_after_title(tokens, labels)
    return labels


def _title_after_vancouver_names(tokens: list[str], labels: list[str]) -> None:
    """"Golden RL. Thomas Browne and the Writing of…": a Vancouver list ends at initials with a
    full stop, so capitalised words after it without initials of their own begin the title."""
    for index, token in enumerate(tokens):
        if labels[index] != "author" or index == 0 or not (
                _VANCOUVER_END.match(token) or _INITIAL_STOP.match(token)):
            continue
        end = _run_end(labels, index + 1, "author")
        rest = tokens[index + 1:end]
        initials = sum(1 for t in rest[:-1] if _INITIALS_TOKEN.match(t))  # the last may be a
        no_names = bool(rest) and not initials and not any(t.endswith(",") for t in rest)  # journal
        shouted = sum(1 for t in rest if len(t.strip(".,:;")) >= 4 and t.isupper()) >= 4
        listed = any(t.endswith(",") for t in rest)  # "K. MATHAROO, R. KAPOOR," are names
        no_names = no_names or (shouted and not listed)  # a title in capitals
        # "Kester K, …, Krzych U. Randomized, double-blind…": in a list of "Family I," names the
        # first initials with a full stop end it, whatever follows (a comma, one word)
        vancouver = _vancouver_list(tokens[:index + 1], labels[:index + 1])
        if vancouver and rest and not initials and not _INITIALS_TOKEN.match(rest[-1]) \
                and "title" in labels[end:]:
            labels[index + 1:end] = ["title"] * len(rest)
            return
        # one initial ("Daniel T. Blumstein") ends a list only before a run of words
        if no_names and (_VANCOUVER_END.match(token) or len(rest) >= 4) \
                and ("title" in labels[end:] or len(rest) >= 4):
            labels[index + 1:end] = ["title"] * len(rest)
        return


_CONJUNCTIONS = frozenset({"&", "and", "und", "et", "y"})


def _run_end(labels: list[str], start: int, label: str) -> int:
    """Where the run of ``label`` tokens from ``start`` ends."""
    end = start
    while end < len(labels) and labels[end] == label:
        end += 1
    return end


def _title_after_family_first_names(tokens: list[str], labels: list[str]) -> None:
    """"…, Ockenhouse, C. & Krzych, U. Randomized, double-blind…": in a list of "Family, I."
    names a name ends at its initials; initials with no comma after them, and no "&" or
    further initials next, end the list, so words after them are the title's."""
    first = next((i for i, label in enumerate(labels) if label == "author"), None)
    if first is None or first + 1 >= len(tokens) or not tokens[first].endswith(",") or \
            not _INITIALS_TOKEN.match(tokens[first + 1]):
        return  # the list does not begin "Family, I." ("Chenrun Feng, C.P. Hemantha R…")
    for index in range(first + 1, len(tokens) - 1):
        token, after = tokens[index], tokens[index + 1]
        if labels[index] != "author" or (not _INITIAL_STOP.match(token) and \
                not _VANCOUVER_DOTTED.match(token)):
            continue
        family, before = tokens[index - 1], tokens[index - 2] if index >= 2 else ""
        if not family.endswith(",") or _INITIALS_TOKEN.match(family) or \
                after.lower() in _CONJUNCTIONS or _INITIALS_TOKEN.match(after):
            continue
        if _INITIALS_TOKEN.match(before) and not before.endswith(","):
            continue  # "JF Cummings, O. Ofori-Anyinam": given names first, the list goes on
        end = _run_end(labels, index + 1, "author")
        rest = tokens[index + 1:end]
        if rest and not any(_INITIALS_TOKEN.match(t) or t.lower() in ("et", "al.", "al")
                            or t.lower() in _CONJUNCTIONS for t in rest) and "title" in labels[end:]:
            labels[index + 1:end] = ["title"] * len(rest)
        return


def _vancouver_list(tokens: list[str], labels: list[str]) -> bool:
    """Whether the author tokens are a Vancouver list ending at the last token: "Family I," names
    (no "and", no comma after a family name: "Alexander, DH, and K. Lange" is another style),
    at least two of them, the last "Family I."."""
    names = [t for t, label in zip(tokens, labels, strict=True) if label == "author"]
    if len(names) < 4 or _INITIALS_TOKEN.match(names[-2]) or \
            any(t.lower() in ("and", "&", "et", "al.") for t in names):
        return False
    pairs = sum(1 for t in names[:-1] if _INITIALS_TOKEN.match(t) and t.endswith(","))
    family_commas = any(t.endswith(",") and not _INITIALS_TOKEN.match(t) for t in names)
    return pairs >= 1 and not family_commas


def _editors_after_title(tokens: list[str], labels: list[str]) -> None:
    """"… Title. Andrabi SA, editor. PLoS ONE.": names after the title that end in "editor"
    are the editors, not more authors."""
    if "title" not in labels:
        return
    after = labels.index("title")
    index = after
    while index < len(tokens):
        if labels[index] == "author" and index > after:
            end = _run_end(labels, index, "author")
            if _EDITOR_TOKEN.match(tokens[end - 1]):
                labels[index:end] = ["editor"] * (end - index)
            index = end
        else:
            index += 1


def _identifiers(text: str, item: dict[str, Any], confidence: dict[str, float]) -> None:
    dois = find_dois(text)
    if dois:
        item["DOI"], confidence["DOI"] = dois[0].doi, 1.0
    for finder, variable in ((find_pmids, "PMID"), (find_pmcids, "PMCID")):
        found = finder(text)
        if found:
            item[variable], confidence[variable] = found[0], 1.0
    arxiv = find_arxiv_ids(text)
    if arxiv and "number" not in item:
        item["number"], confidence["number"] = f"arXiv:{arxiv[0]}", 1.0
    url = _URL.search(text)
    if url and "doi.org/" not in url.group(0):
        item["URL"], confidence["URL"] = url.group(0), 1.0


def _guess_type(item: dict[str, Any]) -> None:
    genre = str(item.get("genre", "")).lower()
    if "thesis" in genre or "dissertation" in genre:
        item["type"] = "thesis"
    elif "report" in genre:
        item["type"] = "report"
    elif item.get("container-title") and item.get("editor"):
        item["type"] = "chapter"
    elif item.get("container-title"):
        item["type"] = "article-journal"
    elif item.get("publisher"):
        item["type"] = "book"
    elif item.get("URL") and not item.get("author"):
        item["type"] = "webpage"
    else:
        item["type"] = "article-journal" if item.get("volume") else "document"


def _group_author(item: dict[str, Any], where: dict[str, tuple[int, int]]) -> None:
    """"Antithrombotic Trialists' Collaboration. Collaborative meta-analysis..." read as one
    title: a first sentence that names an organisation is the (group) author."""
    title = str(item.get("title", ""))
    head, dot, rest = title.partition(". ")
    if "author" in item or not dot or not rest.strip() or len(head.split()) > 10 or \
            not ORGANISATION.search(head):
        return
    item["author"] = [{"literal": head.strip()}]
    item["title"] = rest.strip()
    if "title" in where:
        start, end = where["title"]
        where["author"] = (start, start + len(head))
        where["title"] = (start + len(head) + 2, end)


def _looks_like_reference(item: dict[str, Any], confidence: dict[str, float],
                          tokens: list[str]) -> bool:
    """A reference has a title or authors, and something that places it (date, source, id)."""
    if len(tokens) < 3 or len(tokens) >= MAX_TOKENS:
        return False
    named = bool(item.get("title") or item.get("author"))
    placed = any(item.get(k) for k in ("issued", "container-title", "publisher", "DOI", "URL",
                                       "volume", "page"))
    mean = sum(confidence.values()) / len(confidence) if confidence else 0.0
    return named and placed and mean >= 0.5

"""DOI, ISSN, ISBN, PMID, PMCID and arXiv identifiers: find, normalise, validate. Pure functions.

Following manubot, identifiers are normalised before anything is looked up, so the cache, the
batch filter and the comparison all see one spelling. ``*_problem`` functions return the reason an
identifier is invalid (``None`` when it is valid); ``normalize_*`` raise :class:`IdentifierError`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import quote, unquote

from .errors import IdentifierError

__all__ = [
    "DOIMatch",
    "arxiv_problem",
    "doi_problem",
    "doi_url",
    "find_arxiv_ids",
    "find_dois",
    "find_pmcids",
    "find_pmids",
    "is_short_doi",
    "isbn10_to_13",
    "isbn_problem",
    "issn_problem",
    "normalize_arxiv",
    "normalize_doi",
    "normalize_isbn",
    "normalize_issn",
    "normalize_pmcid",
    "normalize_pmid",
]

# ---------------------------------------------------------------------------------------------- DOI

# A DOI starts "10.<registrant>/" (the slash possibly URL-encoded); the suffix runs to white space.
_DOI_START = re.compile(r"10\.\d{4,9}(?:\.\d+)*(?:/|%2[Ff])")
_SUFFIX_CHAR = re.compile(r"[^\s\"'“”‘’«»|\\^`{}]")
_DOI_PREFIXES = re.compile(
    r"^\s*(?:<\s*)?(?:(?:https?://)?(?:dx\.|www\.)?doi\.org/|info:doi/|doi\s*[:=]?\s*)",
    re.IGNORECASE,
)
_PAIRS = {")": "(", "]": "[", ">": "<", "}": "{"}
_TRAILING = ".,;:!?*"
# where a line break inside a DOI is a wrap, not the end: after these characters
_WRAP_AFTER = "-/_."


@dataclass(frozen=True)
class DOIMatch:
    """A DOI found in text: as written (cleaned of wrapping and trailing punctuation) and where."""

    doi: str
    start: int
    end: int

    @property
    def normalized(self) -> str:
        """The DOI in its one normal spelling (lower case, no prefix)."""
        return normalize_doi(self.doi)


def _trim(candidate: str) -> str:
    """Drop trailing punctuation and closing brackets that the DOI did not open."""
    while candidate:
        last = candidate[-1]
        if last in _TRAILING or (last in _PAIRS and candidate.count(_PAIRS[last]) < candidate.count(last)):
            candidate = candidate[:-1]
        else:
            break
    return candidate


def _scan_suffix(text: str, pos: int) -> tuple[str, int]:
    """Read DOI suffix characters from ``pos``, joining a line wrapped after ``-/_.``."""
    chars: list[str] = []
    end = pos
    while end < len(text):
        char = text[end]
        if _SUFFIX_CHAR.match(char):
            chars.append(char)
            end += 1
            continue
        if char in "\r\n" and chars and chars[-1] in _WRAP_AFTER:
            # Look at the next line's first token: join it if it reads as more DOI.
            nxt = end
            while nxt < len(text) and text[nxt] in "\r\n \t":
                nxt += 1
            token = re.match(r"[^\s]+", text[nxt:])
            if token and _continues_doi(token.group(0), chars[-1]):
                end = nxt
                continue
        break
    return "".join(chars), end


def _continues_doi(token: str, last: str) -> bool:
    if last == ".":
        # "10.1016/j.\ncell.2020.01.001" continues; "...1141.\nNext reference" does not.
        return bool(re.fullmatch(r"[\w.\-/();:<>]*\d[\w.\-/();:<>]*[.,;]?", token))
    return bool(re.match(r"[\w(<\-]", token)) and not re.match(r"[A-Z][a-z]+,?$", token)


def find_dois(text: str) -> list[DOIMatch]:
    """Every DOI in ``text``, in order, whatever the form it is written in.

    Handles ``doi:``/``DOI``/URL prefixes, URL encoding, angle brackets, DOIs wrapped over a line,
    and keeps brackets that belong to the DOI (``10.1016/s0140-6736(97)11096-0``).
    """
    found: list[DOIMatch] = []
    pos = 0
    while True:
        match = _DOI_START.search(text, pos)
        if match is None:
            return found
        suffix, end = _scan_suffix(text, match.end())
        raw = unquote(match.group(0) + suffix) if "%" in match.group(0) + suffix else None
        candidate = _trim(raw if raw is not None else text[match.start():end])
        candidate = re.sub(r"\s+", "", candidate)
        if doi_problem(candidate) is None:
            consumed = len(_trim(text[match.start():end].rstrip()))
            found.append(DOIMatch(candidate, match.start(), match.start() + max(consumed, 1)))
        pos = max(end, match.end())


def doi_problem(value: str) -> str | None:
    """Why ``value`` (a bare DOI or any usual DOI form) is not a valid DOI, or ``None``."""
    if not isinstance(value, str):
        return "not a string"
    doi = _strip_doi_prefix(value)
    if not doi:
        return "empty"
    if any(unicodedata.category(c) in ("Cc", "Cf") for c in doi):
        return "contains control characters"
    if re.search(r"\s", doi):
        return "contains white space"
    if not doi.startswith("10."):
        return "does not start with the DOI prefix '10.'"
    prefix, slash, suffix = doi.partition("/")
    if not slash:
        return "no '/' between prefix and suffix"
    if not re.fullmatch(r"10\.\d{4,9}(?:\.\d+)*", prefix):
        return f"registrant code {prefix[3:]!r} is not 4 to 9 digits"
    if not suffix:
        return "empty suffix after '/'"
    return None


def is_short_doi(value: str) -> bool:
    """A shortDOI (``10/bqhp9z``, doi.org's alias of a full DOI)."""
    return bool(re.fullmatch(r"10/[a-z0-9]{1,20}", _strip_doi_prefix(value), re.I))


def _strip_doi_prefix(value: str) -> str:
    doi = _DOI_PREFIXES.sub("", value.strip(), count=1).strip()
    if doi.endswith(">") and value.lstrip().startswith("<"):
        doi = doi[:-1].strip()
    if "%" in doi:
        doi = unquote(doi)
    return doi


def normalize_doi(value: str) -> str:
    """The canonical form for comparing and caching: bare, decoded, lower case (DOIs ignore case)."""
    problem = doi_problem(value)
    if problem is not None:
        raise IdentifierError("DOI", value, problem)
    return _strip_doi_prefix(value).lower()


def doi_url(doi: str) -> str:
    """The https://doi.org/ link for a DOI (case kept), percent-encoded so it stays one path."""
    normalize_doi(doi)  # validates
    return "https://doi.org/" + quote(_strip_doi_prefix(doi), safe="/();:-._~")


# ------------------------------------------------------------------------------------------- ISSN

# a qualifier after the number, as PubMed and library catalogues write it: "(Electronic)",
# "(paperback)", "(pbk.)"
_QUALIFIER = re.compile(r"\s*\([^()]{1,30}\)\s*$")


def _issn_compact(value: str) -> str:
    value = _QUALIFIER.sub("", re.sub(r"^\s*(?:e-?)?issn:?\s*", "", value, flags=re.I))
    return re.sub(r"[\s\-‐‑–]", "", value)


def issn_problem(value: str) -> str | None:
    """Why ``value`` is not a valid ISSN (format NNNN-NNNC, mod-11 check digit), or ``None``."""
    if not isinstance(value, str):
        return "not a string"
    compact = _issn_compact(value)
    if not re.fullmatch(r"\d{7}[\dXx]", compact):
        return "not eight characters of the form NNNN-NNNC"
    total = sum(int(d) * w for d, w in zip(compact[:7], range(8, 1, -1), strict=True))
    check = (11 - total % 11) % 11
    expected = "X" if check == 10 else str(check)
    if compact[7].upper() != expected:
        return f"check digit is {compact[7]!r}, expected {expected!r}"
    return None


def normalize_issn(value: str) -> str:
    """``NNNN-NNNC`` with an upper-case X."""
    problem = issn_problem(value)
    if problem is not None:
        raise IdentifierError("ISSN", value, problem)
    compact = _issn_compact(value).upper()
    return f"{compact[:4]}-{compact[4:]}"


# ------------------------------------------------------------------------------------------- ISBN

def _isbn_compact(value: str) -> str:
    value = _QUALIFIER.sub("", re.sub(r"^\s*isbn(?:-1[03])?:?\s*", "", value, flags=re.I))
    return re.sub(r"[\s\-‐‑–]", "", value).upper()


def isbn_problem(value: str) -> str | None:
    """Why ``value`` is not a valid ISBN-10 or ISBN-13, or ``None``."""
    if not isinstance(value, str):
        return "not a string"
    compact = _isbn_compact(value)
    if re.fullmatch(r"\d{9}[\dX]", compact):
        total = sum((10 - i) * (10 if c == "X" else int(c)) for i, c in enumerate(compact))
        return None if total % 11 == 0 else "ISBN-10 check digit does not match"
    if re.fullmatch(r"\d{13}", compact):
        if not compact.startswith(("978", "979")):
            return "ISBN-13 must start with 978 or 979"
        total = sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(compact))
        return None if total % 10 == 0 else "ISBN-13 check digit does not match"
    return "not 10 or 13 digits"


def isbn10_to_13(isbn10: str) -> str:
    """The ISBN-13 (978 prefix) of a valid ISBN-10."""
    compact = normalize_isbn(isbn10)
    if len(compact) == 13:
        return compact
    body = "978" + compact[:9]
    check = (10 - sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(body)) % 10) % 10
    return body + str(check)


def normalize_isbn(value: str) -> str:
    """The ISBN without hyphens or spaces (10 or 13 characters, X upper case)."""
    problem = isbn_problem(value)
    if problem is not None:
        raise IdentifierError("ISBN", value, problem)
    return _isbn_compact(value)


# ---------------------------------------------------------------------------- PMID, PMCID, arXiv

_PMID_IN_TEXT = re.compile(r"\bPMID\s*:?\s*(\d{1,9})\b", re.I)
_PMCID_IN_TEXT = re.compile(r"\b(PMC\s?\d{1,9})\b", re.I)
_ARXIV_NEW = r"\d{4}\.\d{4,5}(?:v\d+)?"
_ARXIV_OLD = r"[a-z][a-z\-]*(?:\.[A-Z]{2})?/\d{7}(?:v\d+)?"
_ARXIV_IN_TEXT = re.compile(
    rf"(?:\barXiv\s*:\s*|arxiv\.org/(?:abs|pdf)/)({_ARXIV_NEW}|{_ARXIV_OLD})", re.I
)


def normalize_pmid(value: str) -> str:
    """A PubMed ID as digits without leading zeros (``"PMID: 0123"`` → ``"123"``)."""
    match = re.fullmatch(r"\s*(?:pmid\s*:?\s*)?0*(\d{1,9})\s*", value, re.I)
    if not match or match.group(1) == "0":
        raise IdentifierError("PMID", value, "not a positive number of at most 9 digits")
    return match.group(1)


def normalize_pmcid(value: str) -> str:
    """A PubMed Central ID as ``PMC`` and digits (``"pmc 123"`` → ``"PMC123"``)."""
    match = re.fullmatch(r"\s*(?:pmcid\s*:?\s*)?(?:PMC)?\s?0*(\d{1,9})\s*", value, re.I)
    if not match or match.group(1) == "":
        raise IdentifierError("PMCID", value, "not 'PMC' followed by digits")
    return "PMC" + match.group(1)


def arxiv_problem(value: str) -> str | None:
    """Why ``value`` is not an arXiv identifier (new ``2101.00001v2`` or old ``hep-th/9901001``)."""
    if not isinstance(value, str):
        return "not a string"
    bare = re.sub(r"^\s*(?:arxiv\s*:\s*|https?://arxiv\.org/(?:abs|pdf)/)", "", value, flags=re.I)
    bare = bare.strip().removesuffix(".pdf")
    if re.fullmatch(_ARXIV_NEW, bare):
        month = int(bare[2:4])
        return None if 1 <= month <= 12 else f"month {bare[2:4]} is not 01 to 12"
    if re.fullmatch(_ARXIV_OLD, bare):
        return None
    return "neither YYMM.NNNNN nor archive/YYMMNNN"


def normalize_arxiv(value: str) -> str:
    """The bare arXiv identifier, version kept (``arXiv:2101.00001v2`` → ``2101.00001v2``)."""
    problem = arxiv_problem(value)
    if problem is not None:
        raise IdentifierError("arXiv ID", value, problem)
    bare = re.sub(r"^\s*(?:arxiv\s*:\s*|https?://arxiv\.org/(?:abs|pdf)/)", "", value, flags=re.I)
    return bare.strip().removesuffix(".pdf")


def find_pmids(text: str) -> list[str]:
    """PMIDs written as ``PMID: 123`` in text, normalised."""
    return [normalize_pmid(m.group(1)) for m in _PMID_IN_TEXT.finditer(text)
            if m.group(1).strip("0")]


def find_pmcids(text: str) -> list[str]:
    """PMCIDs (``PMC1234567``) in text, normalised."""
    return [normalize_pmcid(m.group(1)) for m in _PMCID_IN_TEXT.finditer(text)
            if m.group(1)[3:].strip(" 0")]


def find_arxiv_ids(text: str) -> list[str]:
    """arXiv identifiers written with an ``arXiv:`` prefix or as arxiv.org links."""
    return [m.group(1) for m in _ARXIV_IN_TEXT.finditer(text) if arxiv_problem(m.group(1)) is None]

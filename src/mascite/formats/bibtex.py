"""BibTeX and BibLaTeX, read with bibtexparser v2 and written by hand (so we control escaping).

bibtexparser splits the file and keeps failed blocks; we evaluate values ourselves (``@string``
macros, month macros, ``#`` concatenation), decode LaTeX, and map fields to CSL variables.
Writing keeps existing keys, makes readable ones where there are none, and escapes every LaTeX
special, so that the output always compiles and reads back to the same references.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from typing import Any

from bibtexparser import model as bib
from bibtexparser.entrypoint import parse_string
from bibtexparser.library import Library

from ..model import Date, ParseFailure, Reference
from ..text.latex import latex_to_unicode, unicode_to_latex
from ..text.printable import strip_controls
from .aas_macros import AAS_JOURNALS
from .base import Bibliography, BibliographyFormat, ParsedReference, make_key
from .bibtex_names import balanced, format_name, parse_names, scan
from .bibtex_spans import entry_spans

__all__ = ["BIBTEX", "CSL_TO_TYPE", "iter_bibtex", "parse_names", "read_bibtex", "write_bibtex"]

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")

TYPE_TO_CSL = {
    "article": "article-journal", "book": "book", "mvbook": "book", "inbook": "chapter",
    "incollection": "chapter", "bookinbook": "chapter", "suppbook": "chapter",
    "inproceedings": "paper-conference", "conference": "paper-conference",
    "proceedings": "book", "mvproceedings": "book", "collection": "book", "mvcollection": "book",
    "phdthesis": "thesis", "mastersthesis": "thesis", "thesis": "thesis",
    "techreport": "report", "report": "report", "manual": "report", "booklet": "pamphlet",
    "unpublished": "manuscript", "misc": "document", "online": "webpage", "electronic": "webpage",
    "www": "webpage", "dataset": "dataset", "software": "software", "patent": "patent",
    "periodical": "periodical", "inreference": "entry-encyclopedia", "reference": "book",
    "standard": "standard", "legislation": "legislation", "jurisdiction": "legal_case",
    "article-magazine": "article-magazine", "article-newspaper": "article-newspaper",
}
CSL_TO_TYPE = {
    "article-journal": "article", "article": "article", "article-magazine": "article",
    "article-newspaper": "article", "review": "article", "review-book": "article",
    "book": "book", "chapter": "incollection", "paper-conference": "inproceedings",
    "thesis": "phdthesis", "report": "techreport", "pamphlet": "booklet",
    "manuscript": "unpublished", "document": "misc", "webpage": "online", "post-weblog": "online",
    "dataset": "dataset", "software": "software", "patent": "patent", "periodical": "periodical",
    "entry-encyclopedia": "inreference", "entry-dictionary": "inreference",
    "standard": "standard", "legislation": "legislation", "legal_case": "jurisdiction",
}
_ISSUE_TYPES = {"article", "periodical", "article-magazine", "article-newspaper"}
_BOOKTITLE_CSL = {"chapter", "paper-conference", "entry-encyclopedia", "entry-dictionary"}

# BibTeX field → (CSL variable, how to decode). "text" decodes LaTeX, "title" also keeps
# case-protecting braces as nocase spans, "verbatim" only unescapes \%, \# and friends.
_FIELDS: dict[str, tuple[str, str]] = {
    "title": ("title", "title"), "subtitle": ("subtitle", "title"),
    "shorttitle": ("title-short", "title"), "origtitle": ("original-title", "title"),
    "translatedtitle": ("translated-title", "title"),
    "journal": ("container-title", "text"), "journaltitle": ("container-title", "text"),
    "booktitle": ("container-title", "title"), "shortjournal": ("container-title-short", "text"),
    "journalabbrev": ("container-title-short", "text"), "series": ("collection-title", "title"),
    "eventtitle": ("event-title", "title"), "volume": ("volume", "text"),
    "issue": ("issue", "text"), "pages": ("page", "page"), "eid": ("article-number", "text"),
    "edition": ("edition", "text"), "publisher": ("publisher", "text"),
    "address": ("publisher-place", "text"), "location": ("publisher-place", "text"),
    "chapter": ("chapter-number", "text"), "pagetotal": ("number-of-pages", "text"),
    "doi": ("DOI", "verbatim"), "issn": ("ISSN", "verbatim"), "isbn": ("ISBN", "verbatim"),
    "pmid": ("PMID", "verbatim"), "pmcid": ("PMCID", "verbatim"), "url": ("URL", "verbatim"),
    "language": ("language", "text"), "langid": ("language", "text"), "note": ("note", "text"),
    "abstract": ("abstract", "text"), "keywords": ("keyword", "text"), "type": ("genre", "text"),
}
_MASTERS = "Master's thesis"
_URL_ONLY = re.compile(r"\s*\\url\s*\{([^{}]+)\}\s*")
_FIELD_NAME = re.compile(r"[A-Za-z][\w:.+-]*")
_PUBLISHER_LIKE = ("institution", "school", "organization")
_NAME_FIELDS = {"author": "author", "editor": "editor", "translator": "translator",
                "bookauthor": "container-author"}
_DATE_FIELDS = {"year", "month", "day", "date", "urldate"}


# ------------------------------------------------------------------------------------- reading

def read_bibtex(text: str, path: str | None = None) -> Bibliography:
    """Read BibTeX/BibLaTeX text; broken entries become failures, every other entry is read."""
    result = Bibliography(path=path, format="bibtex")
    for item in iter_bibtex(text, path):
        if isinstance(item, ParseFailure):
            result.failures.append(item)
        else:
            result.entries.append(item)
    return result


_CHUNK = 1 << 20  # characters: a longer file is parsed a part of about this size at a time
_CROSSREF = re.compile(r"\bcrossref\s*=", re.I)
_MACRO = re.compile(r"\s*\{?\s*\\([a-zA-Z]+)\s*\}?\s*")  # a value that is one macro: {\apj}


def iter_bibtex(text: str, path: str | None = None, *,
                chunk: int = _CHUNK) -> Iterator[ParsedReference | ParseFailure]:
    """What :func:`read_bibtex` reads, one entry or failure at a time, in the file's order.
    A long file is parsed in parts that end where an entry ends, so that neither its
    references nor bibtexparser's blocks are all held at once (``mascite convert``); its
    ``@string`` macros are read first, as for the whole file, and a key repeated in a later
    part is a duplicate as it is in one part. A file with ``crossref`` is read whole: a parent
    may stand anywhere."""
    text, warnings = _as_bibtex_reads(text, path)
    yield from warnings
    macros: list[str] = []
    parts = _parts(text, chunk, macros)
    strings = {m: m.capitalize() for m in MONTHS}
    if len(parts) > 1:
        library = _parse(path, "\n".join(macros))
        if isinstance(library, ParseFailure):
            yield library
            return
        _add_strings(library, strings)
    seen: tuple[set[str], set[str]] = (set(), set())  # entry keys, string keys
    for start, stop in parts:
        library = _parse(path, text[start:stop])
        if isinstance(library, ParseFailure):
            yield library
            return
        if len(parts) == 1:
            _add_strings(library, strings)
        yield from _read_blocks(library, strings, path, text.count("\n", 0, start), seen)


def _parts(text: str, chunk: int, macros: list[str]) -> list[tuple[int, int]]:
    """Spans of about ``chunk`` characters that end where an entry ends (the whole text when it
    is short or uses ``crossref``); ``macros`` gets the ``@string`` blocks."""
    if len(text) <= chunk or _CROSSREF.search(text):
        return [(0, len(text))]
    ends = sorted(span.end for span in entry_spans(text, macros).values() if span.stop is None)
    parts, start = [], 0
    for end in ends:
        if end - start >= chunk:
            parts.append((start, end))
            start = end
    parts.append((start, len(text)))
    return parts


def _parse(path: str | None, text: str) -> Library | ParseFailure:
    splitter_log = logging.getLogger("bibtexparser.splitter")
    was_disabled, splitter_log.disabled = splitter_log.disabled, True  # we report failures as data
    try:
        return parse_string(text, parse_stack=[])
    except Exception as exc:  # noqa: BLE001 - the splitter's own bugs must not sink the file
        return ParseFailure(path=path, line=1, message=f"unreadable: {exc}")
    finally:
        splitter_log.disabled = was_disabled


def _add_strings(library: Library, strings: dict[str, str]) -> None:
    for block in library.blocks:
        if isinstance(block, bib.String) and not isinstance(block, bib.ParsingFailedBlock):
            strings[block.key.lower()] = _evaluate(str(block.value), strings)


def _read_blocks(library: Library, strings: dict[str, str], path: str | None, offset: int,
                 seen: tuple[set[str], set[str]]) -> Iterator[ParsedReference | ParseFailure]:
    """The blocks of one parsed part (``offset``: the lines before it; ``seen``: the entry and
    string keys read so far, so that a key of an earlier part is a duplicate here too; within
    one part bibtexparser marks them itself)."""
    repeated = {id(b): _first_values(b, path) for b in library.blocks
                if isinstance(b, bib.DuplicateFieldKeyBlock)}
    entries = {e.key.lower(): e for e in library.entries}
    entries.update((e.key.lower(), e) for e, _ in repeated.values() if e is not None)
    for block in library.blocks:
        line = (block.start_line or 0) + 1 + offset
        kept, warnings = repeated.get(id(block), (None, []))
        yield from (w.model_copy(update={"line": (w.line or 0) + offset}) if offset else w
                    for w in warnings)
        if isinstance(block, bib.Entry | bib.String) and not isinstance(
                block, bib.ParsingFailedBlock):  # as bibtexparser keys them, blocks it kept
            keys = seen[0] if isinstance(block, bib.Entry) else seen[1]
            if block.key in keys:
                yield _duplicate(block.key, block.raw or "", path, line)
                continue
            keys.add(block.key)
        block = kept or block
        if isinstance(block, bib.ParsingFailedBlock):
            yield _failure(block, path, line)
        elif isinstance(block, bib.Entry):
            try:
                reference = _to_reference(block, strings, entries)
            except Exception as exc:  # noqa: BLE001 - one odd entry must not sink the file
                yield ParseFailure(path=path, line=line, kind="value", raw=block.raw or "",
                                   message=f"entry {block.key!r} could not be read: {exc}")
                continue
            lines = {name: at + offset for name, at in _field_lines(block).items()}
            yield ParsedReference(reference, line, block.raw or "", lines)
            yield from _unknown_journal_macro(block, path, line)


def _unknown_journal_macro(entry: bib.Entry, path: str | None, line: int) -> list[ParseFailure]:
    """``journal = {\\foo}`` with a macro that is not one of the AAS journals: BibTeX passes it
    to LaTeX, which needs the document to define it; mascite cannot know the journal."""
    out = []
    for field in entry.fields:
        raw = str(field.value)
        match = _MACRO.fullmatch(raw)
        if field.key.lower() in ("journal", "journaltitle") and match and _aas_journal(raw) is None:
            out.append(ParseFailure(
                path=path, line=line, kind="value", severity="warning", raw=raw,
                message=f"entry {entry.key!r}: {field.key} = {raw} is a macro that is not one of "
                        f"the AAS journals (aas_macros.sty): LaTeX needs the document to define "
                        f"\\{match.group(1)}, and mascite reads the journal as empty"))
    return out


def _as_bibtex_reads(text: str, path: str | None) -> tuple[str, list[ParseFailure]]:
    """The text with each entry ended where BibTeX ends it: after a value followed by neither
    "," nor the closing brace, BibTeX says "I'm skipping whatever remains of this entry" and
    keeps what came before. The skipped text turns to spaces (lines stay where they were)."""
    stopped = [span for span in entry_spans(text).values() if span.stop is not None]
    if not stopped:
        return text, []
    warnings = []
    pieces, done = [], 0
    for span in sorted(stopped, key=lambda s: s.start):
        stop = span.stop or 0
        skipped = text[stop:span.end]
        lost = re.findall(r"(?:^|[,\s])([A-Za-z][\w:.+-]*)\s*=", skipped)
        snippet = " ".join(skipped.split())[:60]
        warnings.append(ParseFailure(
            path=path, line=text.count("\n", 0, stop) + 1, raw=text[span.start:span.end][:500],
            severity="warning",
            message=f"entry {span.key!r}: after the {span.after} value BibTeX "
                    f"expects ',' or '{span.closer}' and finds {snippet!r}: it skips the rest "
                    f"of the entry{' (' + ', '.join(dict.fromkeys(lost)) + ')' if lost else ''}"
                    ", and so does mascite; check the braces"))
        pieces += [text[done:stop], span.closer, re.sub(r"[^\n]", " ", skipped[1:])]
        done = span.end
    pieces.append(text[done:])
    return "".join(pieces), warnings


_OTHER_VARIABLES = {"year": "issued", "date": "issued", "number": "issue", "author": "author",
                    "editor": "editor"}


def _field_lines(entry: bib.Entry) -> dict[str, int]:
    """The line of each CSL variable's field, so that a finding points at the field it is about
    (an editor's annotation on ``volume = {86}``, not on ``@article{``); the first field wins."""
    lines: dict[str, int] = {}
    for item in entry.fields:
        name = item.key.lower()
        variable = _OTHER_VARIABLES.get(name) or _FIELDS.get(name, ("", ""))[0]
        if variable and item.start_line is not None:
            lines.setdefault(variable, item.start_line + 1)
    return lines


def _first_values(block: bib.DuplicateFieldKeyBlock,
                  path: str | None) -> tuple[bib.Entry | None, list[ParseFailure]]:
    """A field given twice: BibTeX and biber keep the entry with the first value, and warn."""
    entry = block.ignore_error_block
    if not isinstance(entry, bib.Entry):
        return None, []
    kept: dict[str, bib.Field] = {}
    warnings = []
    for item in entry.fields:
        if item.key.lower() in kept:
            warnings.append(ParseFailure(
                path=path, line=(item.start_line or entry.start_line or 0) + 1,
                kind="duplicate-field", severity="warning", raw=entry.raw or "",
                message=f"entry {entry.key!r} gives {item.key!r} twice: the first value is "
                        f"kept and this one ignored, as BibTeX and biber do"))
        else:
            kept[item.key.lower()] = item
    return bib.Entry(entry.entry_type, entry.key, list(kept.values()), entry.start_line,
                     entry.raw), warnings


def _duplicate(key: str, raw: str, path: str | None, line: int) -> ParseFailure:
    # BibTeX ("Repeated entry") and biber ("Duplicate entry key") keep the first and go on
    return ParseFailure(path=path, line=line, kind="duplicate-key", raw=raw, severity="warning",
                        message=f"duplicate key {key!r}; the first entry is kept")


def _failure(block: bib.ParsingFailedBlock, path: str | None, line: int) -> ParseFailure:
    if isinstance(block, bib.DuplicateBlockKeyBlock):
        return _duplicate(block.key, block.raw or "", path, line)
    if isinstance(block, bib.DuplicateFieldKeyBlock):
        keys = ", ".join(sorted(block.duplicate_keys))
        return ParseFailure(path=path, line=line, kind="syntax", raw=block.raw or "",
                            message=f"field given twice in one entry: {keys}")
    error = block.error
    reason = getattr(error, "abort_reason", None) or str(error) or type(error).__name__
    message = "broken entry: " + " ".join(str(reason).split())
    return ParseFailure(path=path, line=line, kind="syntax", raw=block.raw or "", message=message)


def _evaluate(value: str, strings: dict[str, str]) -> str:
    """A field value as written: ``{...}``, ``"..."``, a number, a macro, or a ``#`` concatenation."""
    value = value.strip()
    if (value.startswith("{") and value.endswith("}")) and balanced(value[1:-1]):
        return value[1:-1]
    parts = _split_concat(value)
    out = []
    for part in parts:
        part = part.strip()
        if (len(part) >= 2 and part[0] == part[-1] == '"') or (part[:1], part[-1:]) == ("{", "}"):
            out.append(part[1:-1])
        elif part.lower() in strings:
            out.append(strings[part.lower()])
        else:
            out.append(part)
    return "".join(out)


def _split_concat(value: str) -> list[str]:
    parts, quoted, start = [], False, 0
    for index, char, depth in scan(value):
        if char == '"' and depth == 0:
            quoted = not quoted
        elif char == "#" and depth == 0 and not quoted:
            parts.append(value[start:index])
            start = index + 1
    parts.append(value[start:])
    return parts


def _decode(value: str, how: str) -> str:
    if how == "verbatim":
        return re.sub(r"\{?\\([%#_&$])\}?", r"\1", value).replace("{", "").replace("}", "").strip()
    text = latex_to_unicode(value, protect=how == "title")
    text = re.sub(r"[ \t\r\n]+", " ", text).strip()
    if how == "page":
        text = re.sub(r"\s*[–—-]+\s*", "-", text)
    return text


def _to_reference(entry: bib.Entry, strings: dict[str, str],
                  entries: dict[str, bib.Entry]) -> Reference:
    fields = {f.key.lower(): _evaluate(str(f.value), strings) for f in entry.fields}
    parent_key = fields.get("crossref", "").lower()
    if parent_key in entries and entries[parent_key] is not entry:
        _inherit(fields, entries[parent_key], strings)
    entry_type = entry.entry_type.lower()
    csl_type = TYPE_TO_CSL.get(entry_type, "document")
    item: dict[str, Any] = {"id": entry.key, "type": csl_type}
    custom: dict[str, str] = {}
    for name, raw in fields.items():
        if name in _NAME_FIELDS:
            names, truncated = parse_names(raw)
            item[_NAME_FIELDS[name]] = [n.model_dump(by_alias=True, exclude_none=True)
                                        for n in names]
            if truncated and name == "author":
                item["truncated-authors"] = True
        elif name == "number":
            item["issue" if entry_type in _ISSUE_TYPES else "number"] = _decode(raw, "text")
        elif name in ("journal", "journaltitle") and (journal := _aas_journal(raw)) is not None:
            item["container-title-short"], item["container-title"] = journal
        elif name in _FIELDS:
            variable, how = _FIELDS[name]
            if variable not in item:
                item[variable] = _decode(raw, how)
        elif name == "howpublished" and _URL_ONLY.fullmatch(raw):
            item.setdefault("URL", _verbatim(_URL_ONLY.fullmatch(raw).group(1)))  # type: ignore[union-attr]
            custom[name] = raw  # written back as it was, the URL not again
        elif name in _PUBLISHER_LIKE:
            item.setdefault("publisher", _decode(raw, "text"))
            custom[name] = raw
        elif name not in _DATE_FIELDS:
            custom[name] = raw
    if entry_type == "mastersthesis":
        item.setdefault("genre", _MASTERS)
    if fields.get("eprinttype", "").lower() == "pubmed" and "eprint" in fields:
        item.setdefault("PMID", fields["eprint"].strip())
    issued = _date(fields)
    if issued is not None:
        item["issued"] = issued
    if "urldate" in fields:
        item["accessed"] = _parse_date(fields["urldate"])
    if custom:
        item["custom"] = {"bibtex": custom}
    if CSL_TO_TYPE.get(csl_type) != entry_type and entry_type in TYPE_TO_CSL:
        item.setdefault("custom", {})["bibtex-type"] = entry_type  # @proceedings stays one
    return Reference.from_csl(item)


def _aas_journal(raw: str) -> tuple[str, str] | None:
    """``{\\apj}`` as AASTeX typesets it and by its full name (ADS exports)."""
    match = _MACRO.fullmatch(raw)
    return AAS_JOURNALS.get(match.group(1).lower()) if match else None


def _inherit(fields: dict[str, str], parent: bib.Entry, strings: dict[str, str]) -> None:
    """BibTeX ``crossref``: take what the entry lacks from its parent (its title as booktitle)."""
    for field in parent.fields:
        key = field.key.lower()
        value = _evaluate(str(field.value), strings)
        target = "booktitle" if key == "title" else key
        if key not in ("crossref", "ids", "shorttitle", "subtitle") and target not in fields:
            fields[target] = value


def _date(fields: dict[str, str]) -> dict[str, Any] | None:
    if fields.get("date"):
        return _parse_date(fields["date"])
    year = latex_to_unicode(fields.get("year", "")).strip()
    if not year:
        return None
    if not re.fullmatch(r"-?\d{1,4}", year):
        return {"raw": year}
    parts = [int(year)]
    month = _month(fields.get("month", ""))
    if month:
        parts.append(month)
        day = fields.get("day", "").strip()
        if day.isdigit() and 1 <= int(day) <= 31:
            parts.append(int(day))
    return {"date-parts": [parts]}


def _month(value: str) -> int | None:
    value = value.strip().lower().rstrip(".")
    if value.isdigit() and 1 <= int(value) <= 12:
        return int(value)
    return MONTHS.index(value[:3]) + 1 if value[:3] in MONTHS else None


def _parse_date(value: str) -> dict[str, Any]:
    """A BibLaTeX/ISO 8601 date: ``2020``, ``2020-05-01``, ``2019/2020``, ``2020~``, ``2020?``."""
    text = value.strip()
    circa = text.endswith(("~", "?", "%"))
    ranges = []
    for piece in text.rstrip("~?%").split("/"):
        match = re.fullmatch(r"(-?\d{1,4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?(?:T.*)?", piece.strip())
        if match is None:
            return {"raw": text}
        ranges.append([int(g) for g in match.groups() if g])
    date: dict[str, Any] = {"date-parts": ranges}
    if circa:
        date["circa"] = True
    return date


# ------------------------------------------------------------------------------------- writing

def _verbatim(value: str) -> str:
    """DOIs and URLs: escape what LaTeX would eat; braces (which BibTeX counts even when
    escaped) are percent-encoded, which every DOI and URL consumer reads back."""
    value = value.replace("{", "%7B").replace("}", "%7D")
    return re.sub(r"([%#&])", r"\\\1", value)


def write_bibtex(references: Iterable[Reference]) -> str:
    """BibTeX text: existing keys kept, readable keys made where there are none, LaTeX escaped."""
    refs = list(references)
    taken = {str(r.id) for r in refs if r.id not in (None, "")}
    chunks = []
    for ref in refs:
        key = str(ref.id) if ref.id not in (None, "") else make_key(ref, taken)
        key = re.sub(r"[\s,{}\"#%'()=\\]", "", key) or make_key(ref, taken)
        chunks.append(_entry_text(ref, key))
    return strip_controls("\n".join(chunks))  # NUL, ESC...: no meaning in BibTeX, never written


_WRITE_ORDER: tuple[tuple[str, str, str], ...] = (
    ("title", "title", "title"), ("subtitle", "subtitle", "title"),
    ("shorttitle", "title-short", "title"), ("origtitle", "original-title", "title"),
    ("translatedtitle", "translated-title", "title"), ("", "container-title", ""),
    ("shortjournal", "container-title-short", "text"), ("series", "collection-title", "title"),
    ("eventtitle", "event-title", "title"), ("volume", "volume", "text"), ("", "issue", "text"),
    ("number", "number", "text"), ("pages", "page", "page"), ("eid", "article-number", "text"),
    ("chapter", "chapter-number", "text"), ("edition", "edition", "text"),
    ("publisher", "publisher", "text"), ("address", "publisher-place", "text"),
    ("pagetotal", "number-of-pages", "text"), ("type", "genre", "text"),
    ("doi", "DOI", "verbatim"), ("issn", "ISSN", "verbatim"), ("isbn", "ISBN", "verbatim"),
    ("pmid", "PMID", "verbatim"), ("pmcid", "PMCID", "verbatim"), ("url", "URL", "verbatim"),
    ("language", "language", "text"), ("note", "note", "text"),
    ("abstract", "abstract", "text"), ("keywords", "keyword", "text"),
)


def _entry_text(ref: Reference, key: str) -> str:
    csl = ref.to_csl()
    entry_type = CSL_TO_TYPE.get(ref.type or "", "misc")
    if ref.type == "thesis" and ref.genre == _MASTERS:
        entry_type = "mastersthesis"
    custom = dict((csl.get("custom") or {}).get("bibtex") or {})
    stated = (csl.get("custom") or {}).get("bibtex-type")
    if isinstance(stated, str) and TYPE_TO_CSL.get(stated) == ref.type:
        entry_type = stated
    fields: list[tuple[str, str]] = []
    for field, variable in _NAME_FIELDS.items():
        names = ref.names(variable)
        if names:
            value = " and ".join(format_name(n) for n in names)
            if field == "author" and ref.truncated_authors:
                value += " and others"
            fields.append((field, value))
    for field, variable, how in _WRITE_ORDER:
        if variable not in csl:
            continue
        if variable == "container-title":
            booktitle = ref.type in _BOOKTITLE_CSL
            field, how = ("booktitle", "title") if booktitle else ("journal", "text")
        elif variable == "issue":
            field = "number" if entry_type in _ISSUE_TYPES else "issue"
        elif variable == "publisher" and any(
            _decode(custom.get(name, ""), "text") == csl["publisher"] for name in _PUBLISHER_LIKE
        ):
            continue  # it came from institution/school/organization, written back below
        elif field == "type" and entry_type == "mastersthesis" and ref.genre == _MASTERS:
            continue
        elif variable == "URL" and _URL_ONLY.fullmatch(str(custom.get("howpublished", ""))):
            continue  # written back inside its howpublished
        fields.append((field, encode_value(str(csl[variable]), how)))
        if variable == "title":
            fields.extend(_date_fields(ref))
    if "title" not in csl:
        fields.extend(_date_fields(ref))
    # Raw BibTeX kept from a .bib (unknown fields), or supplied by any other input: written raw
    # only when it is a field name and a value whose braces pair up, else escaped as text.
    fields.extend((name, str(value) if balanced(str(value)) else encode_value(str(value), "text"))
                  for name, value in custom.items() if _FIELD_NAME.fullmatch(str(name)))
    body = "".join(f"  {name} = {value},\n" if name == "month" and value in MONTHS
                   else f"  {name} = {{{value}}},\n" for name, value in fields)
    return f"@{entry_type}{{{key},\n{body}}}\n"


def encode_value(value: str, how: str) -> str:
    """A field value as BibTeX text (without its braces): ``verbatim`` for DOIs and URLs,
    ``page`` for pages (en dashes as "--"), ``title``/``text`` LaTeX-escaped."""
    if how == "verbatim":
        return _verbatim(value)
    if how == "page":
        value = re.sub(r"(?<=\w)-(?=\w)", "–", value)
    return unicode_to_latex(value)


def _date_fields(ref: Reference) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    issued = ref.issued
    if issued is not None:
        parts = issued.date_parts or []
        if len(parts) == 1 and parts[0] and isinstance(parts[0][0], int) and not issued.circa:
            out.append(("year", str(parts[0][0])))
            if len(parts[0]) > 1 and isinstance(parts[0][1], int) and 1 <= parts[0][1] <= 12:
                out.append(("month", MONTHS[parts[0][1] - 1]))
            if len(parts[0]) > 2:
                out.append(("day", str(parts[0][2])))
        elif parts:
            out.append(("date", _iso(issued)))
        elif issued.raw or issued.literal:
            out.append(("year", unicode_to_latex(issued.raw or issued.literal or "")))
    if ref.accessed is not None and ref.accessed.date_parts:
        out.append(("urldate", _iso(ref.accessed)))
    return out


def _iso(date: Date) -> str:
    pieces = ["-".join(f"{p:02d}" if i else str(p) for i, p in enumerate(part)
                       if isinstance(p, int)) for part in date.date_parts or []]
    return "/".join(pieces) + ("~" if date.circa else "")


BIBTEX = BibliographyFormat("bibtex", (".bib", ".bibtex", ".biblatex"), read_bibtex, write_bibtex)

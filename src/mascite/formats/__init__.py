"""Bibliography formats behind one registry, looked up by name or by file suffix (as pybtex does)."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..errors import FormatError
from ..model import ParseFailure, Reference
from .base import Bibliography, BibliographyFormat, ParsedReference, make_key
from .bibtex import BIBTEX, iter_bibtex
from .bibtex_spans import entry_spans
from .csljson import CSL_JSON
from .cslyaml import CSL_YAML
from .files import decode_text, read_input
from .reflist import REFERENCE_LIST
from .ris import RIS
from .wos import WOS, looks_like_wos

__all__ = [
    "Bibliography",
    "BibliographyFormat",
    "ParsedReference",
    "format_names",
    "get_format",
    "iter_entries",
    "make_key",
    "read_references",
    "read_references_text",
    "register_format",
    "stream_references",
    "write_references",
]

_FORMATS: dict[str, BibliographyFormat] = {}
_ALIASES = {"bib": "bibtex", "biblatex": "bibtex", "json": "csl-json", "csljson": "csl-json",
            "csl": "csl-json", "yaml": "csl-yaml", "yml": "csl-yaml", "cslyaml": "csl-yaml",
            "txt": "text", "refs": "text"}


def register_format(fmt: BibliographyFormat) -> None:
    """Add (or replace) a format; it is then found by its name and its suffixes."""
    _FORMATS[fmt.name] = fmt


for _fmt in (BIBTEX, CSL_JSON, CSL_YAML, RIS, REFERENCE_LIST, WOS):
    register_format(_fmt)


def format_names() -> list[str]:
    """The registered format names."""
    return sorted(_FORMATS)


def get_format(name_or_path: str | Path) -> BibliographyFormat:
    """A format by name (``bibtex``, ``csl-json``, ``ris``, ``text``, ``wos``) or by a file's
    suffix."""
    key = str(name_or_path).lower()
    key = _ALIASES.get(key, key)
    if key in _FORMATS:
        return _FORMATS[key]
    name = Path(key).name
    for fmt in _FORMATS.values():
        if any(name.endswith(suffix) for suffix in fmt.suffixes):
            return fmt
    raise FormatError(
        f"unknown bibliography format {str(name_or_path)!r}: use one of "
        f"{', '.join(format_names())} or a file ending in "
        f"{', '.join(s for f in _FORMATS.values() for s in f.suffixes)}")


def read_references(path: str | Path, format: str | None = None, *,
                    data: bytes | None = None) -> Bibliography:
    """Read a bibliography file (or ``data`` said to be that file, as from stdin); what cannot be
    read is in ``.failures``, the rest in ``.entries``.

    Raises :class:`InputError` only when the file itself cannot be opened.
    """
    result = Bibliography(path=str(path))
    result.entries.extend(iter_entries(path, format, data=data, into=result))
    return result


def iter_entries(path: str | Path, format: str | None = None, *, data: bytes | None = None,
                 into: Bibliography) -> Iterator[ParsedReference]:
    """:func:`stream_references`' entries, its failures (and format) going into ``into`` as
    they come: ``into`` is complete once the entries are consumed."""
    for item in stream_references(path, format, data=data, into=into):
        if isinstance(item, ParseFailure):
            into.failures.append(item)
        else:
            yield item


def stream_references(path: str | Path, format: str | None = None, *, data: bytes | None = None,
                      into: Bibliography | None = None) -> Iterator[ParsedReference | ParseFailure]:
    """:func:`read_references` one entry or failure at a time, in order (BibTeX converts each
    entry only when it is asked for, so a long file is not held as references all at once);
    ``into`` gets the format's name."""
    fmt = get_format(format or path)
    if data is None:
        text, failures = read_input(path, "a bibliography file")
    else:
        text, failures = decode_text(data, str(path))
    if format is None and looks_like_wos(text):  # "savedrecs.txt", whatever its name says
        fmt = WOS
    yield from _between_entries(text, failures) if fmt is BIBTEX and failures else failures
    if fmt is BIBTEX:
        if into is not None:
            into.format = "bibtex"
        entries = iter_bibtex(text, str(path))
        del text  # the reader's own copy is the one kept, and only while it parses
        yield from entries
        return
    result = fmt.read(text, str(path))
    if into is not None:
        into.format = result.format
    yield from result.failures
    yield from result.entries


def _between_entries(text: str, failures: list[ParseFailure]) -> list[ParseFailure]:
    """Undecodable bytes only in the text between BibTeX entries (a Latin-1 name in
    ``IEEEabrv.bib``'s opening comment), which BibTeX skips: a warning, not an unusable file."""
    spans = sorted((s.start, s.end) for s in entry_spans(text).values())
    starts = [start for start, _ in spans]
    bad = [m.start() for m in re.finditer("\ufffd", text)]
    if not bad or any((k := bisect_right(starts, i) - 1) >= 0 and i < spans[k][1] for i in bad):
        return failures
    return [f.model_copy(update={"severity": "warning",
                                 "message": f"{f.message}, in text outside any entry, which "
                                            "BibTeX skips"})
            if f.kind == "encoding" else f for f in failures]


def read_references_text(text: str, format: str, path: str | None = None) -> Bibliography:
    """Read a bibliography from a string in the named format."""
    return get_format(format).read(text, path)


def write_references(references: Iterable[Reference], format: str) -> str:
    """Write references in the named format (``bibtex``, ``csl-json``, ``ris``)."""
    return get_format(format).write(references)

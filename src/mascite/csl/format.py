"""Bibliographies in any CSL style, behind one small object: a :class:`Formatter` holds a style,
a locale and an engine (:mod:`mascite.csl.engines`), kept warm across calls, so that a docs build
or a long run pays the engine's start once.

Styles and engines come with extras (``format`` for pandoc and the styles, ``citeproc`` for
citeproc-js): without them, formatting fails late with a message naming the extra (the rest of
mascite works).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from .engines import EngineName, choose
from .styles import resolve_style, style_text

if TYPE_CHECKING:  # the model (pydantic) is not imported to format CSL-JSON as it is
    from ..model import Reference
    from .cite import Cited, Cluster

__all__ = ["Formatter", "Output", "clean_entry", "csl_item", "format_bibliography", "join_entries"]

Output = Literal["text", "html", "markdown", "latex", "rtf"]
# citeproc-js's output format for each of ours (the two mascite adds: see bootstrap.js)
_CITEPROC_FORMAT = {"text": "text", "html": "html", "markdown": "markdown",
                    "latex": "mascite-latex", "rtf": "rtf"}


def csl_item(reference: Reference, index: int, *, others: bool = True) -> dict[str, Any]:
    """The CSL item a processor understands, our extensions translated: with ``others``, an
    "et al." list ends in the name "others", which pandoc renders as "et al." (citeproc-js knows
    no such name: for it the list is the names known)."""
    item = reference.to_csl()
    item.setdefault("id", f"ref{index}")
    item["id"] = str(item["id"])
    if others and reference.truncated_authors and item.get("author"):
        item["author"] = [*item["author"], {"literal": "others"}]
    for extension in ("translated-title", "article-number", "custom"):
        item.pop(extension, None)
    return item


class Formatter:
    """A CSL style in one locale, formatted by one engine (``auto``: citeproc-js where it is
    installed, else pandoc)."""

    def __init__(self, style: str | Path = "apa", locale: str | None = None,
                 engine: str = "auto") -> None:
        self.style, dependent = resolve_style(style)
        self.locale = locale or dependent  # a journal's style sets its language
        self.engine: EngineName = choose(engine)

    @property
    def description(self) -> str:
        """Which engine runs, for notices and logs."""
        if self.engine == "citeproc-js":
            from .engines import citeproc_js

            return f"citeproc-js {citeproc_js.runtime().version}"
        return "pandoc's citeproc with mascite's corrections"

    def bibliography(self, references: Iterable[Reference], to: Output = "text") -> list[str]:
        """One formatted entry per reference, in the style's order."""
        return self._format(self.items(references), to)

    def items(self, references: Iterable[Reference]) -> list[dict[str, Any]]:
        """The CSL items the engine is given for ``references``, taken one at a time: a
        stream of references is never held whole."""
        return [csl_item(r, i, others=self.engine == "pandoc")
                for i, r in enumerate(references, start=1)]

    def bibliography_items(self, items: Sequence[dict[str, Any]], to: Output = "text"
                           ) -> list[str]:
        """The same for CSL-JSON items as they are (as citeproc-js reads a CSL-JSON file)."""
        return self._format([dict(item) for item in items], to)

    def _format(self, items: list[dict[str, Any]], to: Output) -> list[str]:
        if not items:
            return []
        if self.engine == "citeproc-js":
            return self._citeproc_js(items, to)
        return self._pandoc(items, to)

    def cite(self, items: Mapping[str, dict[str, Any]], clusters: Sequence[Cluster], *,
             uncited: Sequence[str] = (), to: Literal["html", "text", "markdown"] = "html",
             linked: bool = True) -> Cited:
        """A document's citations in order, and the entries of what they cite and of the
        ``uncited`` keys (see :mod:`mascite.csl.cite`); ``items``: CSL items by citation key.
        With ``linked``, each cited item links to ``#ref-KEY`` (in HTML and Markdown)."""
        from .cite import cite_citeproc_js, cite_pandoc

        if self.engine == "citeproc-js":
            return cite_citeproc_js(items, clusters, uncited, self.style, self.locale, to,
                                    linked)
        if to != "html":
            from ..errors import NotAvailableError

            raise NotAvailableError("citations as text need the citeproc-js engine")
        options = [f"--metadata=lang:{self.locale}"] if self.locale else []
        return cite_pandoc({k: _prepared(v) for k, v in items.items()}, clusters, uncited,
                           self.style, options)

    def _citeproc_js(self, items: list[dict[str, Any]], to: Output) -> list[str]:
        from .engines import citeproc_js

        for number, item in enumerate(items):  # ids of our own: the list's may repeat
            item["id"] = f"i{number}"
        runtime = citeproc_js.runtime()
        engine = runtime.engine(style_text(self.style), self.locale, self.style.name)
        _ids, entries, _has = runtime.bibliography(engine, items, _CITEPROC_FORMAT[to])
        return [clean_entry(entry, to) for entry in entries]

    def _pandoc(self, items: list[dict[str, Any]], to: Output) -> list[str]:
        from .compat import items as compat
        from .engines import pandoc

        if to == "rtf":
            from ..errors import NotAvailableError

            raise NotAvailableError("RTF output needs the citeproc-js engine: run "
                                    "'mascite engines install citeproc-js'")
        prepared = [pandoc.prepare(item) for item in items]
        options = [f"--metadata=lang:{self.locale}"] if self.locale else []
        entries = pandoc.bibliography(prepared, self.style, to, options)
        if to == "latex":  # "{and}": our case protection, not a command's argument
            entries = [re.sub(r"(?<![A-Za-z\\}])\{([a-z]+)\}", r"\1", entry) for entry in entries]
        if compat.effective_locale(style_text(self.style), options).startswith("en-US"):
            entries = [compat.quotes_outside(entry) for entry in entries]
        return entries


def _prepared(item: dict[str, Any]) -> dict[str, Any]:
    from .engines import pandoc

    return pandoc.prepare(item)


_ENTRY_DIV = re.compile(r'^\s*<div class="csl-entry">(.*)</div>\s*$', re.S)


def clean_entry(entry: str, to: str) -> str:
    """An entry as citeproc-js wrote it, without its wrapper: in HTML, the ``csl-entry`` div's
    content on one line (as pandoc's engine gives it); elsewhere, the text as it is."""
    if to == "html":
        match = _ENTRY_DIV.match(entry)
        return " ".join((match.group(1) if match else entry).split())
    if to == "markdown":  # "1. Doe": a number that Markdown would read as a list's
        return re.sub(r"^(\d+)\.", r"\1\\.", entry.strip())
    return entry.strip()


def format_bibliography(references: Iterable[Reference], style: str | Path = "apa", *,
                        locale: str | None = None, to: Output = "text",
                        engine: str = "auto") -> list[str]:
    """One formatted entry per reference, in the style's order (a :class:`Formatter` used once)."""
    return Formatter(style, locale, engine).bibliography(references, to)


_RTF_HEAD = r"{\rtf1\ansi\deff0{\fonttbl{\f0 Times New Roman;}}\f0\fs24" + "\n"


def join_entries(entries: list[str], to: Output) -> str:
    """Entries as one text to print or save: a blank line between them; in RTF, a document
    (paragraphs) a word processor opens or pastes."""
    if to == "rtf":
        return _RTF_HEAD + "".join(f"{{\\pard {entry}\\par}}\n" for entry in entries) + "}\n"
    return "\n\n".join(entries) + ("\n" if entries else "")

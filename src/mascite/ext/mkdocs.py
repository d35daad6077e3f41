"""An MkDocs plugin: pandoc-style citations (``[@key]``, ``@key``) in pages, rendered in any CSL
style from your bibliographies, with each page's references listed at its end.

    plugins:
      - mascite:
          bibliography: [refs.bib]     # BibTeX, CSL-JSON or RIS
          style: apa                   # a CSL style name or a .csl path
          fail_on_warning: false       # true: dangling or unused references fail the build
          full_bibliography_page: references.md   # a page listing every entry (made if absent)
          engine: auto                 # citeproc-js where installed, else pandoc

A line ``\full_bibliography`` in any page is replaced by every entry of the bibliographies, as
the page ``full_bibliography_page`` names (which is made, titled ``references_title``, when the
site has no such page). Citations elsewhere still link to their own page's list.

Citations are formatted by citeproc-js where it is installed (``mascite[citeproc]`` and
``mascite engines install citeproc-js``), else by pandoc's citeproc (``mascite[format]``); the
build log says which. Each page's result is cached, on disk too, by style, engine and content,
so a rebuild with nothing changed formats nothing again and starts no engine.
"""

from __future__ import annotations

import html
import json
import logging
import re
from pathlib import Path
from typing import Any

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from ..csl.cite import superscript
from ..csl.engines import pandoc
from ..csl.engines.pandoc import citeproc
from ..csl.engines.pandoc.run import unprotect as _unprotect
from ..csl.pandoc_syntax import blank_code, markdown_clusters
from ..errors import FormatError
from ._shared import RenderCache, load_bibliographies, render_key

__all__ = ["MasciteConfig", "MascitePlugin"]

log = logging.getLogger("mkdocs.plugins.mascite")
# Markdown that Python-Markdown reads: no pandoc-only syntax; superscripts as <sup>.
_WRITER = ("markdown-citations-fenced_divs-native_divs-superscript-subscript-bracketed_spans"
           "-header_attributes")
_FULL = re.compile(r"^\\full_bibliography[ \t]*$", flags=re.M)
_KEY = re.compile(r"(?<![\w@])-?@([\w][\w:.#$%&+?<>~/\-]*[\w])")


class MasciteConfig(Config):  # type: ignore[no-untyped-call]
    """The plugin's options in ``mkdocs.yml``."""

    bibliography = config_options.ListOfItems(config_options.Type(str), default=[])
    style = config_options.Type(str, default="apa")
    fail_on_warning = config_options.Type(bool, default=False)
    references_title = config_options.Type(str, default="References")
    full_bibliography_page = config_options.Optional(config_options.Type(str))
    engine = config_options.Choice(("auto", "citeproc-js", "pandoc"), default="auto")


class MascitePlugin(BasePlugin[MasciteConfig]):  # type: ignore[no-untyped-call]
    """Renders each page's citations and its list of references."""

    def __init__(self) -> None:
        self.items: dict[str, dict[str, Any]] = {}
        self.cited: set[str] = set()
        self.cache = RenderCache()
        self.renders = 0
        self.warnings: list[str] = []

    def on_config(self, config: Any) -> Any:
        """Read the bibliographies and the style once per build (no engine starts yet)."""
        root = Path(config["config_file_path"] or ".").parent
        self.items, self.formatter = load_bibliographies(
            root, self.config.bibliography, self.config.style, self.config.engine, self._warn)
        log.info(f"mascite: citations formatted by {self.formatter.description}")
        self.cited = set()
        self.warnings = []
        return config

    def on_files(self, files: Files, config: Any) -> Files:
        """The full-bibliography page, made when the site does not have it."""
        page = self.config.full_bibliography_page
        if page and files.get_file_from_path(page) is None:
            files.append(File.generated(config, page, content=(
                f"# {self.config.references_title}\n\n\\full_bibliography\n")))
        return files

    def _warn(self, message: str) -> None:
        self.warnings.append(message)
        log.warning(message)

    def on_page_markdown(self, markdown: str, page: Any, **_: Any) -> str:
        """The page with its citations rendered (from the cache when nothing changed)."""
        full = bool(_FULL.search(blank_code(markdown)))
        if page.file.src_path == self.config.full_bibliography_page and not full:
            markdown = markdown.rstrip("\n") + "\n\n\\full_bibliography\n"
            full = True
        named = set(_KEY.findall(blank_code(markdown)))
        keys = {k for k in named if k in self.items}
        missing = {k for k in named
                   if k not in self.items and re.search(rf"\[[^\]]*@{re.escape(k)}", markdown)}
        for key in sorted(missing):
            self._warn(f"{page.file.src_path}: citation @{key} names no bibliography entry")
        if not keys and not full:
            return markdown
        self.cited |= keys
        items = list(self.items.values()) if full else [self.items[k] for k in sorted(keys)]
        digest = render_key(self.formatter, markdown, items)
        cached = self.cache.get(digest)
        if cached is None:
            render = self._render if self.formatter.engine == "pandoc" else self._render_engine
            cached = render(markdown, items, full)
            self.cache.put(digest, cached)
            self.renders += 1
        return cached

    def _render(self, markdown: str, items: list[dict[str, Any]], full: bool) -> str:
        """Pandoc's rendering; a full bibliography goes where its marker was, without a title
        (the page has its own), every entry included (``nocite: @*``)."""
        meta: dict[str, Any] = {"link-citations": True}
        if full:
            meta["nocite"] = "@*"
            markdown = _FULL.sub("::: {#refs}\n:::", markdown, count=1)
            markdown = _FULL.sub("", markdown)
        else:
            meta["reference-section-title"] = self.config.references_title
        try:
            output = citeproc([pandoc.prepare(item) for item in items], self.formatter.style,
                              f"---\n{json.dumps(meta)}\n---\n\n{markdown}", _WRITER,
                              failure="rendering citations failed")
        except FormatError as exc:
            raise PluginError(f"mascite: {exc}") from exc
        return _tidy(output)

    def _render_engine(self, markdown: str, items: list[dict[str, Any]], full: bool) -> str:
        """The same from an engine that does not read Markdown: pandoc's citation syntax read
        here (:mod:`mascite.csl.pandoc_syntax`), each citation replaced by the engine's, the
        entries as paragraphs with their anchors."""
        by_key = {str(item["id"]): item for item in items}
        found = [(s, e, c) for s, e, c in markdown_clusters(blank_code(markdown))
                 if any(i.key in by_key for i in c.items)]
        try:
            cited = self.formatter.cite(by_key, [c for _, _, c in found],
                                        uncited=list(by_key) if full else ())
        except FormatError as exc:
            raise PluginError(f"mascite: {exc}") from exc
        for (start, end, _), text in reversed(list(zip(found, cited.citations, strict=True))):
            before = markdown[:start].rstrip(" \t") if superscript(text) else markdown[:start]
            markdown = before + _markdown_safe(text) + markdown[end:]
        entries = "\n\n".join(f'<a id="ref-{html.escape(key)}"></a>{_markdown_safe(_flat(entry))}'
                               for key, entry in cited.entries)
        if full:
            return _FULL.sub(lambda _: entries, markdown, count=1).replace("\\full_bibliography", "")
        if not entries:
            return markdown
        return f"{markdown.rstrip()}\n\n## {self.config.references_title}\n\n{entries}\n"

    def on_post_build(self, config: Any) -> None:
        """Warn about entries never cited; fail the build if asked to."""
        for key in sorted(set(self.items) - self.cited):
            self._warn(f"bibliography entry {key} is never cited")
        if self.config.fail_on_warning and self.warnings:
            raise PluginError(f"mascite: {len(self.warnings)} citation warnings (fail_on_warning)")


def _tidy(markdown: str) -> str:
    """Pandoc's bibliography as plain Markdown paragraphs (MkDocs leaves Markdown inside HTML
    blocks unprocessed), each entry keeping its anchor so citations still link to it."""
    markdown = re.sub(r'^<div id="(ref-[^"]+)" class="csl-entry"[^>]*>\s*\n',
                      r'<a id="\1"></a>', markdown, flags=re.M)
    markdown = re.sub(r"^</?div[^>]*>\s*$\n?", "", markdown, flags=re.M)
    markdown = re.sub(r"(?:</div>)+\s*$", "", markdown, flags=re.M)
    markdown = _unprotect(markdown, "html")  # the writer has no bracketed spans
    markdown = re.sub(r'<span class="csl-left-margin">(.*?)</span>\s*'
                      r'<span class="csl-right-inline">(.*?)</span>', r"\1\2", markdown)
    return re.sub(r'<span class="csl-[\w-]+">(.*?)</span>', r"\1", markdown)


def _flat(entry: str) -> str:
    """An entry's number and text on one line (the engine's blocks for hanging numbers)."""
    return re.sub(r'<div class="csl-left-margin">(.*?)</div>\s*<div class="csl-right-inline">'
                  r"(.*?)</div>", r"\1 \2", entry, flags=re.S)


def _markdown_safe(html_text: str) -> str:
    """The engine's HTML as Python-Markdown passes it through: the text between tags with
    what Markdown would read as emphasis, code or links escaped."""
    return re.sub(r"(<[^>]*>)|([\\`*_\[\]])",
                  lambda m: m.group(1) or "\\" + m.group(2), html_text)

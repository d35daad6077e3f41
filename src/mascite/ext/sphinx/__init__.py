"""A Sphinx extension: ``:cite:p:`key1,key2``` (or ``:cite:``) and ``:cite:t:`key``` in the text,
``.. bibliography::`` where a document's list goes, rendered in any CSL style from your
bibliographies by every builder (HTML, LaTeX, EPUB, text).

    extensions = ["mascite.ext.sphinx"]
    mascite_bibliography = ["refs.bib"]      # BibTeX, CSL-JSON, CSL-YAML or RIS, relative to conf.py
    mascite_style = "apa"                    # a CSL style name or a .csl path
    mascite_fail_on_warning = False          # True: dangling or unused references fail the build

What each document cites lives in the ``cite`` domain, so reads run in parallel and an incremental
build still knows every citation; a changed bibliography re-reads the documents that cite. Each
document is rendered by pandoc's citeproc (``mascite[format]``) once per content and style.
"""

from __future__ import annotations

import re
from html import unescape as html_unescape
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.errors import ExtensionError
from sphinx.util import logging

from ...csl.engines.pandoc import citeproc
from ...csl.engines.pandoc.run import unprotect
from ...errors import FormatError
from .._shared import load_bibliographies, render_key
from .domain import BibliographyDirective, CiteDomain, CiteRole, bibliography_node, citation_node
from .markup import author_label, inline_nodes

__all__ = ["setup"]

log = logging.getLogger(__name__)
_Rendered = tuple[list[list[str]], dict[str, str]]  # each citation's parts; entries by key


def _domain(env: BuildEnvironment) -> CiteDomain:
    return env.get_domain("cite")  # type: ignore[return-value]


def _load(app: Sphinx) -> None:
    items, style = load_bibliographies(Path(app.confdir), app.config.mascite_bibliography,
                                       app.config.mascite_style,
                                       lambda message: log.warning(f"mascite: {message}"))
    domain = _domain(app.env)
    previous = domain.data["digest"]
    domain.data.update(items=items, style=str(style),
                       digest=render_key(style, "", list(items.values())))
    domain.data["changed"] = bool(previous) and previous != domain.data["digest"]


def _outdated(app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str],
              removed: set[str]) -> list[str]:
    """A bibliography or style that changed makes every citing document out of date."""
    domain = _domain(env)
    return sorted(domain.citations) if domain.data.get("changed") else []


def _consistency(app: Sphinx, env: BuildEnvironment) -> None:
    """Dangling and unused references, over every document (read now or before): said on every
    build, changed or not, so that a CI run's result does not depend on what it built before."""
    domain = _domain(env)
    warnings = 0
    for docname, line, key in domain.dangling():
        warnings += 1
        log.warning(f"mascite: citation {key!r} names no bibliography entry",
                    location=(docname, line))
    for key in sorted(set(domain.items) - domain.cited()):
        warnings += 1
        log.warning(f"mascite: bibliography entry {key} is never cited")
    domain.warnings = warnings


def _render(env: BuildEnvironment, citations: list[citation_node]) -> _Rendered:
    """Each citation's rendered parts (HTML) and the entries (HTML) of the keys cited, from one
    run of the engine: numbering and disambiguation see every citation of the document."""
    domain = _domain(env)
    items = domain.items
    keys = sorted({k for c in citations for k in c["keys"] if k in items})
    lines: list[str] = []
    for n, citation in enumerate(citations):
        known = [k for k in citation["keys"] if k in items]
        if citation["textual"]:
            lines.extend(f"MASCITE{n}x{i}: @{k}" for i, k in enumerate(known))
        elif known:
            lines.append(f"MASCITE{n}x0: [{'; '.join('@' + k for k in known)}]")
    body = "\n\n".join(lines)
    digest = render_key(Path(domain.data["style"]), body, [items[k] for k in keys])
    cache: dict[str, _Rendered] = domain.renderings
    if digest not in cache:
        try:
            page = citeproc([items[k] for k in keys], Path(domain.data["style"]), body, "html",
                            ["--metadata=link-citations:true"], failure="rendering citations failed")
        except FormatError as exc:
            raise ExtensionError(f"mascite: {exc}") from exc
        parts: list[list[str]] = [[] for _ in citations]
        for match in re.finditer(r"<p>MASCITE(\d+)x\d+:\s*(.*?)</p>", page, flags=re.S):
            parts[int(match.group(1))].append(unprotect(match.group(2).strip(), "html"))
        entries = {key: unprotect(html, "html") for key, html in _entries(page)}
        cache[digest] = (parts, entries)
    return cache[digest]


def _entries(page: str) -> list[tuple[str, str]]:
    """(key, inner HTML) of each ``<div id="ref-…" class="csl-entry">``, in order (divs nest)."""
    out = []
    for start in re.finditer(r'<div id="ref-([^"]+)"[^>]*>', page):
        depth = 1
        for tag in re.finditer(r"<(/?)div\b[^>]*>", page[start.end():]):
            depth += -1 if tag.group(1) else 1
            if depth == 0:
                out.append((html_unescape(start.group(1)),
                            page[start.end():start.end() + tag.start()].strip()))
                break
    return out


def _citation(node: citation_node, parts: list[str], items: dict[str, dict[str, Any]],
              linked: frozenset[str]) -> nodes.Node:
    """The rendered citation; a textual one in a style whose citations are numbers alone gets
    the authors' names before each number, as sphinxcontrib-bibtex writes it."""
    out = nodes.inline(classes=["citation"])
    known = [k for k in node["keys"] if k in items]
    for i, part in enumerate(parts):
        if i:
            out += nodes.Text(", ")
        rendered = inline_nodes(part, linked)
        if node["textual"] and not re.search(r"[^\W\d_]", rendered.astext()):
            out += nodes.Text(author_label(items[known[i]]) + " ")
        out += rendered.children
    missing = [k for k in node["keys"] if k not in items]
    if missing:  # what the author wrote, where no entry exists
        out += nodes.Text(("; " if parts else "") + f"[{', '.join(missing)}]")
    return out


def _resolve(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Citations and bibliographies of a resolved document (for LaTeX, the whole book): each
    ``.. bibliography::`` lists the entries its own document cites."""
    domain = _domain(app.env)
    citations = list(doctree.findall(citation_node))
    places = list(doctree.findall(bibliography_node))
    parts, entries = _render(app.env, citations) if citations else ([], {})
    listed: dict[str, list[str]] = {}
    for citation in citations:
        for key in citation["keys"]:
            if key in entries and key not in listed.setdefault(citation["docname"], []):
                listed[citation["docname"]].append(key)
    linked = frozenset(f"ref-{k}" for place in places for k in listed.get(place["docname"], []))
    for citation, rendered in zip(citations, parts, strict=True):
        citation.replace_self(_citation(citation, rendered, domain.items, linked))
    order = list(entries)  # the style's order
    for place in places:
        box = nodes.container(classes=["references", "csl-bib-body"])
        for key in sorted(listed.get(place["docname"], []), key=order.index):
            entry = nodes.paragraph(classes=["csl-entry"])
            entry += nodes.target("", "", ids=[f"ref-{key}"])
            entry += inline_nodes(entries[key], linked).children
            box += entry
        place.replace_self(box)


def _finish(app: Sphinx, exception: Exception | None) -> None:
    warnings = _domain(app.env).warnings
    if exception is None and app.config.mascite_fail_on_warning and warnings:
        raise ExtensionError(f"mascite: {warnings} citation warnings (mascite_fail_on_warning)")


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the configuration values, the ``cite`` domain and its roles, and the events."""
    app.add_config_value("mascite_bibliography", [], "env")
    app.add_config_value("mascite_style", "apa", "env")
    app.add_config_value("mascite_fail_on_warning", False, "env")
    app.add_domain(CiteDomain)
    app.add_node(citation_node)
    app.add_node(bibliography_node)
    app.add_role("cite", CiteRole(textual=False))
    app.add_directive("bibliography", BibliographyDirective)
    app.connect("builder-inited", _load)
    app.connect("env-get-outdated", _outdated)
    app.connect("env-updated", _consistency)
    app.connect("doctree-resolved", _resolve)
    app.connect("build-finished", _finish)
    return {"version": "2", "env_version": 1, "parallel_read_safe": True,
            "parallel_write_safe": True}

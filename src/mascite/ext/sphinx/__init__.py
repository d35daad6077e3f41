"""A Sphinx extension: ``:cite:p:`key1,key2``` (or ``:cite:``) and ``:cite:t:`key``` in the text,
``.. bibliography::`` where a document's list goes, rendered in any CSL style from your
bibliographies by every builder (HTML, LaTeX, EPUB, text).

    extensions = ["mascite.ext.sphinx"]
    mascite_bibliography = ["refs.bib"]      # BibTeX, CSL-JSON, CSL-YAML or RIS, relative to conf.py
    mascite_style = "apa"                    # a CSL style name or a .csl path
    mascite_engine = "auto"                  # citeproc-js where installed, else pandoc
    mascite_fail_on_warning = False          # True: dangling or unused references fail the build

What each document cites lives in the ``cite`` domain, so reads run in parallel and an incremental
build still knows every citation; a changed bibliography re-reads the documents that cite. Each
document's citations are formatted by the engine once per content, style and engine, one
formatter for the build (citeproc-js's engine starts once per process, and not at all when
nothing is to be written).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.errors import ExtensionError
from sphinx.util import logging

from ...csl.cite import CiteItem, Cluster, superscript
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
    items, formatter = load_bibliographies(
        Path(app.confdir), app.config.mascite_bibliography, app.config.mascite_style,
        app.config.mascite_engine, lambda message: log.warning(f"mascite: {message}"))
    domain = _domain(app.env)
    previous = domain.data["digest"]
    domain.formatter = formatter
    domain.data.update(items=items, style=str(formatter.style),
                       digest=render_key(formatter, "", list(items.values())))
    domain.data["changed"] = bool(previous) and previous != domain.data["digest"]
    log.info(f"mascite: citations formatted by {formatter.description}")


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
    run of the engine: numbering and disambiguation see every citation of the document. A
    narrative citation of several keys is one narrative citation per key."""
    domain = _domain(env)
    items, formatter = domain.items, domain.formatter
    clusters: list[Cluster] = []
    owners: list[int] = []  # the citation each cluster belongs to
    for n, citation in enumerate(citations):
        known = [k for k in citation["keys"] if k in items]
        if citation["textual"]:
            clusters.extend(Cluster((CiteItem(k),), textual=True) for k in known)
            owners.extend(n for _ in known)
        elif known:
            clusters.append(Cluster(tuple(CiteItem(k) for k in known)))
            owners.append(n)
    keys = sorted({i.key for c in clusters for i in c.items})
    digest = render_key(formatter, repr(clusters), [items[k] for k in keys])
    cache: dict[str, _Rendered] = domain.renderings
    if digest not in cache:
        try:
            cited = formatter.cite(items, clusters)
        except FormatError as exc:
            raise ExtensionError(f"mascite: {exc}") from exc
        parts: list[list[str]] = [[] for _ in citations]
        for owner, text in zip(owners, cited.citations, strict=True):
            parts[owner].append(text)
        cache[digest] = (parts, dict(cited.entries))
    return cache[digest]


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
        _no_space_before(citation, rendered)
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


def _no_space_before(citation: citation_node, parts: list[str]) -> None:
    """A superscript citation takes no space before it ("cases¹"); a narrative one is preceded
    by its authors' names, which do."""
    if citation["textual"]:
        return
    parent = citation.parent
    at = parent.index(citation) if parent is not None else 0
    before = parent[at - 1] if at else None
    if parts and superscript(parts[0]) and isinstance(before, nodes.Text):
        parent.replace(before, nodes.Text(before.rstrip(" \t")))


def _finish(app: Sphinx, exception: Exception | None) -> None:
    warnings = _domain(app.env).warnings
    if exception is None and app.config.mascite_fail_on_warning and warnings:
        raise ExtensionError(f"mascite: {warnings} citation warnings (mascite_fail_on_warning)")


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the configuration values, the ``cite`` domain and its roles, and the events."""
    app.add_config_value("mascite_bibliography", [], "env")
    app.add_config_value("mascite_style", "apa", "env")
    app.add_config_value("mascite_engine", "auto", "env")
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

"""A Sphinx extension: ``:cite:`key1,key2``` in the text, ``.. bibliography::`` where the list goes,
both rendered in any CSL style from your bibliographies (HTML builders).

    extensions = ["mascite.ext.sphinx"]
    mascite_bibliography = ["refs.bib"]      # BibTeX, CSL-JSON or RIS, relative to conf.py
    mascite_style = "apa"                    # a CSL style name or a .csl path
    mascite_fail_on_warning = False          # True: dangling or unused references fail the build

Each document is rendered by pandoc's citeproc (``mascite[format]``) once per content and style: a
rebuild with nothing changed formats nothing again.
"""

from __future__ import annotations

import re
from html import escape as html_escape
from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.parsers.rst import Directive
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging

from ..csl.engines.pandoc import citeproc
from ..csl.engines.pandoc.run import unprotect as _unprotect
from ..errors import FormatError
from ._shared import load_bibliographies, render_key

__all__ = ["setup"]

log = logging.getLogger(__name__)


class citation_node(nodes.Inline, nodes.Element):
    """A citation of one or more keys, rendered when the document is resolved."""


class bibliography_node(nodes.General, nodes.Element):
    """Where the document's references are listed."""


def cite_role(name: str, rawtext: str, text: str, lineno: int, inliner: Any,
              options: dict[str, Any] | None = None,
              content: list[str] | None = None) -> tuple[list[nodes.Node], list[Any]]:
    """``:cite:`a,b``` becomes a citation node, rendered when the document is resolved."""
    keys = [k.strip() for k in text.split(",") if k.strip()]
    node = citation_node(rawtext, keys=keys)
    node.line = lineno
    return [node], []


class BibliographyDirective(Directive):
    """``.. bibliography::``: where the document's references are listed."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        """A placeholder, filled when the document is resolved."""
        return [bibliography_node()]


def _load(app: Sphinx) -> None:
    items, style = load_bibliographies(Path(app.confdir), app.config.mascite_bibliography,
                                       app.config.mascite_style,
                                       lambda message: log.warning(f"mascite: {message}"))
    app.env.mascite_items = items  # type: ignore[attr-defined]
    app.env.mascite_style = style  # type: ignore[attr-defined]
    app.env.mascite_cited = set()  # type: ignore[attr-defined]
    app.env.mascite_cache = {}  # type: ignore[attr-defined]
    app.env.mascite_renders = 0  # type: ignore[attr-defined]
    app.env.mascite_warnings = 0  # type: ignore[attr-defined]


def _render(env: Any, citations: list[list[str]]) -> tuple[list[str], list[str]]:
    """Rendered citations (in order) and bibliography entries (HTML) for one document."""
    keys = sorted({k for group in citations for k in group if k in env.mascite_items})
    items = [env.mascite_items[k] for k in keys]
    body = "\n\n".join(f"MASCITE{n}: [{'; '.join('@' + k for k in group)}]"
                       for n, group in enumerate(citations))
    digest = render_key(env.mascite_style, body, items)
    if digest in env.mascite_cache:
        return env.mascite_cache[digest]  # type: ignore[no-any-return]
    try:
        page = citeproc(items, env.mascite_style, body, "html", ["--metadata=link-citations:true"],
                         failure="rendering citations failed")
    except FormatError as exc:
        raise ExtensionError(f"mascite: {exc}") from exc
    rendered = [m.group(1).strip() for m in re.finditer(
        r"<p>MASCITE\d+:\s*(.*?)</p>", page, flags=re.S)]
    entries = [_unprotect(entry, "html") for entry in _entries(page)]
    env.mascite_cache[digest] = (rendered, entries)
    env.mascite_renders += 1
    return rendered, entries


def _entries(page: str) -> list[str]:
    """Each ``<div id="ref-…" class="csl-entry">`` with everything inside it (divs nest)."""
    out = []
    for start in (m.start() for m in re.finditer(r'<div id="ref-', page)):
        depth, position = 0, start
        for tag in re.finditer(r"<(/?)div\b[^>]*>", page[start:]):
            depth += -1 if tag.group(1) else 1
            if depth == 0:
                position = start + tag.end()
                break
        out.append(page[start:position])
    return out


def _visit_unrendered(translator: Any, node: nodes.Element) -> None:
    """A citation no renderer reached (another builder): its keys, as written."""
    translator.body.append(html_escape(f"[{', '.join(node.get('keys', []))}]"))
    raise nodes.SkipNode


def _resolve(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    env = app.env
    if not hasattr(env, "mascite_items"):
        _load(app)
    citations = list(doctree.findall(citation_node))
    for citation in citations:
        for key in citation["keys"]:
            if key in env.mascite_items:  # type: ignore[attr-defined]
                env.mascite_cited.add(key)  # type: ignore[attr-defined]
            else:
                env.mascite_warnings += 1  # type: ignore[attr-defined]
                log.warning(f"mascite: citation {key!r} names no bibliography entry",
                            location=(docname, citation.line))
    rendered, entries = _render(env, [c["keys"] for c in citations]) if citations else ([], [])
    for citation, markup in zip(citations, rendered, strict=False):
        citation.replace_self(nodes.raw("", markup, format="html"))
    for placeholder in doctree.findall(bibliography_node):
        listing = "\n".join(entries)
        placeholder.replace_self(nodes.raw("", f'<div class="references csl-bib-body">{listing}'
                                           "</div>", format="html"))


def _skip(translator: Any, node: nodes.Element) -> None:
    raise nodes.SkipNode


def _finish(app: Sphinx, exception: Exception | None) -> None:
    env = app.env
    if exception is not None or not hasattr(env, "mascite_items"):
        return
    for key in sorted(set(env.mascite_items) - env.mascite_cited):  # type: ignore[attr-defined]
        env.mascite_warnings += 1  # type: ignore[attr-defined]
        log.warning(f"mascite: bibliography entry {key} is never cited")
    if app.config.mascite_fail_on_warning and env.mascite_warnings:  # type: ignore[attr-defined]
        raise ExtensionError(f"mascite: {env.mascite_warnings} citation warnings "  # type: ignore[attr-defined]
                             "(mascite_fail_on_warning)")


def _reset(app: Sphinx, env: Any, docnames: list[str]) -> None:
    if hasattr(env, "mascite_items"):
        env.mascite_cited = set()
        env.mascite_warnings = 0


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the configuration values, nodes, role, directive and event handlers."""
    app.add_config_value("mascite_bibliography", [], "env")
    app.add_config_value("mascite_style", "apa", "env")
    app.add_config_value("mascite_fail_on_warning", False, "env")
    app.add_node(citation_node, html=(_visit_unrendered, None))
    app.add_node(bibliography_node, html=(_skip, None))
    app.add_role("cite", cite_role)
    app.add_directive("bibliography", BibliographyDirective)
    app.connect("builder-inited", _load)
    app.connect("env-before-read-docs", _reset)
    app.connect("doctree-resolved", _resolve)
    app.connect("build-finished", _finish)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": False}



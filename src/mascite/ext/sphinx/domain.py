"""The ``cite`` domain: the roles and directive, and the state a build keeps, per document, so
that parallel reads merge it and an incremental build knows what every document cites."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from sphinx.domains import Domain
from sphinx.util.docutils import SphinxDirective, SphinxRole

if TYPE_CHECKING:
    from sphinx.addnodes import pending_xref
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

__all__ = ["BibliographyDirective", "CiteDomain", "CiteRole", "bibliography_node",
           "citation_node"]


class citation_node(nodes.Inline, nodes.Element):
    """A citation of one or more keys, rendered when the document is resolved."""


class bibliography_node(nodes.General, nodes.Element):
    """Where a document's references are listed."""


class CiteRole(SphinxRole):
    """``:cite:p:`a,b``` (and ``:cite:`a,b```): parenthetical; ``:cite:t:`a```: textual, the
    authors named in the sentence, as in sphinxcontrib-bibtex."""

    def __init__(self, textual: bool) -> None:
        super().__init__()
        self.textual = textual

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        keys = [k.strip() for k in self.text.split(",") if k.strip()]
        node = citation_node(self.rawtext, keys=keys, textual=self.textual,
                             docname=self.env.docname)
        node.line = self.lineno
        self.env.get_domain("cite").note_citation(  # type: ignore[attr-defined]
            self.env.docname, keys, self.textual, self.lineno)
        return [node], []


class BibliographyDirective(SphinxDirective):
    """``.. bibliography::``: the references the document cites, in the style's order."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        self.env.get_domain("cite").note_bibliography(self.env.docname)  # type: ignore[attr-defined]
        return [bibliography_node(docname=self.env.docname)]


class CiteDomain(Domain):
    """What each document cites and where, and the bibliography the build reads."""

    name = "cite"
    label = "Citations"
    roles = {"p": CiteRole(textual=False), "t": CiteRole(textual=True)}  # noqa: RUF012
    directives = {"bibliography": BibliographyDirective}  # noqa: RUF012
    initial_data: ClassVar[dict[str, Any]] = {
        "citations": {},  # docname: [(keys, textual, line)]
        "bibliographies": {},  # docname: how many ``.. bibliography::``
        "items": {}, "style": "", "digest": "",  # the bibliography, read at builder-inited
    }
    data_version = 1

    def __init__(self, env: Any) -> None:
        super().__init__(env)
        self.renderings: dict[str, Any] = {}  # this build's, by content and style
        self.warnings = 0  # this build's dangling and unused references
        self.formatter: Any = None  # this build's (mascite.csl.format.Formatter)

    @property
    def citations(self) -> dict[str, list[tuple[list[str], bool, int]]]:
        return self.data["citations"]  # type: ignore[no-any-return]

    @property
    def items(self) -> dict[str, dict[str, Any]]:
        return self.data["items"]  # type: ignore[no-any-return]

    def note_citation(self, docname: str, keys: list[str], textual: bool, line: int) -> None:
        self.citations.setdefault(docname, []).append((keys, textual, line))

    def note_bibliography(self, docname: str) -> None:
        counts = self.data["bibliographies"]
        counts[docname] = counts.get(docname, 0) + 1

    def cited(self) -> set[str]:
        return {key for found in self.citations.values() for keys, _, _ in found for key in keys}

    def dangling(self) -> Iterator[tuple[str, int, str]]:
        """(docname, line, key) for each citation of a key no bibliography has."""
        for docname in sorted(self.citations):
            for keys, _, line in self.citations[docname]:
                for key in keys:
                    if key not in self.items:
                        yield docname, line, key

    def clear_doc(self, docname: str) -> None:
        self.citations.pop(docname, None)
        self.data["bibliographies"].pop(docname, None)

    def merge_domaindata(self, docnames: Iterable[str], otherdata: dict[str, Any]) -> None:
        """A parallel read's documents, each read by one process."""
        for docname in docnames:
            if docname in otherdata["citations"]:
                self.citations[docname] = otherdata["citations"][docname]
            if docname in otherdata["bibliographies"]:
                self.data["bibliographies"][docname] = otherdata["bibliographies"][docname]

    def resolve_any_xref(self, env: BuildEnvironment, fromdocname: str, builder: Builder,
                         target: str, node: pending_xref, contnode: nodes.Element,
                         ) -> list[tuple[str, nodes.reference]]:
        """Citations are rendered by the engine, not cross-referenced: ``:any:`` finds none."""
        return []

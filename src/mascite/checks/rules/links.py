"""Rules on how markers and references link up: dangling markers, unused references, and numeric
references not numbered in order of first citation."""

from __future__ import annotations

from ...document.base import Document
from ...document.linking import Linked
from ...model import Finding, ReportReference, Severity

__all__ = ["citation_order", "dangling_citations", "link_findings", "unused_references"]


def dangling_citations(linked: Linked, path: str | None) -> list[Finding]:
    """A marker naming a number or key the reference list does not have."""
    found = []
    for citation in linked.citations:
        if not citation.missing:
            continue
        what = (f"has {linked.numbered} entries" if citation.kind in ("numeric", "superscript")
                else "has no such entry")
        found.append(Finding(
            code="dangling-citation", severity=Severity.ERROR, path=path, line=citation.line,
            column=citation.column, found=citation.marker,
            message=f"{citation.marker} cites {', '.join(citation.missing)}, but the reference "
                    f"list {what}"))
    return found


def citation_order(linked: Linked, path: str | None) -> list[Finding]:
    """Numeric styles number references by first citation: 1, 2, 3..."""
    found = []
    seen: set[int] = set()
    highest = 0
    for citation in linked.citations:
        if citation.kind not in ("numeric", "superscript"):
            continue
        for label in citation.labels:
            number = int(label)
            if number in seen or number > linked.numbered:  # a dangling number is reported
                continue
            seen.add(number)
            if number != highest + 1 and number > highest:
                skipped = ", ".join(str(n) for n in range(highest + 1, number) if n not in seen)
                if skipped:
                    found.append(Finding(
                        code="citation-order", severity=Severity.WARNING, path=path,
                        line=citation.line, column=citation.column, found=citation.marker,
                        message=f"[{number}] is cited before [{skipped}]: numeric styles number "
                                f"references in order of first citation"))
            highest = max(highest, number)
    return found


def unused_references(linked: Linked, references: list[ReportReference]) -> list[Finding]:
    """References no marker cites (only said when the document cites something at all)."""
    if not linked.citations:
        return []
    cited = {r for c in linked.citations for r in c.refs}
    return [Finding(code="unused-reference", severity=Severity.WARNING, path=ref.path,
                    line=ref.line, ref=ref.id,
                    message=f"reference {ref.name} is never cited in the text")
            for ref in references if ref.id not in cited]


def link_findings(linked: Linked, references: list[ReportReference],
                  document: Document) -> list[Finding]:
    """Every finding of this family, in the order a reader meets them."""
    return [*dangling_citations(linked, document.path), *citation_order(linked, document.path),
            *unused_references(linked, references)]

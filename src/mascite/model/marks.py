"""What a document says: citation markers and claims, placed by exact offsets."""

from __future__ import annotations

from pydantic import BaseModel, Field

__all__ = ["Citation", "Claim"]


class Citation(BaseModel):
    """A citation marker in a document and the reference ids it points to.

    ``kind`` is ``numeric``, ``superscript``, ``author-date``, ``key`` or ``nocite`` (listed in the
    bibliography, supporting no claim; ``*`` is every entry); ``labels`` are the numbers
    a numeric marker names (ranges expanded), ``keys`` the citation keys (``Author|Year`` for
    author–date markers); ``missing`` the labels or keys that name no reference.
    """

    marker: str
    start: int
    end: int
    line: int
    column: int
    refs: list[str] = Field(default_factory=list)
    kind: str = "numeric"
    labels: list[str] = Field(default_factory=list, exclude=True)
    keys: list[str] = Field(default_factory=list, exclude=True)
    missing: list[str] = Field(default_factory=list, exclude=True)
    block_offset: int = Field(0, exclude=True)
    block_end: int = Field(0, exclude=True)


class Claim(BaseModel):
    """A sentence of content (in a paragraph or list item), with the references that support it.

    ``needs_citation`` is decided under the report's claims policy; ``reasons`` say in words what
    it asserts ("statistic", "treatment/dose"...), ``score`` is the cite-worthiness model's
    probability; ``via`` how it got its references when not from its own marker ("lead-in",
    "next-sentence").
    """

    text: str
    start: int
    end: int
    line: int
    refs: list[str] = Field(default_factory=list)
    needs_citation: bool = False
    reasons: list[str] = Field(default_factory=list)
    score: float | None = None
    via: str | None = None
    block: int = Field(0, exclude=True)

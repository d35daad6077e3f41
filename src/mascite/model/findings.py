"""Findings and parse failures: what a check tells the user, as data. Every finding code is a
rule with a stable kebab-case code and a one-line description (:data:`RULES`)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict

__all__ = ["RULES", "Finding", "ParseFailure", "Rule", "Severity"]


class Severity(enum.StrEnum):
    """How sure we are that something is wrong: error = wrong, warning = likely, info = a look."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        """0 for info, 1 for warning, 2 for error: comparable against ``--fail-on``."""
        return ("info", "warning", "error").index(self.value)


@dataclass(frozen=True)
class Rule:
    """A finding code, the family of checks that raises it, and what it means in one line."""

    code: str
    family: str
    summary: str


RULES: dict[str, Rule] = {rule.code: rule for rule in (
    Rule("dangling-citation", "links", "A citation names a reference that does not exist"),
    Rule("unused-reference", "links", "A reference is never cited"),
    Rule("citation-order", "links",
         "Numeric references are not numbered in order of first citation"),
    Rule("uncited-claim", "claims", "A claim that needs a source has no citation"),
    Rule("claim-year-mismatch", "claims", "A claim names a year that the cited work contradicts"),
    Rule("duplicate-reference", "duplicates", "The same work is listed twice"),
    Rule("invalid-doi", "identifiers", "A DOI is malformed"),
    Rule("short-doi", "identifiers", "A shortDOI (10/abc): valid at doi.org, but Crossref takes "
                                     "only full DOIs, so the reference is not verified"),
    Rule("invalid-issn", "identifiers", "An ISSN is malformed or its check digit is wrong"),
    Rule("invalid-isbn", "identifiers", "An ISBN is malformed or its check digit is wrong"),
    Rule("implausible-year", "identifiers", "A year lies in the future or before printing"),
    Rule("page-order", "identifiers", "A page range ends before it starts"),
    Rule("missing-title", "identifiers", "A bibliography entry has no title"),
    Rule("missing-container", "identifiers", "A journal article has no journal"),
    Rule("doi-not-found", "verify", "A DOI is registered with no DOI agency"),
    Rule("doi-mismatch", "verify", "A DOI belongs to another work"),
    Rule("field-mismatch", "verify", "A field differs from the registered record"),
    Rule("retracted", "verify", "The cited work is retracted"),
    Rule("expression-of-concern", "verify", "The cited work has an expression of concern"),
    Rule("corrected", "verify", "The cited work has a correction"),
    Rule("updated", "verify", "The cited work has another kind of update notice"),
    Rule("preprint-published", "verify", "A preprint has a published version"),
    Rule("other-agency", "verify", "A DOI is registered with another agency"),
    Rule("missing-doi", "verify", "A reference has no DOI, and Crossref has one"),
    Rule("doi-not-matched", "verify", "A reference has no DOI, and no search result is certain"),
    Rule("lookup-failed", "verify", "A DOI could not be checked"),
    Rule("parse-error", "input", "An input could not be read"),
)}


class Finding(BaseModel):
    """One thing worth telling the user, as data: a stable kebab-case ``code`` plus where and what."""

    model_config = ConfigDict(frozen=True)

    code: str
    severity: Severity
    message: str
    path: str | None = None
    line: int | None = None
    column: int | None = None
    ref: str | None = None
    field: str | None = None
    expected: str | None = None
    found: str | None = None
    suggestion: str | None = None

    def location(self) -> str:
        """``path:line:column``, leaving out what is unknown."""
        return ":".join(str(p) for p in (self.path, self.line, self.column) if p is not None)


class ParseFailure(BaseModel):
    """A part of an input that could not be read, kept with its place and raw text.

    Like bibtexparser v2's failed blocks: one bad entry never sinks the file.
    """

    model_config = ConfigDict(frozen=True)

    path: str | None = None
    line: int | None = None
    message: str
    raw: str = ""
    kind: Literal["syntax", "duplicate-key", "duplicate-field", "encoding", "value", "io"] = "syntax"
    # "warning": read anyway, as the authors' tool reads it (BibTeX's "skipping whatever
    # remains of this entry"); only errors make an input unusable (exit code 2)
    severity: Literal["error", "warning"] = "error"

    def location_message(self) -> str:
        """``path:line: message``, leaving out what is unknown."""
        where = ":".join(str(p) for p in (self.path, self.line) if p is not None)
        return f"{where}: {self.message}" if where else self.message

    def to_finding(self) -> Finding:
        """The failure as a ``parse-error`` finding, for reports."""
        return Finding(
            code="parse-error", severity=Severity(self.severity), message=self.message,
            path=self.path, line=self.line, found=self.raw[:200] or None,
        )

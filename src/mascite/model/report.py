"""The report of a check: the references with their status, the citations, the claims and the
findings, as data. Renderers (:mod:`mascite.output`) turn it into text, JSON, SARIF...; the JSON
form (``to_json``, version 1) reads back with :meth:`Report.from_json`."""

from __future__ import annotations

from collections import Counter
from typing import Any, Literal

from pydantic import BaseModel, Field, field_serializer, field_validator

from .csl import Reference
from .findings import Finding, ParseFailure, Severity
from .marks import Citation, Claim

__all__ = ["DOISource", "FailOn", "Report", "ReportReference", "Source", "Status"]

Status = Literal["verified", "mismatch", "not-found", "unverified", "no-doi"]
DOISource = Literal["text", "bib", "search"]
FailOn = Literal["error", "warning", "never"]


class ReportReference(BaseModel):
    """One reference as the report shows it: where it came from, its item and its status."""

    id: str
    label: str | None = None
    raw: str = ""
    line: int | None = None
    path: str | None = None
    csl: Reference = Field(default_factory=Reference)
    doi: str | None = None
    doi_source: DOISource | None = None  # where the DOI came from: the text, a bibliography, a search
    search_score: float | None = None  # how well the search result fits, for a DOI found by search
    search_certain: bool | None = None  # False: only probable, its findings one level lower
    status: Status = "no-doi"
    record: Reference | None = None  # the registered metadata, once looked up
    agency: str | None = None
    confidence: dict[str, float] = Field(default_factory=dict)  # the parser's, per CSL variable
    # where the parser read each field in ``raw`` (character offsets); not part of the JSON
    spans: dict[str, tuple[int, int]] = Field(default_factory=dict, exclude=True)

    @field_validator("csl", "record", mode="before")
    @classmethod
    def _from_item(cls, value: Any) -> Any:
        return Reference.from_csl(value) if isinstance(value, dict) else value

    @field_serializer("csl")
    def _csl_item(self, value: Reference) -> dict[str, Any]:
        return {**value.to_csl(), "id": self.id}

    @field_serializer("record")
    def _record_item(self, value: Reference | None) -> dict[str, Any] | None:
        return value.to_csl() if value is not None else None

    @property
    def name(self) -> str:
        """How messages name it: ``[3]`` for a numbered list entry, else its id."""
        return f"[{self.label}]" if self.label else self.id


class Source(BaseModel):
    """The checked document's text and format, so a report read back renders as it was built."""

    format: str
    text: str


class Report(BaseModel):
    """Everything a check found. ``failures`` are inputs that could not be read (exit code 2)."""

    version: int = 1
    document: str | None = None
    source: Source | None = None
    references: list[ReportReference] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
    failures: list[ParseFailure] = Field(default_factory=list)
    offline: bool = True
    coverage: dict[str, float | int | None] = Field(default_factory=dict)
    notices: list[str] = Field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        """Counts by severity and status, coverage, and whether the check was offline."""
        severities = Counter(f.severity.value for f in self.findings)
        statuses = Counter(r.status for r in self.references)
        return {
            "references": len(self.references),
            "citations": len(self.citations),
            "claims": len(self.claims),
            "findings": {s.value: severities.get(s.value, 0) for s in Severity},
            "status": dict(sorted(statuses.items())),
            "input_failures": len(self.failures),
            "offline": self.offline,
            "coverage": self.coverage,
        }

    def exit_code(self, fail_on: FailOn = "error") -> int:
        """The contract: 2 unusable input, 1 findings at or above ``fail_on``, else 0."""
        if any(f.severity == "error" for f in self.failures):
            return 2
        if fail_on == "never":
            return 0
        threshold = Severity(fail_on).rank
        return 1 if any(f.severity.rank >= threshold for f in self.findings) else 0

    def to_json(self) -> dict[str, Any]:
        """The ``check --format json`` contract, version 1."""
        return {
            "version": self.version,
            "document": self.document,
            "source": self.source.model_dump(mode="json") if self.source else None,
            "references": [r.model_dump(mode="json") for r in self.references],
            "citations": [c.model_dump(mode="json", exclude={"labels", "keys"})
                          for c in self.citations],
            "claims": [c.model_dump(mode="json") for c in self.claims],
            "findings": [f.model_dump(mode="json") for f in self.findings],
            "summary": self.summary(),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Report:
        """A report from its JSON form (what :meth:`to_json` wrote)."""
        summary = data.get("summary") or {}
        return cls.model_validate({
            **{k: v for k, v in data.items() if k != "summary"},
            "offline": summary.get("offline", True),
            "coverage": summary.get("coverage") or {},
        })

"""The report of a check: the references with their status, the citations, the claims and the
findings, as data. Renderers (:mod:`mascite.output`) turn it into text, JSON, SARIF...; the JSON
form (``to_json``, version 1) reads back with :meth:`Report.from_json`."""

from __future__ import annotations

from collections import Counter
from typing import Any, Literal

from pydantic import BaseModel, Field, computed_field, field_serializer, field_validator

from .csl import Reference
from .findings import Finding, ParseFailure, Severity
from .marks import Citation, Claim
from .sparse import Sparse, with_absent

__all__ = ["DOISource", "FailOn", "FindingCounts", "Report", "ReportReference", "Run", "RunSummary",
           "Source", "Status", "Summary", "report_schema"]

Status = Literal["verified", "mismatch", "not-found", "unverified", "no-doi"]
DOISource = Literal["text", "bib", "search"]
FailOn = Literal["error", "warning", "never"]


class ReportReference(Sparse):
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
    # the line of each CSL variable in a bibliography file; not part of the JSON
    field_lines: dict[str, int] = Field(default_factory=dict, exclude=True)

    def finding(self, **fields: Any) -> Finding:
        """A finding about this reference, at the line of the field it concerns when the
        bibliography gives one, else at the reference's own line."""
        line = self.field_lines.get(str(fields.get("field")), self.line)
        return Finding(**{"path": self.path, "line": line, "ref": self.id, **fields})

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


class FindingCounts(BaseModel):
    """Findings by severity."""

    error: int = 0
    warning: int = 0
    info: int = 0


class Summary(BaseModel):
    """The counts a report ends with: what tools read first."""

    references: int
    citations: int
    claims: int
    findings: FindingCounts
    status: dict[str, int]
    input_failures: int
    suppressed: int
    offline: bool
    coverage: dict[str, float | int | str | None]


class Report(BaseModel):
    """Everything a check found. ``failures`` are inputs that could not be read (exit code 2);
    ``suppressed`` the findings a comment in the document turned off."""

    version: int = 1
    document: str | None = None
    source: Source | None = None
    references: list[ReportReference] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
    suppressed: list[Finding] = Field(default_factory=list)
    notices: list[str] = Field(default_factory=list)
    failures: list[ParseFailure] = Field(default_factory=list, exclude=True)
    offline: bool = Field(True, exclude=True)
    coverage: dict[str, float | int | str | None] = Field(default_factory=dict, exclude=True)
    parts: list[str] = Field(default_factory=list, exclude=True)  # LaTeX files it reads in

    @computed_field(alias="summary")  # type: ignore[prop-decorator]
    @property
    def summary_counts(self) -> Summary:
        """Counts by severity and status, coverage, and whether the check was offline."""
        severities = Counter(f.severity.value for f in self.findings)
        statuses = Counter(r.status for r in self.references)
        return Summary(
            references=len(self.references), citations=len(self.citations),
            claims=len(self.claims), findings=FindingCounts(**severities),
            status=dict(sorted(statuses.items())), input_failures=len(self.failures),
            suppressed=len(self.suppressed), offline=self.offline, coverage=self.coverage)

    def summary(self) -> dict[str, Any]:
        """:attr:`summary_counts` as a dict, as the JSON report holds it."""
        return self.summary_counts.model_dump(mode="json")

    def exit_code(self, fail_on: FailOn = "error") -> int:
        """The contract: 2 unusable input, 1 findings at or above ``fail_on``, else 0."""
        if any(f.severity == "error" for f in self.failures):
            return 2
        if fail_on == "never":
            return 0
        threshold = Severity(fail_on).rank
        return 1 if any(f.severity.rank >= threshold for f in self.findings) else 0

    def to_json(self) -> dict[str, Any]:
        """The ``check --format json`` contract, version 1 (its schema: :func:`report_schema`)."""
        return _whole(self.model_dump(mode="json", by_alias=True))

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Report:
        """A report from its JSON form (what :meth:`to_json` wrote)."""
        summary = data.get("summary") or {}
        return cls.model_validate({
            **{k: v for k, v in data.items() if k != "summary"},
            "offline": summary.get("offline", True),
            "coverage": summary.get("coverage") or {},
        })


class Run(BaseModel):
    """The reports of one ``mascite check`` over many files: one report per file."""

    version: int = 1
    reports: list[Report] = Field(default_factory=list)

    @computed_field(alias="summary")  # type: ignore[prop-decorator]
    @property
    def summary_counts(self) -> RunSummary:
        """Files checked, and findings by severity over all of them."""
        counts = Counter(f.severity.value for r in self.reports for f in r.findings)
        return RunSummary(files=len(self.reports), findings=FindingCounts(**counts),
                          input_failures=sum(len(r.failures) for r in self.reports),
                          suppressed=sum(len(r.suppressed) for r in self.reports))

    def exit_code(self, fail_on: FailOn = "error") -> int:
        """The worst of the reports' exit codes."""
        return max((r.exit_code(fail_on) for r in self.reports), default=0)

    def to_json(self) -> dict[str, Any]:
        """The JSON of a run over many files: each report as :meth:`Report.to_json` writes it."""
        data = self.model_dump(mode="json", by_alias=True)
        data["reports"] = [_whole(report) for report in data["reports"]]
        return data


def _whole(report: dict[str, Any]) -> dict[str, Any]:
    """A report's JSON with every field of each reference, as the contract has them."""
    report["references"] = [with_absent(ReportReference, r) for r in report["references"]]
    return report


class RunSummary(BaseModel):
    """The counts over all files of a run."""

    files: int
    findings: FindingCounts
    input_failures: int
    suppressed: int


def report_schema(kind: Literal["report", "run"] = "report") -> dict[str, Any]:
    """The JSON schema of what :meth:`Report.to_json` (or :meth:`Run.to_json`) writes."""
    model: type[BaseModel] = Report if kind == "report" else Run
    schema = model.model_json_schema(mode="serialization", by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://pypi.org/project/mascite/{kind}-1.schema.json"
    return schema

"""The data model every stage shares: CSL items, citation marks and claims, findings, reports."""

from __future__ import annotations

from ..text.fold import plain_text
from .csl import DATE_VARIABLES, NAME_VARIABLES, Date, Name, Reference
from .findings import RULES, Finding, ParseFailure, Rule, Severity
from .marks import Citation, Claim
from .report import Report, ReportReference, Run, Source, report_schema

__all__ = [
    "DATE_VARIABLES",
    "NAME_VARIABLES",
    "RULES",
    "Citation",
    "Claim",
    "Date",
    "Finding",
    "Name",
    "ParseFailure",
    "Reference",
    "Report",
    "ReportReference",
    "Rule",
    "Run",
    "Severity",
    "Source",
    "plain_text",
    "report_schema",
]

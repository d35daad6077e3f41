"""mascite: citation management for scientific content.

Parse reference lists and bibliography files, link claims to citations, and report what is
missing or wrong. The names in ``__all__`` are the public API; everything else may change.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from .check import check, check_document
from .document import Document, parse_document, read_document
from .errors import FormatError, IdentifierError, InputError, MasciteError, NotAvailableError
from .identifiers import doi_problem, doi_url, find_dois, normalize_doi
from .model import (
    Citation,
    Claim,
    Date,
    Finding,
    Name,
    ParseFailure,
    Reference,
    Severity,
    plain_text,
)
from .report import Report, ReportReference, render_report
from .sources import (
    Bibliography,
    ParsedReference,
    format_names,
    get_format,
    read_references,
    read_references_text,
    write_references,
)

try:
    __version__ = version("mascite")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0"

__all__ = [
    "Bibliography",
    "Citation",
    "Claim",
    "Date",
    "Document",
    "Finding",
    "FormatError",
    "IdentifierError",
    "InputError",
    "MasciteError",
    "Name",
    "NotAvailableError",
    "ParseFailure",
    "ParsedReference",
    "Reference",
    "Report",
    "ReportReference",
    "Severity",
    "__version__",
    "check",
    "check_document",
    "doi_problem",
    "doi_url",
    "find_dois",
    "format_names",
    "get_format",
    "normalize_doi",
    "parse_document",
    "plain_text",
    "read_document",
    "read_references",
    "read_references_text",
    "render_report",
    "write_references",
]

"""mascite: citation management for scientific content.

Parse reference lists and bibliography files, link claims to citations, and report what is
missing or wrong. The names in ``__all__`` are the public API; everything else may change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    __version__: str
    from .checks.pipeline import check, check_document
    from .csl.format import Formatter, format_bibliography
    from .document import Document, parse_document, read_document
    from .errors import FormatError, IdentifierError, InputError, MasciteError, NotAvailableError
    from .formats import (
        Bibliography,
        ParsedReference,
        format_names,
        get_format,
        read_references,
        read_references_text,
        write_references,
    )
    from .identifiers import doi_problem, doi_url, find_dois, normalize_doi
    from .model import (
        Citation,
        Claim,
        Date,
        Finding,
        Name,
        ParseFailure,
        Reference,
        Report,
        ReportReference,
        Severity,
        plain_text,
    )
    from .output import render_report

# Where each public name lives. They are imported on first use (PEP 562), so that a command or
# an import that needs the formatter does not pay for the HTTP client, and the reverse.
_HOMES = {
    "document": ("Document", "parse_document", "read_document"),
    "errors": ("FormatError", "IdentifierError", "InputError", "MasciteError",
               "NotAvailableError"),
    "identifiers": ("doi_problem", "doi_url", "find_dois", "normalize_doi"),
    "model": ("Citation", "Claim", "Date", "Finding", "Name", "ParseFailure", "Reference",
              "Report", "ReportReference", "Severity", "plain_text"),
    "checks.pipeline": ("check", "check_document"),
    "csl.format": ("Formatter", "format_bibliography"),
    "output": ("render_report",),
    "formats": ("Bibliography", "ParsedReference", "format_names", "get_format",
                "read_references", "read_references_text", "write_references"),
}
_HOME = {name: module for module, names in _HOMES.items() for name in names}


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            value: Any = version("mascite")
        except PackageNotFoundError:  # pragma: no cover - a source tree without install
            value = "0.0.0"
    elif name in _HOME:
        from importlib import import_module

        value = getattr(import_module(f".{_HOME[name]}", __name__), name)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


__all__ = [
    "Bibliography",
    "Citation",
    "Claim",
    "Date",
    "Document",
    "Finding",
    "FormatError",
    "Formatter",
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
    "format_bibliography",
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

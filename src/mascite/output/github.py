"""GitHub workflow annotations (``::error file=…,line=…::message``). Pure: a report in, text
out; every value escaped as the workflow-command syntax requires."""

from __future__ import annotations

from collections.abc import Sequence

from ..model import Report, Severity
from ..text.printable import printable

__all__ = ["render_github"]


def _escape_data(text: str) -> str:
    text = printable(text, keep="\r\n")  # data never drives the terminal of a log viewer
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(reports: Report | Sequence[Report]) -> str:
    """``::error file=…,line=…,col=…,title=…::message`` lines for GitHub Actions."""
    lines = []
    batch = [reports] if isinstance(reports, Report) else list(reports)
    for report, finding in ((r, f) for r in batch for f in r.findings):
        command = {Severity.ERROR: "error", Severity.WARNING: "warning",
                   Severity.INFO: "notice"}[finding.severity]
        properties = []
        path = finding.path or report.document
        if path:
            properties.append(f"file={_escape_property(path)}")
        if finding.line:
            properties.append(f"line={finding.line}")
        if finding.column:
            properties.append(f"col={finding.column}")
        properties.append(f"title={_escape_property('mascite ' + finding.code)}")
        message = finding.message + (f" Suggestion: {finding.suggestion}" if finding.suggestion
                                     else "")
        lines.append(f"::{command} {','.join(properties)}::{_escape_data(message)}")
    return "\n".join(lines) + ("\n" if lines else "")

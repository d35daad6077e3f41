"""Renderers of a :class:`~mascite.model.Report`, behind one registry: ``text`` for people,
``json`` (the version-1 contract), ``sarif``, ``junit`` and ``github`` for machines, ``html`` for
editors. Each is pure (a report in, text out) and imported on first use."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import cast

from ..errors import NotAvailableError
from ..model import Report, Run

__all__ = ["RENDERERS", "render_report"]

# name -> (module, function); imported when first asked for
RENDERERS: dict[str, tuple[str, str]] = {
    "text": ("text", "render_text"), "json": ("json_report", "render_json"),
    "sarif": ("sarif", "render_sarif"), "junit": ("junit", "render_junit"),
    "github": ("github", "render_github"), "html": ("html_page", "render_html"),
}


def render_report(report: Report | Run, format: str, colour: bool = False,
                  show_suppressed: bool = False) -> str:
    """Render a report (or the reports of a run over many files) by format name: text (with
    terminal ``colour`` if asked), json, sarif, junit, github or html; ``show_suppressed``
    lists the findings comments suppressed (text, SARIF)."""
    if format not in RENDERERS:
        raise NotAvailableError(f"unknown report format {format!r}: use one of "
                                f"{', '.join(RENDERERS)}")
    module, name = RENDERERS[format]
    render = cast(Callable[..., str], getattr(import_module(f".{module}", __name__), name))
    reports = report.reports if isinstance(report, Run) else report
    if isinstance(reports, list) and len(reports) == 1:
        reports = reports[0]
    if format == "text":
        return render(reports, colour=colour, show_suppressed=show_suppressed)
    if format == "sarif":
        return render(reports, show_suppressed=show_suppressed)
    return render(reports)

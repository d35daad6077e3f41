"""Renderers of a :class:`~mascite.model.Report`, behind one registry: ``text`` for people,
``json`` (the version-1 contract), ``sarif``, ``junit`` and ``github`` for machines, ``html`` for
editors. Each is pure (a report in, text out) and imported on first use."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import cast

from ..errors import NotAvailableError
from ..model import Report

__all__ = ["RENDERERS", "render_report"]

# name -> (module, function); imported when first asked for
RENDERERS: dict[str, tuple[str, str]] = {
    "text": ("text", "render_text"), "json": ("json_report", "render_json"),
    "sarif": ("sarif", "render_sarif"), "junit": ("junit", "render_junit"),
    "github": ("github", "render_github"), "html": ("html_page", "render_html"),
}


def render_report(report: Report, format: str, colour: bool = False) -> str:
    """Render by format name: text (with terminal ``colour`` if asked), json, sarif, junit,
    github or html."""
    if format not in RENDERERS:
        raise NotAvailableError(f"unknown report format {format!r}: use one of "
                                f"{', '.join(RENDERERS)}")
    module, name = RENDERERS[format]
    render = cast(Callable[..., str], getattr(import_module(f".{module}", __name__), name))
    return render(report, colour=colour) if format == "text" else render(report)

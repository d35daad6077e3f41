"""The report as JSON: the ``check --format json`` contract, version 1."""

from __future__ import annotations

import json

from ..model import Report

__all__ = ["render_json"]


def render_json(report: Report) -> str:
    """:meth:`Report.to_json`, indented, non-ASCII kept as is."""
    return json.dumps(report.to_json(), ensure_ascii=False, indent=2) + "\n"

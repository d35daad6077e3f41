"""The report as JSON: the ``check --format json`` contract, version 1; its schema is
:func:`mascite.model.report_schema` (``mascite schema``)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from ..model import Report, Run

__all__ = ["render_json"]


def render_json(reports: Report | Sequence[Report]) -> str:
    """:meth:`Report.to_json` for one file, :meth:`Run.to_json` for many; indented, non-ASCII
    kept as is."""
    if isinstance(reports, Report):
        data = reports.to_json()
    else:
        data = reports[0].to_json() if len(reports) == 1 else Run(reports=list(reports)).to_json()
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"

"""SARIF 2.1.0, for code-scanning UIs (GitHub's among them). Pure: a report in, text out."""

from __future__ import annotations

import json
from collections.abc import Sequence

from ..model import RULES, Report, Severity

__all__ = ["render_sarif"]

_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def render_sarif(reports: Report | Sequence[Report], show_suppressed: bool = False) -> str:
    """SARIF 2.1.0: one result per finding (of every file), one rule per finding code;
    with ``show_suppressed``, suppressed findings too, marked as suppressed in the source."""
    from .. import __version__

    batch = [reports] if isinstance(reports, Report) else list(reports)
    shown = [(r, f, False) for r in batch for f in r.findings]
    if show_suppressed:
        shown += [(r, f, True) for r in batch for f in r.suppressed]
    codes = sorted({f.code for _, f, _ in shown})
    results = []
    for report, finding, suppressed in shown:
        result: dict[str, object] = {
            "ruleId": finding.code, "level": _SARIF_LEVEL[finding.severity],
            "message": {"text": finding.message + (f" Suggestion: {finding.suggestion}"
                                                   if finding.suggestion else "")},
        }
        path = finding.path or report.document
        if path:
            region: dict[str, int] = {}
            if finding.line:
                region["startLine"] = finding.line
                if finding.column:
                    region["startColumn"] = finding.column
            location: dict[str, object] = {"artifactLocation": {"uri": path}}
            if region:
                location["region"] = region
            result["locations"] = [{"physicalLocation": location}]
        if finding.field or finding.expected or finding.found:
            result["properties"] = {k: v for k, v in (("field", finding.field),
                                                      ("expected", finding.expected),
                                                      ("found", finding.found),
                                                      ("reference", finding.ref)) if v}
        if suppressed:
            result["suppressions"] = [{"kind": "inSource"}]
        results.append(result)
    sarif = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "mascite", "version": __version__,
                "informationUri": "https://pypi.org/project/mascite/",
                "rules": [{"id": code, "name": code,
                           "shortDescription": {"text": RULES[code].summary if code in RULES else code}}
                          for code in codes]}},
            "results": results,
        }],
    }
    return json.dumps(sarif, ensure_ascii=False, indent=2) + "\n"

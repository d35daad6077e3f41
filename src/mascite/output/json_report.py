"""The report as JSON: the ``check --format json`` contract, version 1; its schema is
:func:`mascite.model.report_schema` (``mascite schema``).

:func:`iter_json` writes it in pieces, each item of a report's lists dumped on its own: a report
on a bibliography of 100,000 entries is never held as one dict (several times the file) and
one string besides. The pieces join to exactly what ``json.dumps(report.to_json(), indent=2)``
gives."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import Any

from ..model import Report, ReportReference, Run
from ..model.sparse import with_absent

__all__ = ["iter_json", "render_json"]

_LISTS = ("references", "citations", "claims", "findings", "suppressed")  # dumped item by item


def render_json(reports: Report | Sequence[Report]) -> str:
    """:meth:`Report.to_json` for one file, :meth:`Run.to_json` for many; indented, non-ASCII
    kept as is."""
    return "".join(iter_json(reports))


def iter_json(reports: Report | Sequence[Report]) -> Iterator[str]:
    """:func:`render_json`'s text in pieces."""
    if isinstance(reports, Report) or len(reports) == 1:
        yield from _report(reports if isinstance(reports, Report) else reports[0], 0)
        yield "\n"
        return
    run = Run(reports=list(reports))
    head = run.model_dump(mode="json", by_alias=True, exclude={"reports"})
    yield '{\n  "version": ' + _dumps(head["version"], 1) + ',\n  "reports": ['
    for number, report in enumerate(run.reports):
        yield ("\n    " if number == 0 else ",\n    ")
        yield from _report(report, 2)
    yield ("\n  ]" if run.reports else "]") + ',\n  "summary": ' + _dumps(head["summary"], 1)
    yield "\n}\n"


def _report(report: Report, level: int) -> Iterator[str]:
    head = report.model_dump(mode="json", by_alias=True, exclude=set(_LISTS))
    pad = "  " * (level + 1)
    for number, key in enumerate(_report_keys()):
        yield ("{\n" if number == 0 else ",\n") + pad + json.dumps(key) + ": "
        if key not in _LISTS:
            yield _dumps(head[key], level + 1)
            continue
        items = getattr(report, key)
        for index, item in enumerate(items):
            data = item.model_dump(mode="json", by_alias=True)
            if key == "references":
                data = with_absent(ReportReference, data)
            yield ("[\n" if index == 0 else ",\n") + pad + "  " + _dumps(data, level + 2)
        yield ("\n" + pad + "]") if items else "[]"
    yield "\n" + "  " * level + "}"


@lru_cache(maxsize=1)
def _report_keys() -> tuple[str, ...]:
    return tuple(Report().to_json())


def _dumps(value: Any, level: int) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + "  " * level)

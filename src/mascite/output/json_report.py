"""The report as JSON: the ``check --format json`` contract, version 1; its schema is
:func:`mascite.model.report_schema` (``mascite schema``).

:func:`iter_json` writes it in pieces, each item of a report's lists dumped on its own: a report
on a bibliography of 100,000 entries is never held as one dict (several times the file) and
one string besides. The pieces join to exactly what ``json.dumps(report.to_json(), indent=2)``
gives."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import lru_cache
from typing import Any

from ..model import Report, ReportReference, Run
from ..model.sparse import with_absent

__all__ = ["iter_json", "render_json"]

def render_json(reports: Report | Sequence[Report]) -> str:
    """:meth:`Report.to_json` for one file, :meth:`Run.to_json` for many; indented, non-ASCII
    kept as is."""
    return "".join(iter_json(reports))


def iter_json(reports: Report | Sequence[Report]) -> Iterator[str]:
    """:func:`render_json`'s text in pieces."""
    if isinstance(reports, Report) or len(reports) == 1:
        one = reports if isinstance(reports, Report) else reports[0]
        yield from _object(one, 0, _REPORT_LISTS)
    else:
        yield from _object(Run(reports=list(reports)), 0, _RUN_LISTS)
    yield "\n"


Pieces = Callable[[Any, int], Iterator[str]]  # an item of a list, at an indentation level


def _object(model: Report | Run, level: int, lists: Mapping[str, Pieces]) -> Iterator[str]:
    """``model``'s JSON object, as ``json.dumps(model.to_json(), indent=2)`` writes it at
    ``level``, with the lists named in ``lists`` written item by item."""
    head = model.model_dump(mode="json", by_alias=True, exclude=set(lists))
    pad = "  " * (level + 1)
    for number, key in enumerate(_keys(type(model))):
        yield ("{\n" if number == 0 else ",\n") + pad + json.dumps(key) + ": "
        if key not in lists:
            yield _dumps(head[key], level + 1)
            continue
        items = getattr(model, key)
        for index, item in enumerate(items):
            yield ("[\n" if index == 0 else ",\n") + pad + "  "
            yield from lists[key](item, level + 2)
        yield ("\n" + pad + "]") if items else "[]"
    yield "\n" + "  " * level + "}"


def _item(item: Any, level: int) -> Iterator[str]:
    yield _dumps(item.model_dump(mode="json", by_alias=True), level)


def _reference(item: ReportReference, level: int) -> Iterator[str]:
    yield _dumps(with_absent(ReportReference, item.model_dump(mode="json", by_alias=True)), level)


def _report(report: Report, level: int) -> Iterator[str]:
    return _object(report, level, _REPORT_LISTS)


_REPORT_LISTS: dict[str, Pieces] = {"references": _reference, "citations": _item,
                                    "claims": _item, "findings": _item, "suppressed": _item}
_RUN_LISTS: dict[str, Pieces] = {"reports": _report}


@lru_cache(maxsize=2)
def _keys(kind: type[Report | Run]) -> tuple[str, ...]:
    """The keys of ``to_json``, in its order."""
    return tuple(kind().to_json())


def _dumps(value: Any, level: int) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + "  " * level)

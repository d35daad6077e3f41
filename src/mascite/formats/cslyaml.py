"""CSL-YAML, pandoc's and manubot's: a YAML document whose ``references`` is a list of CSL items
(pandoc), or the list itself (manubot). Dates may be EDTF strings (``2020-05-01``, ``2020``), as
pandoc writes them; each item keeps the line it starts on. Timestamps stay text (PyYAML would
make them ``date`` objects), so a date reads as pandoc reads it."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import yaml

from ..model import DATE_VARIABLES, ParseFailure, Reference
from .base import Bibliography, BibliographyFormat
from .csljson import add_csl_item

__all__ = ["CSL_YAML", "csl_yaml_item", "edtf_date", "read_csl_items", "read_csl_yaml",
           "write_csl_yaml"]


class _Loader(yaml.SafeLoader):
    """The safe loader with no timestamps: ``2020-05-01`` stays the string pandoc reads."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}

_EDTF = re.compile(r"^(-?\d{1,4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


def edtf_date(value: Any) -> Any:
    """A CSL date from what pandoc accepts in YAML: ``2020``, ``2020-05-01``, ``2020/2021``
    (a range); other text becomes ``raw``; a date object is kept as it is."""
    if isinstance(value, int) and not isinstance(value, bool):
        return {"date-parts": [[value]]}
    if not isinstance(value, str):
        return value
    parts = []
    for piece in value.strip().split("/")[:2]:
        match = _EDTF.match(piece.strip())
        if not match:
            return {"raw": value}
        parts.append([int(p) for p in match.groups() if p is not None])
    return {"date-parts": parts} if parts else {"raw": value}


def csl_yaml_item(item: Any) -> Any:
    """An item with its EDTF date strings as CSL dates."""
    if not isinstance(item, dict):
        return item
    return {k: edtf_date(v) if k in DATE_VARIABLES else v for k, v in item.items()}


def read_csl_yaml(text: str, path: str | None = None) -> Bibliography:
    """Every valid item, and a failure (with its line) for each other one; YAML that cannot be
    read fails as a whole, as pandoc refuses it."""
    result = Bibliography(path=path, format="csl-yaml")
    loader = _Loader(text)
    try:
        return _read(loader, result, text, path)
    finally:
        loader.dispose()


def _read(loader: _Loader, result: Bibliography, text: str, path: str | None) -> Bibliography:
    try:
        root = loader.get_single_node()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        result.failures.append(ParseFailure(
            path=path, line=mark.line + 1 if mark is not None else None,
            message=f"not valid YAML: {getattr(exc, 'problem', None) or exc}"))
        return result
    except RecursionError:
        result.failures.append(ParseFailure(path=path, message="YAML nested too deeply to read"))
        return result
    items = root
    if isinstance(root, yaml.MappingNode):
        items = next((value for key, value in root.value
                      if isinstance(key, yaml.ScalarNode) and key.value == "references"), None)
    if root is None or not isinstance(items, yaml.SequenceNode):
        result.failures.append(ParseFailure(
            path=path, line=1, message="no CSL-YAML references: expected a 'references:' list "
                                       "(pandoc) or a list of CSL items (manubot)"))
        return result
    for index, node in enumerate(items.value):
        line = node.start_mark.line + 1
        try:
            value = loader.construct_document(node)
        except (yaml.YAMLError, RecursionError) as exc:
            result.failures.append(ParseFailure(path=path, line=line, kind="value",
                                                message=f"item {index + 1}: {exc}"))
            continue
        add_csl_item(result, index, csl_yaml_item(value), line, path)
    return result


def read_csl_items(items: list[Any], path: str | None = None, line: int = 1) -> Bibliography:
    """CSL items already decoded (pandoc's inline ``references:``), all said to be at ``line``."""
    result = Bibliography(path=path, format="csl-yaml")
    for index, item in enumerate(items):
        add_csl_item(result, index, csl_yaml_item(item), line, path)
    return result


def write_csl_yaml(references: Iterable[Reference]) -> str:
    """The references as pandoc's CSL-YAML: a YAML document with a ``references`` list."""
    items = [r.to_csl() for r in references]
    body = yaml.safe_dump({"references": items}, allow_unicode=True, sort_keys=False,
                          default_flow_style=False, width=100)
    return f"---\n{body}...\n"


CSL_YAML = BibliographyFormat("csl-yaml", (".yaml", ".yml"), read_csl_yaml, write_csl_yaml)

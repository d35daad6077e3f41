"""What the MkDocs and Sphinx adapters share: reading the configured bibliographies and style,
and the key under which a page's rendering is cached."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from ..csl.engines import pandoc
from ..csl.format import csl_item
from ..csl.styles import find_style
from ..formats import read_references

__all__ = ["load_bibliographies", "render_key"]


def load_bibliographies(root: Path, names: Iterable[str], style: str,
                        warn: Callable[[str], None]) -> tuple[dict[str, dict[str, Any]], Path]:
    """CSL items by citation key from every bibliography file, and the style's file; file names
    and a ``.csl`` style are relative to the site's configuration. Unreadable entries are warned
    about, not fatal: the rest of the site still builds."""
    items: dict[str, dict[str, Any]] = {}
    for name in names:
        bibliography = read_references(root / name)
        for failure in bibliography.failures:
            warn(failure.location_message())
        for index, reference in enumerate(bibliography.references):
            item = pandoc.prepare(csl_item(reference, index))
            items[str(item["id"])] = item
    return items, find_style(style if not style.endswith(".csl") else str(root / style))


def render_key(style: Path, source: str, items: list[dict[str, Any]]) -> str:
    """Rendering depends on nothing else: equal keys, equal output."""
    return hashlib.sha256(json.dumps([str(style), source, items],
                                     sort_keys=True).encode()).hexdigest()

"""Bibliographies in any CSL style, behind one small interface: references in, formatted entries
out, in the style's order.

The engine is pandoc's citeproc (from the ``pypandoc-binary`` wheel) with mascite's corrections
where citeproc-js, the reference processor, differs (:mod:`mascite.csl.compat`). Styles and the
engine come with the ``format`` extra: without them, formatting fails late with a message naming
the extra (the rest of mascite works).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..model import Reference
from .compat import items as compat
from .engines import pandoc
from .engines.pandoc.run import Output
from .styles import find_style, style_text

__all__ = ["Output", "csl_item", "format_bibliography"]


def csl_item(reference: Reference, index: int) -> dict[str, Any]:
    """The CSL item any processor understands: our extensions translated (an "et al." list ends
    in the name "others", which processors render as "et al.")."""
    item = reference.to_csl()
    item.setdefault("id", f"ref{index}")
    item["id"] = str(item["id"])
    if reference.truncated_authors and item.get("author"):
        item["author"] = [*item["author"], {"literal": "others"}]
    for extension in ("translated-title", "article-number", "custom"):
        item.pop(extension, None)
    return item


def format_bibliography(references: Iterable[Reference], style: str | Path = "apa", *,
                        locale: str | None = None, to: Output = "text") -> list[str]:
    """One formatted entry per reference, in the style's order."""
    items = [pandoc.prepare(csl_item(r, i)) for i, r in enumerate(references, start=1)]
    if not items:
        return []
    options = [f"--metadata=lang:{locale}"] if locale else []
    path = find_style(style)
    entries = pandoc.bibliography(items, path, to, options)
    if to == "latex":  # "{and}": our case protection, not a command's argument
        entries = [re.sub(r"(?<![A-Za-z\\}])\{([a-z]+)\}", r"\1", entry) for entry in entries]
    if compat.effective_locale(style_text(path), options).startswith("en-US"):
        entries = [compat.quotes_outside(entry) for entry in entries]
    return entries

"""Jupyter notebooks (.ipynb): their Markdown cells are the document, as Jupyter Book and
Quarto render them; code cells are code. Lines in findings count in the cells' text as joined
here (cells apart by a blank line), since the file itself is JSON."""

from __future__ import annotations

import json

from ..errors import InputError

__all__ = ["notebook_markdown"]


def _source(cell: dict[str, object]) -> str:
    source = cell.get("source", "")
    return "".join(str(s) for s in source) if isinstance(source, list) else str(source)


def notebook_markdown(text: str, path: str) -> str:
    """The notebook as Markdown: Markdown cells as written, code cells fenced."""
    try:
        notebook = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise InputError(f"is not a Jupyter notebook (not valid JSON: {exc})", path=path) from exc
    cells = notebook.get("cells") if isinstance(notebook, dict) else None
    if not isinstance(cells, list):
        raise InputError("is not a Jupyter notebook (no list of cells)", path=path)
    parts = []
    for cell in cells:
        if not isinstance(cell, dict):
            continue
        body = _source(cell).strip("\n")
        if cell.get("cell_type") == "markdown":
            parts.append(body)
        elif body:
            fence = "`" * max(3, max((len(r) for r in body.split("\n") if set(r) == {"`"}),
                                     default=0) + 1)
            parts.append(f"{fence}\n{body}\n{fence}")
    return "\n\n".join(parts) + "\n"

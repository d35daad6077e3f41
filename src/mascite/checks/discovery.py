"""Which files ``mascite check PATH...`` reads: files named are read (unless excluded and
``force_exclude``); folders are walked for the suffixes mascite reads, honouring ``.gitignore``
files (as git reads them: from the repository's top down), the default excludes (virtual
environments, build output, hidden folders) and the ``exclude`` setting."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pathspec

from ..document import DOCUMENT_FORMATS
from .config import Settings
from .selection import globs, relative_posix

__all__ = ["DEFAULT_EXCLUDE", "WALKED_SUFFIXES", "Candidate", "SettingsOf", "discover"]

SettingsOf = Callable[[Path], Settings]  # the settings a file or folder is checked with

# what a folder walk picks up; a bibliography named on its own is read whatever its suffix
WALKED_SUFFIXES = frozenset({*DOCUMENT_FORMATS, ".docx", ".ipynb", ".bib", ".ris", ".json",
                             ".yaml", ".yml"})
DEFAULT_EXCLUDE = (".git/", ".hg/", ".svn/", ".venv/", "venv/", ".tox/", ".nox/", "node_modules/",
                   "__pycache__/", "_build/", "site/", "build/", "dist/", ".*/", "*.egg-info/")
# among XML, JSON and YAML files, a walk takes only JATS articles and CSL bibliographies
_SNIFFED: dict[str, Callable[[bytes], bool]] = {
    ".xml": lambda head: b"<article" in head, ".nxml": lambda head: b"<article" in head,
    ".json": lambda head: head.lstrip()[:1] in (b"[", b"{") and b'"id"' in head
    and b'"type"' in head,
    ".yaml": lambda head: re.search(rb"(?m)^(?:references:|- id:)", head) is not None,
    ".yml": lambda head: re.search(rb"(?m)^(?:references:|- id:)", head) is not None,
}


@dataclass(frozen=True)
class Candidate:
    """A file to check, and whether it was named (not found by walking a folder)."""

    path: Path
    named: bool


def _git_top(folder: Path) -> Path | None:
    for directory in (folder, *folder.parents):
        if (directory / ".git").exists():
            return directory
    return None


class _Ignores:
    """The ``.gitignore`` files that apply under a repository, read once per folder."""

    def __init__(self) -> None:
        self._specs: dict[Path, pathspec.GitIgnoreSpec | None] = {}

    def _spec(self, folder: Path) -> pathspec.GitIgnoreSpec | None:
        if folder not in self._specs:
            file = folder / ".gitignore"
            try:
                lines = file.read_text(encoding="utf-8", errors="replace").splitlines()
            except OSError:
                lines = []
            self._specs[folder] = pathspec.GitIgnoreSpec.from_lines(lines) \
                if lines else None
        return self._specs[folder]

    def ignored(self, path: Path, is_dir: bool) -> bool:
        """Whether a ``.gitignore`` between the repository's top and the path ignores it."""
        top = _git_top(path.parent)
        if top is None:
            return False
        for folder in (path.parent, *path.parent.parents):
            spec = self._spec(folder)
            if spec is not None:
                relative = path.relative_to(folder).as_posix() + ("/" if is_dir else "")
                if spec.match_file(relative):
                    return True
            if folder == top:
                break
        return False


def _wanted(path: Path) -> bool:
    suffix = path.suffix.lower()
    if suffix not in WALKED_SUFFIXES:
        return False
    sniff = _SNIFFED.get(suffix)
    if sniff is None:
        return True
    try:
        with path.open("rb") as handle:
            return sniff(handle.read(4096))
    except OSError:
        return True  # reading it will say what is wrong


def _excluded(path: Path, is_dir: bool, settings: Settings) -> bool:
    """The defaults name folders, matched by name; the settings' patterns match the path
    relative to the configuration's folder, as ``.gitignore`` lines do."""
    slash = "/" if is_dir else ""
    if settings.exclude is None and _DEFAULTS.match_file(path.name + slash):
        return True
    patterns = [*(settings.exclude or ()), *settings.extend_exclude]
    return bool(patterns) and globs(patterns).match_file(relative_posix(path, settings.root)
                                                         + slash)


_DEFAULTS = globs(DEFAULT_EXCLUDE)


def discover(paths: Iterable[str | Path], settings_of: SettingsOf, *,
             force_exclude: bool = False) -> Iterator[Candidate]:
    """The files to check, in the order given, folders sorted by name; each once."""
    ignores = _Ignores()
    seen: set[Path] = set()
    for given in paths:
        path = Path(given)
        if not path.is_dir():
            settings = settings_of(path)
            if force_exclude and (_excluded(path.resolve(), False, settings) or (
                    settings.respect_gitignore and ignores.ignored(path.resolve(), False))):
                continue
            if path.resolve() not in seen:
                seen.add(path.resolve())
                yield Candidate(path, named=True)
            continue
        for file in _walk(path, settings_of, ignores):
            if file.resolve() not in seen:
                seen.add(file.resolve())
                yield Candidate(file, named=False)


def _walk(top: Path, settings_of: SettingsOf, ignores: _Ignores) -> Iterator[Path]:
    for folder, dirs, files in os.walk(top):
        here = Path(folder)
        settings = settings_of(here)
        kept = []
        for name in sorted(dirs):
            child = here / name
            if _excluded(child.resolve(), True, settings) or (
                    settings.respect_gitignore and ignores.ignored(child.resolve(), True)):
                continue
            kept.append(name)
        dirs[:] = kept
        for name in sorted(files):
            file = here / name
            if not _wanted(file) or _excluded(file.resolve(), False, settings) or (
                    settings.respect_gitignore and ignores.ignored(file.resolve(), False)):
                continue
            yield file

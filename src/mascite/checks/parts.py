"""The files a LaTeX document reads into itself (``\\input``, ``\\include``, ``\\subfile``), found
as TeX finds them: relative to the folder the main document is compiled in (for a part's own
parts too), ``.tex`` added when the name has no extension (``\\input`` then tries the name as it
is; ``\\include`` always adds it). A part that is not there is a warning naming it and the line."""

from __future__ import annotations

from pathlib import Path

from ..document import Document
from ..model import ParseFailure

__all__ = ["document_parts"]


def _candidates(command: str, name: str, folder: Path) -> list[Path]:
    path = folder / name
    if command == "include":
        return [path.with_name(path.name + ".tex")]
    if path.suffix:
        return [path]
    return [path.with_name(path.name + ".tex"), path]


def document_parts(document: Document, root: Path | None = None) -> tuple[list[str],
                                                                          list[ParseFailure]]:
    """The part files of a document (``root``: the main document's folder, default the
    document's own), and a warning for each part that cannot be found."""
    if not document.metadata.parts or document.path is None:
        return [], []
    folder = root if root is not None else Path(document.path).parent
    found: list[str] = []
    failures: list[ParseFailure] = []
    for command, name, line in document.metadata.parts:
        files = _candidates(command, name, folder)
        existing = next((f for f in files if f.is_file()), None)
        if existing is not None:
            found.append(str(existing))
            continue
        failures.append(ParseFailure(
            path=document.path, line=line, kind="io", severity="warning",
            raw=f"\\{command}{{{name}}}",
            message=f"\\{command}{{{name}}}: there is no file {str(files[0])!r}, so its "
                    f"citations and claims are not checked"))
    return found, failures

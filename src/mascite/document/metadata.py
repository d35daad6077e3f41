"""What a document says about its own bibliography, read as pandoc and LaTeX read it: pandoc's
YAML front matter (``bibliography``, ``references``, ``nocite``) and LaTeX's ``\\bibliography``,
``\\addbibresource``. Pure: names as written; the checker resolves them beside the document."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from ..model import ParseFailure
from ..text.latex import blank_comments

__all__ = ["Metadata", "front_matter", "latex_metadata", "markdown_metadata"]

# pandoc's yaml_metadata_block at the top: "---" and, not after a blank line, YAML up to a
# line "---" or "..."
_FRONT = re.compile(r"\A(?:\ufeff)?---[ \t]*\r?\n(?![ \t]*\r?\n)(?P<yaml>.*?)^(?:---|\.\.\.)[ \t]*$",
                    re.S | re.M)
_NOCITE_KEY = re.compile(r"@(\*|[\w][\w:.#$%&+?<>~/\-]*[\w]|\w|\{[^{}]+\})")
_LATEX_INPUT = re.compile(r"\\(?P<command>input|include|subfile)\s*\{(?P<name>[^{}]+)\}")
_LATEX_BIB = re.compile(r"\\(?P<command>bibliography|addbibresource|addglobalbib)\s*"
                        r"(?:\[[^\]]*\])?\s*\{(?P<names>[^{}]*)\}")


@dataclass
class Metadata:
    """Bibliography files the document names, references it holds inline (CSL items), keys it
    lists without citing (``nocite``), and where its front matter is."""

    bibliographies: list[str] = field(default_factory=list)
    references: list[Any] = field(default_factory=list)
    nocite: list[str] = field(default_factory=list)
    parts: list[tuple[str, str, int]] = field(default_factory=list)  # command, name, line
    span: tuple[int, int] | None = None
    failures: list[ParseFailure] = field(default_factory=list)


def front_matter(text: str) -> tuple[int, int, str] | None:
    """The span of a leading YAML metadata block and its YAML text, or ``None``."""
    match = _FRONT.match(text)
    return (match.start(), match.end(), match.group("yaml")) if match else None


def markdown_metadata(text: str, path: str | None = None) -> Metadata:
    """The front matter's bibliography fields; YAML pandoc would refuse is a failure."""
    found = front_matter(text)
    if found is None:
        return Metadata()
    start, end, source = found
    metadata = Metadata(span=(start, end))
    try:
        data = yaml.safe_load(source)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = 2 + (mark.line if mark is not None else 0)
        metadata.failures.append(ParseFailure(
            path=path, line=line, kind="syntax", raw=source[:200],
            message=f"the YAML front matter cannot be read: {getattr(exc, 'problem', exc)}"))
        return metadata
    if not isinstance(data, dict):
        return metadata
    names = data.get("bibliography")
    for name in names if isinstance(names, list) else [names] if names is not None else []:
        if isinstance(name, str) and name.strip():
            metadata.bibliographies.append(name.strip())
    references = data.get("references")
    if isinstance(references, list):
        metadata.references = references
    nocite = data.get("nocite")
    if isinstance(nocite, str):
        metadata.nocite = [k.strip("{}") for k in _NOCITE_KEY.findall(nocite)]
    return metadata


def latex_metadata(text: str, path: str | None = None) -> Metadata:
    """``\\bibliography{a,b}`` (BibTeX adds ``.bib``) and biblatex's ``\\addbibresource{a.bib}``,
    and the parts the document reads (``\\input``, ``\\include``, ``\\subfile``), outside
    comments."""
    metadata = Metadata()
    uncommented = blank_comments(text)
    for match in _LATEX_INPUT.finditer(uncommented):
        metadata.parts.append((match.group("command"), match.group("name").strip(),
                               text.count("\n", 0, match.start()) + 1))
    for match in _LATEX_BIB.finditer(uncommented):
        for name in match.group("names").split(","):
            name = name.strip()
            if not name:
                continue
            if match.group("command") == "bibliography" and not name.endswith(".bib"):
                name += ".bib"
            metadata.bibliographies.append(name)
    return metadata

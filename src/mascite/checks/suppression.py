"""Suppression in the document itself, in the comment syntax of its format:
``<!-- mascite: ignore[uncited-claim] -->`` (Markdown, HTML, JATS), ``% mascite: ignore`` (LaTeX,
BibTeX), ``.. mascite: ignore[...]`` (reST). On a line of its own, a comment covers the next block
(up to a blank line); after text, the block it ends; ``ignore-file`` covers the whole file.
Without codes, every rule is suppressed. Parse errors are never suppressed."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import RULES, Finding, Severity
from .selection import FAMILIES, expand_rules

__all__ = ["Suppression", "find_suppressions", "is_suppressed", "may_hold_suppressions"]

_DIRECTIVE = re.compile(
    r"(?:<!--|(?<!\\)%|^[ \t]*\.\.|^[ \t]*//)[ \t]*mascite:[ \t]*(ignore-file|ignore)"
    r"(?:\[([^\]\n]*)\])?", re.MULTILINE)


@dataclass(frozen=True)
class Suppression:
    """Rules (None: all) suppressed on lines ``first``..``last`` (1-based, inclusive), or in the
    whole file."""

    line: int  # where the comment is
    first: int
    last: int
    codes: frozenset[str] | None
    whole_file: bool = False

    def covers(self, finding: Finding) -> bool:
        """Whether it covers the finding's line (a finding with no line: only a whole file's)."""
        if finding.code == "parse-error" or (self.codes is not None
                                              and finding.code not in self.codes):
            return False
        if self.whole_file:
            return True
        return finding.line is not None and self.first <= finding.line <= self.last


def _block(lines: list[str], start: int) -> tuple[int, int]:
    """0-based ``start``'s block: the lines up to (not over) a blank line either side."""
    first = start
    while first > 0 and lines[first - 1].strip():
        first -= 1
    last = start
    while last + 1 < len(lines) and lines[last + 1].strip():
        last += 1
    return first, last


_CLOSE = re.compile(r"[ \t]*(?:-->)?")


def may_hold_suppressions(data: bytes) -> bool:
    """Whether a file's bytes can hold a suppression comment (each names ``mascite:``), in
    UTF-8 or UTF-16: one that cannot need not be decoded to look."""
    return any(mark in data for mark in _MARKS)


_MARKS = tuple("mascite:".encode(codec) for codec in ("utf-8", "utf-16-le", "utf-16-be"))


def find_suppressions(text: str, path: str | None = None) -> tuple[list[Suppression],
                                                                     list[Finding]]:
    """The suppressions a text holds, and a warning for each rule name that is not one."""
    out: list[Suppression] = []
    problems: list[Finding] = []
    lines: list[str] = []  # split only when there is a comment (a long .bib has none)
    for match in _DIRECTIVE.finditer(text):
        lines = lines or text.splitlines()
        row = text.count("\n", 0, match.start())
        line_start = text.rfind("\n", 0, match.start()) + 1
        names = [n.strip() for n in (match.group(2) or "").split(",") if n.strip()]
        unknown = [n for n in names if n not in RULES and n not in FAMILIES and n != "ALL"]
        if unknown:
            problems.append(Finding(
                code="parse-error", severity=Severity.WARNING, path=path, line=row + 1,
                message=f"a 'mascite: ignore' comment names no known rule: "
                        f"{', '.join(unknown)} (see `mascite rules`)"))
        codes = expand_rules([n for n in names if n not in unknown], "") if names else None
        if names and not codes:
            continue
        if match.group(1) == "ignore-file":
            out.append(Suppression(row + 1, 1, len(lines), codes, whole_file=True))
            continue
        line = lines[row]
        before = line[:match.start() - line_start]
        end = match.end() - line_start
        close = _CLOSE.match(line, end)
        after = line[close.end():] if close is not None else ""
        if before.strip() or after.strip():  # after text, or before it: that block
            first, last = _block(lines, row)
        else:  # on a line of its own: the next block
            start = row + 1
            while start < len(lines) and not lines[start].strip():
                start += 1
            if start >= len(lines):
                continue
            first, last = _block(lines, start)
            first = max(first, row + 1)
        out.append(Suppression(row + 1, first + 1, last + 1, codes))
    return out, problems


def is_suppressed(finding: Finding, suppressions: list[Suppression]) -> bool:
    """Whether a comment in the file covers the finding."""
    return any(item.covers(finding) for item in suppressions)

"""Which rules a run reports, as in ruff: ``select`` (codes, families or ``ALL``), then
``extend-select``, minus ``ignore``, minus ``per-file-ignores`` for files matching a glob. A
name that is neither a rule nor a family is an error, so a typo never turns a check off."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pathspec

from ..errors import ConfigError
from ..model import RULES, Finding

__all__ = ["ALL", "FAMILIES", "Selection", "expand_rules", "globs", "relative_posix"]

ALL = "ALL"
FAMILIES = frozenset(rule.family for rule in RULES.values())


def expand_rules(names: Iterable[str], where: str) -> frozenset[str]:
    """Rule codes for names that are codes, families (``verify``) or ``ALL``."""
    codes: set[str] = set()
    for name in names:
        key = name.strip()
        if key == ALL:
            codes.update(RULES)
        elif key in RULES:
            codes.add(key)
        elif key in FAMILIES:
            codes.update(code for code, rule in RULES.items() if rule.family == key)
        else:
            raise ConfigError(f"{where}: unknown rule {name!r} (see `mascite rules`; families: "
                              f"{', '.join(sorted(FAMILIES))})")
    return frozenset(codes)


def relative_posix(path: str | Path, root: Path) -> str:
    """A file's path relative to the configuration's folder, with forward slashes (as given when
    it lies outside that folder)."""
    candidate = Path(path)
    try:
        return candidate.resolve().relative_to(root.resolve()).as_posix()
    except (ValueError, OSError):
        return candidate.as_posix()


def globs(patterns: Iterable[str]) -> pathspec.GitIgnoreSpec:
    """Patterns read as ``.gitignore`` lines are (``*.md``: any folder; ``drafts/``: a folder)."""
    return pathspec.GitIgnoreSpec.from_lines(patterns)


@dataclass(frozen=True)
class Selection:
    """The rules reported, overall and per file."""

    codes: frozenset[str] = frozenset(RULES)
    per_file: tuple[tuple[pathspec.GitIgnoreSpec, frozenset[str]], ...] = ()
    root: Path = field(default_factory=Path.cwd)

    @classmethod
    def build(cls, select: Iterable[str] | None = None, extend_select: Iterable[str] = (),
              ignore: Iterable[str] = (), per_file_ignores: Mapping[str, Iterable[str]] | None = None,
              *, root: Path | None = None, where: str = "the configuration") -> Selection:
        """Codes from names: ``select`` (default: all), plus ``extend_select``, minus ``ignore``."""
        chosen = expand_rules(select, where) if select is not None else frozenset(RULES)
        chosen = (chosen | expand_rules(extend_select, where)) - expand_rules(ignore, where)
        per_file = tuple((globs([pattern]), expand_rules(names, f"{where}: per-file-ignores"))
                         for pattern, names in (per_file_ignores or {}).items())
        return cls(codes=chosen, per_file=per_file, root=root or Path.cwd())

    def selects(self, finding: Finding, path: str | None = None) -> bool:
        """Whether a finding is reported: its rule selected, and not ignored for its file.
        Parse errors are always reported: an input that could not be read is never silent."""
        if finding.code == "parse-error":
            return True
        if finding.code not in self.codes and finding.code in RULES:
            return False
        file = finding.path or path
        if not file or not self.per_file:
            return True
        relative = relative_posix(file, self.root)
        return not any(finding.code in codes and spec.match_file(relative)
                       for spec, codes in self.per_file)

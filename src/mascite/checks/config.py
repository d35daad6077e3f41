"""Configuration of ``mascite check``, as linters people already run are configured: a
``[tool.mascite]`` table in ``pyproject.toml``, or ``mascite.toml`` / ``.mascite.toml`` (no table),
found upward from the files checked. Keys are kebab-case; an unknown key is an error naming the
key and the file, so a typo never silently changes what is checked."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..document.policy import ClaimsPolicy
from ..errors import ConfigError

__all__ = ["CONFIG_FILES", "ClaimsPolicy", "CrossrefSettings", "Settings", "find_config",
           "load_config", "settings_for"]

CONFIG_FILES = (".mascite.toml", "mascite.toml", "pyproject.toml")  # first found in a folder wins


def _kebab(name: str) -> str:
    return name.replace("_", "-")


class _Table(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, alias_generator=_kebab,
                              populate_by_name=True)


class CrossrefSettings(_Table):
    """``[tool.mascite.crossref]``: who we are to Crossref and how it is reached."""

    mailto: str | None = None
    cache: str | None = None  # a file, or "off"
    offline: bool | None = None
    deadline: float | None = Field(None, ge=0)


class Settings(_Table):
    """What a run checks and how it reports; ``root`` is the folder paths in it are relative to."""

    bibliography: list[str] = Field(default_factory=list)
    style: str | None = None
    claims: ClaimsPolicy = "standard"
    fail_on: Literal["error", "warning", "never"] = "error"
    select: list[str] | None = None
    extend_select: list[str] = Field(default_factory=list)
    ignore: list[str] = Field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = Field(default_factory=dict)
    exclude: list[str] | None = None
    extend_exclude: list[str] = Field(default_factory=list)
    respect_gitignore: bool = True
    crossref: CrossrefSettings = Field(default_factory=CrossrefSettings)
    root: Path = Field(default_factory=Path.cwd, exclude=True)
    source: str | None = Field(None, exclude=True)  # the file it was read from

    @field_validator("bibliography", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value


def _table(path: Path) -> Mapping[str, Any] | None:
    """The mascite table of a configuration file, or None when a pyproject.toml has none."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the configuration: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: the configuration is not UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    if path.name != "pyproject.toml":
        return data
    table = data.get("tool", {}).get("mascite") if isinstance(data.get("tool"), dict) else None
    if table is not None and not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.mascite] must be a table")
    return table


def load_config(path: str | Path) -> Settings:
    """Settings from one file (``--config FILE``); paths in it are relative to its folder."""
    file = Path(path)
    table = _table(file)
    if table is None:
        if file.name == "pyproject.toml":
            raise ConfigError(f"{file}: has no [tool.mascite] table")
        table = {}
    return _settings(table, file)


def _settings(table: Mapping[str, Any], file: Path) -> Settings:
    where = "[tool.mascite]" if file.name == "pyproject.toml" else ""
    try:
        return Settings.model_validate({**table, "root": file.resolve().parent,
                                        "source": str(file)})
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            key = ".".join(str(p) for p in error["loc"])
            if error["type"] == "extra_forbidden":
                problems.append(f"unknown key {key!r}")
            else:
                problems.append(f"{key}: {error['msg']}")
        raise ConfigError(f"{file}: {where + ': ' if where else ''}"
                          f"{'; '.join(problems)}") from None


def find_config(start: str | Path) -> Path | None:
    """The nearest configuration file at or above ``start`` (a file or a folder): a
    ``pyproject.toml`` without a ``[tool.mascite]`` table does not count, as with ruff."""
    folder = Path(start).resolve()
    if not folder.is_dir():
        folder = folder.parent
    for directory in (folder, *folder.parents):
        for name in CONFIG_FILES:
            candidate = directory / name
            if candidate.is_file() and (name != "pyproject.toml" or _table(candidate) is not None):
                return candidate
    return None


def settings_for(start: str | Path, *, config: str | Path | None = None,
                 isolated: bool = False) -> Settings:
    """The settings a file is checked with: ``config`` if given, none if ``isolated``, else
    the nearest configuration file's (defaults where there is none)."""
    if config is not None:
        return load_config(config)
    if isolated:
        return Settings()
    found = find_config(start)
    return load_config(found) if found is not None else Settings()

"""Where the Crossref settings come from: arguments, else the environment, read here and nowhere
else (``MASCITE_CROSSREF_URL``, ``MASCITE_MAILTO``, ``MASCITE_OFFLINE``, ``MASCITE_CACHE``,
``MASCITE_CROSSREF_PLUS_TOKEN``)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

__all__ = ["DEFAULT_BASE_URL", "DEFAULT_HOSTS", "DEFAULT_RESOLVER", "CrossrefConfig",
           "default_cache_path"]

DEFAULT_BASE_URL = "https://api.crossref.org"
DEFAULT_RESOLVER = "https://doi.org"
DEFAULT_HOSTS = ("api.crossref.org", "doi.org", "data.crosscite.org", "api.datacite.org")


def default_cache_path(environ: Mapping[str, str] | None = None) -> Path | None:
    """``MASCITE_CACHE`` (a file, or ``off``), else the user's cache directory."""
    env = os.environ if environ is None else environ
    configured = env.get("MASCITE_CACHE")
    if configured:
        return None if configured.strip().lower() in ("off", "0", "none", "") else Path(configured)
    base = env.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "mascite" / "crossref.sqlite"


@dataclass(frozen=True)
class CrossrefConfig:
    """The settings a client runs with; :meth:`from_env` reads the environment once."""

    base_url: str = DEFAULT_BASE_URL
    resolver_url: str = DEFAULT_RESOLVER
    mailto: str | None = None
    offline: bool = False
    plus_token: str | None = None
    cache_path: Path | None = None
    deadline: float = 60.0

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> CrossrefConfig:
        """The settings the environment gives, defaults for the rest."""
        env = os.environ if environ is None else environ
        return cls(base_url=(env.get("MASCITE_CROSSREF_URL") or DEFAULT_BASE_URL).rstrip("/"),
                   mailto=env.get("MASCITE_MAILTO") or None,
                   offline=env.get("MASCITE_OFFLINE") == "1",
                   plus_token=env.get("MASCITE_CROSSREF_PLUS_TOKEN") or None,
                   cache_path=default_cache_path(env),
                   deadline=_seconds(env.get("MASCITE_DEADLINE"), 60.0))


def _seconds(text: str | None, default: float) -> float:
    """A number of seconds from the environment; what is not one leaves the default."""
    try:
        value = float(text) if text else default
    except ValueError:
        return default
    return value if value >= 0 else default

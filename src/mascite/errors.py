"""One exception tree: everything mascite raises on purpose is a :class:`MasciteError`.

Parse failures inside a file are *data* (see :class:`mascite.model.ParseFailure`); these exceptions
are for what makes a whole input unusable (a missing file, an unknown format) or for an invalid
identifier handed directly to a function that needs a valid one.
"""

from __future__ import annotations

__all__ = [
    "ConfigError",
    "CrossrefError",
    "FormatError",
    "IdentifierError",
    "InputError",
    "MasciteError",
    "NotAvailableError",
]


class MasciteError(Exception):
    """Root of every error mascite raises deliberately."""


class InputError(MasciteError):
    """An input (file, string, stream) cannot be used at all.

    ``path`` and ``line`` (1-based) name where, when known, so a CLI message can point there.
    """

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None) -> None:
        self.message = message
        self.path = path
        self.line = line
        super().__init__(self.location_message())

    def location_message(self) -> str:
        """``path:line: message``, leaving out what is unknown."""
        where = ":".join(str(p) for p in (self.path, self.line) if p is not None)
        return f"{where}: {self.message}" if where else self.message


class ConfigError(MasciteError):
    """A configuration file, or a setting given on the command line, that cannot be used; the
    message names the file and the key."""


class FormatError(MasciteError):
    """An unknown bibliography format name or file suffix."""


class IdentifierError(MasciteError, ValueError):
    """An identifier (DOI, ISSN, ISBN, ...) is not valid; ``reason`` says why in words."""

    def __init__(self, kind: str, value: str, reason: str) -> None:
        self.kind = kind
        self.value = value
        self.reason = reason
        super().__init__(f"invalid {kind} {value!r}: {reason}")


class NotAvailableError(MasciteError):
    """A capability that this version or installation does not provide (a missing extra, say)."""


class CrossrefError(MasciteError):
    """A Crossref or DOI-resolver request that could not be answered (after retries); the
    message says why in words."""

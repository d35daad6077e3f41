"""Text as pandoc Markdown reads it literally: every character that could start markup escaped."""

from __future__ import annotations

import re

__all__ = ["escape_markdown"]

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#+\-!|@~^$])")


def escape_markdown(text: str) -> str:
    return _SPECIAL.sub(r"\\\1", text)

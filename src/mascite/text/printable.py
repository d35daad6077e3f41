"""Text from records and documents is untrusted: on a terminal, in a CI log or in XML, control
characters (escape sequences that retitle or clear a terminal, NUL, bell) and bidi controls
(which make text read backwards) are shown as visible escapes, never sent raw."""

from __future__ import annotations

import re

__all__ = ["printable", "strip_controls"]

# C0 and C1 controls and DEL; bidi embeddings, overrides, isolates and marks; line separators
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
                     "\u2028\u2029]")
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"


def printable(text: str, keep: str = "") -> str:
    """``text`` with every control and bidi character escaped (``\\x1b``, ``\\u202e``) except
    those in ``keep`` (say ``"\\n"`` where a value may span lines)."""
    if keep:
        return _UNSAFE.sub(lambda m: m.group() if m.group() in keep else _escape(m), text)
    return _UNSAFE.sub(_escape, text)


def strip_controls(text: str) -> str:
    """``text`` without the C0/C1 control characters that have no meaning in a bibliography
    file (tab and newline stay: the formats give them one)."""
    return _CONTROLS.sub("", text)

"""Text utilities every stage shares: one fold for comparison, one stop-word list, CSL markup
and LaTeX in field values. Pure functions, no dependencies on the rest of mascite."""

from __future__ import annotations

from .fold import STOP_WORDS, fold, fold_letters, plain_text
from .printable import printable, strip_controls

__all__ = ["STOP_WORDS", "fold", "fold_letters", "plain_text", "printable", "strip_controls"]

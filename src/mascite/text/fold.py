"""The one text fold: what two spellings of the same words have in common, for comparing titles,
names, journals and search results. Case, accents, CSL markup, punctuation and transliteration
(ß, ø, ł...) are folded away. Also the one stop-word list, for everything that skips the small
words of a title or a sentence."""

from __future__ import annotations

import functools
import re
import unicodedata

__all__ = ["ENGLISH_STOP_WORDS", "STOP_WORDS", "fold", "fold_letters", "plain_text"]

_MARKUP = re.compile(r"</?(?:i|b|sub|sup|sc)>|<span[^>]*>|</span>")
_TRANSLIT = str.maketrans({"ß": "ss", "ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "œ": "oe",
                           "Œ": "OE", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "þ": "th",
                           "ı": "i", "&": " and "})
_NOT_WORD = re.compile(r"[^\w]+")

# Function words of English and of the European languages references are most often in: words
# that say nothing about which work, which journal or which subject is meant.
ENGLISH_STOP_WORDS = frozenset(
    "a an the of in on for and or to with from by at as is are was were be been being that this "
    "these those it its their they which who whom what when where how than then there here not no "
    "may might can could would should will also such other some any all more most less many much "
    "into about over after before during between both each either per via within without "
    "has have had do does did".split())
STOP_WORDS = ENGLISH_STOP_WORDS | frozenset(
    "la le les el los las de del des du der die das den dem und y et un une".split())


def plain_text(text: str | None) -> str:
    """Text without CSL's rich-text markup (``<i>``, ``<span class="nocase">``...), for display
    and comparison."""
    return _MARKUP.sub("", text or "")


@functools.lru_cache(maxsize=65536)
def _fold(text: str) -> str:
    text = plain_text(text).translate(_TRANSLIT)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return " ".join(_NOT_WORD.sub(" ", text).split())


def fold(text: str | None) -> str:
    """Words in lower case without accents, markup or punctuation, one space apart:
    ``fold("<i>Öztürk</i>, C.-H.")`` is ``"ozturk c h"``."""
    return _fold(text or "")


@functools.lru_cache(maxsize=65536)
def fold_letters(text: str) -> str:
    """The folded letters alone, for keys where spacing, hyphens and digits do not count:
    ``fold_letters("Ben-Ali 2")`` is ``"benali"``."""
    return "".join(c for c in _fold(text) if c.isalpha())

"""Title case as citeproc-js applies it (``CSL.Output.Formatters.title``), and where pandoc's
title case leaves lower case a letter citeproc-js capitalises.

citeproc-js cuts a title into pieces at punctuation, quotes, brackets and markup, and
capitalises each all-lower-case word of a piece that is longer than one letter and not a stop
word, plus the first word, a word after ``: ? !`` and the last word. Pandoc's citeproc works on
runs of ASCII letters and digits instead and leaves alone a run after ``( [ .`` without a space,
one that begins with a non-ASCII letter, and one-letter words. :func:`missed_capitals` finds
those letters, so that :mod:`mascite.csl.compat.items` can capitalise them after pandoc, where pandoc
did apply title case.
"""

from __future__ import annotations

import re

__all__ = ["is_stop_word", "js_title_case", "missed_capitals"]

# citeproc-js's CSL.SKIP_WORDS; its regular expression reads "." in "v." and "vs." as any
# character, so "vi" and "vsx" are stop words to it too.
_SKIP = (
    "about above across afore after against al along alongside amid amidst among amongst anenst "
    "apropos apud around as aside astride at athwart atop barring before behind below beneath "
    "beside besides between beyond but by circa despite down during et except for forenenst from "
    "given in inside into lest like modulo near next notwithstanding of off on onto out over per "
    "plus pro qua sans since than through throughout thruout till to toward towards under "
    "underneath until unto up upon versus vs via with within without or yet so and nor a an the "
    "de d' von van c ca").split()
_SKIP_RE = re.compile("(?:" + "|".join(re.escape(w) for w in _SKIP) + r"|vs.|v.|vis-à-vis)$")


def is_stop_word(word: str) -> bool:
    """Whether citeproc-js's title case leaves ``word`` (one word, no spaces) in lower case."""
    return bool(_SKIP_RE.match(word.lower()))


_TAG_RE = re.compile(
    r"(‘|’|“|”| \"| '|\"|'|[-–—/.,;?!:]|\[|\]|\(|\)|<span style=\"font-variant: small-caps;\">"
    r"|<span class=\"no(?:case|decor)\">|</span>|</?(?:i|sc|b|sub|sup)>)")
_SPACE_RE = re.compile(r"([\u00a0\u0020\u2000-\u200b\u205f\u3000]+)")
_OPENS = {"<span style=\"font-variant: small-caps;\">": "</span>",
          '<span class="nocase">': "</span>", '<span class="nodecor">': "</span>",
          "<sc>": "</sc>", "<sub>": "</sub>", "<sup>": "</sup>"}
_QUOTES = {" \"": (" '", "\""), " '": (" \"", "'"), "‘": ("‘", "’"), "“": ("“", "”")}
_QUOTE_TAG = re.compile(r"(^(?:‘|’|“|”|\"|')|(?: \"| ')$)")


def _split(text: str) -> tuple[list[str], list[str]]:
    """citeproc-js's ``Doppeler``: strings between tags and the tags; an apostrophe followed
    by text belongs to that text."""
    parts = _TAG_RE.split(text)
    strings, tags = parts[0::2], parts[1::2]
    for i in range(len(tags) - 1, -1, -1):
        if tags[i] == "'" and strings[i + 1]:
            strings[i + 1] = "'" + strings[i + 1]
            tags[i] = ""
    return strings, tags


def _capitalise(word: str) -> str:
    stripped = word.lstrip()
    lead = word[: len(word) - len(stripped)]
    if not stripped or (len(stripped) == 1 and "\u0370" <= stripped <= "\u03ff"):
        return word
    return lead + stripped[0].upper() + stripped[1:]


class _Caser:
    """The state of citeproc-js's title case over a split title. ``capitalised`` maps the index
    of each string to the numbers of the words in it that were capitalised."""

    def __init__(self) -> None:
        self.is_first = True
        self.after_punct = False
        self.last: tuple[int, int] | None = None
        self.capitalised: dict[int, set[int]] = {}

    def words(self, text: str, index: int, following: str | None) -> str:
        if not text.strip():
            return text
        pieces = _SPACE_RE.split(text)
        words = pieces[0::2]
        for j, word in enumerate(words):
            if not word:
                continue
            lower = word.lower()
            capitalise = (len(word) > 1 and not _SKIP_RE.match(lower)) \
                or (j == len(words) - 1 and following == "-") or self.is_first or self.after_punct
            if capitalise and word == lower:
                words[j] = _capitalise(word)
                self.capitalised.setdefault(index, set()).add(j)
            self.after_punct = False
            self.is_first = False
            self.last = (index, j)
        pieces[0::2] = words
        return "".join(pieces)


def _run(text: str) -> tuple[list[str], list[str], list[str], _Caser]:
    """``_textcaseEngine`` with ``title``'s settings: the cased strings, the tags between them,
    the strings as they were, and the final state."""
    strings, tags = _split(text)
    original = list(strings)
    caser = _Caser()
    if strings and strings[0].strip():
        strings[0] = caser.words(strings[0], 0, tags[0] if tags else None)
    state: list[str] = []
    quotes: list[tuple[str, str, int]] = []

    def restore(position: int) -> None:
        if original[position + 1]:
            strings[position + 1] = original[position + 1][0] + strings[position + 1][1:]
            if not original[position + 1][0].isspace():
                caser.capitalised.get(position + 1, set()).discard(0)

    for i, tag in enumerate(tags):
        text_after = strings[i + 1]
        if tag in _OPENS:
            state.append(_OPENS[tag])
        elif state and tag == state[-1]:
            state.pop()
        if tag.endswith(("!", "?", ":")):
            caser.after_punct = True
        if not state:
            strings[i + 1] = caser.words(text_after, i + 1, None)
        elif text_after.strip():
            caser.last = None
        match = _QUOTE_TAG.search(tag)
        if match:
            quote = match.group(1)
            if quote in ("“", "‘", " \"", " '"):
                if not quotes or quote == quotes[-1][0]:
                    quotes.append((*_QUOTES[quote], i))
                else:
                    previous = quotes.pop()[2]
                    quotes.append((*_QUOTES[quote], i))
                    restore(previous)
                    caser.last = None
            elif quotes and quote == quotes[-1][1]:
                quotes.pop()
            else:
                restore(i)
                caser.last = None
        if text_after.strip():
            caser.is_first = False
            caser.after_punct = False
    for _, _, position in quotes:
        restore(position)
    if caser.last:
        index, j = caser.last
        pieces = _SPACE_RE.split(strings[index])
        word = pieces[2 * j]
        if len(word) > 1 and is_stop_word(word):
            pieces[2 * j] = _capitalise(word)
            strings[index] = "".join(pieces)
            caser.capitalised.setdefault(index, set()).add(j)
    return strings, tags, original, caser


def js_title_case(text: str) -> str:
    """``text`` in title case, as citeproc-js prints it (for English items)."""
    strings, tags, _, _ = _run(text)
    out = [strings[0]]
    for tag, string in zip(tags, strings[1:], strict=True):
        out += [tag, string]
    return "".join(out)


def missed_capitals(text: str) -> list[int]:
    """Offsets in ``text`` of lower-case letters citeproc-js capitalises in title case and
    pandoc's title case leaves lower case."""
    if not _may_miss(text):
        return []
    _, tags, original, caser = _run(text)
    offsets = []
    position = 0
    for index, string in enumerate(original):
        if index:
            position += len(tags[index - 1])
        chosen = caser.capitalised.get(index, set())
        if chosen:
            pieces = _SPACE_RE.split(string)
            offset = position
            for j, piece in enumerate(pieces):
                if j % 2 == 0 and j // 2 in chosen:
                    lead = len(piece) - len(piece.lstrip())
                    at = offset + lead
                    if at < len(text) and text[at].islower() and not _pandoc_capitalises(text, at):
                        offsets.append(at)
                offset += len(piece)
        position += len(string)
    return offsets


def _pandoc_capitalises(text: str, at: int) -> bool:
    """Whether pandoc's title case surely capitalises the lower-case letter at ``at``: it
    begins a run of ASCII letters and digits, all lower case, at the start, after a sentence
    end and a space, or after a space or hyphen if longer than one letter and no stop word."""
    plain = _MARKUP.sub("", text[:at])
    end = at
    while end < len(text) and text[end].isascii() and text[end].isalnum():
        end += 1
    run = text[at:end]
    if not run or not run.islower():
        return False
    before = plain.rstrip("“‘\"'")
    if not before:
        return True
    if before[-1].isspace():
        if before.rstrip()[-1:] in (".", "?", "!", ":"):
            return True
    elif before[-1] not in "-/–—":
        return False
    return len(run) > 1 and run not in _PANDOC_STOP


_MARKUP = re.compile(r"<[^>]*>")
# Where the two can differ: a letter after punctuation, a quote or markup with no space; a
# word beginning with a non-ASCII letter or one lower-case letter before one, or before "-".
_CANDIDATE = re.compile(r"[(\[.:?!>'\"“‘’/][^\W\d_]|(?<![^\W\d_])(?:[a-z]?[^\x00-\x7f]|[a-z]-)")


def _may_miss(text: str) -> bool:
    """A quick test that rules out most titles; also true where the first piece ends in a
    lower-case word before "-", which citeproc-js capitalises ("On-the-Fly")."""
    if _CANDIDATE.search(text):
        return True
    first = _TAG_RE.search(text)
    return bool(first and first.group(0) == "-" and text[first.start() - 1:first.start()].islower())


_PANDOC_STOP = frozenset(
    "a an and as at but by down for from in into nor of on onto or over so the till to up via "
    "with yet about van von de d l".split())

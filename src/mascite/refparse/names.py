"""Author lists as written in references, split into CSL names. Pure.

Handles "Bojan, Anca et al.", "Öztürk C, Sütçüoğlu S, Aşık Akman S", "Halyabar, O., Chang, M.H.",
"Mendoza-Álvarez, Sergio Alberto", "J. P. COLLMAN, J. P. BRAUMAN et J. L. SESSLER", "Romero, C.,
Paunesku, D., & Dweck, C.", "Nam, So Hye, and Jin Kim", and particles ("van der Berg, J.").
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..model import Name

__all__ = ["split_authors"]

_ETAL = re.compile(r"[,;]?\s*(?:et\s*al\.?|and\s+others|u\.\s*a\.|y\s+col\.?|\.\.\.|…)\s*[.,;]*\s*$",
                   re.I)
_PARTICLES = {"van", "von", "de", "der", "den", "del", "della", "di", "da", "du", "le", "la",
              "dos", "das", "ten", "ter", "bin", "al", "el"}
_ORGANISATION = re.compile(
    r"\b(?:organi[sz]ation|association|society|group|committee|institute|council|agency|"
    r"foundation|consortium|collaboration|network|ministry|department|board|cent(?:re|er)|"
    r"university|federation|commission|college|academy|programme|program|trust|office|"
    r"investigators|team|alliance|service|authority|administration)\b", re.I)
_DOTS = re.compile(r"\.{2,}")
_LEADING_WORD = re.compile(r"^(?:by|edited by|eds?\.?|in:?)\s+", re.I)
_EDITOR_MARK = re.compile(r"\s*\((?:eds?|editors?|hrsg|coord)\.?\)\s*[.,:]?\s*$", re.I)
_CONJUNCTION = re.compile(r",?\s+(?:and|&|et|y|und|e)\s+")
_BARE_INITIALS = re.compile(r"[A-Z]{1,3}")
_FINAL_INITIALS = re.compile(r"[A-Z]{1,3}\.")
_INITIALS = re.compile(r"^(?:[A-ZÀ-ÖØ-Þ]\.?-?){1,4}$|^(?:[A-ZÀ-ÖØ-Þ][a-z]?\.\s?-?){1,4}$")


@lru_cache(maxsize=20_000)
def _is_initials(word: str) -> bool:
    word = word.strip(",;")
    return bool(word) and bool(_INITIALS.fullmatch(word)) and (
        "." in word or (word.isupper() and len(word) <= 3))


def _given_like(part: str) -> bool:
    """A comma part that is the given name(s) of the previous part: initials, one or two given
    names, or given names with initials ("Michael H. G.")."""
    words = part.split()
    if not words or len(words) > 4 or not all(w[:1].isupper() for w in words):
        return False
    names = [w for w in words if not _is_initials(w)]
    return len(names) <= 2 and (not names or names[0] == words[0])


def _name(family: str, given: str | None) -> Name:
    family = family.strip(" ,;")
    words = family.split()
    particle = []
    while len(words) > 1 and words[0] in _PARTICLES:
        particle.append(words.pop(0))
    family = " ".join(words)
    if family.isupper() and len(family) > 3:
        family = family.title()  # "COLLMAN" as written in caps-only styles
    given_text = (given or "").strip(" ,;") or None
    return Name(family=family, given=given_text,
                non_dropping_particle=" ".join(particle) or None)


def _single(part: str) -> Name:
    """One name written whole: "Öztürk C", "J. P. Collman", "Sergio Alberto Mendoza-Álvarez"."""
    words = part.split()
    if len(words) == 1:
        return _name(words[0], None)
    if all(_is_initials(w) for w in words[1:]) and not _is_initials(words[0]):
        return _name(" ".join(words[:1]), " ".join(words[1:]))
    trailing = 0
    while trailing < len(words) - 1 and _is_initials(words[-1 - trailing]):
        trailing += 1
    if trailing:  # "Aşık Akman S", "Arun Özer E"
        return _name(" ".join(words[:-trailing]), " ".join(words[-trailing:]))
    leading = 0
    while leading < len(words) - 1 and _is_initials(words[leading]):
        leading += 1
    if leading:  # "J. P. COLLMAN"
        return _name(" ".join(words[leading:]), " ".join(words[:leading]))
    # "Jin Kim", "Ludwig van Beethoven": given names first
    split_at = next((i for i, w in enumerate(words[1:], 1) if w in _PARTICLES),
                    len(words) - 1)
    return _name(" ".join(words[split_at:]), " ".join(words[:split_at]))


def split_authors(text: str) -> tuple[list[Name], bool]:
    """Names in an author span, and whether the list was cut short ("et al.")."""
    text = " ".join(_DOTS.sub(".", text.replace("&amp;", "&")).split())
    text = _LEADING_WORD.sub("", text)
    text = _EDITOR_MARK.sub("", text)
    truncated = bool(_ETAL.search(text))
    text = _ETAL.sub("", text).strip(" ,;:")
    last = text.split()[-1] if text.split() else ""
    if last.endswith(".") and len(last) > 2 and "." not in last[:-1]:
        text = text[:-1]  # the sentence's full stop, not an initial's ("Peters OA.")
    if not text:
        return [], truncated
    if _ORGANISATION.search(text) and "," not in text and ";" not in text:
        return [Name(literal=text.rstrip("."))], truncated
    if ";" in text:
        parts = [p.strip() for p in text.split(";") if p.strip()]
        return [_split_one(p) for p in parts], truncated
    text = _CONJUNCTION.sub(", ", text)
    parts = [p.strip() for p in text.split(",") if p.strip()]
    names: list[Name] = []
    index = 0
    while index < len(parts):
        part = parts[index]
        following = parts[index + 1] if index + 1 < len(parts) else None
        core = [w for w in part.split() if w not in _PARTICLES] or part.split()
        inverted_first = index == 0 and len(core) <= 3  # MLA/Chicago invert the first name
        if following and _given_like(following) and not any(_is_initials(w) for w in core) and (
                len(core) == 1 or inverted_first or all(_is_initials(w)
                                                         for w in following.split())):
            # "Halyabar, O.", "Bojan, Anca", "van der Berg, J.", "Arun Özer, E."
            names.append(_name(part, following))
            index += 2
            continue
        names.append(_single(part))
        index += 1
    if len(names) > 1 and any(_BARE_INITIALS.fullmatch(n.given or "") for n in names[:-1]):
        final = names[-1]
        if final.given and _FINAL_INITIALS.fullmatch(final.given):  # "Lee K." ends the list
            names[-1] = final.model_copy(update={"given": final.given[:-1]})
    return names, truncated


def _split_one(part: str) -> Name:
    if "," in part:
        family, _, given = part.partition(",")
        return _name(family, given)
    return _single(part)

"""Author lists as written in references, split into CSL names. Pure.

Handles "Bojan, Anca et al.", "Öztürk C, Sütçüoğlu S, Aşık Akman S", "Halyabar, O., Chang, M.H.",
"Mendoza-Álvarez, Sergio Alberto", "J. P. COLLMAN, J. P. BRAUMAN et J. L. SESSLER", "Romero, C.,
Paunesku, D., & Dweck, C.", "Nam, So Hye, and Jin Kim", and particles ("van der Berg, J.").
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..model import Name

__all__ = ["ORGANISATION", "split_authors"]

_ETAL = re.compile(r"[,;]?\s*(?:et\s*al\.?|(?:and\s+|(?<=[,;])\s*)others|u\.\s*a\.|y\s+col\.?|"
                   r"\.\.\.|…)\s*[.,;]*\s*$", re.I)
_PARTICLES = {"van", "von", "de", "der", "den", "del", "della", "di", "da", "du", "le", "la",
              "dos", "das", "ten", "ter", "bin", "al", "el"}
ORGANISATION = re.compile(
    r"\b(?:organi[sz]ation|association|society|group|committee|institute|council|agency|"
    r"foundation|consortium|collaboration|network|ministry|department|board|cent(?:re|er)|"
    r"university|federation|commission|college|academy|programme|program|trust|office|"
    r"investigators|team|alliance|service|authority|administration|editors|collaborators|"
    r"initiative|party|trialists|registry|taskforce|task force)\b", re.I)
_DOTS = re.compile(r"\.{2,}")
_LEADING_WORD = re.compile(r"^(?:by|edited by|eds?\.?|in:?)\s+", re.I)
_EDITOR_MARK = re.compile(r"\s*(?:\((?:eds?|editors?|hrsg|coord)\.?\)|,\s*(?:eds?|editors?)\.?)"
                          r"\s*[.,:]?\s*$", re.I)
_CONJUNCTION = re.compile(r",?\s+(?:and|&|et|y|und|e)\s+")
_BARE_INITIALS = re.compile(r"[A-Z]{1,3}")
_FINAL_INITIALS = re.compile(r"[A-Z]{1,3}\.")
_INITIALS = re.compile(r"^(?:A\.?-?){1,4}$|^(?:Aa?\.\s?-?){1,4}$")  # on a word's _shape
# Initials written with two letters for one sound, without full stops: "Sh", "Wm", "ChH"
_DIGRAPH = re.compile(r"(?:Ch|Sh|Th|Ph|Wm|Kh|Zh|Gh|Ts)[A-Z]{0,2}")
_SUFFIX = re.compile(r"(?:Jr|Sr|II|III|IV)\.?")
_DOTTED = re.compile(r"(?:Aa?\.\s?-?){1,4}")  # on a word's _shape


def _particle(word: str) -> bool:
    """"van", "de", "De", "La": a particle ("DA" in capitals is initials)."""
    return word in _PARTICLES or (word[1:].islower() and word.lower() in _PARTICLES)


def _shape(word: str) -> str:
    """A word's shape in ASCII: capitals "A", small letters "a", the rest as they are, so that
    initials read alike in every script ("İ.", "ДА", "Ü.")."""
    return "".join("A" if c.isupper() else "a" if c.isalpha() else c for c in word)


@lru_cache(maxsize=20_000)
def _is_initials(word: str) -> bool:
    word = word.strip(",;")
    return bool(word) and bool(_INITIALS.fullmatch(_shape(word))) and (
        "." in word or (word.isupper() and len(word) <= 3))


def _given_like(part: str) -> bool:
    """A comma part that is the given name(s) of the previous part: initials, one or two given
    names, or given names with initials ("Michael H. G.")."""
    words = part.split()
    if not words or len(words) > 5 or not all(w[:1].isupper() or w in _PARTICLES
                                              for w in words):
        return False
    names = [w for w in words if not _is_initials(w) and w not in _PARTICLES]
    return len(names) <= 2 and (not names or names[0] == words[0])


def _initials_then_given(part: str) -> bool:
    """"H. Steven": an initial, then a given name (the first author's, in MLA)."""
    words = part.split()
    return 2 <= len(words) <= 3 and _is_initials(words[0]) and all(
        w[:1].isupper() for w in words[1:]) and not _is_initials(words[-1])


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
    """One name written whole: "Öztürk C", "J. P. Collman", "Sergio Alberto Mendoza-Álvarez",
    "J. W. Fox IV"."""
    words = part.split()
    if len(words) > 2 and _SUFFIX.fullmatch(words[-1]):
        name = _single(" ".join(words[:-1]))
        return name.model_copy(update={"suffix": words[-1]})
    if len(words) == 1:
        return _name(words[0], None)
    if all(_is_initials(w) for w in words[1:]) and not _is_initials(words[0]):
        return _name(" ".join(words[:1]), " ".join(words[1:]))
    if len(words) >= 3 and _is_initials(words[1]) and all(w.islower() for w in words[2:]):
        return _name(words[0], " ".join(words[1:]))  # "Chen J xin": a given name's syllable
    trailing = 0
    while trailing < len(words) - 1 and (_is_initials(words[-1 - trailing]) or (
            trailing == 0 and _DIGRAPH.fullmatch(words[-1]))):
        trailing += 1
    if trailing:  # "Aşık Akman S", "Arun Özer E"
        return _name(" ".join(words[:-trailing]), " ".join(words[-trailing:]))
    leading = 0
    while leading < len(words) - 1 and _is_initials(words[leading]):
        leading += 1
    if leading and len(words) - leading == 1:  # "J. P. COLLMAN"
        return _name(words[-1], " ".join(words[:leading]))
    # "Jin Kim", "Ludwig van Beethoven": given names first
    split_at = next((i for i, w in enumerate(words[1:], 1) if w in _PARTICLES),
                    len(words) - 1)
    return _name(" ".join(words[split_at:]), " ".join(words[:split_at]))


def split_authors(text: str) -> tuple[list[Name], bool]:
    """Names in an author span, and whether the list was cut short ("et al.")."""
    text = " ".join(_DOTS.sub(".", text.replace("&amp;", "&")).split())
    colon = text.rstrip().endswith(":")  # "Wolfgang Jantzen, Jan Steffens:" (DBLP, ACM)
    text = _LEADING_WORD.sub("", text)
    text = _EDITOR_MARK.sub("", text)
    truncated = bool(_ETAL.search(text))
    text = _ETAL.sub("", text).strip(" ,;:")
    last = text.split()[-1] if text.split() else ""
    if last.endswith(".") and len(last) > 2 and "." not in last[:-1]:
        text = text[:-1]  # the sentence's full stop, not an initial's ("Peters OA.")
    if not text:
        return [], truncated
    if ORGANISATION.search(text) and "," not in text and ";" not in text:
        return [Name(literal=text.rstrip("."))], truncated
    if ";" in text:
        parts = [p.strip() for p in text.split(";") if p.strip()]
        return [_split_one(p) for p in parts], truncated
    if "," not in text and _CONJUNCTION.search(text):  # "Konrad Rieck and Pavel Laskov"
        return [_single(p.strip()) for p in _CONJUNCTION.split(text) if p.strip()], truncated
    text = _CONJUNCTION.sub(", ", text)
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if _given_first(parts, colon):
        return [_single(p) for p in parts], truncated
    names: list[Name] = []
    index = 0
    while index < len(parts):
        part = parts[index]
        if names and _SUFFIX.fullmatch(part):  # "King, Martin Luther, Jr."
            names[-1] = names[-1].model_copy(update={"suffix": part.rstrip(".")})
            index += 1
            continue
        following = parts[index + 1] if index + 1 < len(parts) else None
        core = [w for w in part.split() if not _particle(w)] or part.split()
        inverted_first = index == 0 and len(core) <= 3  # MLA/Chicago invert the first name
        capitals = len(core) == 1 and core[0].isupper() and bool(
            following and _DOTTED.fullmatch(_shape(following.replace(" ", ""))))  # "KIM, J.S."
        if following and (_given_like(following) or (len(core) == 1 and _initials_then_given(
                following))) and (capitals or not any(
                _is_initials(w) for w in core)) and (
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


def _given_first(parts: list[str], colon: bool) -> bool:
    """Whole names separated by commas ("Wolfgang Jantzen, Jan Steffens, Azer Bestavros:"):
    every part two or more capitalised words, none of them initials, in a list that ends in a
    colon as DBLP's and ACM's do. Without the colon the same shape is an inverted first name
    ("García Sánchez, Carlos Eduardo, César Vargas García, and…") or one inverted name."""
    if len(parts) < 2 or not colon:
        return False
    for part in parts:
        words = [w for w in part.split() if not _particle(w)]
        last = words[-1] if words else ""
        if len(words) < 2 or not all(w[:1].isupper() for w in words) or _is_initials(last) \
                or _DIGRAPH.fullmatch(last):
            return False  # "Jonathan E. Martin" is whole; "Smith JE" is not
    return True


def _split_one(part: str) -> Name:
    if "," in part:
        family, _, given = part.partition(",")
        return _name(family, given)
    return _single(part)

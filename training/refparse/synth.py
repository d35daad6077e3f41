"""Reference strings rendered from structured records in common styles, with every span labelled:
training data whose labels are the record's own fields (and test strings for benchmarks)."""

from __future__ import annotations

import random
from collections.abc import Callable

from mascite.model import Reference, plain_text

__all__ = ["STYLES", "render_labelled", "render_text"]

Spans = list[tuple[str, str]]


def _initials(given: str | None, dots: bool = False, space: bool = True) -> str:
    parts = [p[0].upper() for p in (given or "").replace("-", " ").split() if p and p[0].isalpha()]
    if not dots:
        return "".join(parts)
    return (" " if space else "").join(f"{p}." for p in parts)


def _names(ref: Reference) -> list[tuple[str, str]]:
    return [(a.family or a.literal or "", a.given or "") for a in ref.author or []]


def _pages(ref: Reference, dash: str = "-") -> str:
    return (ref.page or ref.article_number or "").replace("-", dash)


def _vancouver(ref: Reference, rng: random.Random) -> Spans:
    names = _names(ref)
    who = ", ".join(f"{f} {_initials(g)}".strip() for f, g in names[:6])
    if len(names) > 6:
        who += ", et al"
    journal = ref.container_title_short or ref.container_title or ""
    issue = f"({ref.issue})" if ref.issue else ""
    return [(who + ". ", "author"), (plain_text(ref.title) + ". ", "title"),
            (journal + ". ", "container-title"), (f"{ref.year};", "date"),
            (f"{ref.volume or ''}{issue}:", "volume"), (_pages(ref) + ".", "pages")]


def _apa(ref: Reference, rng: random.Random) -> Spans:
    names = _names(ref)
    parts = [f"{f}, {_initials(g, True)}".strip(", ") for f, g in names[:20]]
    who = ", ".join(parts[:-1]) + (", & " if len(parts) > 1 else "") + parts[-1] if parts else ""
    if len(names) > 20:
        who = ", ".join(parts[:19]) + ", et al."
    issue = f"({ref.issue})" if ref.issue else ""
    return [(who + " ", "author"), (f"({ref.year}). ", "date"),
            (plain_text(ref.title) + ". ", "title"), ((ref.container_title or "") + ", ",
                                                      "container-title"),
            (f"{ref.volume or ''}{issue}, ", "volume"), (_pages(ref, "–") + ".", "pages")]


def _mla(ref: Reference, rng: random.Random) -> Spans:
    names = _names(ref)
    who = f"{names[0][0]}, {names[0][1]}" if names else ""
    if len(names) == 2:
        who += f", and {names[1][1]} {names[1][0]}"
    elif len(names) > 2:
        who += ", et al"
    spans: Spans = [(who + ". ", "author"), (f"“{plain_text(ref.title)}.” ", "title"),
                    ((ref.container_title or "") + ", ", "container-title"),
                    (f"vol. {ref.volume}, " if ref.volume else "", "volume")]
    if ref.issue:
        spans.append((f"no. {ref.issue}, ", "volume"))
    spans += [(f"{ref.year}, ", "date"), (f"pp. {_pages(ref, '–')}.", "pages")]
    return spans


def _chicago(ref: Reference, rng: random.Random) -> Spans:
    names = _names(ref)
    who = ", ".join([f"{names[0][0]}, {names[0][1]}"] + [f"{g} {f}" for f, g in names[1:3]]) \
        if names else ""
    if len(names) > 3:
        who += ", et al"
    return [(who + ". ", "author"), (f"{ref.year}. ", "date"),
            (f"“{plain_text(ref.title)}.” ", "title"), ((ref.container_title or "") + " ",
                                                         "container-title"),
            (f"{ref.volume or ''} ({ref.issue or ''}): ", "volume"), (_pages(ref, "–") + ".",
                                                                     "pages")]


def _ieee(ref: Reference, rng: random.Random) -> Spans:
    names = _names(ref)
    who = ", ".join(f"{_initials(g, True)} {f}".strip() for f, g in names[:3])
    if len(names) > 3:
        who += " et al."
    return [(who + ", ", "author"), (f"“{plain_text(ref.title)},” ", "title"),
            ((ref.container_title_short or ref.container_title or "") + ", ", "container-title"),
            (f"vol. {ref.volume}, no. {ref.issue}, ", "volume"), (f"pp. {_pages(ref, '–')}, ",
                                                                  "pages"),
            (f"{ref.year}.", "date")]


def _harvard(ref: Reference, rng: random.Random) -> Spans:
    names = _names(ref)
    who = ", ".join(f"{f}, {_initials(g, True, False)}" for f, g in names[:3])
    if len(names) > 3:
        who += " et al."
    return [(who + " ", "author"), (f"({ref.year}) ", "date"),
            (f"'{plain_text(ref.title)}', ", "title"), ((ref.container_title or "") + ", ",
                                                         "container-title"),
            (f"{ref.volume}({ref.issue}), ", "volume"), (f"pp. {_pages(ref, '–')}.", "pages")]


def _plos(ref: Reference, rng: random.Random) -> Spans:
    names = _names(ref)
    who = ", ".join(f"{f} {_initials(g)}".strip() for f, g in names[:6])
    if len(names) > 6:
        who += ", et al."
    return [(who + " ", "author"), (f"({ref.year}) ", "date"),
            (plain_text(ref.title) + ". ", "title"), ((ref.container_title_short or
                                                       ref.container_title or "") + " ",
                                                      "container-title"),
            (f"{ref.volume}: ", "volume"), (_pages(ref, "–") + ".", "pages")]


def _nature(ref: Reference, rng: random.Random) -> Spans:
    names = _names(ref)
    who = ", ".join(f"{f}, {_initials(g, True)}" for f, g in names[:5])
    if len(names) > 5:
        who = f"{names[0][0]}, {_initials(names[0][1], True)} et al."
    return [(who + " ", "author"), (plain_text(ref.title) + ". ", "title"),
            ((ref.container_title_short or ref.container_title or "") + " ", "container-title"),
            (f"{ref.volume}, ", "volume"), (_pages(ref, "–") + " ", "pages"),
            (f"({ref.year}).", "date")]


def _ama(ref: Reference, rng: random.Random) -> Spans:
    names = _names(ref)
    who = ", ".join(f"{f} {_initials(g)}".strip() for f, g in names[:6])
    if len(names) > 6:
        who = ", ".join(f"{f} {_initials(g)}" for f, g in names[:3]) + ", et al"
    return [(who + ". ", "author"), (plain_text(ref.title) + ". ", "title"),
            ((ref.container_title_short or ref.container_title or "") + ". ", "container-title"),
            (f"{ref.year};", "date"), (f"{ref.volume}({ref.issue}):", "volume"),
            (_pages(ref) + ".", "pages")]


STYLES: dict[str, Callable[[Reference, random.Random], Spans]] = {
    "vancouver": _vancouver, "apa": _apa, "mla": _mla, "chicago": _chicago, "ieee": _ieee,
    "harvard": _harvard, "plos": _plos, "nature": _nature, "ama": _ama,
}


def render_labelled(ref: Reference, style: str, rng: random.Random | None = None,
                    extras: bool = True) -> Spans:
    """Labelled spans of a reference in a style; with ``extras``, sometimes a citation number in
    front and a DOI or URL behind, as real lists have them."""
    rng = rng or random.Random(0)  # noqa: S311 - variation in training data, not security
    spans = [(text, label) for text, label in STYLES[style](ref, rng) if text.strip(" .,;:()")]
    if extras and rng.random() < 0.25:
        spans.insert(0, (rng.choice(["1. ", "[12] ", "3) ", "27. "]), "citation-number"))
    if extras and ref.doi and rng.random() < 0.4:
        spans.append((rng.choice([f" doi:{ref.doi}", f" https://doi.org/{ref.doi}",
                                  f" DOI: {ref.doi}."]), "doi"))
    return spans


def render_text(ref: Reference, style: str) -> str:
    """The plain string of a reference in a style (no extras)."""
    return "".join(text for text, _ in render_labelled(ref, style, extras=False)).strip()

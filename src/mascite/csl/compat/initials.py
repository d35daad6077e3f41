"""Initials inside given names printed in full, as citeproc-js normalises them.

A style with ``initialize-with`` whose names are printed with ``initialize="false"`` (Chicago,
MLA) keeps given names whole, but citeproc-js still rewrites the initials in them with the
style's punctuation (``CSL.Util.Names.initializeWith`` with ``normalizeOnly``): "Amy Y-Hui"
prints "Amy Y.-Hui", "Emad A.-B." prints "Emad A. B.". Pandoc prints both as typed.
"""

from __future__ import annotations

import re

__all__ = ["normalize_given", "normalizing_terminator"]

_SEPARATOR = re.compile(r"([-\s]+)")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")


def normalizing_terminator(style_text: str) -> str | None:
    """The ``initialize-with`` text a style normalises given names with, if every name it
    prints in full keeps given names whole (``initialize="false"``); else ``None``."""
    root = re.search(r"<style\b[^>]*>", style_text)
    found = re.search(r'\binitialize-with="([^"]*)"', root.group(0)) if root else None
    if not found or "." not in found.group(1):
        return None
    body = re.sub(r"<info>.*?</info>", "", style_text, flags=re.S)
    names = [tag for tag in re.findall(r"<name(?=[\s/>])[^>]*>", body)
             if 'form="short"' not in tag and 'form="count"' not in tag]
    if not names or not all('initialize="false"' in tag for tag in names):
        return None
    return found.group(1)


def normalize_given(given: str, terminator: str) -> str:
    """``given`` with its initials written as citeproc-js writes them under ``terminator``."""
    if not given or not _LATIN.match(given) or "<" in given:
        return given
    name = re.sub(r"\s+", " ", re.sub(r"\s*-\s*", "-", given))
    name = re.sub(r"-([a-z])", "\u2013\\1", name)
    name = re.sub(r"\.(?=[^ ])", ". ", name[:-1]) + name[-1:]
    parts = _SEPARATOR.split(name)
    if len(parts) == 1:
        tail = re.search(r"[^.]+$", parts[0])
        if tail and len(tail.group(0)) == 1 and tail.group(0) != tail.group(0).lower():
            parts[0] += "."
    abbreviation = []
    for index, part in enumerate(parts):
        if len(part) > 1 and part.endswith("."):
            parts[index] = re.sub(r"^(.*)\.(.*)$", r"\1\2", part)
            abbreviation.append(True)
        else:
            abbreviation.append(len(part) == 1 and part.upper() == part)
    for index in range(0, len(parts), 2):
        if not abbreviation[index]:
            continue
        if index < len(parts) - 2:
            if not abbreviation[index + 2]:
                parts[index + 1] += " "
            if len(parts[index + 2]) > 1:
                parts[index + 1] = terminator + parts[index + 1]
            else:
                parts[index + 1] = terminator
        if index == len(parts) - 1:
            parts[index] += terminator
    out = re.sub(r"[\s\ufeff\u00a0]+$", "", "".join(parts))
    out = re.sub(r"\s+", " ", re.sub(r"\s*-\s*", "-", out))
    return re.sub("\u2013([a-z])", r"-\1", out)

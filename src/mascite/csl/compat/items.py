"""Where pandoc's citeproc differs from citeproc-js, the reference CSL processor, and citeproc-js
is right: items and styles are adjusted before pandoc sees them, and its output after.

Characters pandoc must not reinterpret travel through it as private-use placeholders, restored
by :func:`restore`: a straight apostrophe opening no quotation inside a quotation (“GenCo 's
revenue”), quotes that are the locale's inner quotes (“…” under en-GB), and the end of a title
ending in punctuation, where citeproc-js's merging rules decide what follows ("Reality?,” not
"Reality?”"). A page range that is not numeric ("1308-1309.e1") or begins and ends on one page
("373-373") is printed as citeproc-js prints it, and so is the label of a two-part page value it
reads as one page ("p. no-no"). Entries with no names that stand in the same
title for their author are told apart, so that the style's subsequent-author-substitute ("———")
replaces names only, as the CSL specification says and citeproc-js does. Where citeproc-js's
title case capitalises a letter pandoc's leaves alone ("D3.Js", "[Ru(Bpy)3]", a word beginning
with "é"), a probe word before it tells :func:`restore` whether title case applied there
(:mod:`mascite.csl.compat.titlecase`); initials in given names printed whole are written as citeproc-js
writes them (:mod:`mascite.csl.compat.initials`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from .initials import normalize_given, normalizing_terminator
from .titlecase import is_stop_word, missed_capitals

__all__ = ["effective_locale", "keep_lower", "prepare_item", "prepare_items", "prepare_style",
           "quotes_outside", "restore"]

_STRAIGHT = "\ue001"      # an apostrophe printed as typed
_OPEN_INNER = "\ue002"    # “ kept as is
_CLOSE_INNER = "\ue003"   # ” kept as is
_END = "\ue004"           # the end of a title ending in punctuation
_HYPHEN = "\ue005"        # the hyphen of a page value labelled as one page
_DELIMITER = "\ue006"     # the en dash of a page range labelled as one page
_DOT = "\ue007"           # a full stop before a lower-case letter: strip-periods keeps it
_MISSED = "\ue008"        # before a letter title case should capitalise (see _PROBE)
_PROBE = _MISSED + " qz\ue009"  # "Qz" in pandoc's output: title case applied here
_DISTINCT = "\u2064"      # invisible, ignored when sorting: tells apart equal stand-in titles
_TITLES = ("title", "container-title", "collection-title", "title-short",
           "container-title-short", "original-title", "event-title", "volume-title")

# citeproc-js's table for a text ending in one mark followed by another (``LtoR_MAP``).
_MERGE = {"!": {".": "!", "?": "!?", ":": "!", ",": "!,", ";": "!;"},
          "?": {"!": "?!", ".": "?", ":": "?", ",": "?,", ";": "?;"},
          ".": {"!": ".!", "?": ".?", ":": ".:", ",": ".,", ";": ".;"}}
_END_PATTERN = re.compile(r"([!?.])" + _END + r"((?:<[^>]+>|[”’\"'*_}\]])*)([!?.:;,])?")

# Locales whose inner quotes are “…” (their outer ones differ): citeproc-js keeps such quotes in
# a title as inner quotes, pandoc turns them into the outer ones.
_INNER_DOUBLE = ("en-GB", "cy", "ca", "es", "eu", "fr", "gl", "it", "la", "lij", "pt-PT", "uk")

_NUMERIC_PAGE = re.compile(r"(?:[0-9]*[a-zA-Z]+0*)?[0-9]+[a-zA-Z]*|[ivxlcdmIVXLCDM]+")


def keep_lower(title: str) -> str:
    """Lower-case words that title case must leave alone, protected as CSL ``nocase`` spans:
    stop words, which pandoc capitalises in places citeproc-js does not: before punctuation
    ("before,"), after a hyphen ("Macrophage-like"), before a digit ("v2"), a capital or markup
    ("against<i>Pseudomonas</i>"). The first word, one after a colon, question or exclamation
    mark, and the last word are capitalised, as the CSL specification says. Markup is kept."""

    def protect(match: re.Match[str]) -> str:
        bracket, hyphen, word = match.groups()
        whole = _ALNUM.match(title, match.start(3))
        if whole and whole.end() > match.end():  # "v2" is a stop word, "a1c2" is not
            stop = is_stop_word(whole.group(0))
        else:  # "v." is a stop word, "v" is not
            stop = is_stop_word(word + "." if title[match.end():match.end() + 1] == "." else word)
        if not stop:
            return match.group(0)
        if hyphen is None:  # a word's start: left to title case if it begins the title or a
            before = _TAG.sub("", title[:match.start()]).rstrip()  # sentence, or ends the title
            if not before or before[-1] in ":?!":
                return match.group(0)
            end = _WORD_END.search(title, match.start())
            if not bracket and end and _LAST_WORD.fullmatch(title, match.start(), end.start()) \
                    and not _TAG.sub("", title[end.start():]).strip():
                return match.group(0)
        return f"{bracket or ''}{_NOCASE.format(word)}"

    return _STOP_PART.sub(protect, title)


_NOCASE = '<span class="nocase">{}</span>'
_ALNUM = re.compile(r"[a-z0-9]+", re.I)
# A lower-case run of letters standing for a word: at a word's start (after an opening bracket)
# or after a hyphen, and followed by the word's end, punctuation, a hyphen, a digit or a capital.
_STOP_PART = re.compile(r"(?:(?<![^\s>])([(\[]?)|(?<=(-)))([a-z]+)(?=$|[\s<\-,;:?!.)\]\dA-Z])")
_TAG = re.compile(r"<[^>]*>")
_WORD_END = re.compile(r"[\s<]|$")
_LAST_WORD = re.compile(r"[a-z]+[.?!]*")


def _apostrophes(text: str) -> str:
    """Straight single quotes as citeproc-js reads them: inside or after a word an apostrophe
    (’) unless it closes a quotation. One that opens a quotation never closed becomes ’ too,
    except inside double quotes, where citeproc-js leaves it straight."""
    if "'" not in text:
        return text
    out: list[str] = []
    openers: list[tuple[int, bool]] = []
    for index, char in enumerate(text):
        if char != "'":
            out.append(char)
            continue
        before = text[index - 1] if index else " "
        after = text[index + 1] if index + 1 < len(text) else ""
        if before.isspace() or before in "([":
            if after and not after.isspace():
                head = text[:index]
                inside = head.count('"') % 2 == 1 or head.count("“") > head.count("”")
                openers.append((len(out), inside))
                out.append("'")
            else:
                out.append("’")
        elif after and after not in ",.?:;!)]" and not after.isspace():
            out.append("’")
        elif openers:
            openers.pop()
            out.append("'")
        else:
            out.append("’")
    for position, inside in openers:
        out[position] = _STRAIGHT if inside else "’"
    return "".join(out)


def prepare_item(item: dict[str, Any]) -> dict[str, Any]:
    """An item's text as citeproc-js would read it (see the module's docstring)."""
    for variable in _TITLES:
        value = item.get(variable)
        if not isinstance(value, str):
            continue
        value = _INNER_DOT.sub(_DOT, _apostrophes(keep_lower(_mark_missed(value))))
        value = value.replace(_MISSED, _PROBE)
        if variable == "title" and value[-1:] in "?!.":
            value += _END
        item[variable] = value
    return item


def _mark_missed(title: str) -> str:
    """The title with :data:`_MISSED` before each letter citeproc-js's title case capitalises
    and pandoc's does not: it becomes a probe word pandoc capitalises only where it applies title
    case, read by :func:`restore`."""
    for offset in reversed(missed_capitals(title)):
        title = title[:offset] + _MISSED + title[offset:]
    return title


# citeproc-js's strip-periods removes a full stop only before anything but a lower-case letter
# ("isrctn.com" stays); pandoc removes every one.
_INNER_DOT = re.compile(r"\.(?=" + _MISSED + "?[a-z])")


def effective_locale(style_text: str, options: list[str]) -> str:
    """The locale a run formats in: the one asked for, else the style's default, else en-US."""
    for option in options:
        if option.startswith("--metadata=lang:"):
            return option.split(":", 1)[1]
    default = re.search(r'<style\b[^>]*\bdefault-locale="([^"]+)"', style_text)
    return default.group(1) if default else "en-US"


def prepare_items(items: list[dict[str, Any]], style_text: str,
                  locale: str) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """Items adjusted for the style and locale, and the repairs :func:`restore` makes."""
    inner = any(locale == tag or locale.startswith(tag + "-") for tag in _INNER_DOUBLE)
    substitute = "subsequent-author-substitute=" in style_text
    term = re.search(r'<term name="page-range-delimiter">([^<]*)</term>', style_text)
    delimiter = term.group(1) if term else "–"
    hyphen_as_space = _hyphen_as_space(style_text)
    terminator = normalizing_terminator(style_text)
    seen: dict[str, int] = {}
    repairs: dict[str, str] = {}
    out: list[dict[str, Any]] = []
    for item in items:
        item = dict(item)
        if inner:
            for variable in _TITLES:
                value = item.get(variable)
                if isinstance(value, str) and value.count("“") == value.count("”"):
                    item[variable] = value.replace("“", _OPEN_INNER).replace("”", _CLOSE_INNER)
        title = item.get("title")
        if substitute and isinstance(title, str) and not any(
                isinstance(v, list) and v and isinstance(v[0], dict) for v in item.values()):
            count = seen[title.casefold()] = seen.get(title.casefold(), -1) + 1
            item["title"] = title + _DISTINCT * count
        if hyphen_as_space:
            _map_given(item, lambda given: given.replace("-", " "))
        if terminator:
            _map_given(item, lambda given: normalize_given(given, terminator))
        issue = item.get("issue")
        if isinstance(issue, str) and re.fullmatch(r"\d+-\d+", issue):
            item["issue"] = issue.replace("-", delimiter)  # a range, as citeproc-js prints it
        page = item.get("page")
        if isinstance(page, str):
            single = _single_page_label(page, delimiter)
            if single:
                item["page"] = single
            else:
                repairs.update(_page_repair(page))
        out.append(item)
    return out, repairs


def _map_given(item: dict[str, Any], change: Callable[[str], str]) -> None:
    """Every given name of the item's name lists changed in place."""
    for variable, names in item.items():
        if isinstance(names, list) and any(isinstance(n, dict) for n in names):
            item[variable] = [{**n, "given": change(n["given"])}
                              if isinstance(n, dict) and isinstance(n.get("given"), str)
                              else n for n in names]


def _hyphen_as_space(style_text: str) -> bool:
    """Whether a style initialises every name and reads a hyphen in a given name as a space
    (``initialize-with-hyphen="false"``): citeproc-js then prints "Chun-fen" as "C fen", the
    lower-case part kept as in "Chun fen"; pandoc drops it."""
    root = re.search(r"<style\b[^>]*>", style_text)
    return (root is not None and 'initialize-with-hyphen="false"' in root.group(0)
            and "initialize-with=" in root.group(0) and 'initialize="false"' not in style_text)


def _single_page_label(page: str, delimiter: str) -> str | None:
    """A two-part page value citeproc-js labels as one page ("p. no-no", "p. III–318", "p. 12a-b"),
    with its dash hidden from pandoc, which would say "pp.": the first part holds no number
    (nor a lower-case roman one), or a number with a letter after it is followed by no number."""
    parts = _two_parts(page)
    if parts is None or delimiter not in ("-", "–"):
        return None
    start, end = parts
    if re.fullmatch(r"[a-zA-Z]*\d+[a-zA-Z]*|[ivxlcdm]+", start) and not (
            re.fullmatch(r"\d+[a-zA-Z]+", start) and not re.search(r"\d", end)):
        return None
    return f"{start}{_DELIMITER if _numeric(parts) and delimiter == '–' else _HYPHEN}{end}"


def _two_parts(page: str) -> tuple[str, str] | None:
    """The start and end of a page value that is one hyphenated pair, else ``None``."""
    parts = re.split(r"\s*-\s*", page.strip())
    return (parts[0], parts[1]) if len(parts) == 2 and all(parts) else None


def _numeric(parts: tuple[str, str]) -> bool:
    return all(_NUMERIC_PAGE.fullmatch(part) for part in parts)


def _page_repair(page: str) -> dict[str, str]:
    """Pandoc's printings of a page range citeproc-js prints otherwise, and what citeproc-js
    prints: a range that is not numeric keeps its hyphen ("1308-1309.e1", "no-no"), and one
    that begins and ends on the same page is printed whole ("373–373", not "373–3")."""
    parts = _two_parts(page)
    if parts is None:
        return {}
    start, end = parts
    numeric = _numeric(parts)
    if numeric and start != end:
        return {}
    return {f"{start}{dash}{end[i:]}": f"{start}{dash}{end}" if numeric else f"{start}-{end}"
            for dash in ("–", "-", "--") for i in range(len(end) + 1)}


# What pandoc may have printed for a page range: a word, a dash ("--" in Markdown and LaTeX),
# the shortest word after it.
_RANGE = re.compile(r"(?<![\w.])[\w.]+?(?:--|[–-])[\w.]*?(?![\w–-]|\.\w)")


def prepare_style(text: str) -> str:
    """The style with what pandoc misreads made explicit: a ``<names>`` with a ``<label>`` but
    no ``<name>`` gets an empty ``<name/>`` first (pandoc would print the label before the
    names: ", ed.Price S" for "Price S, ed.")."""
    return _NAMES_BODY.sub(_add_name, text)


_NAMES_BODY = re.compile(r"(<names\b[^>]*(?<!/)>)(.*?)(?=<substitute\b|</names>)", re.S)


def _add_name(match: re.Match[str]) -> str:
    body = match.group(2)
    if "<label" in body and not re.search(r"<name[\s/>]", body):
        return match.group(1) + "<name/>" + body
    return match.group(0)


def _merge(match: re.Match[str]) -> str:
    first, between, second = match.group(1), match.group(2), match.group(3)
    if second and (first == second or _MERGE[first].get(second) == first):
        return first + between
    return first + between + (second or "")


def restore(output: str, repairs: dict[str, str]) -> str:
    """Pandoc's output with the placeholders turned back into what they stand for."""
    if _MISSED in output:
        output = _PROBED.sub(lambda m: m.group(2) + m.group(3).upper()
                             if m.group(1) == "Qz" else m.group(2) + m.group(3), output)
    if _END in output:
        output = _END_PATTERN.sub(_merge, output).replace(_END, "")
    if repairs:
        output = _RANGE.sub(lambda m: repairs.get(m.group(0), m.group(0)), output)
    return (output.replace(_STRAIGHT, "'").replace(_OPEN_INNER, "“")
            .replace(_CLOSE_INNER, "”").replace(_DISTINCT, "").replace(_HYPHEN, "-")
            .replace(_DELIMITER, "–").replace(_DOT, "."))


_TAGS = r"((?:</?[a-z][^>]*>)*)"
_PROBED = re.compile(_PROBE.replace("qz", "(qz|Qz|QZ)") + _TAGS + r"(.?)", re.S)


def quotes_outside(entry: str) -> str:
    """American punctuation goes inside closing quotes, inner ones too; pandoc misses some
    ("Response”.", "‘Ocean of Data’,”"), also across HTML tags."""
    entry = re.sub(rf"”{_TAGS}([.,])", r"\2”\1", entry)
    return re.sub(rf"’{_TAGS}([.,])”", r"\2’\1”", entry)

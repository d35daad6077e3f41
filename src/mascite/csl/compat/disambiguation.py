"""Names that citation disambiguation adds to bibliography entries, as citeproc-js adds them.

When two citations read alike ("Liu et al."), a style with ``disambiguate-add-names`` shows more
names until they differ ("Liu, Chen, et al."). citeproc-js, the reference processor, keeps the
number of names it settled on for the item and prints as many in its bibliography entry ("Liu,
Junguo, Deliang Chen, et al."); pandoc does not. This module replays citeproc-js's search (its
``CSL.Disambiguation``: one counter of names and given-name levels, pushed forward for a group
of alike citations and recorded for each item as it becomes distinct) over the items' names, each
item cited once, so that the formatter can print those entries with that many names. Under the
"by-cite" given-name rule citeproc-js also prints in full the given names of two authors of one
item who share family name and initials (:func:`full_given_names`). It is pure: CSL-JSON items and
a style's text in, indexes and style text out.

Known simplifications: a style whose given-name rule works across the whole list ("all-names",
"primary-name"...) is left alone; a citation is compared by its names (family names, and given
names or initials where the search adds them), "et al.", and the year where the style adds year
suffixes; other text in a citation is taken to be alike within a group.
"""

from __future__ import annotations

import copy
import re
from typing import Any, NamedTuple

__all__ = ["added_names", "ambiguity_key", "authors_in_full", "full_given_names"]

_NAME_VARIABLES = ("author", "editor", "translator", "director", "composer")


def added_names(items: list[dict[str, Any]], style_text: str) -> dict[int, int]:
    """For items (by index) whose bibliography entry shows more names than the style's et-al
    rule allows, because citation disambiguation added them: how many names it shows."""
    rules = _Rules.read(style_text)
    if rules is None or not rules.add_names or not rules.cite_min or not rules.bib_min:
        return {}
    if rules.add_givenname and not rules.by_cite:
        return {}  # given names told apart across the whole list first: not replayed here
    added = {}
    for index, config in rules.search(items).run().items():
        count = len(_names(items[index]))
        shown = config["names"][0]
        if shown > rules.bib_first and count >= rules.bib_min:
            added[index] = min(shown, count)
    return added


def full_given_names(items: list[dict[str, Any]], style_text: str) -> set[int]:
    """Items (by index) whose bibliography names citeproc-js prints with full given names where
    the style gives initials: under the "by-cite" given-name rule it tells apart two authors of
    one item who share family name and initials ("Fouladinejad, Nariman" beside "Fouladinejad,
    Nima"). Only items it is sure of: every author shown needs it, and no citation of the item is
    ambiguous (citeproc-js's search then decides). Other names (an editor's) keep their
    initials: see :func:`authors_in_full`."""
    rules = _Rules.read(style_text)
    if (rules is None or not rules.add_givenname or not rules.by_cite
            or "initialize-with=" not in style_text):
        return set()
    groups = rules.search(items).groups().values()
    ambiguous = {i for group in groups if len(group) > 1 for i in group}
    found = set()
    for index, item in enumerate(items):
        names = item.get("author")
        if index in ambiguous or not isinstance(names, list):
            continue
        names = [n for n in names if isinstance(n, dict)]
        few = rules.bib_min and len(names) >= rules.bib_min
        shown = names[:rules.bib_first] if few else names
        if shown and all(any(_twins(name, other) for other in names) for name in shown):
            found.add(index)
    return found


class _Rules(NamedTuple):
    """What a style says about citation disambiguation and et al.; counts are 0 where unset (no
    "et al.": all names shown)."""

    cite_min: int
    cite_first: int
    bib_min: int
    bib_first: int
    add_names: bool
    add_givenname: bool
    by_cite: bool  # the given-name rule works cite by cite (the default), not across the list
    with_year: bool  # the citation has a year: it adds year suffixes

    @classmethod
    def read(cls, style_text: str) -> _Rules | None:
        citation = _element(style_text, "citation")
        bibliography = _element(style_text, "bibliography")
        if not citation or not bibliography:
            return None
        root = _element(style_text, "style")
        cite_min, cite_first = _et_al(citation, root)
        bib_min, bib_first = _et_al(bibliography, root)
        return cls(cite_min, cite_first, bib_min, bib_first,
                   _attribute(citation, "disambiguate-add-names") == "true",
                   _attribute(citation, "disambiguate-add-givenname") == "true",
                   (_attribute(citation, "givenname-disambiguation-rule") or "by-cite")
                   == "by-cite",
                   _attribute(citation, "disambiguate-add-year-suffix") == "true")

    def search(self, items: list[dict[str, Any]]) -> _Search:
        givens_max = 2 if self.add_givenname and self.by_cite else None
        return _Search(items, self.cite_min, self.cite_first, givens_max, self.with_year)


def authors_in_full(style_text: str) -> str | None:
    """The style with authors' given names in full, for the items of :func:`full_given_names`;
    ``None`` where initials are not set on the authors' own name elements."""
    if "initialize-with=" in _element(style_text, "style") + _element(style_text, "bibliography"):
        return None
    changed = _AUTHOR_NAMES.sub(lambda m: _INITIALIZE.sub("", m.group(0)), style_text)
    return changed if changed != style_text else None


_AUTHOR_NAMES = re.compile(r'<names\b[^>]*\bvariable="author"[^>]*>.*?</names>', re.S)
_INITIALIZE = re.compile(r'\sinitialize-with="[^"]*"')


def _twins(name: dict[str, Any], other: dict[str, Any]) -> bool:
    """Two names citeproc-js prints alike with initials: family, particle and initials equal,
    given names not."""
    return (name is not other and name.get("given") != other.get("given")
            and all(name.get(k) == other.get(k) for k in ("family", "non-dropping-particle"))
            and bool(name.get("family")) and _initials(name) == _initials(other))


def _initials(name: dict[str, Any]) -> str:
    """Initials as citeproc-js keys them: "Soo-Young" S-Y, "Hyun Ju" H J, and a lower-case
    part after a hyphen dropped ("Jun-liang" J)."""
    words = []
    for word in str(name.get("given") or "").replace(".", " ").split():
        parts = word.split("-")
        words.append("-".join(p[0] for i, p in enumerate(parts) if p and (i == 0 or p[0].isupper())))
    return " ".join(words)


def _element(text: str, tag: str) -> str:
    match = re.search(rf"<{tag}(?=[\s/>])[^>]*>", text)
    return match.group(0) if match else ""


def _attribute(element: str, name: str) -> str:
    match = re.search(rf'\s{name}="([^"]*)"', element)
    return match.group(1) if match else ""


def _et_al(element: str, root: str) -> tuple[int, int]:
    """(et-al-min, et-al-use-first) of a citation or bibliography element, inherited from the
    style element; 0 where unset (no "et al.": all names shown)."""
    values = []
    for name in ("et-al-min", "et-al-use-first"):
        value = _attribute(element, name) or _attribute(root, name)
        values.append(int(value) if value.isdigit() else 0)
    return values[0], values[1]


def ambiguity_key(item: dict[str, Any]) -> tuple[str, str]:
    """What two items must share for their citations to be ambiguous in an author-date style:
    the first name's family (all items without names count as one: a style may stand in a title
    or a publisher) and the year."""
    names = _names(item)
    first = names[0] if names else {}
    return str(first.get("family") or first.get("literal") or "").casefold(), _year(item)


def _year(item: dict[str, Any]) -> str:
    issued = item.get("issued")
    date_parts = issued.get("date-parts") if isinstance(issued, dict) else None
    return str(date_parts[0][0]) if date_parts and date_parts[0] else ""


def _names(item: dict[str, Any]) -> list[dict[str, Any]]:
    for variable in _NAME_VARIABLES:
        names = item.get(variable)
        if isinstance(names, list) and names:
            return [n for n in names if isinstance(n, dict)]
    return []


def _given(name: dict[str, Any], level: int) -> str:
    given = str(name.get("given") or "")
    if level == 1:
        return " ".join(part[0] for part in given.replace("-", " ").split())
    return given if level == 2 else ""


Config = dict[str, list[Any]]


class _Search:
    """citeproc-js's disambiguation search, names mode: see the module's docstring."""

    def __init__(self, items: list[dict[str, Any]], et_al_min: int, use_first: int,
                 givens_max: int | None, with_year: bool) -> None:
        self.items = items
        self.et_al_min, self.use_first = et_al_min, use_first
        self.givens_max, self.with_year = givens_max, with_year

    def default(self, index: int) -> Config:
        count = len(_names(self.items[index]))
        shown = self.use_first if count >= self.et_al_min else count
        return {"names": [shown], "givens": [[0] * shown]}

    def cite(self, index: int, base: Config) -> tuple[Any, ...]:
        names = _names(self.items[index])
        shown = min(base["names"][0], len(names))
        givens = base["givens"][0]
        givens.extend([0] * (shown - len(givens)))  # as rendering pads citeproc-js's request
        parts = tuple((str(n.get("family") or n.get("literal") or ""),
                       str(n.get("non-dropping-particle") or ""), _given(n, givens[j]))
                      for j, n in enumerate(names[:shown]))
        year = _year(self.items[index]) if self.with_year else None
        return parts, shown < len(names), year

    def groups(self) -> dict[tuple[Any, ...], list[int]]:
        """Items (by index) by their citation as first printed."""
        groups: dict[tuple[Any, ...], list[int]] = {}
        for index in range(len(self.items)):
            if _names(self.items[index]):
                groups.setdefault(self.cite(index, self.default(index)), []).append(index)
        return groups

    def run(self) -> dict[int, Config]:
        found: dict[int, Config] = {}
        for group in self.groups().values():
            if len(group) > 1:
                # citeproc-js orders a group by its largest name count, compared as text
                # ("10" before "3"), then by id, also as text
                order = sorted(group, key=lambda i: (str(len(_names(self.items[i]))),
                                                     str(self.items[i].get("id", ""))))
                found.update(self.resolve(order))
        return found

    def resolve(self, order: list[int]) -> dict[int, Config]:
        """One group of alike citations: the configuration each item is recorded with."""
        found: dict[int, Config] = {}
        base = self.default(order[0])
        better = copy.deepcopy(base)
        names_max = len(_names(self.items[order[0]]))
        lists = [order]
        fresh, extra_text = True, False
        while lists:
            name, clashes = 0, [1, 0]
            while lists[0]:
                maxed = False
                if fresh:
                    fresh = False
                elif not extra_text:
                    maxed, name = self.step(base, name, names_max)
                current = lists[0]
                if extra_text:  # the disambiguate condition's turn: names stay as they are
                    for index in current:
                        found.setdefault(index, copy.deepcopy(better))
                    lists[0] = []
                    break
                first = self.cite(current[0], base)
                partners = [current[0]] + [i for i in current[1:] if self.cite(i, base) == first]
                others = [i for i in current[1:] if i not in partners]
                clashes = [clashes[1], len(partners) - 1]
                if clashes[1] == 0 or len(others) == 1 or clashes[1] < clashes[0]:
                    self.capture(base, better, name)
                if clashes[1] == 0 and len(others) == 1:
                    found[others[0]] = copy.deepcopy(better)
                    found[partners[0]] = copy.deepcopy(better)
                    lists[0] = []
                elif clashes[1] == 0:
                    found[partners[0]] = copy.deepcopy(better)
                    lists[0] = others
                    fresh = bool(others)
                elif len(others) == 1:
                    found[others[0]] = copy.deepcopy(better)
                    lists[0] = partners
                elif clashes[1] < clashes[0]:
                    lists[0] = partners
                    lists.append(others)
                elif maxed:
                    lists[0] = others
                    lists.append(partners)
                extra_text = extra_text or maxed
            lists.pop(0)
        return found

    def step(self, base: Config, name: int, names_max: int) -> tuple[bool, int]:
        """citeproc-js's ``incrementDisambig``: the next given-name level of the current name,
        else one more name. Returns whether the counter is at its end, and the current name."""
        givens = base["givens"][0]
        more_names = True
        if self.givens_max is not None and name < len(givens) and givens[name] < self.givens_max:
            givens[name] += 1
            more_names = False
        if more_names and name < names_max:
            base["names"][0] += 1
            name += 1
        at_end = name == names_max and (self.givens_max is None or name >= len(givens)
                                        or givens[name] == self.givens_max)
        return at_end, name

    @staticmethod
    def capture(base: Config, better: Config, name: int) -> None:
        """citeproc-js's ``captureStepToBase``: the improvement kept."""
        givens = base["givens"][0]
        if name < len(givens):
            if len(better["givens"][0]) < len(givens):
                better["givens"] = copy.deepcopy(base["givens"])
            better["givens"][0][name] = givens[name]
        better["names"][0] = base["names"][0]

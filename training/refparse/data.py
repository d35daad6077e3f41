"""Labelled reference strings for training and evaluation: AnyStyle XML, GROBID TEI, and strings
rendered from Crossref records (their fields are the labels). Each becomes (tokens, labels).

Labels are character spans in the markup; a whitespace token takes the label of its first letter
or digit, so "(2011)." is a date and "COLLMAN." an author.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path
from xml.etree.ElementTree import Element

from defusedxml.ElementTree import parse as parse_xml

from mascite.refparse.features import token_spans

__all__ = ["LABELS", "Example", "load_anystyle", "load_grobid", "split", "tokens_with_labels"]

LABELS = ("author", "editor", "title", "container-title", "collection-title", "date", "volume",
          "pages", "publisher", "location", "edition", "doi", "url", "identifier", "note", "genre",
          "citation-number", "other")

Example = tuple[list[str], list[str]]

_ANYSTYLE = {
    "author": "author", "director": "author", "producer": "author", "editor": "editor",
    "translator": "editor", "title": "title", "container-title": "container-title",
    "journal": "container-title", "collection-title": "collection-title", "date": "date",
    "volume": "volume", "pages": "pages", "publisher": "publisher", "location": "location",
    "edition": "edition", "doi": "doi", "url": "url", "isbn": "identifier",
    "identifier": "identifier", "note": "note", "medium": "note", "source": "note",
    "scripts": "note", "genre": "genre", "citation-number": "citation-number",
    "dataset": "note",
}


def tokens_with_labels(spans: list[tuple[str, str]]) -> Example:
    """Whitespace tokens of the concatenated spans, each labelled by its first letter or digit."""
    text = "".join(s for s, _ in spans)
    chars: list[str] = []
    for span, label in spans:
        chars.extend([label] * len(span))
    tokens, labels = [], []
    for start, end in token_spans(text):
        token = text[start:end]
        first = next((i for i, c in enumerate(token) if c.isalnum()), 0)
        tokens.append(token)
        labels.append(chars[start + first])
    return tokens, labels


def load_anystyle(path: Path) -> list[Example]:
    """AnyStyle's sequences. Where one has no title but a container title, or a journal and a
    publisher (a book, in its "ugly" set), that is the work's title: the convention of its other
    sequences and of the GROBID loader, and what a ``Reference`` holds."""
    root = parse_xml(path).getroot()
    examples = []
    for sequence in root.iter("sequence"):
        spans = []
        tags = {child.tag for child in sequence}
        own = set() if "title" in tags else {"container-title"} | (
            {"journal"} if "publisher" in tags else set())
        for child in sequence:
            label = "title" if child.tag in own else _ANYSTYLE.get(child.tag, "note")
            spans.append((" ".join("".join(child.itertext()).split()) + " ", label))
        example = tokens_with_labels(spans)
        if example[0]:
            examples.append(example)
    return examples


def _grobid_label(element: Element, has_article_title: bool) -> str:
    tag = element.tag.split("}")[-1].lower()
    kind = (element.get("level") or element.get("type") or element.get("unit") or "").lower()
    if tag == "title":
        if kind == "a":
            return "title"
        if kind == "j":
            return "container-title"
        if kind == "s":
            return "collection-title"
        return "container-title" if has_article_title else "title"
    if tag == "biblscope":
        return "pages" if kind in ("pp", "page") else "volume"
    if tag == "idno":
        return "doi" if kind == "doi" else "identifier"
    return {"author": "author", "editor": "editor", "date": "date", "publisher": "publisher",
            "pubplace": "location", "ptr": "url", "note": "note", "orgname": "publisher",
            "edition": "edition"}.get(tag, "other")


def _walk(element: Element, label: str, spans: list[tuple[str, str]], has_a: bool) -> None:
    if element.text:
        spans.append((element.text, label))
    for child in element:
        child_label = _grobid_label(child, has_a) if label == "other" else label
        _walk(child, child_label, spans, has_a)
        if child.tail:
            spans.append((child.tail, label))


def load_grobid(folder: Path) -> list[Example]:
    examples = []
    for path in sorted(folder.glob("*.xml")):
        try:
            root = parse_xml(path).getroot()
        except Exception:  # noqa: BLE001, S112 - a malformed training file is skipped, not fatal
            continue
        for bibl in root.iter():
            if bibl.tag.split("}")[-1] != "bibl":
                continue
            has_a = any(t.tag.split("}")[-1] == "title" and t.get("level") == "a"
                        for t in bibl.iter())
            spans: list[tuple[str, str]] = []
            _walk(bibl, "other", spans, has_a)
            tokens, labels = tokens_with_labels([(" ".join(s.split(" ")), label)
                                                 for s, label in spans])
            if len(tokens) >= 3:
                examples.append((tokens, _marks_joined(tokens, labels)))
    return examples


_MARKERS = frozenset("in pp p pages page vol vols volume no nr issue iss n num by ed eds edd "
                     "editor editors edn edition doi chap chapter s bd heft hrsg".split())
_EDITOR_MARKS = frozenset("ed eds edd editor editors hrsg".split())
_OPENING = "([{“‘\"'«<"


def _marks_joined(tokens: list[str], labels: list[str]) -> list[str]:
    """GROBID leaves field marks outside the fields ("pp." "vol." "In" "(" ")."), AnyStyle and
    the rendered strings put them inside: a mark word or an opening bracket joins the field it
    opens ("(eds.)" after editors the one it closes), other punctuation the field it closes, so
    that all sources teach one convention."""
    out = list(labels)
    for i, token in enumerate(tokens):
        if labels[i] != "other":
            continue
        before = out[i - 1] if i else "other"
        after = labels[i + 1] if i + 1 < len(labels) else "other"
        word = token.strip(".,:;()[]{}\"'").lower()
        if word in _EDITOR_MARKS and before == "editor":  # "Smith J (eds.)" closes the names
            out[i] = before
        elif word in _MARKERS or (not word and token[:1] in _OPENING):
            out[i] = after
        elif not any(c.isalnum() for c in token):
            out[i] = before if before != "other" else after
    return out


def split(examples: list[Example], held_out: float, seed: int) -> tuple[list[Example],
                                                                         list[Example]]:
    """A seeded split: (train, test). The test share is never trained on."""
    order = list(range(len(examples)))
    random.Random(seed).shuffle(order)  # noqa: S311 - a data split, not security
    cut = int(len(order) * held_out)
    test = {i for i in order[:cut]}
    return ([e for i, e in enumerate(examples) if i not in test],
            [e for i, e in enumerate(examples) if i in test])


def iterate_sources(data: Path) -> Iterator[tuple[str, list[Example]]]:
    """The labelled sets of the shared data folder, by name."""
    anystyle = data / "parser" / "anystyle"
    for name in ("core", "good", "ugly"):
        path = anystyle / f"{name}.xml"
        if path.exists():
            yield f"anystyle-{name}", load_anystyle(path)
    corpus = data / "parser" / "grobid" / "corpus"
    if corpus.is_dir():
        yield "grobid", load_grobid(corpus)

"""The engine's HTML as docutils nodes, so that every builder (HTML, LaTeX, EPUB, text) writes
citations and bibliographies itself, escaping the untrusted text as it escapes any text."""

from __future__ import annotations

from collections.abc import Mapping
from html.parser import HTMLParser
from typing import Any

from docutils import nodes

__all__ = ["author_label", "inline_nodes"]

_INLINE: Mapping[str, type[nodes.TextElement]] = {
    "em": nodes.emphasis, "i": nodes.emphasis, "strong": nodes.strong, "b": nodes.strong,
    "sup": nodes.superscript, "sub": nodes.subscript}
_VOID = {"br", "img", "hr", "wbr"}


class _Converter(HTMLParser):
    """Inline markup kept (emphasis, strong, super- and subscripts, small caps, links to the
    web or to an entry), every other tag reduced to its text."""

    def __init__(self, linked: frozenset[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.linked = linked
        self.root = nodes.inline()
        self.stack: list[tuple[str, nodes.Element]] = [("", self.root)]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            return
        attributes = {name: value or "" for name, value in attrs}
        node: nodes.Element
        if tag in _INLINE:
            node = _INLINE[tag]()
        elif tag == "a":
            node = _link(attributes.get("href", ""), self.linked)
        elif "small-caps" in attributes.get("style", ""):
            node = nodes.inline(classes=["smallcaps"])
        else:
            kept = [c for c in attributes.get("class", "").split() if c.startswith("csl-")]
            if not kept:  # no markup of its own: its text goes to the enclosing node
                self.stack.append((tag, self.stack[-1][1]))
                return
            node = nodes.inline(classes=kept)
        self.stack[-1][1].append(node)
        self.stack.append((tag, node))

    def handle_endtag(self, tag: str) -> None:
        if any(open_tag == tag for open_tag, _ in self.stack[1:]):
            while True:
                open_tag, node = self.stack.pop()
                if "csl-left-margin" in node.get("classes", ()) and not node.astext()[-1:].isspace():
                    node.append(nodes.Text(" "))  # "1." then the entry: CSS is not everywhere
                if open_tag == tag:
                    break

    def handle_data(self, data: str) -> None:
        self.stack[-1][1].append(nodes.Text(data))


def _link(href: str, linked: frozenset[str]) -> nodes.Element:
    if href.startswith("#") and href[1:] in linked:
        return nodes.reference("", "", internal=True, refid=href[1:])
    if href.startswith(("https://", "http://")):
        return nodes.reference("", "", refuri=href)
    return nodes.inline()  # a link to an entry not listed here, or another scheme: its text


def inline_nodes(html: str, linked: frozenset[str] = frozenset()) -> nodes.inline:
    """One inline node holding ``html``'s text and inline markup; links to ``#id`` are kept
    only for the ids in ``linked`` (entries the page lists)."""
    converter = _Converter(linked)
    converter.feed(html)
    converter.close()
    return converter.root


def author_label(item: Mapping[str, Any]) -> str:
    """"Saha et al.", "Saha and Das", "Saha": who a textual citation names when the style's
    citation is a number alone."""
    people = item.get("author") or item.get("editor") or []
    names = [str(p.get("family") or p.get("literal") or "") for p in people]
    names = [n for n in names if n]
    if not names:
        return str(item.get("title") or item.get("id") or "")
    if len(names) > 2 or names[-1] == "others":
        return f"{names[0]} et al."
    return " and ".join(names)

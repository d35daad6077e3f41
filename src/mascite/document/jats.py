"""JATS XML (PubMed Central, PLOS, publishers' exports) as its readers see it: the abstract and
body as paragraphs and section titles, captions and table cells as text, ``<ref-list>`` as the
numbered reference list. Metadata, formulas and graphics are not content. Parsed by the HTML
reader's machinery, which keeps every character's source offset; nothing is fetched (no DTDs,
no entities beyond XML's own), so hostile XML cannot reach the network or the disk."""

from __future__ import annotations

from .base import Block, BlockKind
from .html import _Reader, html_blocks

__all__ = ["jats_blocks", "looks_like_jats"]

_TAGS: dict[str, BlockKind] = {
    "p": "paragraph", "title": "heading", "list-item": "list-item",
    "caption": "paragraph", "td": "paragraph", "th": "paragraph", "ref": "list-item",
    "def": "paragraph", "term": "paragraph", "disp-quote": "paragraph", "preformat": "code",
    "code": "code", "statement": "paragraph", "boxed-text": "paragraph",
}
_SKIP = {"journal-meta", "contrib-group", "aff", "author-notes", "pub-date", "history",
         "permissions", "funding-group", "custom-meta-group", "kwd-group", "article-categories",
         "article-id", "counts", "self-uri", "related-article", "disp-formula", "inline-formula",
         "mml:math", "tex-math", "graphic", "inline-graphic", "media", "label", "object-id",
         "alternatives", "processing-meta"}
# fields of a structured <element-citation> end with a separator, so "<surname>Smith</surname>
# <given-names>J</given-names>" reads "Smith J" and the fields as a reference list shows them
_SPACED = frozenset({"surname", "given-names", "name", "string-name", "collab", "etal",
                     "person-group", "year", "source", "volume", "issue", "lpage",
                     "pub-id", "publisher-name", "publisher-loc", "ext-link", "comment",
                     "chapter-title", "edition", "date-in-citation", "uri"})


class _JatsReader(_Reader):
    block_tags = _TAGS
    skip_tags = _SKIP
    void_tags = frozenset({"break"})  # XML closes its empty elements itself ("<graphic/>")
    spaced = _SPACED

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.references = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        super().handle_starttag(tag, attrs)
        if self.skip:
            return
        if tag == "lpage":  # "<fpage>437</fpage> <lpage>467</lpage>" reads "437–467"
            if self.chars and self.chars[-1] == " ":
                self.chars.pop()
                self.offsets.pop()
            self._add("–", self._pos())
        elif tag == "pub-id" and ("pub-id-type", "doi") in attrs:
            for char in " doi:":
                self._add(char, self._pos())

    def _label(self, tag: str) -> str | None:
        if tag == "ref":
            self.references += 1
            return str(self.references)
        return None


def jats_blocks(text: str) -> list[Block]:
    """Blocks of a JATS article, each character mapped back to its source offset; the
    ``<ref-list>`` opens the reference list under a "References" heading."""
    blocks = html_blocks(text, _JatsReader)
    at = text.find("<ref-list")
    if at >= 0:
        heading = [b for b in blocks if b.kind == "heading" and b.start > at][:1]
        if heading and not heading[0].text.strip().lower().startswith(("reference",
                                                                        "bibliograph")):
            heading[0].text = "References"
        elif not heading:
            blocks.append(Block("heading", "References", at, at + len("<ref-list")))
            blocks.sort(key=lambda b: b.start)
    return blocks


def looks_like_jats(text: str) -> bool:
    """An XML document whose root is a JATS ``<article>``."""
    head = text[:4000]
    return "<article" in head and ("JATS" in head or "jats" in head or "<front>" in text[:20000])

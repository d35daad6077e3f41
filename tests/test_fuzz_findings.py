"""Inputs the fuzz run (``benchmarks/fuzz.py``) found to break a reader, each kept as a test."""

from __future__ import annotations

from mascite.document import parse_document


def _blocks(text: str, path: str) -> list[tuple[str, str, int, int]]:
    return [(b.kind, b.text, b.start, b.end) for b in parse_document(text, path).blocks]


def test_markdown_counts_a_lone_carriage_return_as_a_line_end_as_markdown_it_does() -> None:
    assert _blocks("\r0", "x.md") == [("paragraph", "0", 1, 2)]
    assert _blocks("Para one [1].\r\rPara two [2].\r", "x.md") == [
        ("paragraph", "Para one [1].", 0, 13), ("paragraph", "Para two [2].", 15, 28)]
    assert _blocks("Title\r\n=====\r\n\r\n- item [1]\r\n", "x.md") == [
        ("heading", "Title", 0, 5), ("list-item", "item [1]", 18, 26)]


def test_html_bogus_marked_sections_are_read_as_text_not_a_crash() -> None:
    # the standard library's parser asserts on "<![" before no known keyword (fuzz finding)
    assert _blocks("<p>x <![ y [1]</p>", "x.html") == [("paragraph", "x ![ y [1]", 3, 14)]
    assert [b.text for b in parse_document("<p>a <![foo x]> b</p>", "x.html").blocks] == [
        "a ![foo x]> b"]
    assert [b.text for b in parse_document("<p>a <![CDATA[ x ]]> b</p>", "x.html").blocks] == [
        "a b"]


def test_jats_with_a_bogus_marked_section_before_the_declaration_is_read() -> None:
    document = parse_document('<![<?xml version="1.0"?><article><front></front><body><p>Text '
                              "[1].</p></body></article>", "a.xml")
    assert [b.text for b in document.blocks] == ["![", "Text [1]."]


def test_ris_keeps_an_unpaired_tag_as_text_and_drops_paired_markup() -> None:
    # test_roundtrip found "<sub>" alone as a journal: text, not markup (as BibTeX writes it)
    from mascite import Reference, read_references_text, write_references

    item = {"id": "k1", "type": "article-journal", "container-title": "<sub>",
            "title": "x<sup>2</sup> in <i>vivo</i>"}
    written = write_references([Reference.from_csl(item)], "ris")
    assert "T2  - <sub>\n" in written
    assert "TI  - x2 in vivo\n" in written
    back = read_references_text(written, "ris", "x.ris").references[0]
    assert back.container_title == "<sub>"

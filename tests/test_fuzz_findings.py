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

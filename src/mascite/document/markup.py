"""LaTeX and reStructuredText: paragraphs by blank lines, headings, list items, code and
bibliography entries (``\\bibitem``, ``.. [key]``), all as exact slices of the source."""

from __future__ import annotations

import re

from ..text.blocks import paragraph_spans
from ..text.latex import blank_comments
from .base import Block, BlockKind

__all__ = ["latex_blocks", "rst_blocks"]

_LATEX_HEADING = re.compile(r"^\s*\\(?:part|chapter|section|subsection|subsubsection|paragraph)"
                            r"\*?\s*(?:\[[^\]]*\])?\s*\{(?P<title>[^{}]*(?:\{[^{}]*\}[^{}]*)*)\}")
_LATEX_SKIP_ENV = re.compile(r"\\begin\{(verbatim|Verbatim|lstlisting|minted|comment|equation\*?|"
                             r"align\*?|gather\*?|multline\*?|eqnarray\*?|displaymath|"
                             r"tikzpicture)\}.*?\\end\{\1\}", re.S)
# Structure that is not prose, blanked so that what floats, tables and centred blocks hold
# (captions, cells, their \cite) stays content as LaTeX typesets it.
_BRACED = r"\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}"
_LATEX_STRUCTURE = re.compile(
    rf"\\begin\{{(?:tabular[*xy]?|tabularx|longtable|array|thebibliography)\}}(?:\s*\[[^\]]*\])?(?:\s*{_BRACED}){{1,2}}"
    rf"|\\(?:begin|end)\{{[^{{}}]*\}}(?:\s*\[[^\]]*\])?"
    rf"|\\(?:label|includegraphics|centering|hline|toprule|midrule|bottomrule|cline|"
    rf"raggedright|raggedleft|small|footnotesize|scriptsize)\b\*?(?:\s*\[[^\]]*\])?(?:\s*{_BRACED})?")


def _mask(text: str, pattern: re.Pattern[str]) -> str:
    return pattern.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def _blank(match: re.Match[str]) -> str:
    """Structure as spaces; an environment's edge also ends a paragraph, as it does in LaTeX."""
    text = re.sub(r"[^\n]", " ", match.group(0))
    if match.group(0).startswith(("\\begin", "\\end")) and len(text) >= 2:
        return "\n" + text[1:-1] + "\n"
    return text


def _trimmed(source: str, start: int, end: int) -> tuple[int, int]:
    while end > start and source[end - 1].isspace():
        end -= 1
    return start, end


def latex_blocks(text: str) -> list[Block]:
    """Blocks of a LaTeX document; comments, preamble, math and floats are not content."""
    masked = blank_comments(text)
    begin = masked.find("\\begin{document}")
    if begin >= 0:
        masked = " " * (begin + len("\\begin{document}")) + masked[begin + len("\\begin{document}"):]
    masked = _mask(masked, _LATEX_SKIP_ENV)
    masked = _LATEX_STRUCTURE.sub(_blank, masked)
    blocks: list[Block] = []
    for start, end in paragraph_spans(masked):
        chunk = masked[start:end]
        pieces = re.split(r"(?=\\item\b|\\bibitem\b|\\caption\b|\\nocite\b|\\bibliography\b|"
                          r"\\addbibresource\b|\\printbibliography\b|\\(?:part|chapter|section|"
                          r"subsection|subsubsection|paragraph)\*?\s*[\[{])", chunk)
        offset = start
        for piece in pieces:
            piece_start = offset
            offset += len(piece)
            if not piece.strip():
                continue
            lead = len(piece) - len(piece.lstrip())
            s, e = _trimmed(masked, piece_start + lead, piece_start + len(piece.rstrip()))
            body = masked[s:e]
            kind: BlockKind = "paragraph"
            label = None
            heading = _LATEX_HEADING.match(body)
            if heading:
                title_start = s + heading.start("title")
                blocks.append(Block("heading", heading.group("title"), title_start,
                                    title_start + len(heading.group("title"))))
                s, e = _trimmed(masked, s + heading.end(), e)
                while s < e and masked[s].isspace():
                    s += 1
            elif body.startswith("\\item"):
                match = re.match(r"\\item\s*(?:\[[^\]]*\])?\s*", body)
                s += match.end() if match else 0
                kind = "list-item"
            elif body.startswith("\\bibitem"):
                match = re.match(r"\\bibitem\s*(?:\[[^\]]*\])?\s*\{(?P<key>[^}]*)\}\s*", body)
                if match:
                    label = match.group("key")
                    s += match.end()
                kind = "list-item"
            elif body.startswith("\\nocite"):
                kind = "navigation"  # lists references, says nothing: markers but no claims
            elif re.match(r"\\(?:maketitle|documentclass|usepackage|bibliographystyle|"
                          r"bibliography|addbibresource|printbibliography)\b", body):
                kind = "code"
            if e > s:
                blocks.append(Block(kind, masked[s:e], s, e, label=label))
    for match in re.finditer(r"\\begin\{thebibliography\}", text):
        blocks.append(Block("heading", "References", match.start(), match.end()))
    blocks.sort(key=lambda b: b.start)
    return blocks


_RST_UNDERLINE = re.compile(r"^([=\-~^\"'`#*+<>:._])\1{2,}[ \t]*$")
_RST_LIST = re.compile(r"^(?:[-*+•]|#\.|(?P<num>\d{1,4})[.)])[ \t]+")
_RST_CITATION = re.compile(r"^\.\.[ \t]+\[(?P<key>[^\]]+)\][ \t]+")


def rst_blocks(text: str) -> list[Block]:
    """Blocks of a reStructuredText document; directives other than citations are not content."""
    blocks: list[Block] = []
    for start, end in paragraph_spans(text):
        chunk = text[start:end]
        lines = chunk.split("\n")
        if len(lines) >= 2 and _RST_UNDERLINE.match(lines[1]) and len(lines[0].strip()) > 0:
            s, e = _trimmed(text, start, start + len(lines[0]))
            blocks.append(Block("heading", text[s:e], s, e))
            rest = start + len(lines[0]) + 1 + len(lines[1]) + 1
            if rest < end:
                blocks.extend(_rst_chunk(text, rest, end))
            continue
        if _RST_UNDERLINE.match(lines[0]) and len(lines) >= 3:  # over- and underlined title
            line_start = start + len(lines[0]) + 1
            s, e = _trimmed(text, line_start, line_start + len(lines[1]))
            blocks.append(Block("heading", text[s:e].strip(), s + len(lines[1]) - len(
                lines[1].lstrip()), e))
            continue
        blocks.extend(_rst_chunk(text, start, end))
    return blocks


def _rst_chunk(text: str, start: int, end: int) -> list[Block]:
    chunk = text[start:end]
    citation = _RST_CITATION.match(chunk)
    if citation:
        s, e = _trimmed(text, start + citation.end(), end)
        return [Block("list-item", text[s:e], s, e, label=citation.group("key"))]
    if chunk.startswith(".."):
        return [Block("code", chunk, start, end)]
    line_start = text.rfind("\n", 0, start) + 1
    if text[line_start:start].strip() == "" and start > line_start and (
            text[:line_start].rstrip().endswith("::")):
        return [Block("code", chunk, start, end)]  # a literal block after "::"
    out: list[Block] = []
    items = list(re.finditer(r"^(?:[-*+•]|#\.|\d{1,4}[.)])[ \t]+", chunk, re.M))
    if items and items[0].start() == 0:
        bounds = [m.start() for m in items] + [len(chunk)]
        for match, stop in zip(items, bounds[1:], strict=True):
            s, e = _trimmed(text, start + match.end(), start + stop)
            label = re.match(r"\d+", match.group(0))
            out.append(Block("list-item", text[s:e], s, e, label=label.group(0) if label else None))
        return out
    s, e = _trimmed(text, start, end)
    return [Block("paragraph", text[s:e], s, e)]

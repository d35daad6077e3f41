"""Documents: read plain text, Markdown, HTML, reStructuredText and LaTeX into blocks with exact
offsets, and find the reference list. Pure apart from :func:`read_document`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..errors import FormatError, InputError
from ..formats.files import decode_text, read_bytes
from ..model import ParseFailure
from .base import Block, Document, Section
from .docx import docx_html
from .html import html_blocks
from .jats import jats_blocks, looks_like_jats
from .markdown import markdown_blocks
from .markup import latex_blocks, rst_blocks
from .metadata import Metadata, latex_metadata, markdown_metadata
from .notebook import notebook_markdown
from .plaintext import plain_text_blocks
from .refsection import find_reference_list, is_reference_heading

__all__ = [
    "DOCUMENT_FORMATS",
    "Block",
    "Document",
    "Metadata",
    "Section",
    "document_format",
    "is_reference_heading",
    "parse_document",
    "read_document",
]

_READERS: dict[str, Callable[[str], list[Block]]] = {
    "text": plain_text_blocks, "markdown": markdown_blocks, "html": html_blocks,
    "rst": rst_blocks, "latex": latex_blocks, "jats": jats_blocks,
}
DOCUMENT_FORMATS = {
    ".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown",
    ".mdown": "markdown", ".myst": "markdown", ".rmd": "markdown", ".qmd": "markdown",
    ".html": "html", ".htm": "html",
    ".xhtml": "html", ".xml": "jats", ".nxml": "jats", ".rst": "rst", ".rest": "rst",
    ".tex": "latex", ".ltx": "latex",
}


READABLE = ("plain text, Markdown (also R Markdown, Quarto, Jupyter notebooks), HTML, "
            "reStructuredText, LaTeX, JATS XML and Word .docx")


def document_format(path: str | Path) -> str:
    """The document format for a file name (plain text when the suffix is unknown)."""
    return DOCUMENT_FORMATS.get(Path(path).suffix.lower(), "text")


def parse_document(text: str, path: str | None = None, format: str | None = None) -> Document:
    """Split a document into blocks and find its reference list."""
    fmt = format or (document_format(path) if path else "text")
    if fmt not in _READERS:
        raise FormatError(f"unknown document format {fmt!r}: use one of {', '.join(_READERS)}")
    document = Document(text=text, path=path, format=fmt)
    if fmt == "jats" and not looks_like_jats(text):
        document.failures.append(ParseFailure(
            path=path, line=1, raw=text[:200],
            message="an XML file that is not a JATS <article>: mascite reads JATS XML (PubMed "
                    "Central, publishers' exports); other XML it does not guess at"))
        return document
    document.blocks = _READERS[fmt](text)
    if fmt == "markdown":
        document.metadata = markdown_metadata(text, path)
    elif fmt == "latex":
        document.metadata = latex_metadata(text, path)
    document.failures.extend(document.metadata.failures)
    find_reference_list(document)
    return document


_BINARY = ((b"%PDF", "a PDF: give mascite its text (pdftotext -layout paper.pdf)"),
           (b"\xd0\xcf\x11\xe0", "a Word 97-2003 .doc (or other OLE) file: save it as .docx"),
           (b"PK\x03\x04", "a zip archive (OpenDocument, EPUB...), not a format mascite reads"),
           (b"{\\rtf", "an RTF file: save it as .docx"))


def read_document(path: str | Path, format: str | None = None, *,
                  data: bytes | None = None) -> Document:
    """Read and parse a document file (or ``data`` said to be that file, as from stdin);
    undecodable bytes are a failure, not an exception. A Word .docx is read as Word shows it;
    other binary files are refused, with what to do."""
    if data is None:
        data = read_bytes(path, "a document")
    suffix = Path(path).suffix.lower() if format is None else None
    if suffix == ".docx":
        return parse_document(docx_html(data, str(path)), str(path), "html")
    if suffix == ".ipynb":
        text, failures = decode_text(data, str(path))
        document = parse_document(notebook_markdown(text, str(path)), str(path), "markdown")
        document.failures[:0] = failures
        return document
    for magic, what in _BINARY:
        if data.startswith(magic):
            raise InputError(f"is {what}; mascite reads {READABLE}", path=str(path))
    text, failures = decode_text(data, str(path))
    document = parse_document(text, str(path), format)
    document.failures.extend(failures)
    return document

"""Checks: the pipeline (read → link → resolve → verify), the rules that make findings, and
corrections to a BibTeX file from them."""

from __future__ import annotations

from .pipeline import check, check_document, is_bibliography_path

__all__ = ["check", "check_document", "is_bibliography_path"]

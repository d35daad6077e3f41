"""Crossref: resolve DOIs (batched, paced, cached), search for works, map records to references."""

from __future__ import annotations

from .cache import LookupCache, default_cache_path
from .client import CrossrefClient, CrossrefError, Resolution
from .limits import DEFAULT_LIMITS, ErrorWindow, Limits, Pacer
from .mapping import Record, Update, clean_markup, record_from_csl, record_from_work

__all__ = [
    "DEFAULT_LIMITS",
    "CrossrefClient",
    "CrossrefError",
    "ErrorWindow",
    "Limits",
    "LookupCache",
    "Pacer",
    "Record",
    "Resolution",
    "Update",
    "clean_markup",
    "default_cache_path",
    "record_from_csl",
    "record_from_work",
]

"""Crossref: resolve DOIs (batched, paced, cached), search for works, map records to references."""

from __future__ import annotations

from ..errors import CrossrefError
from .cache import LookupCache
from .client import CrossrefClient, Resolution
from .config import CrossrefConfig, default_cache_path
from .limits import DEFAULT_LIMITS, ErrorWindow, Limits, Pacer
from .mapping import Record, Update, clean_markup, record_from_csl, record_from_work

__all__ = [
    "DEFAULT_LIMITS",
    "CrossrefClient",
    "CrossrefConfig",
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

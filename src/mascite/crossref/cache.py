"""A persistent cache of DOI lookups in SQLite, keyed by normalised DOI, so single and batch
lookups share it. Found records are kept longer than misses; freshness is decided here (pure),
the client only stores and asks."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

__all__ = ["CacheEntry", "LookupCache"]

DAY = 86400.0
Status = Literal["found", "not-found", "other-agency"]


@dataclass(frozen=True)
class CacheEntry:
    """One stored answer: the DOI, found or not, the record, its agency, and when it was stored."""

    doi: str
    status: Status
    payload: dict[str, Any] | None
    agency: str | None
    stored: float


class LookupCache:
    """``get`` answers fresh entries only (``stale_ok`` for offline use); ``put`` stores one."""

    def __init__(self, path: Path | str | None, found_ttl: float = 30 * DAY,
                 missing_ttl: float = 1 * DAY, clock: Callable[[], float] = time.time) -> None:
        self.path = Path(path) if path else None
        self.found_ttl = found_ttl
        self.missing_ttl = missing_ttl
        self._clock = clock
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(str(self.path), check_same_thread=False, timeout=30)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS lookups (doi TEXT PRIMARY KEY, status TEXT NOT NULL, "
                "payload TEXT, agency TEXT, stored REAL NOT NULL)")
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS searches (query TEXT PRIMARY KEY, items TEXT NOT NULL, "
                "stored REAL NOT NULL)")
            self._db.commit()

    @property
    def enabled(self) -> bool:
        """Whether answers are stored at all (a cache without a file stores none)."""
        return self._db is not None

    def fresh(self, entry: CacheEntry) -> bool:
        """Whether an entry is young enough to answer without asking again."""
        ttl = self.found_ttl if entry.status != "not-found" else self.missing_ttl
        return self._clock() - entry.stored <= ttl

    def get(self, doi: str, stale_ok: bool = False) -> CacheEntry | None:
        """The entry for a DOI if it is fresh (or at all, with ``stale_ok``)."""
        if self._db is None:
            return None
        with self._lock:
            row = self._db.execute("SELECT doi, status, payload, agency, stored FROM lookups "
                                   "WHERE doi = ?", (doi,)).fetchone()
        if row is None:
            return None
        try:
            payload = json.loads(row[2]) if row[2] else None
        except json.JSONDecodeError:
            return None  # a damaged row is a miss, and the next lookup overwrites it
        entry = CacheEntry(row[0], row[1], payload, row[3], row[4])
        return entry if stale_ok or self.fresh(entry) else None

    def put(self, doi: str, status: Status, payload: dict[str, Any] | None,
            agency: str | None = None) -> None:
        """Store an answer for a DOI, replacing any older one."""
        if self._db is None:
            return
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO lookups (doi, status, payload, agency, stored) "
                "VALUES (?, ?, ?, ?, ?)",
                (doi, status, json.dumps(payload) if payload is not None else None, agency,
                 self._clock()))
            self._db.commit()

    def get_search(self, query: str, stale_ok: bool = False) -> list[dict[str, Any]] | None:
        """The works a search found, if it is fresh (or at all, with ``stale_ok``)."""
        if self._db is None:
            return None
        with self._lock:
            row = self._db.execute("SELECT items, stored FROM searches WHERE query = ?",
                                   (query,)).fetchone()
        if row is None or (not stale_ok and self._clock() - row[1] > self.found_ttl):
            return None
        try:
            items = json.loads(row[0])
        except json.JSONDecodeError:
            return None
        return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else None

    def put_search(self, query: str, items: list[dict[str, Any]]) -> None:
        """Store the works a search found."""
        if self._db is None:
            return
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO searches (query, items, stored) VALUES "
                             "(?, ?, ?)", (query, json.dumps(items), self._clock()))
            self._db.commit()

    def close(self) -> None:
        """Close the database; later calls answer nothing and store nothing."""
        if self._db is not None:
            self._db.close()
            self._db = None

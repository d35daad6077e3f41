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

from ..errors import InputError

__all__ = ["SCHEMA", "CacheEntry", "LookupCache"]

DAY = 86400.0
SCHEMA = 2  # PRAGMA user_version: 0 is version 1 (lookups only); 2 adds the searches table
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
    """``get`` answers fresh entries only (``stale_ok`` for offline use); ``put`` stores one.

    A cache is a convenience, never a reason to stop: a damaged file is moved aside (the
    ``notices`` say where) and a fresh one started; a file we may not write is read only."""

    def __init__(self, path: Path | str | None, found_ttl: float = 30 * DAY,
                 missing_ttl: float = 1 * DAY, clock: Callable[[], float] = time.time) -> None:
        self.path = Path(path) if path else None
        self.found_ttl = found_ttl
        self.missing_ttl = missing_ttl
        self._clock = clock
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        self.read_only = False
        self.notices: list[str] = []
        if self.path is not None:
            if self.path.is_dir():
                raise InputError("the cache path is a directory; give a file (MASCITE_CACHE)",
                                 path=str(self.path))
            self._open(self.path)

    # --------------------------------------------------------------------------- opening

    def _open(self, path: Path) -> None:
        try:
            self._db = _connect(path)
        except _Newer as exc:
            self.notices.append(f"the cache {path} was {exc}: not used, left as it is")
        except sqlite3.OperationalError:
            self._open_read_only(path)
        except sqlite3.DatabaseError as exc:
            self._recover(path, exc)

    def _open_read_only(self, path: Path) -> None:
        if not path.exists():
            self.notices.append(f"cannot create the cache {path}: lookups are not stored")
            return
        for mode in ("ro", "ro&immutable=1"):  # immutable: not even the WAL index is written
            try:
                db = sqlite3.connect(f"{path.resolve().as_uri()}?mode={mode}", uri=True,
                                     check_same_thread=False, timeout=30)
                version = db.execute("PRAGMA user_version").fetchone()[0]
                db.execute("SELECT count(*) FROM lookups").fetchone()
            except sqlite3.DatabaseError:
                continue
            if version != SCHEMA:
                db.close()
                self.notices.append(f"the cache {path} is read-only and of another version "
                                    f"({version}): not used")
                return
            self._db, self.read_only = db, True
            self.notices.append(f"the cache {path} is read-only: answers come from it, "
                                "new ones are not stored")
            return
        self.notices.append(f"cannot open the cache {path}: lookups are not stored")

    def _recover(self, path: Path, problem: BaseException) -> None:
        """Move a damaged cache aside (with its journal files) and start a fresh one."""
        if self._db is not None:
            self._db.close()
            self._db = None
        aside = path.with_name(f"{path.name}.broken-{time.strftime('%Y%m%d-%H%M%S')}")
        try:
            path.replace(aside)
            for suffix in ("-wal", "-shm"):
                extra = path.with_name(path.name + suffix)
                if extra.exists():
                    extra.replace(aside.with_name(aside.name + suffix))
            self._db = _connect(path)
        except (OSError, sqlite3.DatabaseError) as exc:
            self.notices.append(f"the cache {path} is damaged ({problem}) and could not be "
                                f"replaced ({exc}): lookups are not stored")
            return
        self.notices.append(f"the cache {path} was damaged ({problem}): moved to {aside}, "
                            "a fresh cache started")

    def _run(self, sql: str, args: tuple[Any, ...], *, write: bool) -> Any:
        """One statement; a damaged database is replaced and the statement answers nothing."""
        if self._db is None or (write and self.read_only):
            return None
        with self._lock:
            try:
                cursor = self._db.execute(sql, args)
                if write:
                    self._db.commit()
                    return None
                return cursor.fetchone()
            except sqlite3.OperationalError as exc:
                # a row that is not UTF-8, a lock held past the timeout, a file made read-only:
                # this statement answers nothing, the file is sound and stays
                if "readonly" in str(exc) and not self.read_only:
                    self.read_only = True
                    self.notices.append(f"the cache {self.path} became read-only: new answers "
                                        "are not stored")
                return None
            except sqlite3.DatabaseError as exc:  # malformed, not a database: damaged
                if self.path is not None and not self.read_only:
                    self._recover(self.path, exc)
                return None

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
        row = self._run("SELECT doi, status, payload, agency, stored FROM lookups WHERE doi = ?",
                        (doi,), write=False)
        if (row is None or row[1] not in ("found", "not-found", "other-agency")
                or not isinstance(row[4], (int, float))):
            return None
        try:
            payload = json.loads(row[2]) if row[2] else None
        except (ValueError, RecursionError, TypeError):
            return None  # a damaged row is a miss, and the next lookup overwrites it
        if payload is not None and not isinstance(payload, dict):
            return None
        entry = CacheEntry(row[0], row[1], payload, row[3], row[4])
        return entry if stale_ok or self.fresh(entry) else None

    def put(self, doi: str, status: Status, payload: dict[str, Any] | None,
            agency: str | None = None) -> None:
        """Store an answer for a DOI, replacing any older one."""
        self._run("INSERT OR REPLACE INTO lookups (doi, status, payload, agency, stored) "
                  "VALUES (?, ?, ?, ?, ?)",
                  (doi, status, json.dumps(payload) if payload is not None else None, agency,
                   self._clock()), write=True)

    def get_search(self, query: str, stale_ok: bool = False) -> list[dict[str, Any]] | None:
        """The works a search found, if it is fresh (or at all, with ``stale_ok``)."""
        row = self._run("SELECT items, stored FROM searches WHERE query = ?", (query,),
                        write=False)
        if row is None or not isinstance(row[1], (int, float)) or not isinstance(row[0], str):
            return None
        if not stale_ok and self._clock() - row[1] > self.found_ttl:
            return None
        try:
            items = json.loads(row[0])
        except (ValueError, RecursionError, TypeError):
            return None
        return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else None

    def put_search(self, query: str, items: list[dict[str, Any]]) -> None:
        """Store the works a search found."""
        self._run("INSERT OR REPLACE INTO searches (query, items, stored) VALUES (?, ?, ?)",
                  (query, json.dumps(items), self._clock()), write=True)

    def close(self) -> None:
        """Close the database; later calls answer nothing and store nothing."""
        if self._db is not None:
            self._db.close()
            self._db = None


class _Newer(sqlite3.DatabaseError):
    """A cache of a later schema: a newer mascite's, not ours to upgrade or discard."""


def _connect(path: Path) -> sqlite3.Connection:
    """Open (or create) the cache at ``path`` and bring its schema to :data:`SCHEMA`.

    Raises ``OperationalError`` when the file cannot be written, ``DatabaseError`` when it is
    not a sound SQLite database (or is of a newer, unknown version)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(str(path), check_same_thread=False, timeout=30)
    try:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA:
            raise _Newer(f"written by a newer mascite (schema {version})")
        db.execute("PRAGMA journal_mode=WAL")
        with db:  # one transaction: an upgrade happens whole or not at all
            db.execute("CREATE TABLE IF NOT EXISTS lookups (doi TEXT PRIMARY KEY, status TEXT "
                       "NOT NULL, payload TEXT, agency TEXT, stored REAL NOT NULL)")
            db.execute("CREATE TABLE IF NOT EXISTS searches (query TEXT PRIMARY KEY, items TEXT "
                       "NOT NULL, stored REAL NOT NULL)")
            db.execute(f"PRAGMA user_version = {SCHEMA}")
    except BaseException:
        db.close()
        raise
    return db

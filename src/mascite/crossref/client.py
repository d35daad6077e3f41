"""The Crossref client: DOIs in, records out — batched, paced per pool, retried, cached.

The ``requests`` session is injected (tests replace the network there, as httpx's transports
allow). Every failure is data: a lookup that could not be answered is a :class:`Resolution` with
status ``failed`` or ``unverified`` and a reason, and the other lookups go on.
"""

from __future__ import annotations

import threading
import time
import zlib
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Any, Literal, Protocol
from urllib.parse import quote, urlsplit

import requests

from ..errors import CrossrefError, IdentifierError
from ..identifiers import normalize_doi
from .cache import LookupCache
from .config import DEFAULT_HOSTS, CrossrefConfig
from .limits import DEFAULT_LIMITS, ErrorWindow, Pacer
from .mapping import Record, record_from_csl, record_from_work
from .transport import Transport

__all__ = ["CrossrefClient", "Progress", "Resolution"]

# Crossref's own test DOI ("Toward a Unified Theory of High-Energy Metaphysics"), always
# registered: when it is "not found" too, the service answering is not Crossref (a captive
# portal, a proxy that answers 404 to everything).
CANARY_DOI = "10.5555/12345678"
# What a malformed record makes the mapping raise: a failure of that record alone.
UNREADABLE = (ValueError, TypeError, AttributeError, KeyError, IndexError, RecursionError)
MAX_URL = 4000
MAX_BATCH = 100
CSL_JSON = "application/vnd.citationstyles.csl+json"
SEARCH_FIELDS = ("DOI,type,title,subtitle,author,editor,container-title,short-container-title,"
                 "issued,published-print,published-online,volume,issue,page,article-number,"
                 "ISSN,publisher,updated-by,relation,journal-issue,score")


@dataclass
class Resolution:
    """The answer for one DOI. ``status``: found, not-found, failed, or unverified (offline or
    stopped); ``source`` says whether the answer came from the network or the cache."""

    doi: str
    status: Literal["found", "not-found", "failed", "unverified"]
    record: Record | None = None
    reason: str | None = None
    agency: str | None = None
    source: Literal["network", "cache", "none"] = "none"


Finish = Callable[[Resolution, "dict[str, Any] | None"], None]


class Progress(Protocol):
    """Told how far long work has come: ``what`` is "lookups" or "searches"."""

    def __call__(self, done: int, total: int, what: str = "lookups") -> None: ...


class CrossrefClient:
    """Resolve DOIs and search for works at Crossref (or a stand-in at ``base_url``)."""

    def __init__(
        self,
        session: requests.Session | None = None,
        base_url: str | None = None,
        mailto: str | None = None,
        *,
        resolver_url: str | None = None,
        cache: LookupCache | None = None,
        use_default_cache: bool = True,
        offline: bool = False,
        timeout: tuple[float, float] = (5.0, 30.0),
        max_retries: int = 4,
        plus_token: str | None = None,
        allowed_hosts: Iterable[str] | None = None,
        max_response_bytes: int = 20_000_000,
        response_timeout: float = 30.0,
        deadline: float | None = 60.0,
        canary_doi: str | None = CANARY_DOI,
        progress: Progress | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        from .. import __version__

        config = CrossrefConfig.from_env()
        self.base_url = (base_url or config.base_url).rstrip("/")
        self.resolver_url = (resolver_url or config.resolver_url).rstrip("/")
        self.mailto = mailto if mailto is not None else config.mailto
        self.polite = bool(self.mailto)
        self.offline = offline or config.offline
        self.timeout = timeout
        self.max_retries = max_retries
        self.progress = progress
        if cache is None and use_default_cache and config.cache_path is not None:
            cache = LookupCache(config.cache_path)
        self.cache = cache
        allowed = {(h, port) for h in (allowed_hosts or DEFAULT_HOSTS) for port in (80, 443)}
        for url in (self.base_url, self.resolver_url):
            parts = urlsplit(url)
            if parts.hostname:
                allowed.add((parts.hostname, parts.port or (443 if parts.scheme == "https"
                                                            else 80)))
        contact = f"; mailto:{self.mailto}" if self.mailto else ""
        headers = {"User-Agent": f"mascite/{__version__} (https://pypi.org/project/mascite/"
                                 f"{contact})", "Accept": "application/json"}
        token = plus_token or config.plus_token
        if token:
            headers["Crossref-Plus-API-Token"] = f"Bearer {token}"
        pacers = {pool: Pacer(DEFAULT_LIMITS[(pool, self.polite)], clock, sleep)
                  for pool in ("single", "list")}
        self.transport = Transport(session or requests.Session(), pacers, headers=headers,
                                   allowed=frozenset(allowed), timeout=timeout,
                                   max_retries=max_retries, max_response_bytes=max_response_bytes,
                                   sleep=sleep, clock=clock, response_timeout=response_timeout,
                                   deadline=deadline)
        self.canary_doi = canary_doi
        self.errors = ErrorWindow()
        self._notices: list[str] = []
        if not self.polite and not self.offline:
            self._notices.append("MASCITE_MAILTO is not set: Crossref lookups use the public pool "
                                "and will be slower (set it to your e-mail address)")

    @property
    def notices(self) -> list[str]:
        """What a user should know about this run once (the mail address, the cache)."""
        return [*self._notices, *(self.cache.notices if self.cache is not None else [])]

    # ----------------------------------------------------------------------------- HTTP layer

    @property
    def pacers(self) -> dict[str, Pacer]:
        """One pacer per pool (``single``, ``list``)."""
        return self.transport.pacers

    @property
    def stats(self) -> dict[str, int]:
        """Requests, 429s, retries and failed lookups so far."""
        return self.transport.stats

    def restart(self) -> None:
        """Begin a new run: a new deadline, the breaker closed (one run is one check)."""
        self.transport.restart()

    @property
    def unreachable(self) -> str | None:
        """Why no request can get an answer (the name does not resolve...), once that is known."""
        return self.transport.unreachable

    def _json(self, url: str, pool: str, params: Mapping[str, str] | None = None,
              accept: str | None = None) -> tuple[int, Any]:
        return self.transport.get_json(url, pool, params, accept)

    def _params(self, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        params = dict(extra or {})
        if self.mailto:
            params["mailto"] = self.mailto
        return params

    def _work_url(self, doi: str, suffix: str = "") -> str:
        return f"{self.base_url}/works/{quote(doi, safe='')}{suffix}"

    # ---------------------------------------------------------------------------- lookups

    def _from_cache(self, doi: str) -> Resolution | None:
        if self.cache is None:
            return None
        entry = self.cache.get(doi, stale_ok=self.offline)
        if entry is None:
            return None
        if entry.status == "not-found":
            return Resolution(doi, "not-found", reason="registered with no DOI agency",
                              source="cache")
        if entry.payload is None:
            return None
        try:
            record = (record_from_work(entry.payload) if entry.status == "found"
                      else record_from_csl(entry.payload, entry.agency or "other"))
        except UNREADABLE:
            return None  # an unreadable row is a miss, and the lookup overwrites it
        if record.doi != doi:
            return None  # a row that holds another work's record (a swapped row) is a miss
        return Resolution(doi, "found", record, agency=entry.agency or "crossref", source="cache")

    def _store(self, resolution: Resolution, payload: dict[str, Any] | None) -> None:
        if self.cache is None or resolution.source != "network":
            return
        if resolution.status == "found" and payload is not None:
            status = "found" if resolution.agency == "crossref" else "other-agency"
            self.cache.put(resolution.doi, status, payload, resolution.agency)  # type: ignore[arg-type]
        elif resolution.status == "not-found":
            self.cache.put(resolution.doi, "not-found", None)

    def lookup(self, doi: str) -> Resolution:
        """Resolve one DOI."""
        return self.lookup_many([doi])[doi]

    def lookup_many(self, dois: Iterable[str]) -> dict[str, Resolution]:
        """Resolve many DOIs: cache first, then batches on the list pool and single lookups on
        the single pool, at the same time. Keys are the DOIs as given."""
        given = list(dict.fromkeys(dois))
        results: dict[str, Resolution] = {}
        pending: dict[str, list[str]] = {}
        for doi in given:
            try:
                key = normalize_doi(doi)
            except IdentifierError as exc:
                results[doi] = Resolution(doi, "failed", reason=f"invalid DOI: {exc.reason}")
                continue
            cached = self._from_cache(key)
            if cached is not None:
                results[doi] = cached
            elif self.offline:
                results[doi] = Resolution(key, "unverified", reason="offline, and not in the cache")
            else:
                pending.setdefault(key, []).append(doi)
        done = [len(results)]
        lock = threading.Lock()
        missing: list[Resolution] = []  # stored once the service is known to be Crossref
        answered = [0]

        def finish(resolution: Resolution, payload: dict[str, Any] | None) -> None:
            if resolution.status == "not-found" and resolution.source == "network":
                with lock:
                    missing.append(resolution)
            else:
                self._store(resolution, payload)
            self.errors.record(resolution.status == "failed")
            if resolution.source == "network":
                with lock:
                    answered[0] += 1
            with lock:
                for original in pending.get(resolution.doi, []):
                    results[original] = resolution
                done[0] += len(pending.get(resolution.doi, []))
                if self.progress:
                    self.progress(done[0], len(given))

        batchable = [d for d in pending if "," not in d and not any(c.isspace() for c in d)]
        # Spread DOIs over batches by a stable hash: the ones a batch shows missing (needing
        # agency checks on the single pool) then turn up early, while other batches still run.
        batchable.sort(key=lambda d: zlib.crc32(d.encode("utf-8")))
        batches = self._batches(batchable)
        singles = [d for d in pending if d not in set(batchable)]
        singles += [batch[0] for batch in batches if len(batch) == 1]  # a batch of one is a lookup
        batches = [batch for batch in batches if len(batch) > 1]
        workers = sum(p.limits.concurrency for p in self.pacers.values()) + 1
        with ThreadPoolExecutor(max_workers=max(workers, 2)) as executor:
            futures: set[Future[list[tuple[str, bool]]]] = {
                executor.submit(self._run_batch, batch, finish) for batch in batches}
            futures |= {executor.submit(self._run_single, doi, finish) for doi in singles}
            while futures:
                finished, futures = wait(futures, return_when=FIRST_COMPLETED)
                for future in finished:  # a batch hands back DOIs to look up one by one
                    for doi, shown_missing in future.result():
                        futures.add(executor.submit(self._run_single, doi, finish,
                                                    shown_missing))
        if missing and (len(missing) >= 2 or len(missing) == answered[0]) and \
                not self._is_crossref():
            reason = (f"{urlsplit(self.base_url).hostname} answers 'not found' for every DOI, "
                      f"Crossref's test DOI {self.canary_doi} too: it is not a working Crossref "
                      "(a captive portal, or a proxy?)")
            self.transport.unreachable = self.transport.unreachable or reason
            for resolution in missing:
                unverified = Resolution(resolution.doi, "unverified", reason=reason)
                for original in pending.get(resolution.doi, []):
                    results[original] = unverified
            missing.clear()
        for resolution in missing:
            self._store(resolution, None)
        return {doi: results.get(doi) or Resolution(doi, "failed", reason="no answer")
                for doi in given}

    def _is_crossref(self) -> bool:
        """Whether the service knows Crossref's test DOI (``True`` when that cannot be told)."""
        if not self.canary_doi:
            return True
        try:
            status, data = self._json(self._work_url(self.canary_doi), "single", self._params())
        except CrossrefError:
            return True
        return not (status == 404 or (status == 200 and not isinstance(data, dict)))

    def _batches(self, dois: list[str]) -> list[list[str]]:
        """Groups whose ``filter=doi:A,doi:B`` URL stays under ``MAX_URL`` characters."""
        room = MAX_URL - len(self.base_url) - 60 - len(quote(self.mailto or "", safe=""))
        batches: list[list[str]] = []
        current: list[str] = []
        used = 0
        for doi in dois:
            cost = len(quote(f"doi:{doi},", safe=""))
            if current and (used + cost > room or len(current) >= MAX_BATCH):
                batches.append(current)
                current, used = [], 0
            current.append(doi)
            used += cost
        if current:
            batches.append(current)
        return batches

    def _stopped(self, doi: str) -> Resolution | None:
        if self.unreachable:
            return Resolution(doi, "unverified", reason=self.unreachable)
        if self.errors.tripped:
            return Resolution(doi, "unverified", reason=(
                f"lookups stopped: more than 10% of recent Crossref requests failed "
                f"({self.errors.rate:.0%})"))
        return None

    def _run_batch(self, batch: list[str], finish: Finish) -> list[tuple[str, bool]]:
        """One list request; returns the DOIs still to look up singly (and whether the batch
        showed them missing)."""
        if self.errors.tripped:
            for doi in batch:
                finish(self._stopped(doi) or Resolution(doi, "unverified"), None)
            return []
        params = self._params({"filter": ",".join(f"doi:{d}" for d in batch),
                               "rows": str(max(len(batch) + 5, 20))})
        try:
            status, data = self._json(f"{self.base_url}/works", "list", params)
            items = (data or {}).get("message", {}).get("items") if status == 200 else None
            if not isinstance(items, list):
                raise CrossrefError(f"HTTP {status} for a batch of {len(batch)} DOIs")
        except CrossrefError:
            return [(doi, False) for doi in batch]  # one bad batch loses nothing: go one by one
        found = {str(w.get("DOI", "")).lower(): w for w in items if isinstance(w, dict)}
        rest = []
        for doi in batch:
            work = found.get(doi)
            if work is not None:
                finish(self._resolution_from_work(doi, work), work)
            else:
                rest.append((doi, True))
        return rest

    def _resolution_from_work(self, doi: str, work: dict[str, Any]) -> Resolution:
        try:
            record = record_from_work(work)
        except UNREADABLE as exc:
            return Resolution(doi, "failed", reason=f"unreadable record: {exc}"[:200],
                              source="network")
        if record.doi != doi:
            return Resolution(doi, "failed", reason=f"the answer is the record of another DOI "
                              f"({record.doi[:80] or 'none'})", source="network")
        return Resolution(doi, "found", record, agency="crossref", source="network")

    def _run_single(self, doi: str, finish: Finish,
                    missing_from_batch: bool = False) -> list[tuple[str, bool]]:
        stopped = self._stopped(doi)
        if stopped is not None:
            finish(stopped, None)
            return []
        try:
            if not missing_from_batch:
                status, data = self._json(self._work_url(doi), "single", self._params())
                if status == 200 and isinstance(data, dict) and isinstance(data.get("message"), dict):
                    work = data["message"]
                    finish(self._resolution_from_work(doi, work), work)
                    return []
                if status != 404:
                    raise CrossrefError(f"HTTP {status}")
            finish(*self._elsewhere(doi))
        except CrossrefError as exc:
            self.transport.count("failures")
            if self.unreachable:  # stopped: said once, for all, as unverified
                finish(Resolution(doi, "unverified", reason=str(exc)), None)
            else:
                finish(Resolution(doi, "failed", reason=str(exc), source="network"), None)
        return []

    def _elsewhere(self, doi: str) -> tuple[Resolution, dict[str, Any] | None]:
        """Not at Crossref: ask which agency registered it, and resolve it there."""
        status, data = self._json(self._work_url(doi, "/agency"), "single", self._params())
        agency = None
        if status == 200 and isinstance(data, dict):
            agency = str(((data.get("message") or {}).get("agency") or {}).get("id") or "") or None
        if status == 404 or agency is None:
            return Resolution(doi, "not-found", reason="registered with no DOI agency",
                              source="network"), None
        if agency == "crossref":
            status, data = self._json(self._work_url(doi), "single", self._params())
            if status == 200 and isinstance(data, dict) and isinstance(data.get("message"), dict):
                return self._resolution_from_work(doi, data["message"]), data["message"]
            raise CrossrefError(f"registered at Crossref, but the record answers HTTP {status}")
        status, item = self._json(f"{self.resolver_url}/{quote(doi, safe='/')}", "single",
                                  accept=CSL_JSON)
        if status != 200 or not isinstance(item, dict):
            raise CrossrefError(f"registered with {agency}, whose metadata answered HTTP {status}")
        try:
            record = record_from_csl(item, agency)
        except ValueError as exc:
            raise CrossrefError(f"unreadable {agency} metadata: {exc}"[:200]) from exc
        return Resolution(doi, "found", record, agency=agency, source="network"), item

    # ----------------------------------------------------------------------------- search

    def search(self, text: str, rows: int = 5) -> list[Record]:
        """Works matching a free-text reference (``query.bibliographic``), best first; answered
        from the cache when the same search was made before (offline: only from there)."""
        query = " ".join(text.split())[:1000]
        key = f"{rows}|{query}"
        items = self.cache.get_search(key, stale_ok=self.offline) if self.cache else None
        if items is None:
            if self.offline:
                raise CrossrefError("offline: searching needs the network")
            params = self._params({"query.bibliographic": query, "rows": str(rows),
                                   "select": SEARCH_FIELDS})
            status, data = self._json(f"{self.base_url}/works", "list", params)
            if status != 200 or not isinstance(data, dict):
                raise CrossrefError(f"search answered HTTP {status}")
            found = (data.get("message") or {}).get("items") or []
            items = [w for w in found if isinstance(w, dict)] if isinstance(found, list) else []
            if self.cache is not None:
                self.cache.put_search(key, items)
        records = []
        for work in items:
            if isinstance(work, dict):
                try:
                    records.append(record_from_work(work))
                except (ValueError, TypeError):
                    continue
        return records

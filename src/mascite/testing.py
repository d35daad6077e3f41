"""A local Crossref stand-in for tests and benchmarks (yours too): an HTTP server on 127.0.0.1.

It serves work records from JSON lines — ``/works/{doi}``, ``/works?filter=doi:A,doi:B``,
``/works?query.bibliographic=...``, ``/works/{doi}/agency`` — and DOI content negotiation under
``/doi/{doi}`` for DOIs registered elsewhere. Like Crossref it has pools (single/list × polite/public)
with rate and concurrency limits announced in headers and a 429 beyond them; latency and faults
(5xx, connection resets, truncated bodies, slow answers, 429 storms) can be switched on::

    with CrossrefStandIn.from_jsonl("works.jsonl", latency=0.15) as server:
        client = CrossrefClient(base_url=server.url, resolver_url=server.resolver_url, ...)
"""

from __future__ import annotations

import json
import math
import random
import re
import socket
import threading
import time
from collections import Counter, deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from .crossref.limits import DEFAULT_LIMITS, Limits
from .crossref.mapping import TYPE_TO_CSL
from .model import Reference, plain_text

_CSL_TO_TYPE = {csl: kind for kind, csl in reversed(TYPE_TO_CSL.items())}


def work_from_reference(reference: Reference, **extra: Any) -> dict[str, Any]:
    """A Crossref-shaped work for a reference, to serve from the stand-in in tests."""
    work: dict[str, Any] = {"DOI": reference.doi, "type": _CSL_TO_TYPE.get(reference.type or "",
                                                                          "journal-article")}
    if reference.title:
        work["title"] = [plain_text(reference.title)]
    if reference.container_title:
        work["container-title"] = [reference.container_title]
    if reference.container_title_short:
        work["short-container-title"] = [reference.container_title_short]
    if reference.author:
        work["author"] = [{"family": n.family, "given": n.given} if n.family
                          else {"name": n.literal} for n in reference.author]
    if reference.issued and reference.issued.date_parts:
        work["issued"] = {"date-parts": reference.issued.date_parts}
        work["published-print"] = {"date-parts": reference.issued.date_parts}
    for field_name in ("volume", "issue", "page", "publisher"):
        value = getattr(reference, field_name)
        if value:
            work[field_name] = value
    if reference.issn:
        work["ISSN"] = [reference.issn]
    work.update(extra)
    return work

__all__ = ["CrossrefStandIn", "Faults", "work_from_reference"]


@dataclass
class Faults:
    """Probabilities per request, and a 429 storm ``(start, duration)`` in seconds from start."""

    server_error: float = 0.0
    reset: float = 0.0
    truncated: float = 0.0
    slow: float = 0.0
    slow_seconds: float = 2.0
    storm: tuple[float, float] | None = None
    seed: int = 7


@dataclass
class _Window:
    """Crossref's limit as a sliding window: no more than ``rate`` requests arrive in any
    ``interval``, and no more than ``concurrency`` are in flight."""

    limits: Limits
    arrivals: deque[float] = field(default_factory=deque)
    in_flight: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def enter(self, now: float) -> bool:
        with self.lock:
            while self.arrivals and now - self.arrivals[0] >= self.limits.interval:
                self.arrivals.popleft()
            if len(self.arrivals) >= self.limits.rate or \
                    self.in_flight >= self.limits.concurrency:
                return False
            self.arrivals.append(now)
            self.in_flight += 1
            return True

    def leave(self) -> None:
        with self.lock:
            self.in_flight -= 1


CANARY_DOI = "10.5555/12345678"
CANARY_WORK: dict[str, Any] = {
    "DOI": CANARY_DOI, "type": "journal-article",
    "title": ["Toward a Unified Theory of High-Energy Metaphysics: Silly String Theory"],
    "author": [{"family": "Carberry", "given": "Josiah"}],
    "container-title": ["Journal of Psychoceramics"], "volume": "5", "issue": "11",
    "page": "1-3", "issued": {"date-parts": [[2008, 8, 13]]}}


def _strings(value: Any) -> list[str]:
    """A record's text values: a list of strings as Crossref gives them, or one string."""
    if isinstance(value, str):
        return [value]
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _tokens(text: str) -> list[str]:
    return [t for t in re.findall(r"[^\W_]+", text.casefold()) if len(t) > 1]


class CrossrefStandIn:
    """Start with ``with`` (or ``start()``/``stop()``); ``url`` is the API base."""

    def __init__(self, works: Iterable[dict[str, Any]], *, latency: float = 0.0,
                 faults: Faults | None = None,
                 limits: dict[tuple[str, bool], Limits] | None = None,
                 other_agencies: dict[str, tuple[str, dict[str, Any]]] | None = None,
                 canary: bool = True) -> None:
        self.works = {str(w["DOI"]).lower(): w for w in works
                      if isinstance(w, dict) and isinstance(w.get("DOI"), str)}
        if canary:  # Crossref's test DOI, which the real service always has
            self.works.setdefault(CANARY_DOI, CANARY_WORK)
        self.latency = latency
        self.faults = faults or Faults()
        self.other_agencies = {k.lower(): v for k, v in (other_agencies or {}).items()}
        self.buckets = {key: _Window(value) for key, value in (limits or DEFAULT_LIMITS).items()}
        self.stats: Counter[str] = Counter()
        self._random = random.Random(self.faults.seed)  # noqa: S311 - fault injection, not crypto
        self._lock = threading.Lock()
        self._started = 0.0
        self._index = self._build_index()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @classmethod
    def from_jsonl(cls, path: str | Path, **options: Any) -> CrossrefStandIn:
        """Records from JSON lines: a work per line, or ``{"record": work}`` as in shared data."""
        works = []
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    item = json.loads(line)
                    works.append(item.get("record", item))
        return cls(works, **options)

    # ------------------------------------------------------------------------------ lifecycle

    def start(self) -> CrossrefStandIn:
        """Start serving on a free port of 127.0.0.1."""
        handler = type("Handler", (_Handler,), {"stand_in": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._started = time.monotonic()
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and free the port."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> CrossrefStandIn:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """The API base to give a client."""
        assert self._server is not None, "start the stand-in first"  # noqa: S101
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def resolver_url(self) -> str:
        """The DOI resolver base to give a client."""
        return f"{self.url}/doi"

    # ------------------------------------------------------------------------------- answers

    def _build_index(self) -> tuple[dict[str, dict[str, int]], dict[str, float]]:
        postings: dict[str, dict[str, int]] = {}
        for doi, work in self.works.items():
            people = work.get("author")
            people = people if isinstance(people, list) else []
            issued = work.get("issued")
            issued = issued if isinstance(issued, dict) else {}
            parts = issued.get("date-parts")
            parts = parts if isinstance(parts, list) else []
            text = " ".join([*_strings(work.get("title")), *_strings(work.get("container-title")),
                             *_strings(work.get("short-container-title")),
                             *(str(a.get("family", "") or a.get("name", "")) for a in people
                               if isinstance(a, dict)),
                             " ".join(map(str, parts[0])) if parts and isinstance(parts[0], list)
                             else "", str(work.get("volume", "")), str(work.get("page", ""))])
            for token in _tokens(text):
                postings.setdefault(token, {}).setdefault(doi, 0)
                postings[token][doi] += 1
        total = max(len(self.works), 1)
        idf = {t: math.log(1 + total / len(docs)) for t, docs in postings.items()}
        return postings, idf

    def search(self, query: str, rows: int) -> list[dict[str, Any]]:
        """The works a bibliographic query finds, best first, as Crossref would rank them."""
        postings, idf = self._index
        scores: dict[str, float] = {}
        for token in set(_tokens(query)):
            for doi in postings.get(token, {}):
                scores[doi] = scores.get(doi, 0.0) + idf[token]
        best = sorted(scores.items(), key=lambda item: -item[1])[:rows]
        return [{**self.works[doi], "score": round(score, 3)} for doi, score in best]

    def fault(self) -> str | None:
        """Which fault (if any) this request gets."""
        faults = self.faults
        with self._lock:
            if faults.storm is not None:
                start, duration = faults.storm
                elapsed = time.monotonic() - self._started
                if start <= elapsed < start + duration:
                    return "storm"
            roll = self._random.random()
        for name, chance in (("server_error", faults.server_error), ("reset", faults.reset),
                             ("truncated", faults.truncated), ("slow", faults.slow)):
            if roll < chance:
                return name
            roll -= chance
        return None


class _Handler(BaseHTTPRequestHandler):
    stand_in: CrossrefStandIn
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        return

    def do_GET(self) -> None:
        stand_in = self.stand_in
        parts = urlsplit(self.path)
        query = parse_qs(parts.query)
        polite = "mailto" in query or "mailto:" in self.headers.get("User-Agent", "")
        path = parts.path
        pool = "list" if path.rstrip("/") == "/works" else "single"
        bucket = stand_in.buckets[(pool, polite)]
        stand_in.stats["requests"] += 1
        stand_in.stats[f"requests-{pool}"] += 1
        headers = {"x-api-pool": ("polite" if polite else "public") + ("-array" if pool == "list"
                                                                     else ""),
                   "x-rate-limit-limit": str(bucket.limits.rate),
                   "x-rate-limit-interval": f"{bucket.limits.interval:g}s",
                   "x-concurrency-limit": str(bucket.limits.concurrency)}
        fault = stand_in.fault()
        if fault == "storm" or not bucket.enter(time.monotonic()):
            stand_in.stats["429" if fault != "storm" else "429-storm"] += 1
            self._send(429, b"Too Many Requests", "text/plain", {**headers, "Retry-After": "1"})
            return
        left = False
        try:
            if stand_in.latency:
                time.sleep(stand_in.latency)
            if fault == "slow":
                time.sleep(stand_in.faults.slow_seconds)
            if fault == "reset":
                stand_in.stats["fault-reset"] += 1
                self.connection.shutdown(socket.SHUT_RDWR)
                self.close_connection = True
                return
            if fault == "server_error":
                stand_in.stats["fault-5xx"] += 1
                status, body, kind = 503, b"Service Unavailable", "text/plain"
            else:
                status, body, kind = self._answer(path, query)
                if fault == "truncated" and status == 200:
                    stand_in.stats["fault-truncated"] += 1
                    body = body[: len(body) // 2]
            # The request is done once its answer is ready: free the slot before writing, so a
            # client that has read the answer never finds the slot still taken.
            bucket.leave()
            left = True
            self._send(status, body, kind, headers)
        finally:
            if not left:
                bucket.leave()

    def _answer(self, path: str, query: dict[str, list[str]]) -> tuple[int, bytes, str]:
        stand_in = self.stand_in
        if path.startswith("/doi/"):
            doi = unquote(path[len("/doi/"):]).lower()
            if doi in stand_in.other_agencies:
                return 200, json.dumps(stand_in.other_agencies[doi][1]).encode(), \
                    "application/vnd.citationstyles.csl+json"
            work = stand_in.works.get(doi)
            if work is not None:
                return 200, json.dumps({"DOI": work["DOI"], "type": "article-journal",
                                        "title": (work.get("title") or [""])[0]}).encode(), \
                    "application/vnd.citationstyles.csl+json"
            return 404, b"DOI Not Found", "text/plain"
        if path.rstrip("/") == "/works":
            rows = min(int((query.get("rows") or ["20"])[0] or 20), 1000)
            if "filter" in query:
                wanted = [f.split(":", 1)[1].lower() for f in query["filter"][0].split(",")
                          if f.startswith("doi:")]
                items = [stand_in.works[d] for d in wanted if d in stand_in.works][:rows]
            else:
                items = stand_in.search((query.get("query.bibliographic") or [""])[0], rows)
            if "select" in query:
                fields = set(query["select"][0].split(","))
                items = [{k: v for k, v in item.items() if k in fields} for item in items]
            message = {"total-results": len(items), "items": items, "items-per-page": rows}
            return 200, _envelope("work-list", message), "application/json"
        match = re.fullmatch(r"/works/(.+?)(/agency)?", path)
        if match is None:
            return 404, b"Resource not found.", "text/plain"
        doi = unquote(match.group(1)).lower()
        if match.group(2):
            agency = ("crossref", "Crossref") if doi in stand_in.works else None
            if doi in stand_in.other_agencies:
                agency = (stand_in.other_agencies[doi][0], stand_in.other_agencies[doi][0].title())
            if agency is None:
                return 404, b"Resource not found.", "text/plain"
            return 200, _envelope("work-agency", {"DOI": doi, "agency": {
                "id": agency[0], "label": agency[1]}}), "application/json"
        work = stand_in.works.get(doi)
        if work is None:
            return 404, b"Resource not found.", "text/plain"
        return 200, _envelope("work", work), "application/json"

    def _send(self, status: int, body: bytes, kind: str, headers: dict[str, str]) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


def _envelope(kind: str, message: Any) -> bytes:
    return json.dumps({"status": "ok", "message-type": kind, "message-version": "1.0.0",
                       "message": message}).encode()

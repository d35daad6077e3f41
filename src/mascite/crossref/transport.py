"""HTTP for the Crossref client: one GET with one retry loop (5xx, resets, timeouts and malformed
bodies backed off; 429s paced; redirects followed hop by hop to allowed hosts and ports only), a
size cap, and ``requests``' exceptions mapped to reasons by their types. Every wait is bounded:
each response as a whole (a server that sends a byte every few seconds never finishes one), and
the run (a deadline, after which no request starts). A few timeouts in a row open a breaker:
such a host will not answer the rest either. The session is injected."""

from __future__ import annotations

import http.client
import json
import random
import socket
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
import urllib3.exceptions

from ..errors import CrossrefError
from .limits import Pacer, retry_after

__all__ = ["Problem", "Transport", "describe"]

_REDIRECTS = (301, 302, 303, 307, 308)
MAX_REDIRECTS = 5
MAX_THROTTLED = 10
BREAKER = 3  # timeouts in a row after which a host is taken to answer nothing
_DEFAULT_PORTS = {"http": 80, "https": 443}


class _Timeout(Exception):
    """A response that did not arrive in full within its time."""


@dataclass(frozen=True)
class Problem:
    """Why a request got no answer, in words, and whether no answer will ever come."""

    reason: str
    unreachable: bool = False


def _causes(exc: BaseException) -> Iterator[BaseException]:
    """The exception and everything it wraps: urllib3's ``reason``, arguments, causes."""
    seen: set[int] = set()
    stack: list[BaseException] = [exc]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        wrapped = [getattr(current, "reason", None), current.__cause__, current.__context__,
                   *current.args]
        stack.extend(w for w in wrapped if isinstance(w, BaseException))


def describe(exc: requests.RequestException) -> Problem:
    """A failed request's reason, by the types of what it wraps."""
    causes = list(_causes(exc))
    if any(isinstance(c, urllib3.exceptions.NameResolutionError | socket.gaierror)
           for c in causes):
        return Problem("its name does not resolve (no network?)", unreachable=True)
    if any(isinstance(c, ConnectionRefusedError) for c in causes):
        return Problem("connection refused", unreachable=True)
    if isinstance(exc, requests.Timeout) or any(isinstance(c, TimeoutError | socket.timeout | _Timeout)
                                                for c in causes):
        return Problem("timed out")
    if any(isinstance(c, ConnectionResetError | http.client.RemoteDisconnected
                      | urllib3.exceptions.ProtocolError) for c in causes):
        return Problem("connection reset")
    if isinstance(exc, requests.ConnectionError):
        return Problem("connection failed")
    return Problem(type(exc).__name__)


@dataclass
class Response:
    """A status, headers and the whole body."""

    status: int
    headers: Mapping[str, str]
    body: bytes


class Transport:
    """GETs for one client: paced per pool, bounded in size, retried in one loop."""

    def __init__(self, session: requests.Session, pacers: dict[str, Pacer], *,
                 headers: Mapping[str, str], allowed: frozenset[tuple[str, int]],
                 timeout: tuple[float, float], max_retries: int, max_response_bytes: int,
                 sleep: Callable[[float], None], clock: Callable[[], float],
                 response_timeout: float = 30.0, deadline: float | None = 60.0) -> None:
        self.session = session
        self.pacers = pacers
        self.headers = dict(headers)
        self.allowed = allowed
        self.timeout = timeout
        self.max_retries = max_retries
        self.max_response_bytes = max_response_bytes
        self.response_timeout = response_timeout
        self.deadline = deadline
        self._sleep = sleep
        self._clock = clock
        self._ends: float | None = None  # when the run's time is up, from its first request
        self._timeouts_in_a_row = 0
        self.stats = {"requests": 0, "429": 0, "retries": 0, "failures": 0, "timeouts": 0}
        self._stats_lock = threading.Lock()
        self.unreachable: str | None = None

    def restart(self) -> None:
        """Start a new run: a new deadline, the breaker closed."""
        self._ends, self._timeouts_in_a_row, self.unreachable = None, 0, None

    def remaining(self) -> float | None:
        """Seconds left of the run (``None``: no deadline)."""
        if self.deadline is None:
            return None
        if self._ends is None:
            self._ends = self._clock() + self.deadline
        return self._ends - self._clock()

    def _stop(self, reason: str) -> CrossrefError:
        if self.unreachable is None:
            self.unreachable = reason
        return CrossrefError(self.unreachable)

    def count(self, key: str) -> None:
        """Add one to a statistic (thread-safe)."""
        with self._stats_lock:
            self.stats[key] += 1

    def check_host(self, url: str) -> None:
        """Refuse any URL that is not on a configured host and port."""
        parts = urlsplit(url)
        try:
            port = parts.port or _DEFAULT_PORTS.get(parts.scheme, 0)
        except ValueError:
            port = -1
        if parts.scheme not in ("http", "https") or (parts.hostname, port) not in self.allowed:
            known_host = any(host == parts.hostname for host, _ in self.allowed)
            where = f"{parts.hostname}:{port}" if known_host else parts.hostname or url
            raise CrossrefError(f"refusing to contact {where!r}: not a configured Crossref or "
                                "DOI resolver host")

    def get_json(self, url: str, pool: str, params: Mapping[str, str] | None = None,
                 accept: str | None = None) -> tuple[int, Any]:
        """Status and parsed JSON (``None`` for a 4xx); raises :class:`CrossrefError` when no
        usable answer came within the retries."""
        headers = dict(self.headers)
        if accept:
            headers["Accept"] = accept
        failures = throttled = redirects = 0
        while True:
            self.check_host(url)
            if self.unreachable:
                raise CrossrefError(self.unreachable)
            left = self.remaining()
            if left is not None and left <= 0:
                raise self._stop(f"the run's time for Crossref ({self.deadline:g} s) is up")
            try:
                response = self._get(url, pool, params, headers, left)
            except requests.RequestException as exc:
                problem = describe(exc)
                host = urlsplit(url).hostname
                if problem.unreachable:
                    raise self._stop(f"cannot reach {host}: {problem.reason}") from exc
                if problem.reason == "timed out":
                    self.count("timeouts")
                    self._timeouts_in_a_row += 1
                    if self._timeouts_in_a_row >= BREAKER:
                        raise self._stop(f"no answer from {host}: {BREAKER} requests in a row "
                                         "timed out") from exc
                last = problem.reason
            else:
                self._timeouts_in_a_row = 0
                status = response.status
                if status == 429:
                    self.count("429")
                    throttled += 1
                    wait = retry_after(response.headers)
                    left = self.remaining()
                    if left is not None and wait >= left:
                        raise self._stop(f"rate-limited (429) by {urlsplit(url).hostname}, "
                                         f"asked to wait {wait:g} s, past the run's time for "
                                         f"Crossref ({self.deadline:g} s)")
                    self.pacers[pool].pause(wait)
                    if throttled > MAX_THROTTLED:
                        raise CrossrefError(f"still rate-limited (429) after {MAX_THROTTLED} "
                                            "waits")
                    continue
                if status in _REDIRECTS and response.headers.get("location"):
                    url, params = urljoin(url, response.headers["location"]), None
                    redirects += 1
                    if redirects > MAX_REDIRECTS:
                        raise CrossrefError("too many redirects")
                    continue
                if 400 <= status < 500:
                    return status, None
                if status < 400:
                    try:
                        return status, json.loads(response.body.decode("utf-8"))
                    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
                        reason = "nested too deep" if isinstance(exc, RecursionError) else exc
                        last = f"malformed JSON from {urlsplit(url).hostname}: {reason}"
                else:
                    last = f"HTTP {status}"
            failures += 1
            if failures > self.max_retries:
                raise CrossrefError(f"{last} (after {self.max_retries} retries)")
            self.count("retries")
            backoff = min(8.0, 0.5 * 2 ** (failures - 1)) + random.uniform(0, 0.25)  # noqa: S311
            left = self.remaining()
            if left is not None and backoff >= left:
                raise self._stop(f"the run's time for Crossref ({self.deadline:g} s) is up")
            self._sleep(backoff)

    def _get(self, url: str, pool: str, params: Mapping[str, str] | None,
             headers: Mapping[str, str], left: float | None) -> Response:
        """One paced GET, its body read whole (up to the cap), within the time one response may
        take (and the run has left). It runs in a thread of its own so that the wait ends on
        time whatever the server does; a server that stalls keeps only that thread."""
        pacer = self.pacers[pool]
        pacer.acquire()
        limit = self.response_timeout if left is None else max(0.0, min(self.response_timeout,
                                                                          left))
        outcome: dict[str, Any] = {}
        started = self._clock()

        def run() -> None:
            try:
                response = self.session.get(url, params=params, headers=headers,
                                            timeout=self.timeout, stream=True,
                                            allow_redirects=False)
                outcome["headers"] = response.headers
                outcome["response"] = Response(response.status_code, response.headers,
                                               self._read(response, started, limit))
            except BaseException as exc:  # noqa: BLE001 - handed to the waiting thread
                outcome["error"] = exc

        worker = threading.Thread(target=run, name="mascite-http", daemon=True)
        try:
            self.count("requests")
            worker.start()
            worker.join(limit)
            if worker.is_alive():
                raise requests.Timeout(f"no whole answer in {limit:.0f} s") from _Timeout()
            if "error" in outcome:
                raise outcome["error"]
            return outcome["response"]  # type: ignore[no-any-return]
        finally:
            pacer.release(outcome.get("headers"))

    def _read(self, response: requests.Response, started: float, limit: float) -> bytes:
        chunks: list[bytes] = []
        size = 0
        while True:
            chunk = response.raw.read1(65536) if hasattr(response.raw, "read1") else \
                response.raw.read(65536)
            if not chunk:
                break
            size += len(chunk)
            if size > self.max_response_bytes:
                response.close()
                raise CrossrefError(f"response larger than {self.max_response_bytes} bytes")
            if self._clock() - started > limit:
                response.close()
                raise requests.Timeout("the answer came too slowly") from _Timeout()
            chunks.append(chunk)
        return b"".join(chunks)

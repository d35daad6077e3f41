"""HTTP for the Crossref client: one GET with one retry loop (5xx, resets, timeouts and malformed
bodies backed off; 429s paced; redirects followed hop by hop to allowed hosts only), a size cap,
and ``requests``' exceptions mapped to reasons by their types. The session is injected."""

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
    if isinstance(exc, requests.Timeout) or any(isinstance(c, TimeoutError | socket.timeout)
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
                 headers: Mapping[str, str], allowed_hosts: frozenset[str],
                 timeout: tuple[float, float], max_retries: int, max_response_bytes: int,
                 sleep: Callable[[float], None]) -> None:
        self.session = session
        self.pacers = pacers
        self.headers = dict(headers)
        self.allowed_hosts = allowed_hosts
        self.timeout = timeout
        self.max_retries = max_retries
        self.max_response_bytes = max_response_bytes
        self._sleep = sleep
        self.stats = {"requests": 0, "429": 0, "retries": 0, "failures": 0}
        self._stats_lock = threading.Lock()
        self.unreachable: str | None = None

    def count(self, key: str) -> None:
        """Add one to a statistic (thread-safe)."""
        with self._stats_lock:
            self.stats[key] += 1

    def check_host(self, url: str) -> None:
        """Refuse any URL that is not on a configured host."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or parts.hostname not in self.allowed_hosts:
            raise CrossrefError(f"refusing to contact {parts.hostname or url!r}: not a configured "
                                "Crossref or DOI resolver host")

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
            try:
                response = self._get(url, pool, params, headers)
            except requests.RequestException as exc:
                problem = describe(exc)
                if problem.unreachable:
                    self.unreachable = f"cannot reach {urlsplit(url).hostname}: {problem.reason}"
                    raise CrossrefError(self.unreachable) from exc
                last = problem.reason
            else:
                status = response.status
                if status == 429:
                    self.count("429")
                    throttled += 1
                    self.pacers[pool].pause(retry_after(response.headers))
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
                    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                        last = f"malformed JSON from {urlsplit(url).hostname}: {exc}"
                else:
                    last = f"HTTP {status}"
            failures += 1
            if failures > self.max_retries:
                raise CrossrefError(f"{last} (after {self.max_retries} retries)")
            self.count("retries")
            self._sleep(min(8.0, 0.5 * 2 ** (failures - 1)) + random.uniform(0, 0.25))  # noqa: S311

    def _get(self, url: str, pool: str, params: Mapping[str, str] | None,
             headers: Mapping[str, str]) -> Response:
        """One paced GET, its body read whole (up to the cap)."""
        pacer = self.pacers[pool]
        pacer.acquire()
        response_headers: Mapping[str, str] | None = None
        try:
            self.count("requests")
            response = self.session.get(url, params=params, headers=headers, timeout=self.timeout,
                                        stream=True, allow_redirects=False)
            response_headers = response.headers
            return Response(response.status_code, response.headers, self._read(response))
        finally:
            pacer.release(response_headers)

    def _read(self, response: requests.Response) -> bytes:
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_content(65536):
            size += len(chunk)
            if size > self.max_response_bytes:
                response.close()
                raise CrossrefError(f"response larger than {self.max_response_bytes} bytes")
            chunks.append(chunk)
        return b"".join(chunks)

"""Staying under Crossref's limits: one pacer per pool, adapted from every response's headers,
and an error window that stops asking when more than 10% of recent requests failed.

Decisions are pure (what to wait, whether to stop); the clock and sleep are injected so tests run
without waiting.
"""

from __future__ import annotations

import contextlib
import re
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass

__all__ = ["DEFAULT_LIMITS", "ErrorWindow", "Limits", "Pacer", "parse_limits", "retry_after"]


MARGIN = 1.2


@dataclass(frozen=True)
class Limits:
    """Requests per interval, the interval in seconds, and requests at once."""

    rate: int
    interval: float
    concurrency: int

    @property
    def spacing(self) -> float:
        """Seconds between request starts: a fifth more than the limit allows, so that no
        sliding window of ``interval`` holds more than ``rate`` requests even where arrivals
        at the server bunch up a little."""
        return MARGIN * self.interval / max(self.rate, 1)


# Documented 2026 values (shared/data/README.md): polite single 10/s x3, polite list 3/s x3,
# public single 5/s x1; public list is taken as 1/s x1 until a response says otherwise.
DEFAULT_LIMITS = {
    ("single", True): Limits(10, 1.0, 3), ("list", True): Limits(3, 1.0, 3),
    ("single", False): Limits(5, 1.0, 1), ("list", False): Limits(1, 1.0, 1),
}


def parse_limits(headers: Mapping[str, str], current: Limits) -> Limits:
    """Limits announced by ``x-rate-limit-limit``, ``x-rate-limit-interval`` (``1s``, ``500ms``,
    ``1m``) and ``x-concurrency-limit``; what is missing or malformed keeps its current value."""
    lowered = {k.lower(): v for k, v in headers.items()}
    rate, interval, concurrency = current.rate, current.interval, current.concurrency
    with contextlib.suppress(ValueError):
        rate = max(1, int(lowered.get("x-rate-limit-limit", rate)))
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(ms|s|m)?\s*", lowered.get("x-rate-limit-interval", ""))
    if match:
        value = float(match.group(1))
        interval = value / 1000 if match.group(2) == "ms" else value * 60 if match.group(2) == "m" \
            else value
        interval = max(interval, 0.001)
    with contextlib.suppress(ValueError):
        concurrency = max(1, int(lowered.get("x-concurrency-limit", concurrency)))
    return Limits(rate, interval, concurrency)


def retry_after(headers: Mapping[str, str], default: float = 1.0, cap: float = 60.0) -> float:
    """Seconds to wait from a ``Retry-After`` header (seconds form); ``default`` otherwise."""
    value = {k.lower(): v for k, v in headers.items()}.get("retry-after", "")
    try:
        return min(max(float(value), 0.0), cap)
    except ValueError:
        return default


class Pacer:
    """Spaces request starts and bounds requests in flight for one pool; thread-safe.

    ``acquire`` blocks until a request may start; ``release`` ends it and takes the response's
    headers into account; ``pause`` holds every request back (after a 429).
    """

    def __init__(self, limits: Limits, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.limits = limits
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Condition()
        self._next_start = 0.0
        self._in_flight = 0

    def acquire(self) -> None:
        """Wait until a request may start: a free slot, and its turn in the spacing."""
        with self._lock:
            while self._in_flight >= self.limits.concurrency:
                self._lock.wait(0.05)
            self._in_flight += 1
            now = self._clock()
            start = max(now, self._next_start)
            self._next_start = start + self.limits.spacing
            wait = start - now
        if wait > 0:
            self._sleep(wait)

    def release(self, headers: Mapping[str, str] | None = None) -> None:
        """End a request, taking the limits its response announced."""
        with self._lock:
            self._in_flight -= 1
            if headers:
                self.limits = parse_limits(headers, self.limits)
            self._lock.notify_all()

    def pause(self, seconds: float) -> None:
        """Hold every request back for ``seconds`` (after a 429)."""
        with self._lock:
            self._next_start = max(self._next_start, self._clock() + seconds)


class ErrorWindow:
    """Failures among the last ``size`` requests; ``tripped`` once they pass ``threshold``
    (Crossref asks clients to back off rather than keep failing)."""

    def __init__(self, size: int = 50, threshold: float = 0.10, minimum: int = 20) -> None:
        self._outcomes: deque[bool] = deque(maxlen=size)
        self._threshold = threshold
        self._minimum = minimum
        self._lock = threading.Lock()
        self.tripped = False

    def record(self, failed: bool) -> None:
        """Count one request's outcome; trip once failures pass the threshold."""
        with self._lock:
            self._outcomes.append(failed)
            if len(self._outcomes) >= self._minimum and self.rate > self._threshold:
                self.tripped = True

    @property
    def rate(self) -> float:
        """The share of failures among the recent requests."""
        return sum(self._outcomes) / len(self._outcomes) if self._outcomes else 0.0

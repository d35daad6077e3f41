"""Hosts that misbehave, for real, on 127.0.0.1: one that accepts and never answers, one that
drips a byte at a time, 429 forever, a redirect to another port, a captive proxy answering 404
to everything, a malformed or absurdly deep record among good ones. Every run ends within its
deadline, every DOI is accounted for, and the reason is said once."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import requests

from mascite.crossref import CrossrefClient
from mascite.testing import CrossrefStandIn

DOIS = [f"10.5555/fault.{i}" for i in range(20)]
Handler = Callable[[BaseHTTPRequestHandler], None]


@contextmanager
def serving(answer: Handler) -> Iterator[tuple[str, list[str]]]:
    """An HTTP server on 127.0.0.1 answering every GET with ``answer``; its URL, and the paths
    it was asked for."""
    asked: list[str] = []

    class _Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            asked.append(self.path)
            with suppress(BrokenPipeError, ConnectionResetError):
                answer(self)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", asked
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def black_hole() -> Iterator[str]:
    """A host that accepts connections and never says a word."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join()
        for connection in held:
            connection.close()
        listener.close()


def _reply(handler: BaseHTTPRequestHandler, status: int, body: bytes = b"",
           headers: dict[str, str] | None = None) -> None:
    """A whole response: status, the headers given, its length, then the body."""
    handler.send_response(status)
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def client(url: str, **options: object) -> CrossrefClient:
    settings: dict[str, object] = {"timeout": (1.0, 1.0), "response_timeout": 2.0,
                                   "deadline": 4.0, "max_retries": 2, **options}
    return CrossrefClient(requests.Session(), base_url=url, resolver_url=f"{url}/doi",
                          mailto="t@example.org", use_default_cache=False,
                          **settings)  # type: ignore[arg-type]


def test_black_hole_ends_with_the_deadline_and_every_doi_unverified() -> None:
    with black_hole() as url:
        c = client(url)
        answers = c.lookup_many(DOIS)
    assert sorted(answers) == sorted(DOIS)
    assert {a.status for a in answers.values()} == {"unverified"}
    assert c.unreachable is not None
    assert c.stats["timeouts"] <= 6  # the breaker opens after a few, the rest are not sent


def test_drip_feeding_host_is_bounded_per_response() -> None:
    def drip(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.end_headers()
        for char in '{"status": "ok", "message": {"DOI": "':
            handler.wfile.write(char.encode())
            handler.wfile.flush()
            time.sleep(0.5)

    with serving(drip) as (url, asked):
        c = client(url, deadline=30.0)
        answer = c.lookup(DOIS[0])
    # each response cut off after 2 s although bytes keep coming; three such, and the breaker
    assert (answer.status, answer.reason, len(asked)) == (
        "unverified", "no answer from 127.0.0.1: 3 requests in a row timed out", 3)


def test_429_forever_stops_at_the_deadline_not_at_retry_after() -> None:
    def throttle(handler: BaseHTTPRequestHandler) -> None:
        _reply(handler, 429, headers={"Retry-After": "60"})

    with serving(throttle) as (url, asked):
        c = client(url, deadline=3.0)
        answers = c.lookup_many(DOIS[:3])
    assert {a.status for a in answers.values()} == {"unverified"}
    assert {a.reason for a in answers.values()} == {
        "rate-limited (429) by 127.0.0.1, asked to wait 60 s, past the run's time for Crossref "
        "(3 s)"}
    assert len(asked) <= 3


def test_redirect_to_another_port_of_the_same_host_is_refused() -> None:
    def elsewhere(handler: BaseHTTPRequestHandler) -> None:
        _reply(handler, 200, b"{}")

    with serving(elsewhere) as (other, other_asked):
        def redirect(handler: BaseHTTPRequestHandler) -> None:
            _reply(handler, 302, headers={"Location": f"{other}{handler.path}"})

        with serving(redirect) as (url, _):
            answer = client(url).lookup(DOIS[0])
    assert other_asked == []
    assert (answer.status, answer.reason) == (
        "failed", f"refusing to contact '127.0.0.1:{other.rsplit(':', 1)[1]}': not a configured "
        "Crossref or DOI resolver host")


def test_captive_proxy_answering_404_to_everything_is_reported_once_not_as_not_found() -> None:
    def captive(handler: BaseHTTPRequestHandler) -> None:
        _reply(handler, 404, b"<html>Please log in</html>")

    with serving(captive) as (url, _):
        c = client(url, deadline=30.0)
        answers = c.lookup_many(DOIS[:5])
    assert {a.status for a in answers.values()} == {"unverified"}
    assert {a.reason for a in answers.values()} == {
        "127.0.0.1 answers 'not found' for every DOI, Crossref's test DOI 10.5555/12345678 too: "
        "it is not a working Crossref (a captive portal, or a proxy?)"}


GOOD: list[dict[str, Any]] = [{"DOI": f"10.5555/good.{i}", "type": "journal-article", "title": [f"Good {i}"],
         "issued": {"date-parts": [[2020]]}} for i in range(4)]


def test_malformed_and_deep_records_fail_alone() -> None:
    bad: list[dict[str, Any]] = [{"DOI": "10.5555/bad.issue", "type": "journal-article", "title": ["Bad"],
            "journal-issue": "x", "relation": ["x"]},
           {"DOI": "10.5555/bad.title", "type": "journal-article", "title": "not a list"}]
    deep = "10.5555/deep"

    with CrossrefStandIn([*GOOD, *bad]) as stand_in:
        def answer(handler: BaseHTTPRequestHandler) -> None:
            if "deep" in handler.path:
                body = ('{"status": "ok", "message": ' + "[" * 200_000 + "]" * 200_000
                        + "}").encode()
            else:
                body = requests.get(stand_in.url + handler.path, timeout=10).content
            _reply(handler, 200, body, headers={"Content-Type": "application/json"})

        with serving(answer) as (url, _):
            dois = [g["DOI"] for g in GOOD] + ["10.5555/bad.issue", "10.5555/bad.title", deep]
            answers = client(url, deadline=30.0).lookup_many(dois)
    assert [answers[g["DOI"]].status for g in GOOD] == ["found"] * 4
    assert answers["10.5555/bad.title"].status == "found"  # a string title is still a title
    assert answers["10.5555/bad.issue"].status == "found"  # what cannot be read is left out
    assert (answers[deep].status, answers[deep].reason) == (
        "failed", "malformed JSON from 127.0.0.1: nested too deep (after 2 retries)")
    assert sorted(answers) == sorted(dois)


def test_resolve_reports_every_doi_when_the_deadline_ends_the_run() -> None:
    with black_hole() as url:
        env = {**os.environ, "MASCITE_CROSSREF_URL": url, "MASCITE_CACHE": "off",
               "MASCITE_MAILTO": "t@example.org"}
        done = subprocess.run([sys.executable, "-m", "mascite", "resolve", "--deadline", "3",
                               *DOIS], capture_output=True, text=True, env=env, timeout=120,
                              check=False)
    assert done.returncode == 1
    assert json.loads(done.stdout) == []
    lines = [line for line in done.stderr.splitlines() if line.startswith("mascite: 10.5555")]
    assert [line.split(":")[1].strip() for line in lines] == DOIS
    assert all(": unverified: " in line for line in lines)
    assert "Traceback" not in done.stderr

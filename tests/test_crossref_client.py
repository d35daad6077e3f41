"""The Crossref client at the HTTP boundary (``responses``): protocol, pools, retries, safety."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import responses

from mascite.crossref import CrossrefClient, LookupCache

API = "https://api.crossref.org"


def work(doi: str, title: str = "A title") -> dict:  # type: ignore[type-arg]
    return {"DOI": doi, "type": "journal-article", "title": [title],
            "author": [{"family": "Nam", "given": "S"}], "issued": {"date-parts": [[2022]]}}


def envelope(kind: str, message: object) -> dict:  # type: ignore[type-arg]
    return {"status": "ok", "message-type": kind, "message-version": "1.0.0", "message": message}


class Sleeps:
    """A fake clock whose sleeps are recorded and advance time at once."""

    def __init__(self) -> None:
        self.calls: list[float] = []
        self.now = 1000.0

    def __call__(self, seconds: float) -> None:
        self.calls.append(round(seconds, 6))
        self.now += seconds

    def clock(self) -> float:
        return self.now


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


def client(sleeps: Sleeps, **options: object) -> CrossrefClient:
    defaults: dict[str, object] = {"base_url": API, "mailto": "editor@example.org",
                                   "use_default_cache": False, "sleep": sleeps,
                                   "clock": sleeps.clock}
    defaults.update(options)
    return CrossrefClient(requests.Session(), **defaults)  # type: ignore[arg-type]


POLITE = {"x-rate-limit-limit": "10", "x-rate-limit-interval": "1s", "x-concurrency-limit": "3",
          "x-api-pool": "polite"}


@responses.activate
def test_single_lookup_sends_polite_headers_and_encodes_the_doi(sleeps: Sleeps) -> None:
    responses.get(re.compile(f"{API}/works/10.1000%2Fa%2F..%2Fb%3Fc%23d.*"),
                  json=envelope("work", work("10.1000/a/../b?c#d")), headers=POLITE)
    answer = client(sleeps).lookup("doi:10.1000/a/../b?c#d")
    assert answer.status == "found"
    assert answer.record is not None
    assert answer.record.doi == "10.1000/a/../b?c#d"
    request = responses.calls[0].request
    assert urlsplit(request.url).path == "/works/10.1000%2Fa%2F..%2Fb%3Fc%23d"
    assert parse_qs(urlsplit(request.url).query) == {"mailto": ["editor@example.org"]}
    assert request.headers["User-Agent"].startswith("mascite/")
    assert "mailto:editor@example.org" in request.headers["User-Agent"]


@responses.activate
def test_batch_uses_one_list_request_with_a_doi_filter(sleeps: Sleeps) -> None:
    dois = [f"10.1000/{n}" for n in range(30)]
    responses.get(f"{API}/works", json=envelope("work-list", {
        "items": [work(d) for d in dois[:29]]}), headers=POLITE)
    responses.get(f"{API}/works/10.1000%2F29/agency", status=404, body="Resource not found.")
    responses.get(f"{API}/works/10.1000%2Fa%2Cb", status=404, body="Resource not found.")
    responses.get(f"{API}/works/10.1000%2Fa%2Cb/agency", status=404, body="Resource not found.")
    answers = client(sleeps).lookup_many([*dois, "10.1000/a,b"])
    list_calls = [c for c in responses.calls if urlsplit(c.request.url).path == "/works"]
    assert len(list_calls) == 1
    query = parse_qs(urlsplit(list_calls[0].request.url).query)
    assert sorted(query["filter"][0].split(",")) == sorted(f"doi:{d}" for d in dois)
    assert int(query["rows"][0]) >= 30
    assert [answers[d].status for d in dois[:29]] == ["found"] * 29
    assert answers["10.1000/29"].status == "not-found"
    # a DOI with a comma would break the filter: it went alone, on the single pool
    assert answers["10.1000/a,b"].status == "not-found"
    assert any(urlsplit(c.request.url).path == "/works/10.1000%2Fa%2Cb" for c in responses.calls)


def test_batches_are_bounded_by_url_length(sleeps: Sleeps) -> None:
    long = [f"10.1000/{'x' * 180}{n}" for n in range(60)]
    batches = client(sleeps)._batches(long)
    assert len(batches) > 2
    assert sum(len(b) for b in batches) == 60
    for batch in batches:
        url = requests.Request("GET", f"{API}/works", params={
            "filter": ",".join(f"doi:{d}" for d in batch), "rows": "100",
            "mailto": "editor@example.org"}).prepare().url
        assert url is not None
        assert len(url) <= 4000


@responses.activate
def test_429_honours_retry_after_and_is_not_an_error(sleeps: Sleeps) -> None:
    url = f"{API}/works/10.1000%2Fa"
    responses.get(url, status=429, headers={"Retry-After": "3", **POLITE})
    responses.get(url, json=envelope("work", work("10.1000/a")), headers=POLITE)
    c = client(sleeps)
    assert c.lookup("10.1000/a").status == "found"
    assert 3.0 in sleeps.calls
    assert c.stats["429"] == 1
    assert c.errors.rate == 0.0


@responses.activate
def test_5xx_reset_and_truncated_json_are_retried_with_backoff(sleeps: Sleeps) -> None:
    url = f"{API}/works/10.1000%2Fa"
    responses.get(url, status=503)
    responses.get(url, body=requests.ConnectionError("Connection reset by peer"))
    responses.get(url, body='{"status": "ok", "message": {"DO', content_type="application/json")
    responses.get(url, json=envelope("work", work("10.1000/a")))
    c = client(sleeps)
    assert c.lookup("10.1000/a").status == "found"
    assert c.stats["retries"] == 3
    backoffs = [s for s in sleeps.calls if s >= 0.5]
    assert len(backoffs) == 3
    assert 0.5 <= backoffs[0] <= 0.75
    assert 1.0 <= backoffs[1] <= 1.25  # exponential, with jitter
    assert 2.0 <= backoffs[2] <= 2.25  # one retry loop: a malformed body counts with the rest


@responses.activate
def test_a_server_that_keeps_failing_gets_max_retries_plus_one_requests(sleeps: Sleeps) -> None:
    url = f"{API}/works/10.1000%2Fa"
    responses.get(url, body='{"status": "ok", "message": {"DO', content_type="application/json")
    c = client(sleeps, max_retries=3)
    answer = c.lookup("10.1000/a")
    assert answer.status == "failed"
    assert answer.reason is not None
    assert answer.reason.startswith("malformed JSON from api.crossref.org: ")
    assert answer.reason.endswith("(after 3 retries)")
    assert len(responses.calls) == 4


@responses.activate
def test_exhausted_retries_fail_that_lookup_alone(sleeps: Sleeps) -> None:
    responses.get(f"{API}/works/10.1000%2Fbad", status=500)
    responses.get(f"{API}/works/10.1000%2Fgood", json=envelope("work", work("10.1000/good")))
    c = client(sleeps, max_retries=2)
    answers = {d: c.lookup(d) for d in ("10.1000/bad", "10.1000/good")}
    assert answers["10.1000/bad"].status == "failed"
    assert answers["10.1000/bad"].reason == "HTTP 500 (after 2 retries)"
    assert answers["10.1000/good"].status == "found"


@responses.activate
def test_timeouts_are_retried_then_reported(sleeps: Sleeps) -> None:
    responses.get(f"{API}/works/10.1000%2Fslow", body=requests.Timeout("read timed out"))
    answer = client(sleeps, max_retries=1).lookup("10.1000/slow")
    assert (answer.status, answer.reason) == ("failed", "timed out (after 1 retries)")


@responses.activate
def test_doi_elsewhere_is_resolved_by_content_negotiation(sleeps: Sleeps) -> None:
    responses.get(f"{API}/works/10.5061%2Fdryad.1", status=404, body="Resource not found.")
    responses.get(f"{API}/works/10.5061%2Fdryad.1/agency", json=envelope("work-agency", {
        "DOI": "10.5061/dryad.1", "agency": {"id": "datacite", "label": "DataCite"}}))
    responses.get("https://doi.org/10.5061/dryad.1", status=302,
                  headers={"Location": "https://data.crosscite.org/10.5061/dryad.1"})
    responses.get("https://data.crosscite.org/10.5061/dryad.1", json={
        "DOI": "10.5061/dryad.1", "type": "dataset", "title": "Data from: a study",
        "author": [{"family": "Lee", "given": "K"}], "issued": {"date-parts": [[2020]]}})
    answer = client(sleeps).lookup("10.5061/dryad.1")
    assert (answer.status, answer.agency) == ("found", "datacite")
    assert answer.record is not None
    assert answer.record.reference.title == "Data from: a study"
    assert responses.calls[2].request.headers["Accept"] == "application/vnd.citationstyles.csl+json"


@responses.activate
def test_doi_registered_nowhere_is_not_found(sleeps: Sleeps) -> None:
    responses.get(f"{API}/works/10.1000%2Fnone", status=404, body="Resource not found.")
    responses.get(f"{API}/works/10.1000%2Fnone/agency", status=404, body="Resource not found.")
    answer = client(sleeps).lookup("10.1000/none")
    assert (answer.status, answer.reason) == ("not-found", "registered with no DOI agency")


@responses.activate
def test_redirects_to_other_hosts_are_refused(sleeps: Sleeps) -> None:
    responses.get(f"{API}/works/10.1000%2Fa", status=302,
                  headers={"Location": "https://evil.example.com/steal"})
    answer = client(sleeps).lookup("10.1000/a")
    assert answer.status == "failed"
    assert answer.reason == ("refusing to contact 'evil.example.com': not a configured Crossref "
                             "or DOI resolver host")
    assert len(responses.calls) == 1


@responses.activate
def test_oversized_responses_are_an_error_for_that_lookup(sleeps: Sleeps) -> None:
    responses.get(f"{API}/works/10.1000%2Fbig", body=b"x" * 5000)
    answer = client(sleeps, max_response_bytes=1000).lookup("10.1000/big")
    assert (answer.status, answer.reason) == ("failed", "response larger than 1000 bytes")


@responses.activate
def test_plus_token_and_public_pool_notice(sleeps: Sleeps) -> None:
    responses.get(f"{API}/works/10.1000%2Fa", json=envelope("work", work("10.1000/a")))
    c = client(sleeps, mailto="", plus_token="secret")
    c.lookup("10.1000/a")
    headers = responses.calls[0].request.headers
    assert headers["Crossref-Plus-API-Token"] == "Bearer secret"
    assert "mailto" not in responses.calls[0].request.url
    assert c.notices == ["MASCITE_MAILTO is not set: Crossref lookups use the public pool and "
                         "will be slower (set it to your e-mail address)"]


@responses.activate
def test_cache_is_shared_and_second_run_sends_nothing(sleeps: Sleeps, tmp_path: Path) -> None:
    responses.get(f"{API}/works", json=envelope("work-list", {"items": [work("10.1000/a")]}))
    responses.get(f"{API}/works/10.1000%2Fb/agency", status=404)
    cache = LookupCache(tmp_path / "cache.sqlite")
    first = client(sleeps, cache=cache).lookup_many(["10.1000/a", "10.1000/b"])
    sent = len(responses.calls)
    again = client(sleeps, cache=cache)
    second = again.lookup_many(["10.1000/A", "https://doi.org/10.1000/b"])
    assert len(responses.calls) == sent  # nothing more
    assert [first["10.1000/a"].status, second["10.1000/A"].status] == ["found", "found"]
    assert second["https://doi.org/10.1000/b"].status == "not-found"
    assert second["10.1000/A"].source == "cache"
    offline = client(sleeps, cache=cache, offline=True)
    assert offline.lookup("10.1000/a").status == "found"
    assert offline.lookup("10.1000/zzz").status == "unverified"
    assert offline.lookup("10.1000/zzz").reason == "offline, and not in the cache"


def test_invalid_doi_is_a_failed_lookup_not_an_exception(sleeps: Sleeps) -> None:
    answer = client(sleeps).lookup("10.12/x")
    assert (answer.status, answer.reason) == (
        "failed", "invalid DOI: registrant code '12' is not 4 to 9 digits")


def test_unreachable_host_fails_fast(sleeps: Sleeps) -> None:
    c = client(sleeps, base_url="http://127.0.0.1:9")
    answers = c.lookup_many([f"10.1000/{n}" for n in range(40)])
    assert {(a.status, a.reason) for a in answers.values()} == {
        ("unverified", "cannot reach 127.0.0.1: connection refused")}
    assert c.unreachable == "cannot reach 127.0.0.1: connection refused"
    assert c.stats["requests"] == 1
    assert sleeps.calls == []


@responses.activate
def test_recorded_crossref_answers_are_understood(sleeps: Sleeps, shared_data: Path) -> None:
    examples = shared_data / "crossref" / "http-examples"
    found = json.loads((examples / "habanero-test_works_with_one_id-0.json").read_text())
    missing = json.loads((examples / "habanero-test_works_bad_id_warn-0.json").read_text())
    headers = {k: v for k, v in found["headers"].items()
               if k not in ("content-encoding", "content-length", "transfer-encoding")}
    responses.get(f"{API}/works/10.1371%2Fjournal.pone.0033693", json=found["body"],
                  headers=headers)
    responses.get(f"{API}/works/10.1371%2Fnotarealdoi", body=missing["body"], status=404,
                  headers={"content-type": "text/plain"})
    responses.get(f"{API}/works/10.1371%2Fnotarealdoi/agency", status=404)
    c = client(sleeps, mailto="")
    answer = c.lookup("10.1371/journal.pone.0033693")
    assert answer.status == "found"
    assert answer.record is not None
    assert answer.record.reference.container_title == "PLoS ONE"
    assert c.pacers["single"].limits.rate == 5  # from the recorded x-rate-limit-limit
    assert c.lookup("10.1371/notarealdoi").status == "not-found"

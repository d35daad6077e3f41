"""Crossref pieces that need no server: mapping, limits, the SQLite cache, candidate matching."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mascite.crossref import ErrorWindow, Limits, LookupCache, Pacer, clean_markup, record_from_work
from mascite.crossref.limits import parse_limits, retry_after
from mascite.crossref.matching import choose, score_candidate

WORK = {
    "DOI": "10.1371/journal.pone.0267715", "type": "journal-article",
    "title": ["Macrophage activation syndrome in <i>rheumatic</i> disease: &amp; <jats:sub>2</jats:sub>"
              "<mml:math><mml:mi>x</mml:mi></mml:math>"],
    "subtitle": ["Clinical characteristics"],
    "author": [{"given": "So Hye", "family": "Nam", "sequence": "first"},
               {"name": "MAS Study Group", "sequence": "additional"}],
    "container-title": ["PLOS ONE"], "short-container-title": ["PLoS ONE"],
    "volume": "17", "issue": "5", "article-number": "e0267715", "page": "e0267715",
    "published-print": {"date-parts": [[2022, 5, 4]]},
    "published-online": {"date-parts": [[2022, 4, 28]]},
    "issued": {"date-parts": [[2022, 4, 28]]}, "ISSN": ["1932-6203"],
    "publisher": "Public Library of Science (PLoS)",
    "updated-by": [{"DOI": "10.1371/journal.pone.9999999", "type": "retraction",
                    "label": "Retraction", "source": "retraction-watch",
                    "updated": {"date-parts": [[2024, 1, 9]]}}],
    "relation": {"has-preprint": [{"id-type": "doi", "id": "10.1101/2021.01.01.1",
                                   "asserted-by": "subject"}]},
}


def test_mapping_a_work_record() -> None:
    record = record_from_work(WORK)
    csl = record.reference.to_csl()
    assert csl == {
        "type": "article-journal",
        "author": [{"family": "Nam", "given": "So Hye"}, {"literal": "MAS Study Group"}],
        "title": "Macrophage activation syndrome in <i>rheumatic</i> disease: & <sub>2</sub>x",
        "subtitle": "Clinical characteristics", "container-title": "PLOS ONE",
        "container-title-short": "PLoS ONE", "volume": "17", "issue": "5", "page": "e0267715",
        "publisher": "Public Library of Science (PLoS)", "article-number": "e0267715",
        "DOI": "10.1371/journal.pone.0267715", "ISSN": "1932-6203",
        "issued": {"date-parts": [[2022, 4, 28]]},
    }
    assert (record.published_print, record.published_online, record.years) == (
        2022, 2022, {2022})
    assert record.retracted is True
    assert [(u.type, u.doi, u.source, u.date) for u in record.updates] == [
        ("retraction", "10.1371/journal.pone.9999999", "retraction-watch", "2024-01-09")]
    assert record.relations == {"has-preprint": ["10.1101/2021.01.01.1"]}


def test_clean_markup_keeps_only_csl_tags() -> None:
    assert clean_markup('<scp>DNA</scp> in <jats:italic>E. coli</jats:italic> <script>x</script>'
                        '<b onclick="evil()">bold</b> p &lt; 0.05 &lt;script&gt;y') == (
        "DNA in <i>E. coli</i> x<b>bold</b> p < 0.05 y")
    assert clean_markup("AN INFANT&lt;subtitle&gt;Successful Treatment&lt;/subtitle&gt;") == (
        "AN INFANT Successful Treatment")


def test_every_dev_record_maps(shared_data: Path) -> None:
    count = 0
    with open(shared_data / "crossref" / "works-dev.jsonl", encoding="utf-8") as handle:
        for line in handle:
            record = record_from_work(json.loads(line)["record"])
            assert record.reference.to_csl()["type"]
            count += 1
    assert count == 927


def test_parse_limits_and_retry_after() -> None:
    current = Limits(10, 1.0, 3)
    assert parse_limits({"X-Rate-Limit-Limit": "50", "x-rate-limit-interval": "1s",
                         "x-concurrency-limit": "5"}, current) == Limits(50, 1.0, 5)
    assert parse_limits({"x-rate-limit-interval": "500ms"}, current) == Limits(10, 0.5, 3)
    assert parse_limits({"x-rate-limit-limit": "many"}, current) == current
    assert retry_after({"Retry-After": "3"}) == 3.0
    assert retry_after({"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}) == 1.0
    assert retry_after({"Retry-After": "9999"}) == 60.0


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 6))
        self.now += seconds


def test_pacer_spaces_requests_and_adapts_to_headers() -> None:
    clock = FakeClock()
    pacer = Pacer(Limits(4, 1.0, 2), clock, clock.sleep)
    for _ in range(3):
        pacer.acquire()
        pacer.release()
    assert clock.slept == [0.3, 0.3]  # a fifth more than 1 s / 4: no window holds five
    pacer.acquire()
    pacer.release({"x-rate-limit-limit": "2", "x-rate-limit-interval": "1s"})
    assert pacer.limits == Limits(2, 1.0, 2)
    pacer.pause(5.0)
    pacer.acquire()
    pacer.release()
    assert clock.slept[-1] == 5.0


def test_no_sliding_second_holds_more_requests_than_announced() -> None:
    clock = FakeClock()
    pacer = Pacer(Limits(3, 1.0, 3), clock, clock.sleep)
    starts = []
    for _ in range(30):
        pacer.acquire()
        starts.append(clock.now)
        pacer.release()
    assert max(sum(1 for t in starts if s <= t < s + 1.0) for s in starts) == 3


def test_error_window_trips_past_ten_percent() -> None:
    window = ErrorWindow(size=50, threshold=0.10, minimum=20)
    for index in range(40):
        window.record(index % 20 == 0)  # 5%
    assert window.tripped is False
    for _ in range(5):
        window.record(True)
    assert window.tripped is True


def test_cache_keeps_found_longer_than_missing(tmp_path: Path) -> None:
    clock = FakeClock()
    cache = LookupCache(tmp_path / "c.sqlite", found_ttl=100, missing_ttl=10, clock=clock)
    cache.put("10.1/a", "found", {"DOI": "10.1/a"})
    cache.put("10.1/b", "not-found", None)
    clock.now += 50
    assert cache.get("10.1/a") is not None
    assert cache.get("10.1/b") is None
    assert cache.get("10.1/b", stale_ok=True) is not None
    cache.close()
    reopened = LookupCache(tmp_path / "c.sqlite", clock=clock)
    entry = reopened.get("10.1/a")
    assert entry is not None
    assert (entry.status, entry.payload) == ("found", {"DOI": "10.1/a"})


def test_disabled_cache() -> None:
    cache = LookupCache(None)
    cache.put("10.1/a", "found", {})
    assert (cache.enabled, cache.get("10.1/a")) == (False, None)


REFERENCE = ("Nam, So Hye, et al. “Macrophage Activation Syndrome in Rheumatic Disease: Clinical "
             "Characteristics and Prognosis of 20 Adult Patients.” PLoS ONE, vol. 17, no. 5, "
             "May 2022, p. e0267715.")


def _work(doi: str, title: str, family: str, year: int, volume: str = "17") -> dict:  # type: ignore[type-arg]
    return {"DOI": doi, "type": "journal-article", "title": [title],
            "author": [{"family": family, "given": "A"}], "container-title": ["PLOS ONE"],
            "volume": volume, "page": "e0267715", "issued": {"date-parts": [[year]]}}


def test_matching_accepts_the_right_work_and_refuses_near_misses() -> None:
    right = record_from_work(_work("10.1371/right", "Macrophage activation syndrome in rheumatic "
                                   "disease: Clinical characteristics and prognosis of 20 adult "
                                   "patients", "Nam", 2022))
    other = record_from_work(_work("10.1371/other", "Macrophage activation syndrome in children",
                                   "Lee", 2019, "3"))
    candidate = score_candidate(REFERENCE, right)
    assert candidate.parts == {"title": 1.0, "author": 1.0, "year": 1.0, "container": 1.0,
                               "volume": 1.0, "page": 1.0}
    match = choose(REFERENCE, [other, right])
    assert match.record is not None
    assert match.record.doi == "10.1371/right"
    assert choose(REFERENCE, [other]).record is None
    twin = record_from_work(_work("10.1371/twin", right.reference.title or "", "Nam", 2022))
    tie = choose(REFERENCE, [right, twin])
    assert tie.record is None
    assert tie.reason.startswith("two candidates score alike")
    assert choose(REFERENCE, []).reason == "no candidates"


@pytest.mark.parametrize("bad", ["", "x", "10.1371"])
def test_matching_never_raises_on_odd_text(bad: str) -> None:
    record = record_from_work(_work("10.1/a", "A title", "Nam", 2022))
    assert 0.0 <= score_candidate(bad, record).score <= 1.0

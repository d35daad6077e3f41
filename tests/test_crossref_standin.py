"""Integration with the local Crossref stand-in: a real HTTP server on 127.0.0.1, real limits."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path
from urllib.request import urlopen

import pytest
import requests

from mascite import check, read_references
from mascite.crossref import CrossrefClient, Limits, LookupCache
from mascite.testing import CrossrefStandIn, Faults, work_from_reference

from .conftest import BIB, EXAMPLES, ROOT


def mas_works() -> list[dict]:  # type: ignore[type-arg]
    return [work_from_reference(r) for r in read_references(BIB / "mas.bib").references]


def make_client(server: CrossrefStandIn, **options: object) -> CrossrefClient:
    defaults: dict[str, object] = {"base_url": server.url, "resolver_url": server.resolver_url,
                                   "mailto": "editor@example.org", "use_default_cache": False}
    defaults.update(options)
    return CrossrefClient(requests.Session(), **defaults)  # type: ignore[arg-type]


def test_check_the_ivig_example_online() -> None:
    works = [w for w in mas_works() if w["DOI"] != "10.14740/jh495"]  # one DOI not registered
    with CrossrefStandIn(works) as server:
        client = make_client(server)
        report = check(EXAMPLES / "ivig-for-mas.txt", offline=False, client=client)
    statuses = [r.status for r in report.references]
    assert statuses == ["verified"] * 9 + ["not-found", "verified"]
    assert report.references[0].record is not None
    assert report.references[0].record.container_title == "Experimental and Therapeutic Medicine"
    assert [(f.code, f.line) for f in report.findings if f.code == "doi-not-found"] == [
        ("doi-not-found", 72)]
    assert report.offline is False
    assert server.stats["requests-list"] == 1  # ten DOIs in one batch
    assert server.stats["429"] == 0


def test_search_finds_the_doi_of_a_reference_without_one(tmp_path: Path) -> None:
    doc = tmp_path / "doc.txt"
    doc.write_text(
        "Mortality was 20% [1]. IVIG helped 5 of 10 [2].\nReferences\n"
        "1. Nam, So Hye, et al. “Macrophage Activation Syndrome in Rheumatic Disease: Clinical "
        "Characteristics and Prognosis of 20 Adult Patients.” PLoS ONE, vol. 17, no. 5, May 2022, "
        "p. e0267715.\n"
        "2. Unknown A. A paper about nothing in particular that nobody has ever written. "
        "J Nowhere. 1999;1:1-2.\n", encoding="utf-8")
    with CrossrefStandIn(mas_works()) as server:
        report = check(doc, offline=False, client=make_client(server))
    found = [(f.code, f.ref, f.expected) for f in report.findings
             if f.code in ("missing-doi", "doi-not-matched")]
    assert found[0] == ("missing-doi", "1", "10.1371/journal.pone.0267715")
    assert found[1][:2] == ("doi-not-matched", "2")


def test_other_agency_and_unknown_dois() -> None:
    other = {"10.5061/dryad.abc": ("datacite", {"DOI": "10.5061/dryad.abc", "type": "dataset",
                                                "title": "Data for a study"})}
    with CrossrefStandIn(mas_works(), other_agencies=other) as server:
        answers = make_client(server).lookup_many(
            ["10.5061/dryad.abc", "10.9999/nowhere", "10.1002/ajh.1141", "10.1136/ard-2023-224123"])
    assert [(a.status, a.agency) for a in answers.values()] == [
        ("found", "datacite"), ("not-found", None), ("found", "crossref"), ("found", "crossref")]


def test_the_stand_in_enforces_limits_with_429() -> None:
    limits = {(pool, polite): Limits(2, 1.0, 1) for pool in ("single", "list")
              for polite in (True, False)}
    with CrossrefStandIn(mas_works(), limits=limits, latency=0.2) as server:
        statuses: list[int] = []

        def hit() -> None:
            try:
                with urlopen(f"{server.url}/works/10.1002%2Fajh.1141", timeout=5) as answer:  # noqa: S310
                    statuses.append(answer.status)
            except Exception as exc:  # noqa: BLE001 - urllib raises for 429
                statuses.append(getattr(exc, "code", 0))

        threads = [threading.Thread(target=hit) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(statuses) == [200, 429, 429, 429]
        with urlopen(f"{server.url}/works/10.1002%2Fajh.1141", timeout=5) as answer:  # noqa: S310
            assert answer.headers["x-rate-limit-limit"] == "2"
            assert answer.headers["x-api-pool"] == "public"


def test_client_stays_under_the_limits_with_latency() -> None:
    works = mas_works()
    with CrossrefStandIn(works, latency=0.05) as server:
        client = make_client(server)
        answers = client.lookup_many([w["DOI"] for w in works] + ["10.9999/a", "10.9999/b"])
    assert server.stats["429"] == 0
    assert sum(a.status == "found" for a in answers.values()) == 11


def test_faults_lose_nothing() -> None:
    works = mas_works()
    faults = Faults(server_error=0.15, reset=0.05, truncated=0.05, seed=3)
    with CrossrefStandIn(works, faults=faults) as server:
        client = make_client(server, max_retries=6)
        dois = [w["DOI"] for w in works]
        answers = client.lookup_many(dois)
        assert {answers[d].status for d in dois} == {"found"}
        assert server.stats["fault-5xx"] + server.stats["fault-reset"] + \
            server.stats["fault-truncated"] > 0


def test_persistent_failure_stops_asking() -> None:
    works = [work_from_reference(r) for r in read_references(BIB / "mas.bib").references]
    with CrossrefStandIn(works, faults=Faults(server_error=1.0)) as server:
        client = make_client(server, max_retries=0)
        answers = client.lookup_many([f"10.9999/{n}" for n in range(60)])
    statuses = [a.status for a in answers.values()]
    assert statuses.count("failed") >= 20
    assert statuses.count("unverified") > 0
    stopped = next(a for a in answers.values() if a.status == "unverified")
    assert stopped.reason is not None
    assert stopped.reason.startswith("lookups stopped: more than 10% of recent Crossref requests")


def test_cli_resolve_and_a_second_run_from_the_cache(tmp_path: Path) -> None:
    dois = tmp_path / "dois.txt"
    dois.write_text("# the IVIG references\ndoi:10.1002/ajh.1141\nhttps://doi.org/10.14740/jh495\n"
                    "not a doi\n10.9999/unknown\n", encoding="utf-8")
    cache = tmp_path / "cache.sqlite"
    with CrossrefStandIn(mas_works()) as server:
        env = {"MASCITE_CROSSREF_URL": server.url, "MASCITE_CACHE": str(cache),
               "MASCITE_MAILTO": "editor@example.org", "PATH": "/usr/bin:/bin"}
        command = [sys.executable, "-m", "mascite", "resolve", "--file", str(dois), "--to",
                   "csl-json", "--quiet"]
        first = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT,
                               check=False, timeout=60)
        sent = server.stats["requests"]
        second = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT,
                                check=False, timeout=60)
        assert server.stats["requests"] == sent  # the second run sent nothing
    assert first.returncode == 1  # one DOI is registered nowhere
    items = json.loads(first.stdout)
    assert [i["DOI"] for i in items] == ["10.1002/ajh.1141", "10.14740/jh495"]
    assert first.stderr.splitlines() == [
        f"{dois}:4: no DOI on this line",
        "mascite: 10.9999/unknown: not-found: registered with no DOI agency"]
    assert second.stdout == first.stdout
    assert LookupCache(cache).get("10.1002/ajh.1141") is not None


def test_dev_records_resolve_against_the_stand_in(shared_data: Path) -> None:
    path = shared_data / "crossref" / "works-dev.jsonl"
    server = CrossrefStandIn.from_jsonl(path)
    dois = sorted(server.works)[:150]
    with server:
        answers = make_client(server).lookup_many(dois)
    assert {a.status for a in answers.values()} == {"found"}
    assert server.stats["requests-list"] == 2
    assert server.stats["429"] == 0
    assert pytest.approx(len(answers)) == 150

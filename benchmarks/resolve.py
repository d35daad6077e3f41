"""Benchmark: resolving ~1,000 DOIs against the local Crossref stand-in.

The real dev records (``crossref/works-dev.jsonl``) plus 5% unknown DOIs, served with Crossref's
polite limits and 150 ms latency. Prints wall time, requests, 429s and results, the speed-up over
one request per DOI (whose best time at the polite single-pool rate is n / 10 s), and the ratio to
the bound the limits allow for the requests this strategy needs. Then the same with faults:
5% 5xx, 2% connection resets, 1% truncated bodies and a 2 s 429 storm.

Run:  python benchmarks/resolve.py
"""

from __future__ import annotations

import sys
import time
from collections import Counter

import requests
from shared import dev_records

from mascite.crossref import DEFAULT_LIMITS, CrossrefClient
from mascite.testing import CrossrefStandIn, Faults


def run(works: list[dict], dois: list[str], faults: Faults | None) -> dict[str, object]:  # type: ignore[type-arg]
    with CrossrefStandIn(works, latency=0.15, faults=faults) as server:
        client = CrossrefClient(requests.Session(), base_url=server.url,
                                resolver_url=server.resolver_url, mailto="bench@example.org",
                                use_default_cache=False, max_retries=6, deadline=None)
        started = time.perf_counter()
        answers = client.lookup_many(dois)
        wall = time.perf_counter() - started
        stats = dict(server.stats)
    statuses = Counter(a.status for a in answers.values())
    unexplained = [d for d, a in answers.items()
                   if a.status not in ("found", "not-found") and not a.reason]
    single = DEFAULT_LIMITS[("single", True)]
    listed = DEFAULT_LIMITS[("list", True)]
    bound = max(stats.get("requests-list", 0) / (listed.rate / listed.interval),
                stats.get("requests-single", 0) / (single.rate / single.interval)) + 0.15
    return {"wall": wall, "stats": stats, "statuses": statuses, "unexplained": unexplained,
            "bound": bound, "client": client.stats, "accounted": len(answers) == len(dois)}


def main() -> int:
    works = dev_records()
    if works is None:
        return 2
    known = sorted({str(w["DOI"]).lower() for w in works if w.get("DOI")})
    unknown = [f"10.99999/unknown.{n}" for n in range(round(len(known) * 5 / 95))]
    dois = known + unknown
    baseline = len(dois) / DEFAULT_LIMITS[("single", True)].rate
    print(f"DOIs: {len(dois)} ({len(known)} registered, {len(unknown)} unknown); latency 150 ms; "
          f"polite limits; one-request-per-DOI best time {baseline:.1f} s")
    for label, faults in (("clean", None),
                          ("faults", Faults(server_error=0.05, reset=0.02, truncated=0.01,
                                            storm=(1.0, 2.0), seed=11))):
        result = run(works, dois, faults)
        stats = result["stats"]
        assert isinstance(stats, dict)
        wall = float(result["wall"])  # type: ignore[arg-type]
        print(f"\n[{label}] wall {wall:.2f} s; requests {stats.get('requests', 0)} "
              f"(list {stats.get('requests-list', 0)}, single {stats.get('requests-single', 0)}); "
              f"429s {stats.get('429', 0)}")
        print(f"  results: {dict(result['statuses'])}; every DOI accounted for: "  # type: ignore[arg-type]
              f"{result['accounted'] and not result['unexplained']}")
        print(f"  speed-up over one request per DOI: {baseline / wall:.1f}x; "
              f"bound for these requests {float(result['bound']):.2f} s "  # type: ignore[arg-type]
              f"(wall / bound = {wall / float(result['bound']):.2f})")  # type: ignore[arg-type]
        faults_seen = {k: v for k, v in stats.items() if k.startswith("fault")}
        if faults_seen:
            print(f"  faults injected: {faults_seen}; client retries {result['client']['retries']}")  # type: ignore[index]
    return 0


if __name__ == "__main__":
    sys.exit(main())

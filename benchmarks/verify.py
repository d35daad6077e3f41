"""Benchmark: does verification find the errors real reference lists carry, and only those?

Real Crossref journal articles (``crossref/works-dev.jsonl``) are rendered by citeproc-js, the
reference CSL processor, in eight styles (NLM with full dates, AMA, IEEE, APA, Chicago
author-date, MLA, Harvard, Nature): one list per style, every work once per list. Half the
entries get one injected error of one kind (the kinds take turns), the rest stay clean, and clean
entries include the hard cases (article numbers, supplements, roman pages, corporate authors,
non-English titles with a translation, "et al." lists). About a sixth carry no DOI: those must be
found by search and verified against what the search found; a few of them are works the
stand-in does not hold, where the only right answer is none. Each list is checked against the
local Crossref stand-in (Crossref's polite limits, 150 ms latency; ``--faulty`` adds 5xx,
resets, truncated bodies and a 429 storm).

The works are split in two, once (seed 21): ``--split dev`` (rules and thresholds are chosen
there) and ``--split held-out`` (report). ``--seed`` varies which errors go where, which entries
lose their DOI and which works are hard cases or unregistered. Per kind: precision and recall
of the finding that names it (warning or error); false alarms: clean entries with any warning or
error; no-DOI resolution: right, wrong, none; and the 429s the stand-in answered.

Run:  python benchmarks/verify.py [--split dev|held-out] [--seed N] [--faulty] [--fast]
      [--verbose]   (needs the oracle: npm install in benchmarks/citeproc-js)
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from typing import Any

import requests
from shared import dev_records, oracle_ready
from verify_data import HARD, KINDS, SPLIT_SEED, STYLES, build, plos_works, render, split

from mascite import check_document, parse_document
from mascite.checks.resolve import resolve_report
from mascite.crossref import DEFAULT_LIMITS, CrossrefClient, Limits
from mascite.model import Severity
from mascite.testing import CrossrefStandIn, Faults

# which finding (code, field) names which injected kind
DETECTS: dict[tuple[str, str], tuple[str, ...]] = {
    ("field-mismatch", "author"): ("author-typo", "first-author-dropped"),
    ("field-mismatch", "title"): ("title-word",),
    ("field-mismatch", "issued"): ("year-1", "year-5"),
    ("field-mismatch", "volume"): ("volume",), ("field-mismatch", "issue"): ("issue",),
    ("field-mismatch", "page"): ("page",), ("field-mismatch", "container-title"): ("journal",),
    ("doi-not-found", "DOI"): ("doi-typo",), ("doi-mismatch", "DOI"): ("doi-other",),
    ("retracted", "DOI"): ("retraction",),
    ("expression-of-concern", "DOI"): ("expression-of-concern",),
}
DOCUMENT_CODES = {"unused-reference", "dangling-citation", "citation-order", "uncited-claim"}

def check_lists(texts: dict[str, list[str]], served: dict[str, dict[str, Any]], *,
                faulty: bool, fast: bool) -> tuple[dict[str, Any], dict[str, int], float]:
    """Check each style's list against one stand-in; reports by style, and request counts."""
    limits = ({(p, polite): Limits(100, 1.0, 8) for p in ("single", "list")
               for polite in (True, False)} if fast else DEFAULT_LIMITS)
    faults = Faults(server_error=0.05, reset=0.02, truncated=0.01, storm=(20.0, 2.0)) \
        if faulty else None
    reports = {}
    started = time.perf_counter()
    with CrossrefStandIn(list(served.values()), latency=0.0 if fast else 0.15, faults=faults,
                         limits=limits) as server:
        client = CrossrefClient(requests.Session(), base_url=server.url,
                                resolver_url=server.resolver_url, mailto="bench@example.org",
                                use_default_cache=False, max_retries=6, deadline=None)
        for style, lines in texts.items():
            cites = ", ".join(f"[{i}]" for i in range(1, len(lines) + 1))
            body = "\n".join(f"{i}. {line}" for i, line in enumerate(lines, start=1))
            document = parse_document(f"Everything here is cited {cites}.\n\nReferences\n\n"
                                      f"{body}\n", f"{style}.txt")
            report = check_document(document)
            resolve_report(report, client)
            reports[style] = report
        stats = {"429": int(server.stats["429"]), "requests": int(server.stats["requests"]),
                 "storm": int(server.stats["429-storm"]), "client-429": client.stats["429"]}
    return reports, stats, time.perf_counter() - started


def score(lists: dict[str, list[dict[str, Any]]], reports: dict[str, Any],
          texts: dict[str, list[str]], verbose: bool) -> dict[str, Any]:
    stats = {k: Counter[str]() for k in KINDS}
    clean = alarms = 0
    hard: Counter[str] = Counter()
    hard_alarms: Counter[str] = Counter()
    resolution: Counter[str] = Counter()
    for style, entries in lists.items():
        report = reports[style]
        flagged: dict[str, set[str]] = {}
        noisy: dict[str, list[str]] = {}
        for f in report.findings:
            if f.ref is None or f.severity == Severity.INFO or f.code in DOCUMENT_CODES:
                continue
            noisy.setdefault(f.ref, []).append(f"{f.code}/{f.field}: {f.message[:100]}")
            for kind in DETECTS.get((f.code, f.field or ""), ()):
                flagged.setdefault(f.ref, set()).add(kind)
        by_id = {r.id: r for r in report.references}
        for i, entry in enumerate(entries):
            ref_id, kind = str(i + 1), entry["kind"]
            line = f"[{style}] {texts[style][i][:160]}"
            got = flagged.get(ref_id, set())
            if entry["no_doi"]:
                found = by_id[ref_id].doi if ref_id in by_id else None
                expected = entry["doi"] if entry["registered"] else None
                if found is None:
                    resolution["none" if expected else "none (right: unregistered)"] += 1
                elif found == expected:
                    resolution["right"] += 1
                else:
                    resolution["wrong"] += 1
                    if verbose:
                        print(f"WRONG MATCH {found} for {expected}: {line}")
            if kind is None:
                clean += 1
                if entry["hard"]:
                    hard[entry["hard"]] += 1
                if noisy.get(ref_id):
                    alarms += 1
                    if entry["hard"]:
                        hard_alarms[entry["hard"]] += 1
                    if verbose:
                        print(f"FALSE ALARM {noisy[ref_id]}: {line}")
                continue
            stats[kind]["injected"] += 1
            if kind in got:
                stats[kind]["found"] += 1
            elif verbose:
                print(f"MISSED {kind}: {line} got {noisy.get(ref_id, [])}")
        for i, entry in enumerate(entries):
            for reported in {k for ks in DETECTS.values() for k in ks} & flagged.get(
                    str(i + 1), set()):
                same_family = {k for ks in DETECTS.values() if entry["kind"] in ks for k in ks}
                stats[reported]["reported"] += 1
                if reported == entry["kind"] or (reported in same_family and entry["kind"]):
                    stats[reported]["right"] += 1
                elif verbose and entry["kind"]:
                    print(f"WRONG KIND {reported} on {entry['kind']}: {noisy.get(str(i + 1))}: "
                          f"[{style}] {texts[style][i][:160]}")
    return {"kinds": stats, "clean": clean, "alarms": alarms, "hard": hard,
            "hard_alarms": hard_alarms, "resolution": resolution}


def main(argv: list[str]) -> int:
    which = argv[argv.index("--split") + 1] if "--split" in argv else "dev"
    seed = int(argv[argv.index("--seed") + 1]) if "--seed" in argv else 21
    works = dev_records()
    if works is None:
        return 2
    if not oracle_ready():
        print("install the oracle first: cd benchmarks/citeproc-js && npm install")
        return 2
    if which == "plos":  # a second held-out set: the PLOS articles' structured references
        pool = plos_works()
        chosen = split(pool, SPLIT_SEED)[1][:312]
    else:
        pool = [w for w in works if w.get("DOI")]
        dev, held = split(works, SPLIT_SEED)
        chosen = dev if which == "dev" else held
    lists, served = build(chosen, pool, seed)
    texts = render(lists)
    reports, requests_seen, elapsed = check_lists(texts, served, faulty="--faulty" in argv,
                                                  fast="--fast" in argv)
    result = score(lists, reports, texts, "--verbose" in argv)
    total = sum(len(v) for v in lists.values())
    no_doi = sum(e["no_doi"] for v in lists.values() for e in v)
    print(f"split {which}, seed {seed}, {'faulty' if '--faulty' in argv else 'clean'} stand-in: "
          f"{len(chosen)} works x {len(STYLES)} styles = {total} references ({no_doi} without a "
          f"DOI), checked in {elapsed:.0f} s")
    print(f"{'kind':<22} {'injected':>8} {'precision':>10} {'recall':>8}")
    worst_p = worst_r = 1.0
    for kind in KINDS:
        s = result["kinds"][kind]
        precision = s["right"] / s["reported"] if s["reported"] else 1.0
        recall = s["found"] / s["injected"] if s["injected"] else 0.0
        worst_p, worst_r = min(worst_p, precision), min(worst_r, recall)
        print(f"{kind:<22} {s['injected']:>8} {precision:>10.3f} {recall:>8.3f}")
    print(f"lowest per kind: precision {worst_p:.3f}, recall {worst_r:.3f}")
    print(f"false alarms on clean references: {result['alarms']}/{result['clean']} = "
          f"{result['alarms'] / max(result['clean'], 1):.2%}")
    print("  hard clean cases: " + ", ".join(
        f"{case} {result['hard_alarms'][case]}/{result['hard'][case]}" for case in HARD))
    print("no-DOI resolution: " + ", ".join(f"{k} {v}" for k, v in
                                            sorted(result["resolution"].items())))
    print(f"requests {requests_seen['requests']}; 429s for going over the limits: "
          f"{requests_seen['429']}; 429s of the injected storm: {requests_seen['storm']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

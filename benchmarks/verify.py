"""Benchmark: does verification find injected errors, and only those?

Journal articles from the real dev records become a reference list in six styles (each entry with
its DOI). A known subset gets exactly one injected error — year, volume, issue, pages, first author,
title words, journal, a DOI typo, the DOI of another work, or a retraction (the served record then
carries an ``updated-by`` retraction notice) — and the rest stays clean. The list is checked
against the local Crossref stand-in serving the records. Per error type: precision and recall of
the matching finding (warning or error); on clean references: the share with any warning or error.

Run:  python benchmarks/verify.py [--sample N]   (default 450 references)
"""

from __future__ import annotations

import copy
import random
import re
import sys
import time
from collections import Counter
from typing import Any

import requests
from shared import dev_records
from training.refparse.synth import render_text

from mascite import check_document, parse_document
from mascite.crossref import CrossrefClient, Limits, record_from_work
from mascite.model import Severity
from mascite.testing import CrossrefStandIn
from mascite.text.fold import fold

TYPES = ("year", "volume", "issue", "pages", "author", "title", "journal", "doi-typo",
         "doi-other", "retraction")
STYLES = ("vancouver", "apa", "mla", "chicago", "ieee", "harvard")
# which finding (code, field) shows which injected error
DETECTS = {("field-mismatch", "issued"): "year", ("field-mismatch", "volume"): "volume",
           ("field-mismatch", "issue"): "issue", ("field-mismatch", "page"): "pages",
           ("field-mismatch", "author"): "author", ("field-mismatch", "title"): "title",
           ("field-mismatch", "container-title"): "journal", ("doi-not-found", "DOI"): "doi-typo",
           ("doi-mismatch", "DOI"): "doi-other", ("retracted", "DOI"): "retraction"}


def usable(work: dict[str, Any]) -> bool:
    """A real journal article with the fields a reference carries (not a Crossref test deposit:
    prefix 10.5555 is Crossref's test prefix, with names like "el, va")."""
    if str(work.get("DOI", "")).startswith("10.5555/"):
        return False
    first = (work.get("author") or [{}])[0]
    family, given = str(first.get("family", "")), str(first.get("given", ""))
    if not given or "." in family or " and " in family:
        return False  # not a person's name: "W. E. W.", a journal given as the author
    return bool(work.get("type") == "journal-article" and work.get("title") and work.get("author")
                and work.get("container-title") and work.get("volume") and work.get("page")
                and work.get("issued") and work["author"][0].get("family"))


def inject(work: dict[str, Any], kind: str, other: dict[str, Any], rng: random.Random) -> dict:  # type: ignore[type-arg]
    wrong = copy.deepcopy(work)
    if kind == "year":
        year = work["issued"]["date-parts"][0][0]
        wrong["issued"] = {"date-parts": [[year + rng.choice([-4, -3, 3, 5])]]}
        wrong.pop("published-print", None)
        wrong.pop("published-online", None)
    elif kind == "volume":
        wrong["volume"] = str(int(re.sub(r"\D", "", work["volume"]) or 0) + rng.randint(3, 40))
    elif kind == "issue":
        wrong["issue"] = str(int(re.sub(r"\D", "", work.get("issue", "1")) or 1) + rng.randint(1, 5))
    elif kind == "pages":
        first = re.match(r"\D*(\d+)", work["page"])
        start = int(first.group(1)) + rng.randint(11, 90) if first else 1
        wrong["page"] = f"{start}-{start + 7}"
    elif kind == "author":
        wrong["author"] = [dict(work["author"][0], family=other["author"][0]["family"]), *work["author"][1:]]
    elif kind == "title":
        words = work["title"][0].split()
        for index in rng.sample(range(len(words)), min(3, max(1, len(words) // 3))):
            words[index] = rng.choice(["quantum", "bayesian", "zebrafish", "ultrafast",
                                       "pediatric", "lithium"])
        wrong["title"] = [" ".join(words)]
    elif kind == "journal":
        wrong["container-title"] = other["container-title"]
        wrong.pop("short-container-title", None)
    elif kind == "doi-typo":
        doi = work["DOI"]
        position = rng.randrange(doi.index("/") + 1, len(doi))
        char = doi[position]
        replacement = "7" if char != "7" else "3"
        wrong["DOI"] = doi[:position] + replacement + doi[position + 1:]
    elif kind == "doi-other":
        wrong["DOI"] = other["DOI"]
    return wrong


def main(argv: list[str]) -> int:
    sample = int(argv[argv.index("--sample") + 1]) if "--sample" in argv else 450
    works = dev_records()
    if works is None:
        return 2
    articles = [w for w in works if usable(w)]
    rng = random.Random(21)  # noqa: S311 - benchmark sampling
    unique: dict[str, dict[str, Any]] = {}
    for work in articles:  # one record per work: the same work twice is a true duplicate
        key = (f"{fold(work['title'][0])}|{work['issued']['date-parts'][0][0]}|"
               f"{fold(work['author'][0]['family'])}")
        unique.setdefault(key, work)
    articles = list(unique.values())
    chosen = articles[:sample]
    donors = articles[sample:] or articles  # injected data comes from works not in the list
    served = {str(w["DOI"]).lower(): copy.deepcopy(w) for w in works if w.get("DOI")}
    truth: list[str | None] = []
    lines = []
    errors = 0
    for index, work in enumerate(chosen):
        kind = None
        if index % 5 < 2:  # 40% get one error, the types taking turns
            kind = TYPES[errors % len(TYPES)]
            errors += 1
        if kind == "issue" and not work.get("issue"):
            kind = None
        other = next(o for step in range(len(donors)) for o in [donors[(index + step) % len(
            donors)]] if o["DOI"] != work["DOI"] and o["author"][0]["family"].lower() != work[
            "author"][0]["family"].lower() and fold(o["container-title"][0]) != fold(
            work["container-title"][0]))
        shown = inject(work, kind, other, rng) if kind and kind != "retraction" else work
        if kind == "retraction":
            served[work["DOI"].lower()]["updated-by"] = [{
                "DOI": f"{work['DOI']}.retraction", "type": "retraction", "label": "Retraction",
                "source": "retraction-watch", "updated": {"date-parts": [[2024, 1, 9]]}}]
        reference = record_from_work(shown).reference
        text = render_text(reference, STYLES[index % len(STYLES)])
        lines.append(f"{index + 1}. {text} doi:{shown['DOI']}")
        truth.append(kind)
    document = parse_document(f"Everything here is cited [1-{len(lines)}].\n\nReferences\n\n"
                              + "\n".join(lines) + "\n", "list.txt")
    fast = {(pool, polite): Limits(100, 1.0, 8) for pool in ("single", "list")
            for polite in (True, False)}
    started = time.perf_counter()
    with CrossrefStandIn(list(served.values()), limits=fast) as server:
        client = CrossrefClient(requests.Session(), base_url=server.url,
                                resolver_url=server.resolver_url, mailto="b@example.org",
                                use_default_cache=False)
        from mascite.checks.resolve import resolve_report

        report = check_document(document)
        resolve_report(report, client, search=False)
    elapsed = time.perf_counter() - started
    flagged: dict[str, set[str]] = {}
    alarms: dict[str, list[str]] = {}
    for finding in report.findings:
        if finding.ref is None or finding.severity == Severity.INFO:
            continue
        kind = DETECTS.get((finding.code, finding.field or ""))
        if kind:
            flagged.setdefault(finding.ref, set()).add(kind)
        alarms.setdefault(finding.ref, []).append(f"{finding.code}/{finding.field}")
    stats = {t: Counter[str]() for t in TYPES}
    clean = clean_alarms = 0
    for index, kind in enumerate(truth):
        ref_id = str(index + 1)
        got = flagged.get(ref_id, set())
        if kind is None:
            clean += 1
            if alarms.get(ref_id):
                clean_alarms += 1
                if "--verbose" in argv:
                    print(f"FALSE ALARM {alarms[ref_id]}: {lines[index][:150]}")
            continue
        stats[kind]["injected"] += 1
        if kind in got:
            stats[kind]["found"] += 1
        elif "--verbose" in argv:
            print(f"MISSED {kind}: {lines[index][:150]} got {sorted(got)}")
    for index, kind in enumerate(truth):
        for reported in flagged.get(str(index + 1), set()):
            stats[reported]["reported"] += 1
            if reported == kind:
                stats[reported]["right"] += 1
            elif kind is not None and "--verbose" in argv:
                print(f"EXTRA {reported} on a {kind} error: {lines[index][:150]}")
    print(f"references: {len(lines)} ({len(lines) - clean} with one injected error, {clean} "
          f"clean); checked in {elapsed:.1f} s")
    print(f"{'error type':<12} {'injected':>8} {'precision':>10} {'recall':>8}")
    for kind in TYPES:
        s = stats[kind]
        precision = s["right"] / s["reported"] if s["reported"] else 0.0
        recall = s["found"] / s["injected"] if s["injected"] else 0.0
        print(f"{kind:<12} {s['injected']:>8} {precision:>10.3f} {recall:>8.3f}")
    print(f"false alarms on clean references: {clean_alarms}/{clean} = "
          f"{clean_alarms / clean if clean else 0:.3%}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

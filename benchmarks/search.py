"""Benchmark: finding the DOI of a reference that has none.

Journal articles from the real dev records are rendered as reference strings in six styles
(Vancouver, APA, MLA, Chicago, IEEE, Harvard) with no DOI, searched for at the local Crossref
stand-in (``query.bibliographic``), and the candidates validated by mascite's matcher. A fifth of
the articles are held out of the stand-in: for them the only right answer is none, and any DOI
given is wrong. Precision: right DOIs among the answers given; recall: right DOIs among the
references whose work is registered.

Run:  python benchmarks/search.py [--sample N]   (default 200 records; 0 for all)
"""

from __future__ import annotations

import random
import sys
import time
from collections import Counter

import requests
from shared import dev_records
from training.refparse.synth import render_text

from mascite.crossref import CrossrefClient, Limits, record_from_work
from mascite.crossref.matching import choose
from mascite.testing import CrossrefStandIn

STYLES = ("vancouver", "apa", "mla", "chicago", "ieee", "harvard")


def main(argv: list[str]) -> int:
    sample = int(argv[argv.index("--sample") + 1]) if "--sample" in argv else 200
    works = dev_records()
    if works is None:
        return 2
    articles = [w for w in works if w.get("type") == "journal-article" and w.get("title")
                and w.get("author") and w.get("container-title")]
    if sample:
        articles = random.Random(5).sample(articles, min(sample, len(articles)))  # noqa: S311
    fast = {(pool, polite): Limits(200, 1.0, 8) for pool in ("single", "list")
            for polite in (True, False)}
    held_out = {str(w["DOI"]).lower() for w in articles[: len(articles) // 5]}
    served = [w for w in works if str(w.get("DOI", "")).lower() not in held_out]
    counts: Counter[str] = Counter()
    per_style: dict[str, Counter[str]] = {s: Counter() for s in STYLES}
    started = time.perf_counter()
    with CrossrefStandIn(served, limits=fast) as server:
        client = CrossrefClient(requests.Session(), base_url=server.url, mailto="b@example.org",
                                use_default_cache=False, deadline=None)
        client.pacers["list"].limits = fast[("list", True)]
        for work in articles:
            truth = str(work["DOI"]).lower()
            registered = truth not in held_out
            reference = record_from_work(work).reference
            for style in STYLES:
                text = render_text(reference, style)
                match = choose(text, client.search(text))
                if match.record is None:
                    outcome = "none" if registered else "right-none"
                else:
                    outcome = "right" if registered and match.record.doi == truth else "wrong"
                counts[outcome] += 1
                per_style[style][outcome] += 1
                if outcome == "wrong" and "--verbose" in argv:
                    print(f"WRONG {style}: {text[:120]} -> {match.record.doi} ({truth})")  # type: ignore[union-attr]
    elapsed = time.perf_counter() - started
    answered = counts["right"] + counts["wrong"]
    registered_total = (len(articles) - len(held_out)) * len(STYLES)
    print(f"references: {sum(counts.values())} ({len(articles)} articles x {len(STYLES)} styles; "
          f"{len(held_out)} articles held out of the stand-in), {elapsed:.1f} s")
    print(f"precision: {counts['right'] / answered if answered else 0:.4f} "
          f"({counts['right']}/{answered} answers right)")
    print(f"recall:    {counts['right'] / registered_total:.4f} "
          f"({counts['right']}/{registered_total} registered works found)")
    print(f"held out, correctly unanswered: {counts['right-none']}/{len(held_out) * len(STYLES)}")
    for style, c in per_style.items():
        print(f"  {style:<10} right {c['right']:>4}  wrong {c['wrong']:>3}  none {c['none']:>3}  "
              f"held-out unanswered {c['right-none']:>3}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

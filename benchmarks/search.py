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

import json
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path

import requests

from mascite.crossref import CrossrefClient, Limits, record_from_work
from mascite.crossref.matching import choose
from mascite.model import Reference, plain_text
from mascite.testing import CrossrefStandIn


def _initials(given: str | None, dots: bool = False) -> str:
    parts = [p[0] for p in (given or "").replace("-", " ").split() if p]
    return " ".join(f"{p}." for p in parts) if dots else "".join(parts)


def render(ref: Reference, style: str) -> str:
    authors = ref.author or []
    names = [(a.family or a.literal or "", a.given or "") for a in authors]
    title = plain_text(ref.title)
    journal = ref.container_title or ""
    year = ref.year or ""
    vol, issue, pages = ref.volume or "", ref.issue or "", ref.page or ref.article_number or ""
    if style == "vancouver":
        who = ", ".join(f"{f} {_initials(g)}".strip() for f, g in names[:6])
        who += ", et al" if len(names) > 6 else ""
        journal = ref.container_title_short or journal
        return f"{who}. {title}. {journal}. {year};{vol}{f'({issue})' if issue else ''}:{pages}."
    if style == "apa":
        who = ", ".join(f"{f}, {_initials(g, True)}".strip(", ") for f, g in names[:20])
        return f"{who} ({year}). {title}. {journal}, {vol}{f'({issue})' if issue else ''}, {pages}."
    if style == "mla":
        first = f"{names[0][0]}, {names[0][1]}" if names else ""
        who = first + (", et al" if len(names) > 2 else
                       f", and {names[1][1]} {names[1][0]}" if len(names) == 2 else "")
        return (f"{who}. “{title}.” {journal}, vol. {vol}, no. {issue}, {year}, pp. {pages}.")
    if style == "chicago":
        who = ", ".join([f"{names[0][0]}, {names[0][1]}"] + [f"{g} {f}" for f, g in names[1:3]]) \
            if names else ""
        return f"{who}. {year}. “{title}.” {journal} {vol} ({issue}): {pages}."
    if style == "ieee":
        who = ", ".join(f"{_initials(g, True)} {f}".strip() for f, g in names[:3])
        who += " et al." if len(names) > 3 else ""
        return f"{who}, “{title},” {journal}, vol. {vol}, no. {issue}, pp. {pages}, {year}."
    who = ", ".join(f"{f}, {_initials(g, True)}" for f, g in names[:3])
    return f"{who} ({year}) '{title}', {journal}, {vol}({issue}), pp. {pages}."


STYLES = ("vancouver", "apa", "mla", "chicago", "ieee", "harvard")


def main(argv: list[str]) -> int:
    sample = int(argv[argv.index("--sample") + 1]) if "--sample" in argv else 200
    data = Path(os.environ.get("MASCITE_SHARED_DATA") or
                Path(__file__).resolve().parents[2] / "shared" / "data")
    path = data / "crossref" / "works-dev.jsonl"
    if not path.exists():
        print(f"no dev records at {path}: set MASCITE_SHARED_DATA")
        return 2
    works = [json.loads(line)["record"] for line in path.open(encoding="utf-8") if line.strip()]
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
                                use_default_cache=False)
        client.pacers["list"].limits = fast[("list", True)]
        for work in articles:
            truth = str(work["DOI"]).lower()
            registered = truth not in held_out
            reference = record_from_work(work).reference
            for style in STYLES:
                text = render(reference, style)
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

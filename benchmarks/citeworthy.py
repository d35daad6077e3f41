"""Benchmark: which sentences need a source, against the authors' own citations in PLOS articles.

The held-out third of the PLOS articles (``training.citeworthy.data``: split by article, never
trained on, thresholds chosen on the development articles) is read from the JATS XML; a sentence
is *cited* when it holds a ``<xref ref-type="bibr">``. Each sentence, markers removed, is decided
by the shipped model through :func:`mascite.document.policy.assess` under each policy, with its
section kind and paragraph position. The headline excludes Results sections (where authors report
their own data); Results are shown on their own line, labelled.

Baselines in the same run: the patterns alone (a sentence with any reason of
:data:`mascite.document.claims.REASONS`), and "every sentence needs a source".

Speed: a plain-text document of 1,000 held-out sentences through ``check_document`` (reading,
linking, claims), best of three, one process.

Run:  python benchmarks/citeworthy.py [--split dev|heldout]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from training.citeworthy.data import Sentence, articles, sentences

from mascite import check_document, parse_document
from mascite.document.claims import citation_reasons
from mascite.document.policy import Context, assess


def prf(pairs: list[tuple[bool, bool]]) -> tuple[float, float, float, int]:
    tp = sum(1 for p, t in pairs if p and t)
    predicted = sum(1 for p, _ in pairs if p)
    true = sum(1 for _, t in pairs if t)
    precision = tp / predicted if predicted else 0.0
    recall = tp / true if true else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1, len(pairs)


def _line(name: str, pairs: list[tuple[bool, bool]]) -> str:
    p, r, f, n = prf(pairs)
    return f"{name:<34} {p:6.3f} {r:6.3f} {f:6.3f} {n:6d}"


def speed(items: list[Sentence]) -> tuple[float, int]:
    chosen = [s.text for s in items[:1000]]
    paragraphs = ["# Introduction"] + [" ".join(chosen[i:i + 5]) for i in range(0, len(chosen), 5)]
    text = "\n\n".join(paragraphs) + "\n"
    best = float("inf")
    claims = 0
    for _ in range(3):
        start = time.perf_counter()
        report = check_document(parse_document(text, "bench.md", "markdown"))
        best = min(best, time.perf_counter() - start)
        claims = len(report.claims)
    return best, claims


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--split", default="heldout", choices=("dev", "heldout"))
    args = parser.parse_args(argv)
    paths = articles(args.split)
    if not paths:
        print("no PLOS articles: set MASCITE_SHARED_DATA", file=sys.stderr)
        return 2
    items = [s for path in paths for s in sentences(path)]
    cited = sum(s.cited for s in items)
    print(f"{args.split} split: {len(paths)} PLOS articles, {len(items)} sentences, "
          f"{cited} cited by their authors ({cited / len(items):.1%})\n")
    rows: dict[str, list[tuple[bool, bool]]] = defaultdict(list)
    for s in items:
        context = Context(section=s.section, position=s.position)
        group = "results" if s.section == "results" else "body"
        for policy in ("standard", "lenient", "strict"):
            rows[f"{group}:{policy}"].append((assess(s.text, context, policy).needs, s.cited))
        rows[f"{group}:patterns"].append((bool(citation_reasons(s.text)), s.cited))
        rows[f"{group}:everything"].append((True, s.cited))
        if group == "body":
            rows[f"section {s.section}"].append((assess(s.text, context).needs, s.cited))
    print(f"{'sentences (Results excluded)':<34} {'P':>6} {'R':>6} {'F1':>6} {'n':>6}")
    for name in ("standard", "lenient", "strict", "patterns", "everything"):
        label = {"patterns": "baseline: patterns only",
                 "everything": "baseline: every sentence"}.get(name, f"mascite --claims {name}")
        print(_line(label, rows[f"body:{name}"]))
    print("\nper section, standard")
    for name in sorted(k for k in rows if k.startswith("section ")):
        print(_line("  " + name.removeprefix("section "), rows[name]))
    print("\nResults sections (labelled, not in the headline)")
    for name in ("standard", "strict", "everything"):
        print(_line(f"  {name}", rows[f"results:{name}"]))
    seconds, claims = speed(items)
    print(f"\nspeed: a document of {claims} sentences read, linked and decided in "
          f"{seconds * 1000:.0f} ms ({claims / seconds:,.0f} sentences/s, one process)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

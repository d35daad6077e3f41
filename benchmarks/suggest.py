"""Benchmark: calibrating the references suggested for an uncited claim, on PLOS articles.

Each article (split as in ``training.citeworthy.data``) is rendered as readers see it by
``link_plos.render`` and checked; every sentence that cites references by its own marker is then
treated as uncited (its own citation left out of the references' profiles) and the suggester
ranks the article's reference list for it. A suggestion is right when the first one is among the
references the authors cited there.

For each threshold: the share of sentences that get a suggestion, the precision of the first
suggestion, and the share of sentences whose suggestions (up to three) include a right one.
``SUGGEST_THRESHOLD`` is the lowest threshold with a precision of at least 0.5 on the dev split;
the held-out split is reported at that threshold.

Run:  python benchmarks/suggest.py [--split dev|heldout]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from link_plos import render
from training.citeworthy.data import articles

from mascite import check_document, parse_document
from mascite.checks.rules.claims import SUGGEST_THRESHOLD, SUGGESTIONS, Suggester
from mascite.document.linking import link_document


def cases(path: Path) -> list[tuple[list[tuple[float, str]], set[str]]]:
    rendered = render(path)
    if rendered is None:
        return []
    document = parse_document(rendered.text, path.stem + ".txt")
    report = check_document(document)
    linked = link_document(document, report.references)
    suggester = Suggester(linked, report.references, document)
    return [(suggester.rank(i, leave_out=True), set(claim.refs))
            for i, claim in enumerate(linked.claims) if claim.refs and claim.via is None]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--split", default="heldout", choices=("dev", "heldout"))
    args = parser.parse_args(argv)
    found = [case for path in articles(args.split) for case in cases(path)]
    if not found:
        print("no PLOS articles: set MASCITE_SHARED_DATA", file=sys.stderr)
        return 2
    print(f"{args.split} split: {len(found)} cited sentences, their citations hidden\n")
    print(f"{'threshold':>9} {'suggested':>9} {'P@1':>6} {'any of 3':>8}")
    for threshold in (0.2, 0.3, 0.4, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.9):
        given = [(ranked, truth) for ranked, truth in found if ranked and ranked[0][0] >= threshold]
        right = sum(1 for ranked, truth in given if ranked[0][1] in truth)
        anyone = sum(1 for ranked, truth in given if any(
            ref in truth for score, ref in ranked[:SUGGESTIONS] if score >= threshold))
        mark = "  <- shipped" if threshold == SUGGEST_THRESHOLD else ""
        print(f"{threshold:9.2f} {len(given) / len(found):9.1%} "
              f"{right / len(given) if given else 0:6.3f} {anyone / len(found):8.1%}{mark}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

"""Benchmark: formatting fidelity and speed, against citeproc-js (the reference CSL processor).

For the real dev records, in each of the eight styles: the share of entries identical to
citeproc-js's (plain text, white space folded) for mascite (pandoc's citeproc with mascite's
corrections, the ``mascite format`` command on the records written as CSL-JSON) and for
citeproc-py; for mascite also the share in citeproc-js's order (longest common subsequence);
entries per second for both, each a command run from process start-up to its last entry.
citeproc-js and citeproc-py get each record's plain CSL-JSON. Then the CSL test suite's
bibliography fixtures through ``mascite format`` (text content compared; the command prints no
line for an item the style prints nothing for, as citeproc-js does).

Needs: the ``bench`` extra (citeproc-py, whose locale files citeproc-js reads too), Node.js, and
``npm install`` in ``benchmarks/citeproc-js`` (the oracle; not a runtime dependency).
The official ``vancouver`` style is not among the styles the registries ship; ``elsevier-vancouver``
stands in for it.

Run:  python benchmarks/format.py [--sample N]   (default 300 records)
"""

from __future__ import annotations

import difflib
import json
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from shared import ORACLE, dev_records, oracle_ready, shared_data
from shared import citeproc_js as oracle
from shared import fold_html as _fold

from mascite import MasciteError, Reference, write_references
from mascite.crossref import record_from_work
from mascite.csl.format import csl_item
from mascite.csl.styles import find_style

STYLES = ("apa", "elsevier-vancouver", "american-medical-association", "ieee", "nature",
          "chicago-author-date", "modern-language-association", "harvard-cite-them-right")
def mascite(references: list[Reference], style: Path) -> tuple[list[str], float]:
    """Entries as ``mascite format`` prints them (HTML, tags folded away), in order, and the
    time the command took, process start-up included, as for citeproc-py."""
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "references.json"
        data.write_text(write_references(references, "csl-json"), encoding="utf-8")
        started = time.perf_counter()
        run = subprocess.run([sys.executable, "-m", "mascite", "format", str(data),
                              "--style", str(style), "--to", "html"],
                             capture_output=True, text=True, check=False, timeout=600)
        elapsed = time.perf_counter() - started
    if run.returncode != 0:
        raise MasciteError(run.stderr.strip()[-300:])
    return [_fold(entry) for entry in run.stdout.split("\n\n") if entry.strip()], elapsed


_CITEPROC_PY = """
import json, sys, time
from citeproc import CitationStylesStyle, CitationStylesBibliography, Citation, CitationItem
from citeproc import formatter
from citeproc.source.json import CiteProcJSON
items = json.load(open(sys.argv[1]))
source = CiteProcJSON(items)
style = CitationStylesStyle(sys.argv[2], validate=False)
bib = CitationStylesBibliography(style, source, formatter.plain)
bib.register(Citation([CitationItem(str(i["id"])) for i in items]))
out = {}
for key, entry in zip(bib.keys, bib.bibliography()):
    out[str(key)] = str(entry)
print(json.dumps(out))
"""


def citeproc_py(items: list[dict[str, Any]], style: Path) -> tuple[dict[str, str], float]:
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "items.json"
        data.write_text(json.dumps(items), encoding="utf-8")
        started = time.perf_counter()
        run = subprocess.run([sys.executable, "-c", _CITEPROC_PY, str(data), str(style)],
                             capture_output=True, text=True, check=False, timeout=1200)
        elapsed = time.perf_counter() - started
    if run.returncode != 0:
        return {}, elapsed
    return {k: _fold(v) for k, v in json.loads(run.stdout).items()}, elapsed


def test_suite() -> tuple[int, int]:
    folder = shared_data() / "csl-test-suite" / "humans"
    passed = total = 0
    for fixture in sorted(folder.glob("*.txt")):
        text = fixture.read_text(encoding="utf-8")
        sections = dict(re.findall(r">>=+ ([A-Z-]+) =+>>\n(.*?)\n<<=+ \1 =+<<", text, flags=re.S))
        if sections.get("MODE", "").strip() != "bibliography" or "BIBENTRIES" in sections \
                or "BIBSECTION" in sections:
            continue
        total += 1
        with tempfile.TemporaryDirectory() as tmp:
            style = Path(tmp) / "style.csl"
            style.write_text(sections["CSL"], encoding="utf-8")
            try:
                references = [Reference.from_csl(item)
                              for item in json.loads(sections["INPUT"])]
                ours, _ = mascite(references, style)
            except (MasciteError, json.JSONDecodeError, ValueError):
                continue
        expected = re.findall(r'<div class="csl-entry">(.*?)</div>', sections["RESULT"], re.S)
        if [_fold(e) for e in expected] == ours:
            passed += 1
    return passed, total


def main(argv: list[str]) -> int:
    sample = int(argv[argv.index("--sample") + 1]) if "--sample" in argv else 300
    works = dev_records()
    if works is None:
        return 2
    if not oracle_ready():
        print(f"install the oracle first: cd {ORACLE} && npm install")
        return 2
    references, items = [], []
    for index, work in list(enumerate(w for w in works if w.get("title")))[:sample]:
        reference = record_from_work(work).reference
        reference.id = f"r{index}"
        references.append(reference)
        items.append(csl_item(reference, index))  # plain CSL-JSON, as other processors take it
    print(f"records: {len(items)}; styles: {len(STYLES)}")
    print(f"{'style':<30} {'mascite = js':>12} {'in order':>10} {'citeproc-py = js':>16} "
          f"{'mascite/s':>9} {'citeproc-py/s':>13} {'speed-up':>8}")
    for name in STYLES:
        style = find_style(name)
        truth = oracle(items, style)
        ours, our_time = mascite(references, style)
        theirs, their_time = citeproc_py(items, style)
        same = sum((Counter(truth.values()) & Counter(ours)).values())  # entries, any order
        matcher = difflib.SequenceMatcher(None, list(truth.values()), ours, autojunk=False)
        in_order = sum(block.size for block in matcher.get_matching_blocks())  # same sequence
        same_py = sum(1 for k, v in truth.items() if theirs.get(k) == v)
        ours_rate = len(items) / our_time
        theirs_rate = len(items) / their_time if theirs else 0
        print(f"{name:<30} {same / len(truth):>12.3f} {in_order / len(truth):>10.3f} "
              f"{same_py / len(truth):>16.3f} {ours_rate:>9.0f} {theirs_rate:>13.0f} "
              f"{ours_rate / theirs_rate if theirs_rate else 0:>7.1f}x")
        if "--verbose" in argv:
            mine = set(ours)
            for value in truth.values():
                if value not in mine:
                    close = difflib.get_close_matches(value, ours, n=1, cutoff=0.5)
                    print(f"  citeproc-js: {value}\n  mascite:     {close[0] if close else '-'}")
    passed, total = test_suite()
    print(f"CSL test suite, bibliography fixtures (text content): {passed}/{total} = "
          f"{passed / total if total else 0:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

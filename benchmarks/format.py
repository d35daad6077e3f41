"""Benchmark: every CSL engine against citeproc-js under Node.js (the reference processor), in
one run.

For the real dev records, in each of eight styles, per engine:
- identical: the share of citeproc-js's entries the engine prints. For ``citeproc-js`` (our
  embedded engine, text output) byte for byte and position for position (order included); for
  ``pandoc`` (pandoc's citeproc with mascite's corrections, HTML output with tags folded away, as
  in earlier stops) its entries in any order, on all records and on a third of them
  (``held-out 1/3``: every third record; the corrections were written in earlier stops looking at
  all dev records, so this third is not unseen data: the column says whether a figure depends on
  which records, not how it generalises);
- whole/s: entries per second of one ``mascite format`` process per style, start-up included;
- warm/s: entries per second of a bibliography from a :class:`Formatter` that has made one
  already (the median of three);
- one: the median of five one-entry ``mascite format`` processes (seconds).
Then the CSL test suite's bibliography fixtures (their CSL-JSON as it is) through each engine,
text content compared.

Needs: the ``bench`` and ``citeproc`` extras, Node.js, ``npm install`` in
``benchmarks/citeproc-js`` (the oracle), and ``mascite engines install citeproc-js``.

Run:  python benchmarks/format.py [--sample N] [--verbose]   (default: every record with a title)
"""

from __future__ import annotations

import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from shared import ORACLE, citeproc_js_entries, dev_records, fold_html, oracle_ready, shared_data

from mascite import MasciteError, Reference, write_references
from mascite.crossref import record_from_work
from mascite.csl.engines import ENGINES, engine_status
from mascite.csl.format import Formatter, csl_item
from mascite.csl.styles import find_style

STYLES = ("apa", "vancouver", "american-medical-association", "ieee", "nature",
          "chicago-author-date", "modern-language-association", "harvard-cite-them-right")
_OUTPUT = {"citeproc-js": "text", "pandoc": "html"}


def run_format(path: Path, style: Path | str, engine: str, to: str) -> tuple[list[str], float]:
    """The entries one ``mascite format`` process prints, and its time from start to end."""
    started = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "mascite", "format", str(path), "--style",
                          str(style), "--engine", engine, "--to", to, "--quiet"],
                         capture_output=True, text=True, check=False, timeout=1200)
    elapsed = time.perf_counter() - started
    if run.returncode != 0:
        raise MasciteError(run.stderr.strip()[-300:])
    return [entry for entry in run.stdout.rstrip("\n").split("\n\n") if entry.strip()], elapsed


def warm_rate(references: list[Reference], style: Path, engine: str) -> float:
    """The median of three bibliographies of every record after a first one (the engine
    started, and run once over the list: as in a docs build, page after page)."""
    formatter = Formatter(style, engine=engine)
    formatter.bibliography(references, _OUTPUT[engine])
    times = []
    for _ in range(3):
        started = time.perf_counter()
        formatter.bibliography(references, _OUTPUT[engine])
        times.append(time.perf_counter() - started)
    return len(references) / statistics.median(times)


def one_entry(path: Path, style: str, engine: str) -> float:
    return statistics.median(run_format(path, style, engine, _OUTPUT[engine])[1]
                             for _ in range(5))


def compare(engine: str, truth: list[tuple[str, str]], ours: list[str],
            subset: set[str] | None = None) -> float:
    """The share of citeproc-js's entries the engine printed alike (see the module's text)."""
    if engine == "citeproc-js":
        return sum(1 for (_, text), mine in zip(truth, ours, strict=False) if text == mine) / len(
            truth) if len(ours) == len(truth) else 0.0
    expected = [fold_html(text) for key, text in truth if subset is None or key in subset]
    return sum((Counter(expected) & Counter(fold_html(e) for e in ours)).values()) / len(expected)


def test_suite(engine: str) -> tuple[int, int]:
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
            style, data = Path(tmp) / "style.csl", Path(tmp) / "items.json"
            style.write_text(sections["CSL"], encoding="utf-8")
            data.write_text(sections["INPUT"], encoding="utf-8")  # as the fixture gives it
            try:
                ours, _ = run_format(data, style, engine, "html")
            except MasciteError:
                continue
        expected = re.findall(r'<div class="csl-entry">(.*?)</div>', sections["RESULT"], re.S)
        if [fold_html(e) for e in expected] == [fold_html(e) for e in ours]:
            passed += 1
    return passed, total


def main(argv: list[str]) -> int:
    works = dev_records()
    if works is None:
        return 2
    if not oracle_ready():
        print(f"install the oracle first: cd {ORACLE} && npm install")
        return 2
    engines = [name for name in ENGINES if engine_status(name).available]
    for name in ENGINES:
        status = engine_status(name)
        print(f"engine {name}: {status.version or 'not available: ' + str(status.problem)}")
    references, items = [], []
    for index, work in enumerate(w for w in works if w.get("title")):
        reference = record_from_work(work).reference
        reference.id = f"r{index}"
        references.append(reference)
        items.append(csl_item(reference, index, others=False))  # plain CSL-JSON
    if "--sample" in argv:
        count = int(argv[argv.index("--sample") + 1])
        references, items = references[:count], items[:count]
    third = {item["id"] for number, item in enumerate(items) if number % 3 == 2}
    print(f"records: {len(items)} (held-out 1/3: {len(third)}); styles: {len(STYLES)}")
    header = f"{'style':<30} {'engine':<12} {'identical':>9} {'1/3':>6} {'whole/s':>8} " \
             f"{'warm/s':>7} {'one (s)':>8}"
    print(header)
    with tempfile.TemporaryDirectory() as folder:
        data, one = Path(folder) / "references.json", Path(folder) / "one.json"
        data.write_text(write_references(references, "csl-json"), encoding="utf-8")
        one.write_text(write_references(references[:1], "csl-json"), encoding="utf-8")
        for name in STYLES:
            style = find_style(name)
            truth = citeproc_js_entries(items, style)
            for engine in engines:
                ours, elapsed = run_format(data, style, engine, _OUTPUT[engine])
                same = compare(engine, truth, ours)
                held = compare("pandoc", truth, ours, third) if engine == "pandoc" else same
                print(f"{name:<30} {engine:<12} {same:>9.4f} {held:>6.3f} "
                      f"{len(items) / elapsed:>8.0f} {warm_rate(references, style, engine):>7.0f} "
                      f"{one_entry(one, name, engine):>8.3f}", flush=True)
                if "--verbose" in argv and engine == "citeproc-js":
                    for (_, text), mine in zip(truth, ours, strict=False):
                        if text != mine:
                            print(f"  citeproc-js: {text!r}\n  mascite:     {mine!r}")
    for engine in engines:
        passed, total = test_suite(engine)
        print(f"CSL test suite, bibliography fixtures, {engine} (text content): {passed}/{total}"
              f" = {passed / total if total else 0:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

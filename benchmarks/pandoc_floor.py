"""Benchmark: the time under any ``mascite format`` run, for comparison with ``format.py``'s 5x
budget. For each style, on the real dev records: pandoc alone on the inputs ``mascite.pandoc``
writes (items prepared, on files; no Python work timed), the whole list in one run and in two
halves at once (best of three each); then the start-up of the Python process with the imports
``mascite format`` needs (best of three).

Run:  python benchmarks/pandoc_floor.py [--sample N] [STYLE ...]   (default: 1000 records, the five
styles below)
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from shared import dev_records

from mascite.crossref import record_from_work
from mascite.csl.engines import pandoc
from mascite.csl.engines.pandoc import run
from mascite.csl.format import csl_item
from mascite.csl.styles import find_style, style_text

STYLES = ("elsevier-vancouver", "american-medical-association", "ieee", "nature",
          "harvard-cite-them-right")


def _best(commands: list[list[str]]) -> float:
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        runs = [subprocess.Popen(command) for command in commands]
        if any(run.wait() != 0 for run in runs):
            raise SystemExit(f"failed: {' '.join(commands[0])}")
        best = min(best, time.perf_counter() - started)
    return best


def pandoc_alone(chunks: list[list[dict[str, Any]]], text: str, folder: Path) -> float:
    """The time of the runs ``mascite.csl.engines.pandoc`` would start for these chunks, at once."""
    commands = [run.command(folder, number, (chunk, text, run.NOCITE, "html", []))[0]
                for number, chunk in enumerate(chunks)]
    return _best(commands)


def main(argv: list[str]) -> int:
    sample = int(argv[argv.index("--sample") + 1]) if "--sample" in argv else 1000
    styles = [a for a in argv if not a.startswith("--") and not a.isdigit()] or list(STYLES)
    works = dev_records()
    if works is None:
        return 2
    items = [pandoc.prepare(csl_item(record_from_work(work).reference, index)) for index, work in
             enumerate([w for w in works if w.get("title")][:sample], start=1)]
    half = len(items) // 2
    print(f"records: {len(items)}; pandoc alone, best of 3")
    print(f"{'style':<30} {'whole list':>10} {'two halves at once':>19}")
    for name in styles:
        text = style_text(find_style(name))
        with tempfile.TemporaryDirectory() as folder:
            whole = pandoc_alone([items], text, Path(folder))
            halves = pandoc_alone([items[:half], items[half:]], text, Path(folder))
        print(f"{name:<30} {whole:>9.3f}s {halves:>18.3f}s")
    start = _best([[sys.executable, "-c", "import mascite.cli, mascite.csl.format, "
                    "mascite.formats"]])
    print(f"Python start-up with the imports of 'mascite format': {start:.3f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""How `check` (offline) grows with the input, on the shapes of text that once made it quadratic.

For each shape and document type, documents of 10k-160k characters are checked in a fresh
process each; printed: seconds per size, the growth exponent (slope of log time on log size
over the sizes that ran), and peak memory over the input size at the largest size. Target:
exponent <= 1.2 everywhere, a 1 MB ordinary paper under 5 s, peak memory under 10x the input
(beyond the interpreter and the model, measured as the growth from the smallest size).

Then bibliographies: a BibTeX file at 1-16 MB through ``convert``, offline ``check``, ``format``
with each engine (Vancouver) and, for ``parse``, a numbered reference list of the same size,
each as the CLI runs it, printing seconds and peak memory over the input size (the process and
its children, pandoc's included, beyond the interpreter: the growth from the smallest size).
The file's entries are ``bib/mas.bib``'s with fresh keys, titles and DOIs, as a long library has
them; ``check (repeats)`` checks the same entries with only fresh keys, so that every entry past
the eleventh is a duplicate with a finding of its own (the worst case).

    python benchmarks/scaling.py [--sizes 10000,20000,40000,80000,160000] [--limit 20]
                                 [--bib-sizes 1,4,16] [--shapes ...|none]
"""

from __future__ import annotations

import argparse
import math
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

REFERENCE = ("Nam SH, Ahn SM, Oh JS. Macrophage activation syndrome in rheumatic disease. "
             "PLoS One. 2022 May 12;17(5):e0267715. doi:10.1371/journal.pone.0267715")
SENTENCE = ("Macrophage activation syndrome is a life-threatening complication of rheumatic "
            "disease, with a mortality of 8% to 22% in published series [1]. ")


def _repeat(unit: Callable[[int], str], size: int) -> str:
    out, total, i = [], 0, 0
    while total < size:
        piece = unit(i)
        out.append(piece)
        total += len(piece)
        i += 1
    return "".join(out)[:size]


SHAPES: dict[str, Callable[[int], str]] = {
    "ordinary paper": lambda n: _repeat(lambda i: SENTENCE + ("\n\n" if i % 5 == 4 else ""), n)
    + "\n\nReferences\n\n1. " + REFERENCE + "\n",
    "numbered lines": lambda n: _repeat(lambda i: f"{i + 1}. A line of text that goes on\n", n),
    "digits": lambda n: "7" * n,
    "capitalised words": lambda n: _repeat(lambda i: "Macrophage Activation ", n),
    "@key tokens": lambda n: _repeat(lambda i: f"@key{i} ", n),
    "html attributes": lambda n: _repeat(lambda i: '<span class="x" data-a="1"> ', n),
    "dashed brackets": lambda n: _repeat(lambda i: "[1–2]", n),
    "spaced reference list": lambda n: "Text [1].\n\nReferences\n\n" + _repeat(
        lambda i: f"{i + 1}.      {REFERENCE}        \n", n),
    "ris tags": lambda n: "Text [1].\n\nReferences\n\n" + _repeat(lambda i: "TY  - JOUR\n", n),
    "blank line of spaces": lambda n: "Text [1].\n\nReferences\n\n1. " + REFERENCE + "\n"
    + " " * n + "\n",
}
TYPES = ("txt", "md", "html", "tex")

PROBE = """
import resource, sys, time
from mascite.checks.pipeline import check_document
from mascite.document import read_document
start = time.perf_counter()
report = check_document(read_document(sys.argv[1]))
took = time.perf_counter() - start
print(took, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)
"""


BIB_PROBE = """
import contextlib, os, resource, sys, time
from mascite.cli import main
job, path = sys.argv[1], sys.argv[2]
start = time.perf_counter()
args = {"convert": ["convert", path, "--to", "csl-json", "--output", path + ".json"],
        "check": ["check", path, "--offline", "--format", "json", "--output", path + ".out"],
        "format-citeproc-js": ["format", path, "--style", "vancouver", "--engine", "citeproc-js"],
        "format-pandoc": ["format", path, "--style", "vancouver", "--engine", "pandoc"],
        "parse": ["parse", path]}[job.replace(" (repeats)", "")]
with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):  # printed, not held
    try:
        main([*args, "--quiet"] if job.startswith("format") else args)
    except SystemExit:
        pass
took = time.perf_counter() - start
own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(took, (own + children) * 1024)
"""


def _bib(size: int, *, unique: bool = True) -> str:
    entries = [e for e in re.split(r"\n(?=@)", (ROOT / "bib" / "mas.bib").read_text("utf-8"))
               if e.startswith("@")]
    out, total, n = [], 0, 0
    while total < size:
        entry = re.sub(r"^(@\w+\{)([^,]+),", rf"\g<1>\g<2>x{n},", entries[n % len(entries)])
        if unique:
            entry = re.sub(r"(\n\s*title\s*=\s*\{)", rf"\g<1>Part {n}: ", entry, count=1)
            entry = re.sub(r"(\n\s*doi\s*=\s*\{[^}]*)\}", rf"\g<1>.{n}}}", entry, count=1)
        out.append(entry + "\n\n")
        total += len(out[-1])
        n += 1
    return "".join(out)


def _reference_list(size: int) -> str:
    return _repeat(lambda i: f"{i + 1}. {REFERENCE}\n", size)


def _probe(probe: str, name: str, text: str, limit: float,
           *args: str) -> tuple[float | None, int]:
    """Seconds and peak memory of ``probe`` on ``text`` written to a file ``name``, in a fresh
    process (``None`` seconds when it ran out of time or failed)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_text(text, encoding="utf-8")
        try:
            done = subprocess.run([sys.executable, "-c", probe, *args, str(path)],
                                  capture_output=True, text=True, timeout=limit, check=False,
                                  env={"PYTHONPATH": str(ROOT / "src"), "MASCITE_CACHE": "off",
                                       "PATH": "/usr/bin:/bin", "HOME": str(Path.home())})
        except subprocess.TimeoutExpired:
            return None, 0
    if done.returncode != 0:
        print(done.stderr[-500:], file=sys.stderr)
        return None, 0
    took, peak = done.stdout.split()
    return float(took), int(peak)


def _bib_run(job: str, size: int, limit: float) -> tuple[float | None, int]:
    if job == "parse":
        return _probe(BIB_PROBE, "list.txt", _reference_list(size), limit, job)
    return _probe(BIB_PROBE, "big.bib", _bib(size, unique="repeats" not in job), limit, job)


BIB_JOBS = ("convert", "check", "check (repeats)", "format-citeproc-js", "format-pandoc", "parse")


def _bibliographies(sizes: list[int], limit: float, jobs: list[str]) -> None:
    print(f"\n{'bibliography':<19} " + " ".join(f"{s:>7}MB" for s in sizes)
          + "  exponent  memory/input")
    for job in jobs:
        runs = [(size * 1_000_000, *_bib_run(job, size * 1_000_000, limit)) for size in sizes]
        done = [(s, t, p) for s, t, p in runs if t is not None]
        slope = _slope([(s, t) for s, t, _ in done])
        growth = ((done[-1][2] - done[0][2]) / (done[-1][0] - done[0][0])
                  if len(done) > 1 else float("nan"))
        print(f"{job:<19} " + " ".join(f"{t:8.1f}s" if t is not None else f">{limit:6.0f}s"
                                       for _, t, _ in runs)
              + f"  {slope if slope is not None else float('nan'):8.2f}  {growth:12.1f}",
              flush=True)


def _wrap(text: str, kind: str) -> str:
    if kind == "html":
        return f"<html><body><p>{text}</p></body></html>"
    if kind == "tex":
        return f"\\documentclass{{article}}\\begin{{document}}\n{text}\n\\end{{document}}\n"
    return text


def _run(text: str, kind: str, limit: float) -> tuple[float | None, int]:
    return _probe(PROBE, f"doc.{kind}", _wrap(text, kind), limit)


def _slope(points: list[tuple[int, float]]) -> float | None:
    points = [(s, t) for s, t in points if t > 0.02]  # below that, start-up noise
    if len(points) < 2:
        return None
    xs = [math.log(s) for s, _ in points]
    ys = [math.log(t) for _, t in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / \
        sum((x - mx) ** 2 for x in xs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,20000,40000,80000,160000")
    parser.add_argument("--limit", type=float, default=20.0, help="seconds per run")
    parser.add_argument("--shapes", help="comma-separated shape names (default all; none)")
    parser.add_argument("--bib-sizes", default="1,4,16", help="bibliography sizes in MB")
    parser.add_argument("--bib-jobs", default=",".join(BIB_JOBS), help="of " + ", ".join(BIB_JOBS))
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    shapes = [] if args.shapes == "none" else args.shapes.split(",") if args.shapes else list(SHAPES)
    print(f"{'shape':<22} {'type':<5} " + " ".join(f"{s // 1000:>6}k" for s in sizes)
          + "  exponent  memory/input")
    started = time.perf_counter()
    for shape in shapes:
        for kind in TYPES:
            times: list[tuple[int, float]] = []
            cells: list[str] = []
            peaks: list[tuple[int, int]] = []
            for size in sizes:
                if len(times) < len(cells):  # an earlier size ran out of time
                    cells.append("     -")
                    continue
                took, peak = _run(SHAPES[shape](size), kind, args.limit)
                cells.append(f"{took:6.2f}s" if took is not None else f">{args.limit:4.0f}s")
                if took is not None:
                    times.append((size, took))
                    peaks.append((size, peak))
            slope = _slope(times)
            growth = ((peaks[-1][1] - peaks[0][1]) / (peaks[-1][0] - peaks[0][0])
                      if len(peaks) > 1 else float("nan"))
            print(f"{shape:<22} {kind:<5} " + " ".join(cells)
                  + f"  {slope if slope is not None else float('nan'):8.2f}  {growth:12.1f}",
                  flush=True)
    if args.bib_sizes:
        _bibliographies([int(s) for s in args.bib_sizes.split(",")], max(args.limit, 600.0),
                        args.bib_jobs.split(","))
    paper, _ = _run(SHAPES["ordinary paper"](1_000_000), "md", 120.0)
    print(f"\n1 MB ordinary paper (md): {paper:.2f} s" if paper is not None
          else "\n1 MB ordinary paper (md): over 120 s")
    print(f"(total {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()

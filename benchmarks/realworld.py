"""mascite on real papers, against the tools their authors use.

A corpus is a folder of papers, one folder each (a document, its ``.bib`` files, the class and
style files it needs) with a file ``.document`` naming the document. For each paper:

* Markdown, R Markdown, Quarto: the citation keys pandoc itself finds (``pandoc -t json``, every
  ``Cite``) and the ones ``pandoc --citeproc`` says it cannot find;
* LaTeX: the keys ``pdflatex`` writes to the ``.aux`` (``\\citation``, biblatex's
  ``\\abx@aux@cite``) and the ones ``bibtex`` (or ``biber``) says have no database entry; where
  the paper's class or packages are not installed here, it is compiled as ``article`` (with
  ``natbib`` unless it uses biblatex) without them (said in the note column), ``comment`` read
  as ``verbatim`` (which has the same environment) and a ``.bst`` not installed as ``plain``.
  The publishers' classes, biber and the common packages make papers compile as written
  (Debian: ``apt-get install texlive-publishers texlive-bibtex-extra biber texlive-latex-extra
  texlive-fonts-recommended texlive-science texlive-plain-generic``);

and mascite's, as ``mascite check DOCUMENT`` reads it offline (a LaTeX document with its parts): its
markers' keys and its dangling keys. Printed:
per paper, keys matched (for pandoc as multisets, each citation counting; for LaTeX as sets,
since it writes a caption's ``\\citation`` twice), dangling agreement, crashes and time; then
totals. Documents from other people's repositories, kept outside this one.

    python benchmarks/realworld.py CORPUS [--only NAME,...]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("MASCITE_CACHE", "off")

from mascite.checks.run import RunOptions, check_paths  # noqa: E402

_NOT_FOUND_PANDOC = re.compile(r"Citeproc: citation (\S+) not found")
_SWAP = re.compile(r"\\documentclass\s*(?:\[[^\]]*\])?\s*\{[^}]*\}")
_USEPACKAGE = re.compile(r"\\usepackage\s*(?:\[[^\]]*\])?\s*\{(?P<names>[^}]*)\}")
_CHUNK = re.compile(r"^( {0,3}`{3,})\{.*\}[ \t]*$", re.M)
_NOT_FOUND_BIBTEX = re.compile(r'I didn\'t find a database entry for "([^"]+)"')
_NOT_FOUND_BIBER = re.compile(r"I didn't find a database entry for '([^']+)'")
# natbib's and BibTeX's \citation{a,b}; biblatex's \abx@aux@cite{refsection}{key} (or {key})
_AUX_CITE = re.compile(r"\\citation\{(?P<keys>[^}]*)\}|\\abx@aux@cite(?:\{\d+\})?\{(?P<key>[^}]*)\}")


def _pandoc() -> str:
    import pypandoc

    return str(pypandoc.get_pandoc_path())


def _cites(node: Any, out: list[str]) -> None:
    if isinstance(node, dict):
        if node.get("t") == "Cite":
            out.extend(c["citationId"] for c in node["c"][0])
        if node.get("t") == "Image":  # a figure's alt text repeats its caption: read once
            node = {"c": [node["c"][0], [], node["c"][2]]}
        for value in node.values():
            _cites(value, out)
    elif isinstance(node, list):
        for value in node:
            _cites(value, out)


def pandoc_view(path: Path) -> tuple[Counter[str], set[str], str] | str:
    """Keys of every Cite pandoc reads, and those citeproc cannot find (or why not). R
    Markdown and Quarto reach pandoc through knitr, which turns each chunk header
    (```{r label, fig.cap="..."}) into a plain fence: so here too (R is not run)."""
    if path.suffix.lower() in (".rmd", ".qmd"):
        knitted = path.with_name(f".knitted-{path.stem}.md")
        knitted.write_text(_CHUNK.sub(r"\1r", path.read_text(encoding="utf-8")), encoding="utf-8")
        try:
            return pandoc_view(knitted)
        finally:
            knitted.unlink()
    run = subprocess.run([_pandoc(), "-f", "markdown", "-t", "json", path.name],
                         cwd=path.parent, capture_output=True, text=True, timeout=120)
    if run.returncode != 0:
        return f"pandoc failed: {run.stderr.strip()[:200]}"
    keys: list[str] = []
    _cites(json.loads(run.stdout)["blocks"], keys)
    cited = subprocess.run([_pandoc(), "-f", "markdown", "--citeproc", "-t", "plain",
                            path.name], cwd=path.parent, capture_output=True, text=True,
                           timeout=300)
    return Counter(keys), set(_NOT_FOUND_PANDOC.findall(cited.stderr)), ""


# packages not installed here, and one that is and means the same to the document: verbatim
# defines comment.sty's comment environment, whose text LaTeX skips
_STAND_INS = {"comment": "verbatim"}


def _installed(match: re.Match[str]) -> str:
    """A ``\\usepackage`` of packages TeX here has; the others dropped (their commands then
    fail one by one, which pdflatex in nonstop mode survives, unlike a missing file)."""
    names = [_STAND_INS.get(n.strip(), n.strip()) for n in match.group("names").split(",")]
    kept = [n for n in names if subprocess.run(["kpsewhich", f"{n}.sty"], capture_output=True,
                                               check=False).returncode == 0]
    return f"\\usepackage{{{','.join(kept)}}}" if kept else ""


def latex_view(path: Path) -> tuple[Counter[str], set[str], str] | str:
    """Keys of every ``\\citation`` pdflatex writes, and those bibtex finds no entry for."""
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder) / "paper"
        shutil.copytree(path.parent, work)
        aux = work / path.with_suffix(".aux").name
        for attempt in ("as written", "class swapped"):
            if attempt == "class swapped":  # its class (revtex, aastex...) is not installed here
                source = work / path.name
                text = source.read_text(encoding="utf-8", errors="replace")
                swap = (r"\\documentclass{article}" if "biblatex" in text
                        else r"\\documentclass{article}\\usepackage{natbib}")
                text = _SWAP.sub(swap, text, count=1)
                source.write_text(_USEPACKAGE.sub(_installed, text), encoding="utf-8")
            subprocess.run(["pdflatex", "-interaction=nonstopmode", "-draftmode", path.name],
                           cwd=work, capture_output=True, timeout=300, check=False)
            if aux.exists() and _AUX_CITE.search(aux.read_text(errors="replace")):
                break
        else:
            return "pdflatex wrote no citations to the .aux"
        text = aux.read_text(encoding="utf-8", errors="replace")
        keys = [k.strip() for match in _AUX_CITE.finditer(text)
                for k in (match.group("keys") or match.group("key") or "").split(",")
                if k.strip()]
        note = "" if attempt == "as written" else "(class swapped) "
        if "\\abx@aux@cite" in text:  # biblatex: biber says which entries it did not find
            return Counter(keys), _missing(work, ["biber", aux.stem], _NOT_FOUND_BIBER), note
        style = re.search(r"\\bibstyle\{([^}]*)\}", text)
        if style and not (work / f"{style.group(1)}.bst").exists() and subprocess.run(
                ["kpsewhich", f"{style.group(1)}.bst"], capture_output=True,
                check=False).returncode != 0:
            # a style not installed here (ACM's...): which entries exist does not depend on it
            aux.write_text(text.replace(style.group(0), "\\bibstyle{plain}"), encoding="utf-8")
        return Counter(keys), _missing(work, ["bibtex", aux.stem], _NOT_FOUND_BIBTEX), note


def _missing(work: Path, command: list[str], pattern: re.Pattern[str]) -> set[str]:
    """The keys bibtex or biber, run in ``work``, says have no database entry (in its .blg)."""
    subprocess.run(command, cwd=work, capture_output=True, timeout=300, check=False)
    blg = work / f"{command[1]}.blg"
    return set(pattern.findall(blg.read_text(errors="replace"))) if blg.exists() else set()


def mascite_view(path: Path, latex: bool) -> tuple[Counter[str], set[str], int, float]:
    """mascite's keys (``\\nocite`` counts for LaTeX, as it writes ``\\citation``), dangling
    keys, input errors and seconds."""
    start = time.perf_counter()
    # as ``mascite check DOCUMENT`` runs it: a LaTeX document with the parts it \input s
    reports = check_paths([str(path)], RunOptions(isolated=True), None).reports
    took = time.perf_counter() - start
    citations = [c for report in reports for c in report.citations]
    keys = Counter(k for c in citations if c.kind == "key" or (latex and c.kind == "nocite")
                   for k in c.keys if k != "*")
    dangling = {m for c in citations for m in c.missing}
    errors = sum(1 for report in reports for f in report.failures if f.severity == "error")
    return keys, dangling, errors, took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--only", help="comma-separated paper folder names")
    args = parser.parse_args()
    papers = sorted(p for p in args.corpus.iterdir() if (p / ".document").exists())
    if args.only:
        papers = [p for p in papers if p.name in args.only.split(",")]
    print(f"{'paper':48} {'kind':5} {'tool':>5} {'ours':>5} {'match':>6} {'dangl':>9} "
          f"{'err':>3} {'s':>5}  note")
    totals = Counter[str]()
    for paper in papers:
        document = paper / (paper / ".document").read_text().strip()
        latex = document.suffix == ".tex"
        view = latex_view(document) if latex else pandoc_view(document)
        try:
            ours, dangling, errors, took = mascite_view(document, latex)
        except Exception:  # noqa: BLE001 - a crash is a result here
            print(f"{paper.name:48} CRASH {traceback.format_exc().splitlines()[-1]}")
            totals["crashes"] += 1
            continue
        totals["documents"] += 1
        if isinstance(view, str):
            print(f"{paper.name:48} {'tex' if latex else 'md':5} {'-':>5} {sum(ours.values()):>5} "
                  f"{'-':>6} {'-':>9} {errors:>3} {took:5.2f}  {view}")
            totals["tool failed"] += 1
            continue
        theirs, missing, note = view
        if latex:  # LaTeX typesets a caption twice, writing its \citation twice: keys as a set
            theirs, ours = Counter(set(theirs)), Counter(set(ours))
        matched = sum((theirs & ours).values())
        union = sum((theirs | ours).values())
        same_dangling = missing == dangling
        totals["matched"] += matched
        totals["union"] += union
        totals["compared"] += 1
        totals["identical"] += theirs == ours
        totals["dangling agree"] += same_dangling
        totals["input errors"] += errors > 0
        if theirs != ours:
            only_tool = sorted((theirs - ours).elements())[:4]
            only_ours = sorted((ours - theirs).elements())[:4]
            note += f"tool only {only_tool} ours only {only_ours}"
        if not same_dangling:
            note += f" dangling tool {sorted(missing)[:3]} ours {sorted(dangling)[:3]}"
        print(f"{paper.name:48} {'tex' if latex else 'md':5} {sum(theirs.values()):>5} "
              f"{sum(ours.values()):>5} {matched / union if union else 1:6.3f} "
              f"{'same' if same_dangling else 'differ':>9} {errors:>3} {took:5.2f}  {note}",
              flush=True)
    share = totals["matched"] / totals["union"] if totals["union"] else 1.0
    print(f"\n{totals['documents']} documents read, {totals['crashes']} crashes, "
          f"{totals['tool failed']} the authors' tool could not read; of "
          f"{totals['compared']} compared: keys {share:.4f} of all citations "
          f"({totals['matched']}/{totals['union']}), {totals['identical']} identical, dangling "
          f"the same on {totals['dangling agree']}, input errors on {totals['input errors']}")


if __name__ == "__main__":
    main()

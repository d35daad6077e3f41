"""Pandoc at the I/O edge: runs started at once on files, and their output read back into entries.
Items and styles go through :mod:`mascite.csl.compat` on the way in and the output on the way
out, here and nowhere else."""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import tempfile
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from ....errors import FormatError, NotAvailableError
from ....text.html import div_end
from ...compat import items as cslcompat
from ...styles import EXTRA

__all__ = ["NOCITE", "WRITER", "Job", "Output", "command", "convert", "cpus", "entries",
           "html_entries",
           "pandoc_version", "run_many", "unprotect"]

Output = Literal["text", "html", "markdown", "latex"]
WRITER: dict[str, str] = {"text": "plain", "html": "html", "markdown": "markdown",
                          "latex": "latex"}
TIMEOUT = 300  # seconds a run may take
NOCITE = "---\nnocite: '@*'\n---\n"  # a document that cites every item: the bibliography alone

# items, style text, Markdown source, pandoc writer, further options
Job = tuple[list[dict[str, Any]], str, str, str, list[str]]


@lru_cache(maxsize=1)
def _pandoc() -> str:
    """The pandoc of the ``pypandoc-binary`` wheel, found without importing pypandoc (which
    takes longer than formatting one entry), else wherever pypandoc finds one."""
    import importlib.util

    spec = importlib.util.find_spec("pypandoc")
    if spec is not None and spec.origin is not None:
        for name in ("pandoc", "pandoc.exe"):
            bundled = Path(spec.origin).with_name("files") / name
            if bundled.is_file():
                return str(bundled)
    try:
        import pypandoc
    except ImportError:
        raise NotAvailableError(f"formatting needs pandoc: {EXTRA}") from None
    try:
        return str(pypandoc.get_pandoc_path())
    except OSError as exc:
        raise NotAvailableError(f"formatting needs pandoc: {EXTRA}") from exc


def pandoc_version() -> str:
    """The version pandoc reports (``pandoc --version``'s first line)."""
    try:
        run = subprocess.run([_pandoc(), "--version"], capture_output=True, text=True,  # noqa: S603
                             timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise NotAvailableError(f"pandoc does not start: {exc}") from exc
    first = run.stdout.split("\n", 1)[0].split()
    return first[1] if len(first) > 1 else "unknown"


def cpus() -> int:
    """The processors this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def run_many(jobs: list[Job], *, failure: str) -> list[str]:
    """Pandoc's output for each job, from runs started at once. Input and output go through
    files, so that no run waits for another's pipe to be read; each run is waited for without
    polling (a timer kills one that takes longer than :data:`TIMEOUT`)."""
    outputs = []
    with tempfile.TemporaryDirectory(prefix="mascite-") as name:
        folder = Path(name)
        runs: list[tuple[subprocess.Popen[bytes], Path, Path, dict[str, str]]] = []
        try:
            for number, job in enumerate(jobs):
                runs.append(_start(folder, number, job))
            for process, out, err, repairs in runs:
                if not _wait(process):
                    raise FormatError(f"{failure}: no answer in {TIMEOUT} s")
                if process.returncode != 0:
                    message = err.read_text(encoding="utf-8", errors="replace").strip()
                    raise FormatError(f"{failure}: {message[:300]}")
                outputs.append(cslcompat.restore(out.read_text(encoding="utf-8"), repairs))
        finally:  # none left running when one fails
            for process, *_ in runs:
                if process.poll() is None:
                    process.kill()
                    process.wait()
    return outputs


def _wait(process: subprocess.Popen[bytes]) -> bool:
    """Wait for a run to end; ``False`` if it took too long and was killed."""
    expired = threading.Event()

    def expire() -> None:
        expired.set()
        process.kill()

    timer = threading.Timer(TIMEOUT, expire)
    timer.start()
    try:
        process.wait()
    finally:
        timer.cancel()
    return not expired.is_set()


def _start(folder: Path, number: int, job: Job,
           ) -> tuple[subprocess.Popen[bytes], Path, Path, dict[str, str]]:
    """One pandoc run started on files in ``folder``: the process, its output and error files,
    and the repairs :func:`mascite.csl.compat.items.restore` makes to its output."""
    arguments, out, repairs = command(folder, number, job)
    err = folder / f"err{number}"
    with err.open("wb") as errors:
        process = subprocess.Popen(arguments, stdin=subprocess.DEVNULL,  # noqa: S603
                                   stdout=subprocess.DEVNULL, stderr=errors)
    return process, out, err, repairs


def command(folder: Path, number: int, job: Job) -> tuple[list[str], Path, dict[str, str]]:
    """A job's input written to files in ``folder`` (items and style prepared for pandoc), and
    the command that runs it, its output file, and the repairs for its output."""
    items, style_text, source, writer, options = job
    locale = cslcompat.effective_locale(style_text, options)
    prepared, repairs = cslcompat.prepare_items(items, style_text, locale)
    data, csl, document, out = (folder / name.format(number) for name in
                                ("refs{}.json", "style{}.csl", "doc{}.md", "out{}"))
    data.write_text(json.dumps(prepared, ensure_ascii=False), encoding="utf-8")
    csl.write_text(cslcompat.prepare_style(style_text), encoding="utf-8")
    document.write_text(source, encoding="utf-8")
    return [_pandoc(), "--from=markdown", f"--to={writer}", "--citeproc", f"--bibliography={data}",
            f"--csl={csl}", "--wrap=none", *options, f"--output={out}", str(document)], out, repairs


def convert(source: str, writer: str, options: list[str], *, failure: str) -> str:
    """Pandoc Markdown to ``writer``, without citeproc (the citations are already formatted)."""
    try:
        run = subprocess.run([_pandoc(), "--from=markdown", f"--to={writer}", "--wrap=none",  # noqa: S603
                              *options], input=source, capture_output=True, text=True,
                             encoding="utf-8", timeout=TIMEOUT, check=False)
    except subprocess.TimeoutExpired as exc:
        raise FormatError(f"{failure}: no answer in {TIMEOUT} s") from exc
    if run.returncode != 0:
        raise FormatError(f"{failure}: {run.stderr.strip()[:300]}")
    return run.stdout


def unprotect(output: str, markup: Literal["html", "markdown"]) -> str:
    """Pandoc's output without the ``nocase`` spans :func:`mascite.csl.compat.items.keep_lower` added."""
    if markup == "html":
        return re.sub(r'<span class="nocase">(.*?)</span>', r"\1", output)
    return re.sub(r"\[([^\]]*)\]\{\.nocase\}", r"\1", output)


def html_entries(page: str) -> list[tuple[str, str]]:
    """(id, inner HTML) of each ``<div id="ref-…" class="csl-entry">``, in order (divs nest)."""
    out = []
    for start in re.finditer(r'<div id="ref-([^"]+)"[^>]*>', page):
        end = div_end(page, start.end())
        if end is not None:
            out.append((html.unescape(start.group(1)), page[start.end():end].strip()))
    return out


def entries(output: str, to: Output) -> list[str]:
    """The bibliography entries of pandoc's output, in order, each on one line."""
    if to == "html":
        parts = re.split(r'<div id="ref-[^"]*" class="csl-entry"[^>]*>', output)[1:]
        found = []
        for part in parts:
            body = re.sub(r"</div>\s*(?:</div>\s*)*$", "", part.strip()).strip()
            found.append(" ".join(unprotect(body, "html").split()))
        return found
    if to == "latex":  # "\bibitem[\citeproctext]{ref-key}" then the entry
        body = output.split(r"\begin{CSLReferences}", 1)[-1].split(r"\end{CSLReferences}")[0]
        chunks = re.split(r"\\bibitem(?:\[[^\]]*\])?\{[^}]*\}", body)[1:]
        return [" ".join(c.split()) for c in chunks if c.strip()]
    if to == "markdown":  # "::: {#ref-key .csl-entry}" fences around each entry
        chunks = re.split(r"^:::+[^\n]*$", output, flags=re.M)
        return [unprotect(" ".join(c.split()), "markdown") for c in chunks if c.strip()]
    return [" ".join(c.split()) for c in re.split(r"\n\s*\n", output.strip()) if c.strip()]

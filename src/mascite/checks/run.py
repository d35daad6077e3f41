"""One ``mascite check`` over many paths: files found (:mod:`.discovery`), each checked with the
settings of its nearest configuration, the rules it selects applied and the findings its own
comments suppress set aside. A file that cannot be read is a failure in its report, never the
end of the run. Bibliographies a checked document uses are checked with it, not again alone."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..crossref import CrossrefClient
from ..document import Document
from ..document.metadata import latex_metadata
from ..document.policy import ClaimsPolicy
from ..errors import InputError
from ..formats.files import decode_text, read_bytes
from ..model import ParseFailure, Report, Run
from .config import Settings, settings_for
from .discovery import Candidate, discover
from .parts import document_parts
from .pipeline import check, is_bibliography_path
from .selection import Selection
from .suppression import find_suppressions, is_suppressed, may_hold_suppressions

__all__ = ["RunOptions", "check_paths"]


@dataclass(frozen=True)
class RunOptions:
    """What the command line adds to (or puts in place of) the configuration."""

    bibs: Sequence[str] = ()  # replace the configuration's (and the documents' own) bibliographies
    select: Sequence[str] | None = None  # replaces the configuration's select
    extend_select: Sequence[str] = ()
    ignore: Sequence[str] = ()
    config: str | None = None
    isolated: bool = False
    force_exclude: bool = False
    stdin: tuple[bytes, str] | None = None  # the content and the name it is checked as
    claims: ClaimsPolicy | None = None  # replaces the configuration's claims policy
    settings_cache: dict[Path, Settings] = field(default_factory=dict)

    def settings_of(self, path: Path) -> Settings:
        """The settings for a file or folder, read once per folder."""
        folder = path.resolve() if path.is_dir() else path.resolve().parent
        if folder not in self.settings_cache:
            self.settings_cache[folder] = settings_for(folder, config=self.config,
                                                       isolated=self.isolated)
        return self.settings_cache[folder]

    def selection(self, settings: Settings) -> Selection:
        """The rules reported for files under these settings."""
        where = "the command line" if self.select is not None or self.extend_select \
            or self.ignore else settings.source or "the defaults"
        return Selection.build(
            self.select if self.select is not None else settings.select,
            [*settings.extend_select, *self.extend_select], [*settings.ignore, *self.ignore],
            settings.per_file_ignores, root=settings.root, where=where)


def check_paths(paths: Sequence[str], options: RunOptions, client: CrossrefClient | None, *,
                on_file: Callable[[str], None] | None = None) -> Run:
    """Check every file the paths name or hold; ``-`` is ``options.stdin``."""
    candidates = _candidates(paths, options)
    used: set[Path] = set()
    run = Run()
    # documents first: the bibliographies they use are then known, and not checked again, even
    # when named (pre-commit names every file): their findings are in the documents' sections
    ordered = sorted(candidates, key=lambda c: is_bibliography_path(c.path)
                     if c.path.is_file() else False)
    # a LaTeX part is checked with the document that reads it (its bibliography, its folder)
    parts = {p for c in ordered for p in _parts_of(c.path)}
    for candidate in ordered:
        if candidate.path.resolve() in used or candidate.path.resolve() in parts:
            continue
        if on_file is not None:
            on_file(str(candidate.path))
        report = _check_one(candidate, options, client)
        used.update(Path(p).resolve() for p in _inputs(report))
        used.add(candidate.path.resolve())
        run.reports.append(report)
        _check_parts(report, candidate, options, client, run, used)
    for candidate in ordered:  # parts of no document checked here are checked alone
        if candidate.path.resolve() not in used:
            run.reports.append(_check_one(candidate, options, client))
            used.add(candidate.path.resolve())
    _shared_unused(run)
    return run


def _parts_of(path: Path) -> list[Path]:
    """The parts a LaTeX file reads in, found from its folder (nothing for other files)."""
    if path.suffix.lower() not in (".tex", ".ltx") or not path.is_file():
        return []
    try:
        text = decode_text(read_bytes(path, "a document"), str(path))[0]
    except InputError:
        return []
    document = Document(text=text, path=str(path), format="latex",
                        metadata=latex_metadata(text, str(path)))
    return [Path(p).resolve() for p in document_parts(document)[0]]


def _check_parts(main: Report, candidate: Candidate, options: RunOptions,
                 client: CrossrefClient | None, run: Run, used: set[Path]) -> None:
    """Check the parts of ``main`` (and theirs) as LaTeX reads them: found from the main
    document's folder, citing its bibliographies."""
    root = candidate.path.parent
    bibs = list(options.bibs) or sorted(_inputs(main))
    pending = list(main.parts)
    while pending:
        part = Path(pending.pop(0))
        if part.resolve() in used:
            continue
        used.add(part.resolve())
        report = _check_one(Candidate(part, named=False), options, client, bibs=bibs, root=root)
        # the bibliographies' own failures are the main document's, said once
        report.failures = [f for f in report.failures if f.path not in bibs]
        report.findings = [f for f in report.findings
                           if not (f.code == "parse-error" and f.path in bibs)]
        run.reports.append(report)
        pending[:0] = report.parts


def _shared_unused(run: Run) -> None:
    """A bibliography several documents share (a site's, a book's chapters') has a reference
    unused only if no document cites it: said once, with the first document using it."""
    by_bib: dict[str, list[Report]] = {}
    for report in run.reports:
        for path in sorted(_inputs(report)):
            by_bib.setdefault(path, []).append(report)
    for path, reports in by_bib.items():
        if len(reports) < 2:
            continue
        cited = {ref for r in reports for c in r.citations for ref in c.refs}
        kept: dict[str | None, Report] = {}
        for report in reports:
            findings = []
            for finding in report.findings:
                if finding.code == "unused-reference" and finding.path == path:
                    if finding.ref in cited or finding.ref in kept:
                        continue
                    kept[finding.ref] = report
                    finding = finding.model_copy(update={
                        "message": f"{finding.message} of any of the {len(reports)} documents "
                                   f"that use {Path(path).name}"})
                findings.append(finding)
            report.findings = findings


def _candidates(paths: Sequence[str], options: RunOptions) -> list[Candidate]:
    out: list[Candidate] = []
    rest = [p for p in paths if p != "-"]
    if "-" in paths and options.stdin is not None:
        out.append(Candidate(Path(options.stdin[1]), named=True))
    out.extend(discover(rest, options.settings_of, force_exclude=options.force_exclude))
    return out


def _inputs(report: Report) -> set[str]:
    """The bibliography files a report read."""
    return {r.path for r in report.references if r.path and r.path != report.document} | {
        f.path for f in report.failures if f.path and f.path != report.document}


def _check_one(candidate: Candidate, options: RunOptions, client: CrossrefClient | None,
               bibs: Sequence[str] | None = None, root: Path | None = None) -> Report:
    settings = options.settings_of(candidate.path)
    data = options.stdin[0] if options.stdin and Path(options.stdin[1]) == candidate.path \
        and candidate.named else None
    if bibs is None:
        bibs = list(options.bibs) or [_shown(settings.root / b) for b in settings.bibliography]
    path = str(candidate.path)
    try:
        report = check(path, bibs, offline=client is None or client.offline, client=client,
                       data=data, claims=options.claims or settings.claims, root=root)
    except InputError as exc:
        failure = ParseFailure(path=exc.path or path, line=exc.line, kind="io",
                               message=exc.message)
        return Report(document=path, failures=[failure], findings=[failure.to_finding()])
    _select(report, options.selection(settings), data)
    return report


def _shown(path: Path) -> str:
    """A configured file as messages name it: relative to the working folder when inside it."""
    normal = Path(os.path.normpath(path))
    try:
        return str(normal.relative_to(Path.cwd()))
    except ValueError:
        return str(normal)


def _select(report: Report, selection: Selection, data: bytes | None) -> None:
    """Drop the findings of rules not selected; set aside those a comment suppresses."""
    kept = [f for f in report.findings if selection.selects(f, report.document)]
    text = report.source.text if report.source is not None else _text(report.document, data)
    suppressions, problems = find_suppressions(text, report.document) if text else ([], [])
    report.findings = [f for f in kept if not is_suppressed(f, suppressions)] + problems
    report.suppressed = [f for f in kept if is_suppressed(f, suppressions)]


def _text(path: str | None, data: bytes | None) -> str:
    """A bibliography's text, for the suppressions its comments hold."""
    if path is None:
        return ""
    try:
        raw = data if data is not None else read_bytes(path, "a bibliography file")
    except InputError:
        return ""
    if not may_hold_suppressions(raw):  # a long .bib is not decoded again for nothing
        return ""
    return decode_text(raw, path)[0]


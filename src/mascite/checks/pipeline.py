"""The pipeline behind ``mascite check``: read → link → resolve → verify → report. Thin: each step
lives elsewhere. The Crossref client is injected; without one, ``offline`` decides whether one is
made."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterable, Sequence
from pathlib import Path

from ..crossref import CrossrefClient, LookupCache, default_cache_path
from ..document import Document, read_document
from ..document.linking import link_document
from ..document.policy import ClaimsPolicy
from ..errors import FormatError
from ..formats import Bibliography, get_format, read_references
from ..formats.cslyaml import read_csl_items
from ..formats.reflist import parse_entry
from ..formats.wos import looks_like_wos
from ..identifiers import doi_problem, normalize_doi
from ..model import ParseFailure, Reference, Report, ReportReference, Source
from ..model.report import DOISource
from .parts import document_parts
from .resolve import resolve_report
from .rules import (
    claim_findings,
    doi_findings,
    duplicate_references,
    link_findings,
    schema_findings,
)

__all__ = ["check", "check_document", "is_bibliography_path", "named_bibliographies",
           "tex_search"]

_SAME_AUTHORS = re.compile(r"^\s*(?:[—–]{2,}|-{3,}|_{3,})")


def is_bibliography_path(path: str | Path, data: bytes | None = None) -> bool:
    """True for files read as bibliographies (.bib, .json, .yaml, .ris, a Web of Science
    export), not as documents."""
    try:
        if get_format(path).name != "text":
            return True
    except FormatError:
        return False
    if data is not None:
        return looks_like_wos(data[:200].decode("utf-8", "replace"))
    try:  # a Web of Science export is a bibliography, whatever its name says
        with open(path, "rb") as handle:
            return looks_like_wos(handle.read(200).decode("utf-8", "replace"))
    except OSError:
        return False


def check(path: str | Path, bibs: Sequence[str | Path] = (), *, offline: bool = True,
          client: CrossrefClient | None = None, data: bytes | None = None,
          claims: ClaimsPolicy = "standard", root: str | Path | None = None) -> Report:
    """Check a document (or a bibliography file alone) and the bibliographies given with it;
    ``data`` is the file's content when it is not read from ``path`` (stdin).

    With ``offline=False`` (or a ``client``), DOIs are looked up at Crossref and searched for.
    ``claims``: the policy deciding which claims need a source. A LaTeX document's parts
    (``\\input``…) are listed in ``report.parts`` (``mascite check`` checks them with it);
    ``root`` is the folder they are found from, when ``path`` is itself a part.
    """
    if is_bibliography_path(path, data):
        report = Report(document=str(path), offline=offline and client is None)
        # each file read when it is added, and let go after: the report holds what is needed
        _add_bibliography(report, read_references(path, data=data))
        for extra in bibs:
            _add_bibliography(report, read_references(extra))
        report.findings.extend(duplicate_references(report.references))
    else:
        bibliographies = [read_references(b) for b in bibs]
        document = read_document(path, data=data)
        report = check_document(document, bibliographies or named_bibliographies(document),
                                offline=offline, claims=claims)
        report.parts, missing = document_parts(document, Path(root) if root else None)
        report.failures.extend(missing)
        report.findings.extend(f.to_finding() for f in missing)
    if client is None and offline:
        client = _cache_only_client()
    elif client is None:
        client = CrossrefClient()
    if client is not None:
        report.offline = client.offline
        resolve_report(report, client)
        report.notices.extend(client.notices)
    return report


def named_bibliographies(document: Document) -> list[Bibliography]:
    """The bibliographies a document names (front matter, ``\\bibliography``), read beside it
    as pandoc and BibTeX run from its folder read them (and, for LaTeX, where BibTeX's own
    search finds them: ``IEEEabrv.bib`` of TeX Live), and its inline ``references``. Used
    when none are given: as with pandoc's ``--bibliography``, given ones replace named ones."""
    folder = Path(document.path).parent if document.path else Path()
    out = []
    for name in document.metadata.bibliographies:
        file = Path(name).expanduser()
        file = file if file.is_absolute() else folder / file
        if not file.is_file() and document.format == "latex":
            file = tex_search(name) or file
        if file.is_file():
            out.append(read_references(file))
            continue
        out.append(Bibliography(path=str(file), failures=[ParseFailure(
            path=document.path, line=_line_of(document, name), kind="io",
            message=f"the document names the bibliography {name!r}, and there is no file "
                    f"{str(file)!r}: its citations cannot be checked (give it with --bib)")]))
    if document.metadata.references:
        out.append(read_csl_items(document.metadata.references, document.path, 1))
    return out


def tex_search(name: str) -> Path | None:
    """Where TeX's own search (kpsewhich) finds a file the document names, if TeX is here;
    the wait is bounded, and a name that reads as an option is not asked."""
    program = shutil.which("kpsewhich")
    if program is None or name.startswith("-") or "\n" in name:
        return None
    try:
        found = subprocess.run([program, name], capture_output=True, text=True, timeout=5,  # noqa: S603
                               check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    path = Path(found.stdout.strip()) if found.returncode == 0 and found.stdout.strip() else None
    return path if path is not None and path.is_file() else None


def _line_of(document: Document, name: str) -> int | None:
    at = document.text.find(name)
    return document.line_column(at)[0] if at >= 0 else None


def _cache_only_client() -> CrossrefClient | None:
    """Offline checks still answer from the cache when there is one."""
    path = default_cache_path()
    if path is None or not path.exists():
        return None
    return CrossrefClient(offline=True, cache=LookupCache(path))


def check_document(document: Document, bibliographies: Iterable[Bibliography] = (),
                   *, offline: bool = True, claims: ClaimsPolicy = "standard") -> Report:
    """Link a parsed document's citations and claims to its reference list (and bibliographies)."""
    report = Report(document=document.path, offline=offline, failures=list(document.failures),
                    source=Source(format=document.format, text=document.text))
    report.findings.extend(f.to_finding() for f in document.failures)
    previous: ReportReference | None = None
    for index, entry in enumerate(document.reference_entries, start=1):
        label = entry.label or str(index)
        parsed = parse_entry(entry.text, label)
        if previous is not None and _SAME_AUTHORS.match(entry.text):
            # "———." repeats the previous entry's authors (MLA, Chicago)
            parsed.reference = parsed.reference.model_copy(
                update={"author": previous.csl.author,
                        "truncated_authors": previous.csl.truncated_authors})
            parsed.spans.pop("author", None)
        item = _report_reference(label, label, entry.text, entry.line, document.path,
                                 parsed.reference, source="text")
        item.confidence = {k: round(v, 3) for k, v in parsed.confidence.items()}
        item.spans = parsed.spans if parsed.text == entry.text else {}
        _schema(report, item, parsed.reference, stated=False)
        report.references.append(item)
        report.findings.extend(doi_findings(item, None))
        previous = item
    for bibliography in bibliographies:
        _add_bibliography(report, bibliography, merge_into=report.references[:])
    linked = link_document(document, report.references, claims)
    report.citations = linked.citations
    report.claims = linked.claims
    report.findings.extend(link_findings(linked, report.references, document))
    report.findings.extend(claim_findings(linked, report.references, document))
    report.coverage = linked.coverage()
    report.findings.extend(duplicate_references(report.references))
    return report


def _report_reference(ref_id: str, label: str | None, raw: str, line: int | None,
                      path: str | None, reference: Reference,
                      source: DOISource, field_lines: dict[str, int] | None = None
                      ) -> ReportReference:
    doi = None
    if reference.doi and doi_problem(reference.doi) is None:
        doi = normalize_doi(reference.doi)
    # the reference itself when it has the id already (nothing changes a report's csl in place;
    # a copy of each would double a long bibliography's memory)
    csl = reference if reference.id == ref_id else reference.model_copy(update={"id": ref_id})
    return ReportReference(id=ref_id, label=label, raw=raw, line=line, path=path, csl=csl,
                           doi=doi, doi_source=source if doi else None,
                           status="unverified" if doi else "no-doi",
                           field_lines=field_lines or {})


def _add_bibliography(report: Report, bibliography: Bibliography,
                      merge_into: list[ReportReference] | None = None) -> None:
    """Add a bibliography's entries; one with the DOI of a listed reference enriches that one."""
    report.failures.extend(bibliography.failures)
    report.findings.extend(f.to_finding() for f in bibliography.failures)
    by_doi = {r.doi: r for r in merge_into or [] if r.doi}
    for index, entry in enumerate(bibliography.entries, start=1):
        ref_id = str(entry.reference.id) if entry.reference.id not in (None, "") else str(index)
        item = _report_reference(ref_id, None, entry.raw, entry.line, bibliography.path,
                                 entry.reference, source="bib", field_lines=entry.field_lines)
        if item.doi and item.doi in by_doi:
            listed = by_doi[item.doi]
            listed.csl = item.csl.model_copy(update={"id": listed.id})
            continue
        _schema(report, item, entry.reference, stated=True)
        if entry.reference.doi:
            report.findings.extend(doi_findings(item, entry.reference.doi))
        report.references.append(item)


def _schema(report: Report, item: ReportReference, reference: Reference, *, stated: bool) -> None:
    for finding in schema_findings(reference, stated=stated, where=item.finding):
        report.findings.append(finding.model_copy(update={"message": f"{item.name}: "
                                                                     f"{finding.message}"}))

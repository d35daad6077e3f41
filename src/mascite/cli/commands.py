"""The subcommands, each a thin layer over the public API. Imports happen inside each command, so
that ``mascite format`` does not load the HTTP client and ``mascite --version`` loads nothing."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import MasciteError
from ..text.printable import printable
from .progress import progress_line

if TYPE_CHECKING:
    from ..checks.config import CrossrefSettings
    from ..crossref import CrossrefClient
    from ..crossref.client import Progress
    from ..formats import Bibliography
    from ..model import Reference

__all__ = ["COMMANDS"]



def _emit(text: str, output: str | None, *, escaped: bool = False) -> None:
    """Write to the file given, or to stdout; on a terminal, data's control characters are
    shown escaped (``escaped``: the renderer did it, around its own colours). A report's
    missing folders are made, as linters' ``--output-file`` does (CI names ``out/x.sarif``)."""
    if output:
        _write_output(output, text.encode("utf-8"))
    else:
        if not escaped and sys.stdout.isatty():
            text = printable(text, keep="\n\t")
        sys.stdout.write(text)


def _emit_pieces(pieces: Iterator[str], output: str | None) -> None:
    """:func:`_emit` for text made piece by piece, written as it is made."""
    if output:
        _write_output(output, (piece.encode("utf-8") for piece in pieces))
    else:
        for piece in pieces:
            _emit(piece, None)


def _write_output(output: str, data: bytes | Iterator[bytes]) -> None:
    """A file the user named, written atomically; its missing folders are made."""
    from ..formats.files import write_atomic

    try:
        Path(output).parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise MasciteError(f"{output}: cannot write: {exc.strerror or exc}") from None
    write_atomic(output, data)


def _report_failures(bibliography: Bibliography) -> int:
    for failure in bibliography.failures:
        print(f"{failure.location_message()}", file=sys.stderr)
    return 2 if any(f.severity == "error" for f in bibliography.failures) else 0


def _client(args: argparse.Namespace, settings: CrossrefSettings | None = None,
            progress: Progress | None = None) -> CrossrefClient:
    """The client a command runs with: the command line, else the configuration's
    ``[crossref]`` table, else the environment."""
    from ..crossref import CrossrefClient, CrossrefConfig, LookupCache

    config = CrossrefConfig.from_env()
    offline = bool(args.offline or config.offline or (settings and settings.offline))
    deadline = args.deadline if args.deadline is not None else (
        settings.deadline if settings and settings.deadline is not None else config.deadline)
    cache_kwargs: dict[str, Any] = {}
    if settings and settings.cache:
        if settings.cache.strip().lower() in ("off", "0", "none"):
            cache_kwargs["use_default_cache"] = False
        else:
            cache_kwargs["cache"] = LookupCache(Path(settings.cache).expanduser())
    return CrossrefClient(offline=offline, progress=progress if progress is not None
                          else progress_line(args.quiet), deadline=deadline or None,
                          mailto=settings.mailto if settings and settings.mailto else None,
                          **cache_kwargs)


def _cmd_check(args: argparse.Namespace) -> int:
    from ..checks.config import settings_for
    from ..checks.run import RunOptions, check_paths
    from ..output import render_report

    stdin = None
    if "-" in args.paths:
        stdin = (sys.stdin.buffer.read(), args.stdin_filename or "<stdin>")
    elif args.stdin_filename:
        raise MasciteError("--stdin-filename names standard input: give - as a path too")
    options = RunOptions(bibs=args.bib, select=args.select, extend_select=args.extend_select,
                         ignore=args.ignore, config=args.config, isolated=args.isolated,
                         force_exclude=args.force_exclude, stdin=stdin, claims=args.claims)
    first = stdin[1] if stdin and args.paths[0] == "-" else args.paths[0]
    run_settings = settings_for(Path(first).parent if not Path(first).is_dir() else first,
                                config=args.config, isolated=args.isolated)
    progress = progress_line(args.quiet)
    client = _client(args, run_settings.crossref, progress)
    run = check_paths(args.paths, options, client,
                      on_file=progress.start_file if progress is not None else None)
    if not run.reports and not args.quiet:
        print("mascite: warning: no files to check (none has a suffix mascite reads, or all are "
              "excluded)", file=sys.stderr)
    colour = (args.output is None and sys.stdout.isatty() and not os.environ.get("NO_COLOR"))
    if args.format == "json":  # written as it is made: a long report is never held whole
        from ..output.json_report import iter_json

        _emit_pieces(iter_json(run.reports), args.output)
    else:
        _emit(render_report(run, args.format, colour=colour,
                            show_suppressed=args.show_suppressed), args.output, escaped=True)
    for report in run.reports:
        for failure in report.failures:
            lead = f"mascite: {failure.severity}: " if failure.kind == "io" else ""
            print(f"{lead}{failure.location_message()}", file=sys.stderr)
    return run.exit_code(args.fail_on or run_settings.fail_on)


def _cmd_rules(args: argparse.Namespace) -> int:
    from ..model import RULES

    if args.format == "json":
        rows = [{"code": r.code, "family": r.family, "summary": r.summary}
                for r in RULES.values()]
        _emit(json.dumps(rows, indent=2) + "\n", None)
        return 0
    width = max(len(code) for code in RULES)
    lines = [f"{r.code:<{width}}  {r.family:<11}  {r.summary}" for r in RULES.values()]
    _emit("\n".join(lines) + "\n", None)
    return 0


def _cmd_rule(args: argparse.Namespace) -> int:
    from ..model import RULES

    rule = RULES.get(args.code.strip())
    if rule is None:
        raise MasciteError(f"no rule {args.code!r}: `mascite rules` lists them")
    comment = {"markdown": f"<!-- mascite: ignore[{rule.code}] -->",
               "LaTeX": f"% mascite: ignore[{rule.code}]",
               "reST": f".. mascite: ignore[{rule.code}]"}
    lines = [f"{rule.code} ({rule.family})", "", f"{rule.summary}.", "",
             f"Turn it off: --ignore {rule.code}, or ignore = [\"{rule.code}\"] under "
             f"[tool.mascite]; for some files, per-file-ignores; for the next block of a "
             f"document, a comment:",
             *(f"  {syntax:<9} {text}" for syntax, text in comment.items()),
             f"Its family: --select {rule.family} (or --ignore {rule.family})."]
    _emit("\n".join(lines) + "\n", None)
    return 0


def _cmd_schema(args: argparse.Namespace) -> int:
    from ..model import report_schema

    _emit(json.dumps(report_schema("run" if args.run else "report"), indent=2) + "\n", None)
    return 0


def _cmd_resolve(args: argparse.Namespace) -> int:
    from ..formats import write_references
    from ..formats.files import decode_text
    from ..identifiers import find_dois

    dois = list(args.dois)
    if args.file:
        text, failures = decode_text(_read_bytes(args.file), args.file)
        for failure in failures:
            print(failure.location_message(), file=sys.stderr)
        dois.extend(m.doi for m in find_dois(text))
        for number, line in enumerate(text.splitlines(), start=1):
            if line.strip() and not find_dois(line) and not line.lstrip().startswith("#"):
                print(f"{args.file}:{number}: no DOI on this line", file=sys.stderr)
    if not dois:
        raise MasciteError("no DOIs given: name them, or use --file FILE")
    client = _client(args)
    answers = client.lookup_many(dois)
    found = []
    code = 0
    for doi in dict.fromkeys(dois):
        answer = answers[doi]
        if answer.status == "found" and answer.record is not None:
            found.append(answer.record.reference)
            continue
        invalid = (answer.reason or "").startswith("invalid DOI")
        code = max(code, 2 if invalid else 1)  # not found (or not checked): 1; not a DOI: 2
        print(f"mascite: {doi}: {answer.status}: {answer.reason}", file=sys.stderr)
    _emit(write_references(found, args.to), None)
    if not args.quiet:
        for notice in client.notices:
            print(f"mascite: note: {notice}", file=sys.stderr)
    return code


def _cmd_fix(args: argparse.Namespace) -> int:
    """Each file on its own: one that cannot be read is named, and the others are still fixed."""
    from ..checks.fix import FIELDS

    only = {f.strip() for f in args.only.split(",")} if args.only else None
    known = {name for name, _ in FIELDS.values()}
    if only and not only <= known:
        raise MasciteError(f"--only takes {', '.join(sorted(known))}; not "
                           f"{', '.join(sorted(only - known))}")
    client = _client(args)
    code = 0
    for path in dict.fromkeys(args.files):
        try:
            code = max(code, _fix_file(path, args, only, client))
        except MasciteError as exc:
            print(f"mascite: error: {exc}", file=sys.stderr)
            code = 2
    return code


def _fix_file(path: str, args: argparse.Namespace, only: set[str] | None,
              client: CrossrefClient) -> int:
    from ..checks.fix import apply_corrections, corrections, diff
    from ..checks.pipeline import check
    from ..formats.files import decode_exact, write_atomic

    original = _read_bytes(path)
    report = check(path, offline=client.offline, client=client)
    for failure in report.failures:
        print(failure.location_message(), file=sys.stderr)
    source = decode_exact(original)  # untouched text goes back byte for byte
    fixes = corrections(report, only)
    applied = apply_corrections(source.text, fixes)
    for fix, why in applied.refused:
        print(f"mascite: {path}: {fix.key}: {fix.field} not corrected: {why}", file=sys.stderr)
    done = len(fixes) - len(applied.refused)
    if not done:
        print(f"mascite: {path}: nothing to correct", file=sys.stderr)
        return 2 if report.failures else 0
    if args.write:
        write_atomic(path, source.encode(applied.text))
        print(f"mascite: {path}: {done} correction{'' if done == 1 else 's'} written",
              file=sys.stderr)
        return 0
    sys.stdout.write(diff(path, source.text, applied.text))
    return 1


def _read_bytes(path: str) -> bytes:
    from ..formats.files import read_bytes

    return read_bytes(path, "an input")


def _cmd_parse(args: argparse.Namespace) -> int:
    """One item per input entry, in input order; entries that are not references are marked."""
    from ..formats import write_references
    from ..formats.files import decode_text
    from ..formats.reflist import split_entries
    from ..refparse import parse_reference

    if args.file == "-":
        text, failures = decode_text(sys.stdin.buffer.read(), "<stdin>")
    else:
        text, failures = decode_text(_read_bytes(args.file), args.file)
    for failure in failures:
        print(failure.location_message(), file=sys.stderr)
    results = (parse_reference(entry.text, entry.label or str(index))  # one at a time
               for index, entry in enumerate(split_entries(text), start=1))
    if args.to == "csl-json":
        from ..formats.csljson import iter_json_list

        _emit_pieces(iter_json_list(r.to_csl() for r in results), None)
    else:
        _emit(write_references((r.reference for r in results), args.to), None)
    return 2 if failures else 0


def _cmd_render(args: argparse.Namespace) -> int:
    from ..checks.pipeline import check_document, named_bibliographies
    from ..csl.render import render_document
    from ..document import read_document
    from ..formats import read_references

    document = read_document(args.document)
    bibliographies = [read_references(b) for b in args.bib] or named_bibliographies(document)
    report = check_document(document, bibliographies)
    _emit(render_document(document, report, args.style, to=args.to, engine=args.engine),
          args.output)
    for failure in report.failures:
        print(failure.location_message(), file=sys.stderr)
    return 2 if report.failures else 0


def _cmd_format(args: argparse.Namespace) -> int:
    """Entries in the style's order, separated by a blank line (RTF: a document)."""
    from ..csl.format import Formatter, join_entries

    formatter = Formatter(args.style, args.locale, args.engine)
    items = _csl_items(Path(args.file))
    if items is not None:  # CSL-JSON is given to the engine as it is, as citeproc-js reads it
        objects = [item for item in items if isinstance(item, dict)]
        for number, item in enumerate(items, start=1):
            if not isinstance(item, dict):
                print(f"{args.file}: CSL-JSON item {number} is not an object: left out",
                      file=sys.stderr)
        _long_list(len(objects))
        entries = formatter.bibliography_items(objects, args.to)
        code = 2 if len(objects) < len(items) else 0
    else:  # read one reference at a time into the items the engine is given
        read, references = _streamed(args.file)
        csl = formatter.items(references)
        _long_list(len(csl))
        entries = formatter.bibliography_items(csl, args.to)
        code = _report_failures(read)
    _emit(join_entries(entries, args.to), None)
    if not args.quiet:
        print(f"mascite: formatted by {formatter.description}", file=sys.stderr)
    return code


def _long_list(count: int) -> None:
    """A long list is formatted faster by a V8 with threads of its own; a short one starts
    faster without (this process forks no more, so either is safe)."""
    if count >= 100:
        from ..csl.engines import citeproc_js

        citeproc_js.background_threads()


def _csl_items(path: Path) -> list[Any] | None:
    """A ``.json`` file's CSL-JSON list; ``None`` for any other file (or JSON that is not a
    list), which the readers take and report on."""
    if path.suffix.lower() != ".json":
        return None
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None  # the reader says what is wrong, and where
    return data if isinstance(data, list) else None


def _cmd_engines(args: argparse.Namespace) -> int:
    """The engines installed here, or citeproc-js installed."""
    from ..csl.engines import ENGINES, choose, engine_status

    if args.action == "install":
        if args.engine != "citeproc-js":
            raise MasciteError("say which engine: mascite engines install citeproc-js")
        from ..csl.engines.citeproc_js.install import install

        print(f"installed citeproc-js: {install()}")
        return 0
    chosen = choose("auto")
    for name in ENGINES:
        status = engine_status(name)
        mark = "*" if name == chosen else " "
        state = status.version or "" if status.available else f"not available: {status.problem}"
        print(f"{mark} {name:<12} {state}")
    print("(* the engine 'auto' picks)")
    return 0


def _cmd_styles(args: argparse.Namespace) -> int:
    """Styles whose id or title holds every word, one a line: id, then title."""
    from ..csl.styles import search_styles

    every = bool(args.all or args.query)  # journals' names are what people search for
    found = [s for s in search_styles(" ".join(args.query)) if every or not s.dependent]
    for style in found:
        note = " (dependent)" if style.dependent else ""
        print(f"{style.id}\t{style.title}{note}")
    if not found:
        print(f"mascite: no style matches {' '.join(args.query)!r}", file=sys.stderr)
        return 1
    return 0


def _streamed(path: str, format: str | None = None) -> tuple[Bibliography, Iterator[Reference]]:
    """A bibliography file's references one at a time, and the bibliography that gathers its
    failures as they stream by (complete once the references are consumed)."""
    from ..formats import Bibliography, iter_entries

    read = Bibliography(path=path)
    return read, (entry.reference for entry in iter_entries(path, format, into=read))


def _cmd_convert(args: argparse.Namespace) -> int:
    from ..formats import write_references

    read, references = _streamed(args.file, args.source_format)
    if args.to == "csl-json":  # written item by item: a long file is never held whole
        from ..formats.csljson import iter_csl_json

        _emit_pieces(iter_csl_json(references), args.output)
    else:
        _emit(write_references(references, args.to), args.output)
    return _report_failures(read)


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "check": _cmd_check, "parse": _cmd_parse, "convert": _cmd_convert, "fix": _cmd_fix,
    "resolve": _cmd_resolve, "format": _cmd_format, "render": _cmd_render,
    "rules": _cmd_rules, "rule": _cmd_rule, "schema": _cmd_schema,
    "engines": _cmd_engines, "styles": _cmd_styles,
}

"""The ``mascite`` command: subcommands over the public API, and nothing else.

Exit codes (contract): 0 nothing at or above ``--fail-on``; 1 findings at or above it; 2 unusable
input or usage. No traceback reaches the user (``MASCITE_DEBUG=1`` shows one).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from .errors import InputError, MasciteError

if TYPE_CHECKING:
    from .crossref import CrossrefClient
    from .sources import Bibliography

__all__ = ["main"]

_OUT_FORMATS = ("csl-json", "bibtex", "ris")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n")


class _Version(argparse.Action):
    """``--version``, looked up only when asked for (reading package metadata takes time)."""

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        from . import __version__

        print(f"mascite {__version__}")
        parser.exit()


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="mascite", description="Check, resolve and format the references of "
                     "scientific content.")
    parser.add_argument("--version", action=_Version, nargs=0, help="show the version and exit")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND",
                                parser_class=_Parser)

    p = sub.add_parser("check", help="check a document's citations and references")
    p.add_argument("document", metavar="DOC", help="a document, or a bibliography file alone")
    p.add_argument("--bib", action="append", default=[], metavar="FILE",
                   help="a bibliography (.bib, .json, .ris) to check with the document")
    p.add_argument("--offline", action="store_true", help="no network: answer from the cache")
    p.add_argument("--quiet", action="store_true", help="no progress or notices on stderr")
    p.add_argument("--style", help="citation style for the report (CSL name or file)")
    p.add_argument("--format", default="text",
                   choices=("text", "json", "sarif", "junit", "github", "html"))
    p.add_argument("--output", metavar="FILE", help="write the report here, not to stdout")
    p.add_argument("--fail-on", default="error", choices=("error", "warning", "never"))

    p = sub.add_parser("parse", help="free-text references (one per entry) to structured data")
    p.add_argument("file", nargs="?", default="-", metavar="FILE|-")
    p.add_argument("--to", default="csl-json", choices=_OUT_FORMATS)

    p = sub.add_parser("resolve", help="look DOIs up at Crossref")
    p.add_argument("dois", nargs="*", metavar="DOI")
    p.add_argument("--file", metavar="FILE", help="DOIs in any form, one or more per line")
    p.add_argument("--to", default="csl-json", choices=_OUT_FORMATS)
    p.add_argument("--offline", action="store_true", help="answer from the cache alone")
    p.add_argument("--quiet", action="store_true", help="no progress or notices on stderr")

    p = sub.add_parser("format", help="format a bibliography in a CSL style")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--style", required=True)
    p.add_argument("--to", default="text", choices=("text", "html", "markdown", "latex"))

    p = sub.add_parser("render", help="render a document with linked citations")
    p.add_argument("document", metavar="DOC")
    p.add_argument("--bib", action="append", default=[], metavar="FILE",
                   help="a bibliography whose entries enrich the document's own list")
    p.add_argument("--style", required=True)
    p.add_argument("--to", default="html", choices=("html", "markdown"))
    p.add_argument("--output", metavar="FILE")

    p = sub.add_parser("fix", help="show (and apply) corrections to a BibTeX file from Crossref")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--write", action="store_true", help="apply the corrections to FILE")
    p.add_argument("--only", metavar="FIELDS", help="comma-separated: doi,pages,volume,issue,"
                   "year,journal,title")
    p.add_argument("--offline", action="store_true", help="answer from the cache alone")
    p.add_argument("--quiet", action="store_true", help="no progress or notices on stderr")

    p = sub.add_parser("convert", help="convert a bibliography between BibTeX, CSL-JSON and RIS")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--from", dest="source_format", metavar="FORMAT",
                   help="input format when the suffix does not say")
    p.add_argument("--to", required=True, choices=_OUT_FORMATS)
    p.add_argument("--output", metavar="FILE")
    return parser


def _emit(text: str, output: str | None) -> None:
    if output:
        try:
            Path(output).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise MasciteError(f"{output}: cannot write: {exc.strerror}") from exc
    else:
        sys.stdout.write(text)


def _report_failures(bibliography: Bibliography) -> int:
    for failure in bibliography.failures:
        print(f"{failure.location_message()}", file=sys.stderr)
    return 2 if bibliography.failures else 0


def _progress(quiet: bool) -> Callable[[int, int], None] | None:
    """A one-line progress bar on a terminal; nothing in CI or with --quiet."""
    if quiet or not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        width = 30
        filled = width * done // max(total, 1)
        end = "\n" if done >= total else ""
        print(f"\rresolving [{'#' * filled}{'.' * (width - filled)}] {done}/{total}", end=end,
              file=sys.stderr, flush=True)

    return show


def _client(args: argparse.Namespace) -> CrossrefClient:
    from .crossref import CrossrefClient

    offline = args.offline or os.environ.get("MASCITE_OFFLINE") == "1"
    return CrossrefClient(offline=offline, progress=_progress(args.quiet))


def _cmd_check(args: argparse.Namespace) -> int:
    from .pipeline import check
    from .report import render_report

    client = _client(args)
    report = check(args.document, args.bib, offline=client.offline, client=client)
    colour = (args.output is None and sys.stdout.isatty() and not os.environ.get("NO_COLOR"))
    _emit(render_report(report, args.format, colour=colour), args.output)
    for failure in report.failures:
        print(f"{failure.location_message()}", file=sys.stderr)
    return report.exit_code(args.fail_on)


def _cmd_resolve(args: argparse.Namespace) -> int:
    from .identifiers import find_dois
    from .sources import write_references
    from .sources.base import decode_text

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
        code = 1 if answer.status == "not-found" and code == 0 else 2
        print(f"mascite: {doi}: {answer.status}: {answer.reason}", file=sys.stderr)
    _emit(write_references(found, args.to), None)
    if not args.quiet:
        for notice in client.notices:
            print(f"mascite: note: {notice}", file=sys.stderr)
    return code


def _cmd_fix(args: argparse.Namespace) -> int:
    from .fix import FIELDS, apply_corrections, corrections, diff
    from .pipeline import check
    from .sources.base import decode_text

    only = {f.strip() for f in args.only.split(",")} if args.only else None
    known = {name for name, _ in FIELDS.values()}
    if only and not only <= known:
        raise MasciteError(f"--only takes {', '.join(sorted(known))}; not "
                           f"{', '.join(sorted(only - known))}")
    client = _client(args)
    report = check(args.file, offline=client.offline, client=client)
    for failure in report.failures:
        print(failure.location_message(), file=sys.stderr)
    before, _failures = decode_text(_read_bytes(args.file), args.file)
    fixes = corrections(report, only)
    after = apply_corrections(before, fixes)
    if not fixes:
        print(f"mascite: {args.file}: nothing to correct", file=sys.stderr)
        return 2 if report.failures else 0
    if args.write:
        Path(args.file).write_text(after, encoding="utf-8")
        print(f"mascite: {args.file}: {len(fixes)} corrections written", file=sys.stderr)
        return 0
    sys.stdout.write(diff(args.file, before, after))
    return 1


def _read_bytes(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"cannot be read: {exc.strerror}", path=path) from exc


def _cmd_parse(args: argparse.Namespace) -> int:
    """One item per input entry, in input order; entries that are not references are marked."""
    from .refparse import parse_reference
    from .sources import write_references
    from .sources.base import decode_text
    from .sources.reflist import split_entries

    if args.file == "-":
        text, failures = decode_text(sys.stdin.buffer.read(), "<stdin>")
    else:
        text, failures = decode_text(_read_bytes(args.file), args.file)
    for failure in failures:
        print(failure.location_message(), file=sys.stderr)
    results = [parse_reference(entry.text, entry.label or str(index))
               for index, entry in enumerate(split_entries(text), start=1)]
    if args.to == "csl-json":
        _emit(json.dumps([r.to_csl() for r in results], ensure_ascii=False, indent=2) + "\n", None)
    else:
        _emit(write_references([r.reference for r in results], args.to), None)
    return 2 if failures else 0


def _cmd_render(args: argparse.Namespace) -> int:
    from .document import read_document
    from .pipeline import check_document
    from .render import render_document
    from .sources import read_references

    document = read_document(args.document)
    report = check_document(document, [read_references(b) for b in args.bib])
    _emit(render_document(document, report, args.style, to=args.to), args.output)
    for failure in report.failures:
        print(failure.location_message(), file=sys.stderr)
    return 2 if report.failures else 0


def _cmd_format(args: argparse.Namespace) -> int:
    """Entries in the style's order, separated by a blank line."""
    from .formatting import format_bibliography
    from .sources import read_references

    bibliography = read_references(args.file)
    entries = format_bibliography(bibliography.references, args.style, to=args.to)
    _emit("\n\n".join(entries) + ("\n" if entries else ""), None)
    return _report_failures(bibliography)


def _cmd_convert(args: argparse.Namespace) -> int:
    from .sources import read_references, write_references

    bibliography = read_references(args.file, args.source_format)
    _emit(write_references(bibliography.references, args.to), args.output)
    return _report_failures(bibliography)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (the console script exits with it)."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "check":
            return _cmd_check(args)
        if args.command == "parse":
            return _cmd_parse(args)
        if args.command == "convert":
            return _cmd_convert(args)
        if args.command == "fix":
            return _cmd_fix(args)
        if args.command == "resolve":
            return _cmd_resolve(args)
        if args.command == "format":
            return _cmd_format(args)
        return _cmd_render(args)
    except MasciteError as exc:
        print(f"mascite: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("mascite: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        if os.environ.get("MASCITE_DEBUG") == "1":
            raise
        print(f"mascite: internal error: {type(exc).__name__}: {exc} "
              f"(run with MASCITE_DEBUG=1 for details, and please report it)", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

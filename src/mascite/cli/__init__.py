"""The ``mascite`` command: subcommands over the public API, and nothing else.

Exit codes (contract): 0 nothing at or above ``--fail-on``; 1 findings at or above it; 2 unusable
input or usage. No traceback reaches the user (``MASCITE_DEBUG=1`` shows one).
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from collections.abc import Sequence
from typing import NoReturn, TextIO

from ..errors import MasciteError
from ..text.printable import printable
from . import commands

__all__ = ["main"]

_OUT_FORMATS = ("csl-json", "csl-yaml", "bibtex", "ris")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n")


class _Version(argparse.Action):
    """``--version``, looked up only when asked for (reading package metadata takes time)."""

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        from .. import __version__

        print(f"mascite {__version__}")
        parser.exit()



def _seconds(text: str) -> float:
    value = float(text)
    if not value >= 0:  # also refuses nan
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}")
    return value


def _codes(text: str) -> list[str]:
    return [code.strip() for code in text.split(",") if code.strip()]


def _deadline(p: argparse.ArgumentParser) -> None:
    p.add_argument("--deadline", type=_seconds, metavar="SECONDS",
                   help="the most time the run's Crossref lookups may take (default 60, "
                        "or $MASCITE_DEADLINE; 0: no limit)")

def _engine(p: argparse.ArgumentParser) -> None:
    p.add_argument("--engine", default="auto", choices=("auto", "citeproc-js", "pandoc"),
                   help="the CSL processor (auto: citeproc-js where installed, else pandoc)")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="mascite", description="Check, resolve and format the references of "
                     "scientific content.")
    parser.add_argument("--version", action=_Version, nargs=0, help="show the version and exit")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND",
                                parser_class=_Parser)

    p = sub.add_parser("check", help="check documents' citations and references")
    p.add_argument("paths", nargs="+", metavar="PATH",
                   help="documents, bibliography files, folders (walked for the files mascite "
                        "reads), or - for standard input")
    p.add_argument("--bib", action="append", default=[], metavar="FILE",
                   help="a bibliography (.bib, .json, .yaml, .ris) to check with the documents, "
                        "in place of the ones they name")
    p.add_argument("--stdin-filename", metavar="NAME",
                   help="the name standard input is checked as (its suffix gives the format)")
    p.add_argument("--config", metavar="FILE",
                   help="use this configuration file, not the one found from the files")
    p.add_argument("--isolated", action="store_true", help="ignore every configuration file")
    p.add_argument("--select", type=_codes, metavar="RULES",
                   help="the rules to report (codes or families, comma-separated; ALL)")
    p.add_argument("--extend-select", type=_codes, action="extend", default=[], metavar="RULES",
                   help="rules to report as well as the selected ones")
    p.add_argument("--ignore", type=_codes, action="extend", default=[], metavar="RULES",
                   help="rules not to report")
    p.add_argument("--show-suppressed", action="store_true",
                   help="list the findings that comments in the documents suppress")
    p.add_argument("--force-exclude", action="store_true",
                   help="leave out files named on the command line that the exclude settings "
                        "or .gitignore exclude (as pre-commit needs)")
    # mascite.document.policy.POLICIES, named here so that the CLI starts without the model
    p.add_argument("--claims", choices=("strict", "standard", "lenient", "all"),
                   help="which claims need a source: strict (a medical editor's reading), "
                        "standard (the default, for scientific papers), lenient, or all")
    p.add_argument("--offline", action="store_true", help="no network: answer from the cache")
    p.add_argument("--quiet", action="store_true", help="no progress or notices on stderr")
    _deadline(p)
    p.add_argument("--format", default="text",
                   choices=("text", "json", "sarif", "junit", "github", "html"))
    p.add_argument("--output", metavar="FILE", help="write the report here, not to stdout")
    p.add_argument("--fail-on", choices=("error", "warning", "never"),
                   help="the lowest severity that makes the exit code 1 (default: error)")

    p = sub.add_parser("rules", help="list every rule: its code, family and what it finds")
    p.add_argument("--format", default="text", choices=("text", "json"))

    p = sub.add_parser("rule", help="explain one rule")
    p.add_argument("code", metavar="CODE")

    p = sub.add_parser("schema", help="print the JSON schema of check --format json")
    p.add_argument("--run", action="store_true",
                   help="the schema of a report over many files (not of one file's)")

    p = sub.add_parser("parse", help="free-text references (one per entry) to structured data")
    p.add_argument("file", nargs="?", default="-", metavar="FILE|-")
    p.add_argument("--to", default="csl-json", choices=_OUT_FORMATS)

    p = sub.add_parser("resolve", help="look DOIs up at Crossref")
    p.add_argument("dois", nargs="*", metavar="DOI")
    p.add_argument("--file", metavar="FILE", help="DOIs in any form, one or more per line")
    p.add_argument("--to", default="csl-json", choices=_OUT_FORMATS)
    p.add_argument("--offline", action="store_true", help="answer from the cache alone")
    p.add_argument("--quiet", action="store_true", help="no progress or notices on stderr")
    _deadline(p)

    p = sub.add_parser("format", help="format a bibliography in a CSL style")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--style", required=True,
                   help="a style's id, title or common name (vancouver, apa...), or a .csl file")
    p.add_argument("--to", default="text", choices=("text", "html", "markdown", "latex", "rtf"))
    p.add_argument("--locale", metavar="LANG", help="the locale, instead of the style's (de-DE)")
    _engine(p)
    p.add_argument("--quiet", action="store_true", help="no notice of the engine on stderr")

    p = sub.add_parser("engines", help="list the CSL engines, or install citeproc-js")
    p.add_argument("action", nargs="?", choices=("list", "install"), default="list")
    p.add_argument("engine", nargs="?", choices=("citeproc-js",))

    p = sub.add_parser("styles", help="search the CSL styles by id or title")
    p.add_argument("query", nargs="*", metavar="WORD")
    p.add_argument("--all", action="store_true", help="dependent styles too (journals' names)")

    p = sub.add_parser("render", help="render a document with linked citations")
    p.add_argument("document", metavar="DOC")
    p.add_argument("--bib", action="append", default=[], metavar="FILE",
                   help="a bibliography whose entries enrich the document's own list")
    p.add_argument("--style", required=True)
    p.add_argument("--to", default="html", choices=("html", "markdown"))
    p.add_argument("--output", metavar="FILE")
    _engine(p)

    p = sub.add_parser("fix", help="show (and apply) corrections to BibTeX files from Crossref")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--write", action="store_true", help="apply the corrections to each FILE")
    p.add_argument("--only", metavar="FIELDS", help="comma-separated: doi,pages,volume,issue,"
                   "year,journal,title")
    p.add_argument("--offline", action="store_true", help="answer from the cache alone")
    p.add_argument("--quiet", action="store_true", help="no progress or notices on stderr")
    _deadline(p)

    p = sub.add_parser("convert", help="convert a bibliography between BibTeX, CSL-JSON and RIS")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--from", dest="source_format", metavar="FORMAT",
                   help="input format when the suffix does not say")
    p.add_argument("--to", required=True, choices=_OUT_FORMATS)
    p.add_argument("--output", metavar="FILE")
    return parser


class _Printable(io.TextIOBase):
    """stderr for messages that quote data: control and bidi characters shown escaped."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.write(printable(text, keep="\r\n\t"))
        return len(text)

    def flush(self) -> None:
        self.stream.flush()

    def isatty(self) -> bool:
        return self.stream.isatty()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (the console script exits with it)."""
    args = _parser().parse_args(argv)
    stderr, sys.stderr = sys.stderr, _Printable(sys.stderr)
    try:
        return _run(args)
    finally:
        sys.stderr = stderr


def _run(args: argparse.Namespace) -> int:
    try:
        return commands.COMMANDS[args.command](args)
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

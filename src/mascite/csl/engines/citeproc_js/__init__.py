"""citeproc-js, the reference CSL processor, run inside Python by an embedded V8 (``mini-racer``):
its output is citeproc-js's by construction. citeproc-js (CPAL-1.0 OR AGPL-3.0) is never shipped
with mascite: it is the npm package ``citeproc``, installed apart (:mod:`.install`) or named by
``MASCITE_CITEPROC_JS``. Locales are the CSL project's, as ``citeproc-py`` ships them (or
``MASCITE_CSL_LOCALES``).

One V8 context per process, created on first use; each style's engine is built once and kept,
since building one costs far more than formatting an entry with it.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import importlib.util
import json
import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ....errors import FormatError, NotAvailableError

__all__ = ["EXTRA", "PINNED", "Runtime", "background_threads", "library_path", "locales_dir",
           "runtime", "unavailable", "version"]

PINNED = "2.4.63"  # the npm package citeproc's version mascite is tested with
EXTRA = "pip install 'mascite[citeproc]'"
TIMEOUT = 300.0  # seconds one call into the engine may take
_BOOTSTRAP = Path(__file__).with_name("bootstrap.js")


def install_dir(environ: Mapping[str, str] | None = None) -> Path:
    """Where ``mascite engines install citeproc-js`` puts the npm package."""
    env = os.environ if environ is None else environ
    base = env.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "mascite" / "citeproc-js"


def library_path(environ: Mapping[str, str] | None = None) -> Path | None:
    """``citeproc_commonjs.js``: ``MASCITE_CITEPROC_JS``, else the installed package."""
    env = os.environ if environ is None else environ
    named = env.get("MASCITE_CITEPROC_JS")
    if named:
        return Path(named)
    path = install_dir(env) / "node_modules" / "citeproc" / "citeproc_commonjs.js"
    return path if path.is_file() else None


def locales_dir(environ: Mapping[str, str] | None = None) -> Path | None:
    """The CSL locale files: ``MASCITE_CSL_LOCALES``, else citeproc-py's (found without
    importing it)."""
    env = os.environ if environ is None else environ
    if env.get("MASCITE_CSL_LOCALES"):
        return Path(env["MASCITE_CSL_LOCALES"])
    spec = importlib.util.find_spec("citeproc")
    if spec is None or spec.origin is None:
        return None
    folder = Path(spec.origin).with_name("data") / "locales"
    return folder if folder.is_dir() else None


def version(library: Path) -> str | None:
    """The npm package's version, from the ``package.json`` beside the library."""
    try:
        data = json.loads(library.with_name("package.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return str(data.get("version")) if isinstance(data, dict) and data.get("version") else None


def unavailable(environ: Mapping[str, str] | None = None) -> str | None:
    """Why the engine cannot run here, with what to do; ``None`` when it can."""
    if importlib.util.find_spec("py_mini_racer") is None:
        return f"citeproc-js needs mini-racer: {EXTRA}"
    library = library_path(environ)
    if library is None:
        return "citeproc-js is not installed: run 'mascite engines install citeproc-js'"
    if not library.is_file():
        return f"MASCITE_CITEPROC_JS names {library}, which is not a file"
    if locales_dir(environ) is None:
        return f"citeproc-js needs the CSL locales: {EXTRA}, or set MASCITE_CSL_LOCALES"
    return None


@dataclass
class Runtime:
    """citeproc-js in a V8 context of its own; calls are serialised (a context is one thread's)."""

    library: Path
    locales: Path
    _context: Any = None
    _engines: dict[tuple[str, str | None], int] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self) -> None:
        from py_mini_racer import LibAlreadyInitializedError, MiniRacer, init_mini_racer

        # V8 starts once per process, with its flags (see background_threads); where the
        # embedding program started it already, with flags of its own, those stand
        with contextlib.suppress(LibAlreadyInitializedError):
            init_mini_racer(flags=() if _BACKGROUND[0] else ("--single-threaded",))

        try:
            source = self.library.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise NotAvailableError(f"cannot read citeproc-js at {self.library}: {exc}") from exc
        context = MiniRacer()
        try:
            context.eval("var module = {exports: {}}; var exports = module.exports;")
            context.eval(source)
            context.eval(_BOOTSTRAP.read_text(encoding="utf-8"))
        except Exception as exc:
            context.close()
            raise NotAvailableError(f"{self.library} is not citeproc-js: {exc}") from exc
        self._context = context
        self._add_locale("en-US")

    def close(self) -> None:
        if self._context is not None:
            self._context.close()
            self._context = None
            self._engines.clear()

    @property
    def version(self) -> str:
        """The npm package's version (the processor calls itself by another number); asking
        starts no engine."""
        return version(self.library) or "(version unknown)"

    def _call(self, expression: str, *args: Any) -> Any:
        if self._context is None:
            self.start()
        try:
            return self._context.call(expression, *args, timeout_sec=TIMEOUT)
        except Exception as exc:  # the engine's own errors: a style it cannot read, say
            message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise FormatError(f"citeproc-js failed: {message[:300]}") from exc

    def _add_locale(self, lang: str) -> bool:
        path = self.locales / f"locales-{lang}.xml"
        if not path.is_file():
            return False
        self._call("MASCITE.addLocale", lang, path.read_text(encoding="utf-8"))
        return True

    def engine(self, style: str, locale: str | None, name: str = "") -> int:
        """The engine for a style text and locale, built on first use; ``name``: the style's,
        for messages."""
        key = (style, locale)
        with self._lock:
            if key in self._engines:
                return self._engines[key]
            _well_formed(style, name)
            tried: set[str] = set()
            while True:
                built = self._call("MASCITE.build", style, locale or "en-US", locale is not None)
                wanted = [lang for lang in built["missing"] if lang not in tried]
                tried.update(wanted)
                added = [lang for lang in wanted if self._add_locale(lang)]
                if not added:
                    break
                self._call("MASCITE.drop", built["id"])
            self._engines[key] = built["id"]
            return int(built["id"])

    def bibliography(self, engine: int, items: list[dict[str, Any]], fmt: str,
                     ) -> tuple[list[str], list[str], bool]:
        """Item ids and entries in the style's order, and whether the style has a bibliography."""
        with self._lock:
            result = self._call("MASCITE.bibliography", engine, _digested(items), fmt)
        return result["ids"], result["entries"], result["bibliography"]

    def document(self, engine: int, items: list[dict[str, Any]],
                 citations: list[dict[str, Any]], uncited: list[str], fmt: str,
                 ) -> dict[str, list[str]]:
        """Each citation as the style prints it there (in document order), and the
        bibliography of what was cited and of ``uncited``."""
        with self._lock:
            result: dict[str, list[str]] = self._call("MASCITE.document", engine,
                                                      _digested(items), citations, uncited, fmt)
        return result


def _digested(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each item with the id the engine knows it by: a digest of its data (but its own id),
    and of its place among equal items of the list (two equal items are two entries)."""
    seen: dict[str, int] = {}
    out = []
    for item in items:
        data = {k: v for k, v in item.items() if k != "id"}
        digest = hashlib.sha1(json.dumps(data, sort_keys=True, ensure_ascii=False).encode(),
                              usedforsecurity=False).hexdigest()[:20]
        seen[digest] = seen.get(digest, 0) + 1
        out.append({**item, "mascite_digest": f"d{digest}-{seen[digest]}"})
    return out


def _well_formed(style: str, name: str) -> None:
    """citeproc-js reads a style cut short without a word; mascite refuses it, saying where."""
    from defusedxml import ElementTree
    from defusedxml.common import DefusedXmlException

    called = f"the style {name}" if name else "the style"
    try:
        ElementTree.fromstring(style)
    except ElementTree.ParseError as exc:
        raise FormatError(f"{called} is not well-formed XML: {exc}") from exc
    except DefusedXmlException as exc:
        raise FormatError(f"{called} holds XML mascite does not read: {exc}") from exc


_BACKGROUND = [False]


def background_threads() -> None:
    """Let V8 compile and collect on threads of its own, which makes a first bibliography about
    a third faster. Only for a process that will not fork after an engine starts (V8's threads
    do not survive a fork: mini-racer runs V8 single-threaded by default for that): the command
    line asks for it; a library user may."""
    _BACKGROUND[0] = True


_runtimes: dict[int, Runtime] = {}


def runtime(environ: Mapping[str, str] | None = None) -> Runtime:
    """This process's runtime (a forked process, as in a parallel docs build, starts its own:
    a V8 context does not survive a fork)."""
    reason = unavailable(environ)
    if reason is not None:
        raise NotAvailableError(reason)
    pid = os.getpid()
    if pid not in _runtimes:
        library, locales = library_path(environ), locales_dir(environ)
        if library is None or locales is None:  # pragma: no cover - unavailable() said so
            raise NotAvailableError("citeproc-js is not installed")
        _runtimes[pid] = Runtime(library, locales)
    return _runtimes[pid]


@atexit.register
def _close() -> None:  # an open context keeps the process from ending
    own = _runtimes.pop(os.getpid(), None)
    if own is not None:
        own.close()

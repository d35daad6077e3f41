"""CSL engines: what turns CSL items and a style into formatted entries and citations.

Two engines: ``citeproc-js`` (the reference processor itself, in an embedded V8) and ``pandoc``
(pandoc's citeproc with mascite's corrections). ``auto`` is citeproc-js where it is installed,
else pandoc. Both are imported only when used.
"""

from __future__ import annotations

import importlib.util
from typing import Literal, NamedTuple

from ...errors import FormatError, NotAvailableError

__all__ = ["ENGINES", "EngineName", "EngineStatus", "choose", "engine_status"]

EngineName = Literal["citeproc-js", "pandoc"]
ENGINES: tuple[EngineName, ...] = ("citeproc-js", "pandoc")


class EngineStatus(NamedTuple):  # not a dataclass: its import costs a one-entry run 7 ms
    """An engine as installed here: its version, or why it cannot run and what to do."""

    name: EngineName
    version: str | None
    problem: str | None

    @property
    def available(self) -> bool:
        return self.problem is None


def engine_status(name: EngineName) -> EngineStatus:
    if name == "citeproc-js":
        from . import citeproc_js

        problem = citeproc_js.unavailable()
        library = citeproc_js.library_path()
        found = citeproc_js.version(library) if problem is None and library else None
        return EngineStatus(name, found, problem)
    if importlib.util.find_spec("pypandoc") is None:
        from ..styles import EXTRA

        return EngineStatus(name, None, f"pandoc is not installed: {EXTRA}")
    from .pandoc.run import pandoc_version

    try:
        return EngineStatus(name, pandoc_version(), None)
    except NotAvailableError as exc:
        return EngineStatus(name, None, str(exc))


def choose(name: str = "auto") -> EngineName:
    """The engine a name asks for; ``auto``: citeproc-js when it can run, else pandoc. An engine
    asked for by name that cannot run is an error saying what to do."""
    if name == "auto":
        from . import citeproc_js

        return "citeproc-js" if citeproc_js.unavailable() is None else "pandoc"
    if name == "citeproc-js":
        from . import citeproc_js

        problem = citeproc_js.unavailable()
        if problem is not None:
            raise NotAvailableError(problem)
        return "citeproc-js"
    if name == "pandoc":  # whether pandoc runs is found when it runs (a process fewer)
        if importlib.util.find_spec("pypandoc") is None:
            from ..styles import EXTRA

            raise NotAvailableError(f"pandoc is not installed: {EXTRA}")
        return "pandoc"
    raise FormatError(f"no CSL engine named {name!r}: choose auto, {', '.join(ENGINES)}")

"""Progress of long network work on stderr, when stderr is a terminal: one line that redraws,
with the file, what is being done (lookups, searches), the count and an estimate of the time
left. Quiet in CI, in pipes and with ``--quiet``."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

from ..text.printable import printable

__all__ = ["ProgressLine", "progress_line"]


class ProgressLine:
    """``file: searches [#####.....] 12/40, about 9 s left``, redrawn in place."""

    def __init__(self, stream: TextIO, clock: Callable[[], float] = time.monotonic) -> None:
        self.stream = stream
        self.clock = clock
        self.file = ""
        self._phase: tuple[str, str] | None = None
        self._started = 0.0

    def start_file(self, name: str) -> None:
        """Work on another file begins."""
        self.file = name

    def __call__(self, done: int, total: int, what: str = "lookups") -> None:
        if self._phase != (self.file, what) or done == 0:
            self._phase, self._started = (self.file, what), self.clock()
        width = 24
        filled = width * done // max(total, 1)
        elapsed = self.clock() - self._started
        left = ""
        if 0 < done < total and elapsed > 0.5:
            left = f", about {elapsed / done * (total - done):.0f} s left"
        where = f"{printable(self.file)}: " if self.file else ""
        line = f"\r{where}{what} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}{left}"
        self.stream.write(line + ("\033[K\n" if done >= total else "\033[K"))
        self.stream.flush()


def progress_line(quiet: bool) -> ProgressLine | None:
    """A progress line on a terminal; nothing in CI, in a pipe or with ``--quiet``."""
    if quiet or not sys.stderr.isatty():
        return None
    return ProgressLine(sys.stderr)

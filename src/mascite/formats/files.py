"""Files at the I/O edge: reading what a user gives (regular files only, decoded with every
undecodable byte reported), and writing back without ever leaving a half-written file (a
temporary file in the same folder, synced, with the original's mode, then renamed over it).

Rewriting a user's file keeps its bytes: :func:`decode_exact` says which encoding (and byte-order
mark) reads it back exactly, so untouched text is written back byte for byte.
"""

from __future__ import annotations

import codecs
import contextlib
import os
import stat
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError, MasciteError
from ..model import ParseFailure

__all__ = ["Encoded", "decode_exact", "decode_text", "read_bytes", "read_input", "write_atomic"]

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
         (codecs.BOM_UTF16_BE, "utf-16-be"))
MAX_INPUT = 512 * 1024 * 1024  # bytes: more is not a document or a bibliography


def read_bytes(path: str | Path, what: str) -> bytes:
    """A regular file's bytes; a missing file, a folder, a FIFO or a device is an
    :class:`InputError` (a FIFO with no writer would wait for ever)."""
    name = str(path)
    try:
        info = os.stat(name)
    except FileNotFoundError:
        raise InputError("no such file", path=name) from None
    except OSError as exc:
        raise InputError(f"cannot be read: {exc.strerror}", path=name) from exc
    if stat.S_ISDIR(info.st_mode):
        raise InputError(f"is a directory, not {what}", path=name)
    if not stat.S_ISREG(info.st_mode):
        raise InputError(f"is not a regular file (a pipe or a device), not {what}; give a file, "
                         "or '-' to read standard input", path=name)
    if info.st_size > MAX_INPUT:
        raise InputError(f"is {info.st_size // 2**20} MB: larger than {MAX_INPUT // 2**20} MB, "
                         f"too large for {what}", path=name)
    try:
        return Path(name).read_bytes()
    except OSError as exc:
        raise InputError(f"cannot be read: {exc.strerror}", path=name) from exc


def read_input(path: str | Path, what: str) -> tuple[str, list[ParseFailure]]:
    """A file's text, decoded; a file that cannot be opened at all is an :class:`InputError`."""
    return decode_text(read_bytes(path, what), str(path))


def _line_column(data: bytes, at: int) -> tuple[int, int]:
    return data.count(b"\n", 0, at) + 1, at - (data.rfind(b"\n", 0, at) + 1) + 1


def decode_text(data: bytes, path: str | None = None) -> tuple[str, list[ParseFailure]]:
    """Decode bytes as UTF-8 (byte-order marks honoured); undecodable bytes and NUL bytes
    become U+FFFD, and the first of them a failure naming its line and column: nothing is lost,
    the rest is still read."""
    bom, encoding = next(((b, e) for b, e in _BOMS if data.startswith(b)), (b"", "utf-8"))
    body, bom_size = data[len(bom):], len(bom)
    failures = []
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError as exc:
        text = body.decode(encoding, errors="replace")
        line, column = _line_column(data, exc.start + bom_size)
        bad = body[exc.start:exc.end].hex(" ")
        failures.append(ParseFailure(
            path=path, line=line, kind="encoding", raw=text.splitlines()[line - 1][:200]
            if text.splitlines() else "",
            message=f"not valid {encoding.upper()} at column {column} (byte {bad}); read with "
                    f"U+FFFD in its place"))
    if "\x00" in text:
        at = text.index("\x00")
        line = text.count("\n", 0, at) + 1
        text = text.replace("\x00", "\ufffd")
        failures.append(ParseFailure(path=path, line=line, kind="encoding",
                                     message="a NUL byte; read as U+FFFD"))
    return text, failures


@dataclass(frozen=True)
class Encoded:
    """A file's text with what writes it back byte for byte: its encoding and byte-order mark."""

    text: str
    encoding: str
    bom: bytes = b""

    def encode(self, text: str) -> bytes:
        """``text`` in this file's encoding; :class:`MasciteError` when a character has no
        place in it (a "ü" for an ASCII file)."""
        try:
            return self.bom + text.encode(self.encoding)
        except UnicodeEncodeError as exc:
            raise MasciteError(f"{text[exc.start:exc.end]!r} cannot be written in this file's "
                               f"encoding ({self.encoding})") from exc


def decode_exact(data: bytes) -> Encoded:
    """How to read a file so that writing it back gives the same bytes: by its byte-order mark,
    as UTF-8, or else as Latin-1 (which reads any bytes and writes them back unchanged)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return Encoded(data[len(bom):].decode(encoding), encoding, bom)
            except UnicodeDecodeError:
                break
    try:
        return Encoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        return Encoded(data.decode("latin-1"), "latin-1")


def write_atomic(path: str | Path, data: bytes | Iterable[bytes]) -> None:
    """Replace a file's content all at once: written to a temporary file in the same folder
    (``data`` whole, or piece by piece), synced to disk, given the original's mode (and owner,
    where allowed), then renamed over it. On any error, or if the process is killed, the
    original is as it was."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        info: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise MasciteError(f"{target}: cannot write: {exc.strerror}") from exc
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise MasciteError(f"{target}: cannot write: not a regular file")
    try:
        handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".mascite-tmp",
                                        dir=folder)
    except OSError as exc:
        raise MasciteError(f"{target}: cannot write: {exc.strerror}") from exc
    try:
        with os.fdopen(handle, "wb") as out:
            for piece in (data,) if isinstance(data, bytes) else data:
                out.write(piece)
            out.flush()
            os.fsync(out.fileno())
        if info is not None:
            os.chmod(name, stat.S_IMODE(info.st_mode))
            with contextlib.suppress(OSError):  # only the owner's group, or root, may chown
                os.chown(name, info.st_uid, info.st_gid)
        os.replace(name, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(name)
        if isinstance(exc, OSError):
            raise MasciteError(f"{target}: cannot write: {exc.strerror}; the file is "
                               f"unchanged") from exc
        raise
    with contextlib.suppress(OSError):  # the rename itself lasts once the folder is synced
        directory = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)

"""Rewriting a user's file: the right entry and only its value, the file's own bytes and encoding
everywhere else, nothing written that breaks an entry, and never a half-written file."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mascite import read_references_text
from mascite.checks.fix import Correction, apply_corrections
from mascite.errors import InputError, MasciteError
from mascite.formats.files import decode_exact, read_bytes, write_atomic

from .conftest import ROOT


def fix(field: str, value: str, key: str = "k") -> Correction:
    return Correction(key, field, value, "test")


def test_a_parenthesis_inside_a_braced_value_does_not_end_the_entry() -> None:
    text = "@article(k,\n  title = {Stage 1) disease},\n  year = 2020\n)\n"
    applied = apply_corrections(text, [fix("pages", "4-10")])
    assert applied.text == ("@article(k,\n  title = {Stage 1) disease},\n  year = 2020,\n"
                            "  pages = {4--10},\n)\n")
    assert read_references_text(applied.text, "bibtex").references[0].title == "Stage 1) disease"


def test_the_entry_bibtex_reads_is_edited_not_text_that_mentions_its_key() -> None:
    text = ("@comment{@article{k, volume = {1}}}\n"
            "@article{other, note = {see k, volume = {2}}}\n"
            "@article{k,\n  volume = {86},\n}\n")
    applied = apply_corrections(text, [fix("volume", "68")])
    assert applied.text == text.replace("volume = {86}", "volume = {68}")
    assert applied.refused == []


def test_a_missing_entry_is_refused_not_silently_skipped() -> None:
    applied = apply_corrections("@article{a, title={T}}\n", [fix("volume", "1", key="zz")])
    assert [(c.key, why) for c, why in applied.refused] == [("zz", "no entry 'zz' in the file")]


@pytest.mark.parametrize(("field", "value", "why"), [
    ("doi", "10.5555/fix.3},title={PWNED-DOI",
     "the record's DOI '10.5555/fix.3},title={PWNED-DOI' is not a DOI that can be written safely"),
    ("pages", "200-210}, note = {PWNED", "the record's value has braces that do not pair up"),
    ("title", "Bell\x07 rings", "the record's value holds control characters"),
])
def test_values_from_a_record_that_would_break_the_entry_are_refused(field: str, value: str,
                                                                     why: str) -> None:
    text = "@article{k,\n  title = {T},\n}\n"
    applied = apply_corrections(text, [fix(field, value)])
    assert applied.text == text
    assert [w for _, w in applied.refused] == [why]


def test_a_balanced_but_hostile_title_stays_inside_its_field() -> None:
    applied = apply_corrections("@article{k,\n  title = {T},\n}\n",
                                [fix("title", "{a}, note = {b}")])
    back = read_references_text(applied.text, "bibtex").references[0]
    assert (back.title, back.note) == ("{a}, note = {b}", None)


def test_latin1_and_utf16_files_keep_their_bytes() -> None:
    latin = "@article{m,\n  author = {Müller, J.},\n  volume = {86},\n}\n".encode("latin-1")
    source = decode_exact(latin)
    assert source.encoding == "latin-1"
    written = source.encode(apply_corrections(source.text, [fix("volume", "68", "m")]).text)
    assert written == latin.replace(b"{86}", b"{68}")
    wide = "\ufeff@article{m,\n  author = {Öztürk, C.},\n  volume = {86},\n}\n".encode("utf-16-be")
    source = decode_exact(wide)
    assert (source.encoding, source.bom) == ("utf-16-be", b"\xfe\xff")
    written = source.encode(apply_corrections(source.text, [fix("volume", "68", "m")]).text)
    assert written == wide.replace("{86}".encode("utf-16-be"), "{68}".encode("utf-16-be"))
    with pytest.raises(MasciteError, match="cannot be written in this file's encoding"):
        decode_exact(latin).encode("中文")


def test_write_atomic_keeps_the_mode_and_leaves_nothing_on_error(tmp_path: Path,
                                                                 monkeypatch) -> None:
    target = tmp_path / "refs.bib"
    target.write_bytes(b"original")
    target.chmod(0o640)
    write_atomic(target, b"new")
    assert (target.read_bytes(), target.stat().st_mode & 0o777) == (b"new", 0o640)

    def broken(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(MasciteError, match="No space left on device; the file is unchanged"):
        write_atomic(target, b"newer")
    assert target.read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["refs.bib"]


def test_kill_9_while_writing_leaves_the_original(tmp_path: Path) -> None:
    target = tmp_path / "refs.bib"
    original = b"".join(b"@article{k%d,\n  title = {Title %d},\n}\n" % (i, i) for i in range(3000))
    target.write_bytes(original)
    script = ("import os, sys, time\n"
              "from mascite.formats.files import write_atomic\n"
              "os.replace = lambda *a: time.sleep(60)\n"  # killed before the rename
              f"write_atomic({str(target)!r}, b'x' * 13_000_000)\n")
    process = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT)
    deadline = time.monotonic() + 30
    while not any(p.name.endswith(".mascite-tmp") and p.stat().st_size >= 13_000_000
                  for p in tmp_path.iterdir()):
        assert time.monotonic() < deadline, "the temporary file never appeared"
        time.sleep(0.05)
    process.kill()
    process.wait()
    assert target.read_bytes() == original


def test_pipes_and_folders_are_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.bib"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="is not a regular file"):
        read_bytes(fifo, "a bibliography file")
    with pytest.raises(InputError, match="is a directory"):
        read_bytes(tmp_path, "a bibliography file")
    result = subprocess.run([sys.executable, "-m", "mascite", "check", str(fifo)],
                            capture_output=True, text=True, timeout=30, check=False, cwd=ROOT)
    assert result.returncode == 2
    assert "is not a regular file" in result.stderr

"""The lookup cache never stops a run: damaged files are moved aside, read-only ones are read,
old versions are upgraded, and rows are checked against the DOI they are stored under."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import requests
import responses

from mascite.crossref import CrossrefClient, LookupCache
from mascite.crossref.cache import SCHEMA
from mascite.errors import InputError

SAMPLES = Path(__file__).parent / "samples"
WORK = {"DOI": "10.1002/ajh.1141", "type": "journal-article", "title": ["Cached"],
        "container-title": ["Am J Hematol"], "issued": {"date-parts": [[2001]]}}


def _filled(path: Path, count: int = 400) -> None:
    cache = LookupCache(path)
    for index in range(count):
        cache.put(f"10.5555/{index}", "found", {**WORK, "DOI": f"10.5555/{index}",
                                                "abstract": "x" * 500})
    cache.close()
    db = sqlite3.connect(path)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


def _aside(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir() if ".broken-" in p.name)


def _stored_doi(cache: LookupCache, doi: str) -> str | None:
    """The DOI of the record the cache holds for ``doi`` (``None``: no record)."""
    entry = cache.get(doi)
    return None if entry is None or entry.payload is None else entry.payload["DOI"]


def test_truncated_cache_is_moved_aside_and_replaced(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    _filled(path)
    size = path.stat().st_size
    with path.open("r+b") as handle:
        handle.truncate(size // 2)
    cache = LookupCache(path)
    found = [cache.get(f"10.5555/{i}") for i in range(400)]  # reading on finds the damage
    assert {e.doi for e in found if e is not None} <= {f"10.5555/{i}" for i in range(400)}
    assert found[-1] is None
    aside = _aside(path)
    assert len(aside) == 1
    assert aside[0].startswith("cache.sqlite.broken-")
    assert (tmp_path / aside[0]).stat().st_size == size // 2  # the damaged file, kept as it was
    assert len(cache.notices) == 1
    assert "was damaged (database disk image is malformed): moved to " in cache.notices[0]
    cache.put("10.5555/new", "found", {**WORK, "DOI": "10.5555/new"})
    assert _stored_doi(cache, "10.5555/new") == "10.5555/new"


def test_overwritten_cache_is_replaced_at_open(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    path.write_bytes(b"not a database at all\n" * 200)
    cache = LookupCache(path)
    assert cache.notices == [f"the cache {path} was damaged (file is not a database): moved to "
                             f"{tmp_path / _aside(path)[0]}, a fresh cache started"]
    cache.put("10.1/a", "not-found", None)
    assert cache.get("10.1/a") is not None
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone() == (SCHEMA,)


def test_undecodable_and_odd_rows_are_misses_then_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    LookupCache(path).close()
    db = sqlite3.connect(path)
    db.execute("INSERT INTO lookups VALUES ('10.1/bad', 'found', CAST(X'FFFE7B7D' AS TEXT), "
               "'crossref', 1e18)")
    db.execute("INSERT INTO lookups VALUES ('10.1/list', 'found', '[1, 2]', 'crossref', 1e18)")
    db.execute("INSERT INTO lookups VALUES ('10.1/when', 'found', '{}', 'crossref', 'soon')")
    db.execute("INSERT INTO lookups VALUES ('10.1/what', 'maybe', '{}', 'crossref', 1e18)")
    db.execute("INSERT INTO searches VALUES ('q', '[[[[', 1e18)")
    db.commit()
    db.close()
    cache = LookupCache(path)
    assert [cache.get(d) for d in ("10.1/bad", "10.1/list", "10.1/when", "10.1/what")] == \
        [None, None, None, None]
    assert (cache.get_search("q"), cache.notices, _aside(path)) == (None, [], [])
    cache.put("10.1/bad", "not-found", None)
    entry = cache.get("10.1/bad")
    assert entry is not None
    assert entry.status == "not-found"


def test_cache_path_that_is_a_directory_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        LookupCache(tmp_path)
    assert str(caught.value) == (f"{tmp_path}: the cache path is a directory; give a file "
                                 "(MASCITE_CACHE)")


def test_cli_with_directory_cache_says_so(tmp_path: Path) -> None:
    env = {**os.environ, "MASCITE_CACHE": str(tmp_path), "MASCITE_OFFLINE": "1"}
    done = subprocess.run([sys.executable, "-m", "mascite", "resolve", "10.1002/ajh.1141"],
                          capture_output=True, text=True, env=env, timeout=60, check=False)
    assert done.returncode == 2
    assert done.stderr == (f"mascite: error: {tmp_path}: the cache path is a directory; give a file "
                           "(MASCITE_CACHE)\n")


def test_version_1_cache_is_upgraded_keeping_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    shutil.copy(SAMPLES / "cache-v1.sqlite", path)
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone() == (0,)
    cache = LookupCache(path, clock=lambda: 1_700_000_100.0)
    entry = cache.get("10.1002/ajh.1141")
    assert entry is not None
    assert entry.payload is not None
    assert (entry.status, entry.agency, entry.payload["title"]) == \
        ("found", "crossref", ["A v1 cached record"])
    missing = cache.get("10.5555/missing")
    assert missing is not None
    assert missing.status == "not-found"
    cache.put_search("a query", [{"DOI": "10.1/x"}])
    assert cache.get_search("a query") == [{"DOI": "10.1/x"}]
    assert cache.notices == []
    cache.close()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone() == (SCHEMA,)
    assert sorted(r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")) \
        == ["lookups", "searches"]


def test_newer_cache_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    LookupCache(path).close()
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version = 99")
    db.close()
    before = path.read_bytes()
    cache = LookupCache(path)
    assert cache.notices == [f"the cache {path} was written by a newer mascite (schema 99): "
                             "not used, left as it is"]
    cache.put("10.1/a", "not-found", None)
    assert (cache.get("10.1/a"), cache.enabled, path.read_bytes() == before) == \
        (None, False, True)


READ_ONLY = """
import sys
from mascite.crossref import LookupCache
cache = LookupCache(sys.argv[1])
entry = cache.get("10.5555/7")
cache.put("10.5555/new", "not-found", None)
print(entry.payload["DOI"], cache.get("10.5555/new"), cache.read_only, cache.notices)
"""


def test_read_only_cache_answers_and_stores_nothing() -> None:
    folder = Path(tempfile.mkdtemp(prefix="mascite-ro-"))
    try:
        path = folder / "cache.sqlite"
        _filled(path, 10)
        for name in ("cache.sqlite-wal", "cache.sqlite-shm"):
            (folder / name).unlink(missing_ok=True)
        before = path.read_bytes()
        path.chmod(0o444)
        folder.chmod(0o555)
        command = [sys.executable, "-c", READ_ONLY, str(path)]
        if os.geteuid() == 0:  # root writes any file: drop the capability that lets it
            if shutil.which("setpriv") is None:
                pytest.skip("running as root without setpriv: cannot make a file read-only")
            command = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search",
                       "--inh-caps", "-all", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False,
                              env={**os.environ, "MASCITE_CACHE": "off"})
        assert done.stderr == ""
        assert done.stdout == (f"10.5555/7 None True ['the cache {path} is read-only: answers "
                               "come from it, new ones are not stored']\n")
        assert path.read_bytes() == before
    finally:
        folder.chmod(0o755)
        shutil.rmtree(folder)


@responses.activate
def test_swapped_row_is_a_miss_and_the_lookup_overwrites_it(tmp_path: Path) -> None:
    cache = LookupCache(tmp_path / "cache.sqlite")
    cache.put("10.1002/ajh.1141", "found", {**WORK, "DOI": "10.1016/other.1"}, "crossref")
    responses.get("https://api.crossref.org/works/10.1002%2Fajh.1141",
                  json={"status": "ok", "message": WORK})
    client = CrossrefClient(requests.Session(), base_url="https://api.crossref.org",
                            mailto="t@example.org", cache=cache)
    answer = client.lookup("10.1002/ajh.1141")
    assert (answer.status, answer.source, answer.reason) == ("found", "network", None)
    assert answer.record is not None
    assert answer.record.doi == "10.1002/ajh.1141"
    assert _stored_doi(cache, "10.1002/ajh.1141") == "10.1002/ajh.1141"


def test_cli_with_damaged_cache_goes_on_and_says_where_it_went(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    path.write_bytes(b"\x00garbage" * 1000)
    env = {**os.environ, "MASCITE_CACHE": str(path), "MASCITE_OFFLINE": "1"}
    done = subprocess.run([sys.executable, "-m", "mascite", "resolve", "10.1002/ajh.1141"],
                          capture_output=True, text=True, env=env, timeout=60, check=False)
    aside = tmp_path / _aside(path)[0]
    assert (done.returncode, done.stdout) == (1, "[]\n")
    assert done.stderr == (
        "mascite: 10.1002/ajh.1141: unverified: offline, and not in the cache\n"
        f"mascite: note: the cache {path} was damaged (file is not a database): moved to "
        f"{aside}, a fresh cache started\n")
    assert aside.read_bytes() == b"\x00garbage" * 1000

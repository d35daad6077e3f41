"""Shared fixtures: repository paths and the shared data sets (skipped with a reason when absent)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from mascite import Reference

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
BIB = ROOT / "bib"
# A style cut off before its end: pandoc's citeproc rejects it (its CiteprocXMLError).
TRUNCATED_STYLE = ('<?xml version="1.0"?>\n<style xmlns="http://purl.org/net/xbiblio/csl" '
                   'version="1.0" class="in-text"><info><title>Cut</title></info><bibliography>'
                   '<layout><text variable="title"/></layout></bibliography>')


def shared_data_dir() -> Path | None:
    configured = os.environ.get("MASCITE_SHARED_DATA")
    candidate = Path(configured) if configured else ROOT.parent / "shared" / "data"
    return candidate if candidate.is_dir() else None


@pytest.fixture(autouse=True)
def _hermetic(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test reads the user's caches or reaches Crossref by accident (each test renders into
    a cache of its own)."""
    monkeypatch.setenv("MASCITE_CACHE", "off")
    monkeypatch.setenv("MASCITE_RENDER_CACHE", str(tmp_path / "renders"))
    monkeypatch.setenv("MASCITE_CROSSREF_URL", "http://127.0.0.1:9")  # nothing listens there
    monkeypatch.delenv("MASCITE_MAILTO", raising=False)
    monkeypatch.delenv("MASCITE_OFFLINE", raising=False)


def article(**fields: Any) -> Reference:
    """A journal article by Lee (2016) in *Emotion*, ``fields`` replacing or adding to it: the
    entry formatting tests vary one field at a time."""
    base: dict[str, Any] = {"type": "article-journal", "author": [{"family": "Lee", "given": "K"}],
                            "container-title": "Emotion", "issued": {"date-parts": [[2016]]},
                            "volume": "16", "page": "803-806"}
    base.update(fields)
    return Reference.from_csl(base)


@pytest.fixture
def pandoc() -> None:
    """Skips a test that formats when pandoc (the format extra) is not installed."""
    pytest.importorskip("pypandoc", reason="formatting needs the format extra (pypandoc-binary)")


@pytest.fixture
def shared_data() -> Path:
    path = shared_data_dir()
    if path is None:
        pytest.skip("shared data not found: set MASCITE_SHARED_DATA or place it at ../shared/data")
    return path


@pytest.fixture
def seeds() -> Path:
    data = shared_data_dir()
    path = data.parent / "seeds" if data else ROOT.parent / "shared" / "seeds"
    if not path.is_dir():
        pytest.skip("seed documents not found beside the shared data (../shared/seeds)")
    return path

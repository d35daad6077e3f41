"""Where the benchmarks find the shared data, and the real Crossref dev records."""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

# The benchmarks build their data with the training code, which lives beside the package.
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def shared_data() -> Path:
    """``$MASCITE_SHARED_DATA``, else ``../shared/data`` beside the repository."""
    return Path(os.environ.get("MASCITE_SHARED_DATA") or
                Path(__file__).resolve().parents[2] / "shared" / "data")


def dev_records() -> list[dict[str, Any]] | None:
    """The Crossref work records of ``crossref/works-dev.jsonl`` (``None``, said, if absent)."""
    path = shared_data() / "crossref" / "works-dev.jsonl"
    if not path.exists():
        print(f"no dev records at {path}: set MASCITE_SHARED_DATA")
        return None
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line)["record"] for line in handle if line.strip()]


ORACLE = Path(__file__).with_name("citeproc-js")


def oracle_ready() -> bool:
    """Whether citeproc-js is installed beside the benchmarks (``npm install`` there)."""
    return (ORACLE / "node_modules" / "citeproc").is_dir()


def fold_html(text: str) -> str:
    """Entry text without tags and entities, white space folded."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", text)).split())


def _locales() -> Path:
    import citeproc  # the bench extra: its locale files serve citeproc-js too

    return Path(citeproc.__file__).with_name("data") / "locales"


def citeproc_js_entries(items: list[dict[str, Any]], style: Path) -> list[tuple[str, str]]:
    """citeproc-js's plain-text bibliography under Node.js, as it prints it: (id, entry) in the
    style's order, each entry trimmed."""
    run = subprocess.run(["node", str(ORACLE / "oracle.js"), str(style), str(_locales())],
                         input=json.dumps(items), capture_output=True, text=True, check=True,
                         timeout=600)
    return [(e["id"], e["text"]) for e in json.loads(run.stdout)]


def citeproc_js(items: list[dict[str, Any]], style: Path) -> dict[str, str]:
    """Each item's plain-text bibliography entry by citeproc-js, the reference CSL processor."""
    return {key: fold_html(text) for key, text in citeproc_js_entries(items, style)}

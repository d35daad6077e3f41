"""Where the benchmarks find the shared data, and the real Crossref dev records."""

from __future__ import annotations

import json
import os
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

"""``mascite engines install citeproc-js``: the pinned npm package ``citeproc`` put into the
user's cache with npm, which mascite then finds by itself. Without npm, it says what to run."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from ....errors import NotAvailableError
from . import PINNED, install_dir

__all__ = ["install"]

TIMEOUT = 300  # seconds npm may take


def install(folder: Path | None = None) -> Path:
    """Install citeproc-js (``citeproc@PINNED``) into ``folder`` (default: the user's cache);
    the path of the library installed."""
    target = folder or install_dir()
    npm = shutil.which("npm")
    if npm is None:
        raise NotAvailableError(
            "npm is not installed: install Node.js (it brings npm) and run 'mascite engines "
            f"install citeproc-js' again, or run 'npm install --prefix {target} "
            f"citeproc@{PINNED}' where npm is, or download citeproc@{PINNED} from the npm "
            "registry and set MASCITE_CITEPROC_JS to its citeproc_commonjs.js")
    target.mkdir(parents=True, exist_ok=True)
    command = [npm, "install", "--prefix", str(target), "--no-audit", "--no-fund",
               "--ignore-scripts", "--save-exact", f"citeproc@{PINNED}"]
    try:
        run = subprocess.run(command, capture_output=True, text=True,  # noqa: S603
                             timeout=TIMEOUT, check=False)
    except subprocess.TimeoutExpired as exc:
        raise NotAvailableError(f"npm did not finish in {TIMEOUT} s: {' '.join(command)}") from exc
    if run.returncode != 0:
        tail = (run.stderr or run.stdout).strip()[-400:]
        raise NotAvailableError(f"npm failed ({' '.join(command)}): {tail}")
    library = target / "node_modules" / "citeproc" / "citeproc_commonjs.js"
    if not library.is_file():
        raise NotAvailableError(f"npm finished but {library} is missing")
    return library

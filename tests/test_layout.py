"""The package's layout: stages import one way only, and a report survives a round trip."""

from __future__ import annotations

import ast
import json
from pathlib import Path

from mascite import check
from mascite.model import Report
from mascite.output import render_report

from .conftest import EXAMPLES, ROOT

PACKAGE = ROOT / "src" / "mascite"
# Each stage may import stages of a lower rank, and itself; nothing else.
RANKS = {
    "errors": 0, "text": 0,
    "identifiers": 1, "model": 1,
    "refparse": 2, "crossref": 2,
    "formats": 3,
    "document": 4,
    "checks": 5,
    "output": 6, "csl": 6,
    "cli": 7, "ext": 7, "testing": 7,
}


def _stage(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _imports(path: Path) -> list[tuple[int, str, list[str]]]:
    """(line, absolute module, names) for every import of mascite in a file."""
    module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.append((node.lineno, target, [a.name for a in node.names]))
        elif isinstance(node, ast.Import):
            found.extend((node.lineno, a.name, []) for a in node.names)
    return [(line, target, names) for line, target, names in found
            if target == "mascite" or target.startswith("mascite.")]


def test_every_stage_has_a_rank() -> None:
    stages = {p.stem if p.is_file() else p.name for p in PACKAGE.iterdir()
              if (p.suffix == ".py" or (p.is_dir() and (p / "__init__.py").exists()))}
    assert stages - {"__init__", "__main__"} == set(RANKS)


def test_imports_point_one_way() -> None:
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        source = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        stage = _stage(source)
        if stage in ("__init__", "__main__"):
            continue
        for line, target, names in _imports(path):
            if target == "mascite":
                if names != ["__version__"]:
                    wrong.append(f"{source}:{line} imports the package root")
                continue
            other = _stage(target)
            if other != stage and RANKS[other] >= RANKS[stage]:
                wrong.append(f"{source}:{line} ({stage}) imports {target} ({other})")
    assert wrong == []


def test_the_import_check_sees_a_wrong_import(tmp_path: Path) -> None:
    fake = PACKAGE / "model" / "_probe_for_test.py"
    fake.write_text("from ..checks import pipeline\n", encoding="utf-8")
    try:
        assert _imports(fake) == [(1, "mascite.checks", ["pipeline"])]
    finally:
        fake.unlink()


def test_a_report_read_back_from_json_renders_the_same() -> None:
    report = check(EXAMPLES / "ivig-for-mas.txt")
    data = json.loads(render_report(report, "json"))
    again = Report.from_json(data)
    assert again.to_json() == data
    assert render_report(again, "html") == render_report(report, "html")
    assert render_report(again, "text") == render_report(report, "text")
    assert data["source"] == {"format": "text",
                              "text": (EXAMPLES / "ivig-for-mas.txt").read_text(encoding="utf-8")}
    assert '<span class="claim uncited"' in render_report(again, "html")

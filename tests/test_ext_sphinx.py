"""The Sphinx extension in real builds of examples/sphinx-project."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, TRUNCATED_STYLE

pytest.importorskip("sphinx", reason="the Sphinx extension needs sphinx (the sphinx extra)")
pytest.importorskip("pypandoc", reason="rendering needs the format extra")

PROJECT = ROOT / "examples" / "sphinx-project"


def build(source: Path, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", str(source), str(out),
                           *extra], capture_output=True, text=True, check=False, timeout=300)


def test_the_example_project_builds_with_rendered_citations(tmp_path: Path) -> None:
    result = build(PROJECT, tmp_path / "html")
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "html" / "index.html").read_text(encoding="utf-8")
    assert ('Death may occur in 20% to 53% of cases <span class="citation" '
            'data-cites="bojan2021macrophage"><sup><a href="#ref-bojan2021macrophage" '
            'role="doc-biblioref">1</a></sup></span>') in page
    assert '<a href="#ref-saha2019intravenous" role="doc-biblioref">3</a>,' in page
    assert page.count('class="csl-entry"') == 5
    assert "Bojan A et al. Macrophage activation syndrome" in page
    assert "nocase" not in page
    unused = sorted(line.split("entry ")[1].split(" ")[0] for line in result.stderr.splitlines()
                    if "is never cited" in line)
    assert len(unused) == 6
    again = build(PROJECT, tmp_path / "html")  # nothing changed: nothing read, nothing formatted
    assert again.returncode == 0
    assert "0 added, 0 changed, 0 removed" in again.stdout


def test_dangling_citations_fail_the_build_when_asked(tmp_path: Path) -> None:
    source = tmp_path / "src"
    shutil.copytree(PROJECT, source)
    (source / "conf.py").write_text(
        (source / "conf.py").read_text(encoding="utf-8").replace(
            '"../../bib/mas.bib"', repr(str(ROOT / "bib" / "mas.bib")))
        + "mascite_fail_on_warning = True\n", encoding="utf-8")
    (source / "index.rst").write_text((source / "index.rst").read_text(encoding="utf-8").replace(
        ":cite:`nam2022macrophage`", ":cite:`nosuchkey`"), encoding="utf-8")
    result = build(source, tmp_path / "out")
    assert result.returncode != 0
    assert "mascite: citation 'nosuchkey' names no bibliography entry" in result.stderr
    assert "citation warnings (mascite_fail_on_warning)" in result.stderr


def test_a_style_pandoc_rejects_fails_the_build_with_its_message(tmp_path: Path) -> None:
    source = tmp_path / "src"
    shutil.copytree(PROJECT, source)
    (source / "cut.csl").write_text(TRUNCATED_STYLE, encoding="utf-8")
    (source / "conf.py").write_text(
        (source / "conf.py").read_text(encoding="utf-8").replace(
            '"../../bib/mas.bib"', repr(str(ROOT / "bib" / "mas.bib"))).replace(
            '"american-medical-association"', '"cut.csl"'), encoding="utf-8")
    result = build(source, tmp_path / "out")
    assert result.returncode == 2
    assert "mascite: rendering citations failed: CiteprocXMLError: Expected end element" \
        in result.stderr

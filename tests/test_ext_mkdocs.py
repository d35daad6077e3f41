"""The MkDocs plugin in real builds of examples/mkdocs-site."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from mascite import read_references

from .conftest import ROOT, TRUNCATED_STYLE

pytest.importorskip("mkdocs", reason="the MkDocs plugin needs mkdocs (the mkdocs extra)")
pytest.importorskip("pypandoc", reason="rendering needs the format extra")

SITE = ROOT / "examples" / "mkdocs-site"


def build(config: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", str(config), "-d",
                           str(out)], capture_output=True, text=True, check=False, timeout=300)


def test_the_example_site_builds_with_linked_citations(tmp_path: Path) -> None:
    result = build(SITE / "mkdocs.yml", tmp_path / "site")
    assert result.returncode == 0, result.stderr
    index = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert ('Death may occur in 20% to 53% of cases<sup><a href="#ref-bojan2021macrophage">1</a>'
            "</sup>") in index
    assert ('<sup><a href="#ref-saha2019intravenous">3</a>,<a href="#ref-das2020intravenous">4</a>'
            "</sup>") in index
    assert ('<p><a id="ref-bojan2021macrophage"></a>1. Bojan A et al. Macrophage activation '
            "syndrome: A diagnostic challenge (Review). <em>Exp Ther Med</em>.") in index
    assert "nocase" not in index
    treatment = (tmp_path / "site" / "treatment" / "index.html").read_text(encoding="utf-8")
    assert '<a id="ref-shakoory2023eular"></a>1. Shakoory B et al.' in treatment
    unused = sorted(line.split("entry ")[1].split(" ")[0] for line in result.stderr.splitlines()
                    if "is never cited" in line)
    assert unused == ["emmenegger2001hyperferritinemia", "gomez2019macrophage",
                      "halyabar2019calm", "mendozaalvarez2020inmunoglobulina"]


def test_dangling_citations_fail_the_build_when_asked(tmp_path: Path) -> None:
    site = tmp_path / "site-src"
    shutil.copytree(SITE, site)
    (site / "docs" / "extra.md").write_text("A claim [@nosuchkey].\n", encoding="utf-8")
    config = site / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "../../bib/mas.bib", str(ROOT / "bib" / "mas.bib")) + "      fail_on_warning: true\n",
        encoding="utf-8")
    result = build(config, tmp_path / "out")
    assert result.returncode != 0
    assert "extra.md: citation @nosuchkey names no bibliography entry" in result.stderr
    assert "citation warnings (fail_on_warning)" in result.stderr


def test_a_style_pandoc_rejects_fails_the_build_with_its_message(tmp_path: Path) -> None:
    site = tmp_path / "site-src"
    shutil.copytree(SITE, site)
    (site / "cut.csl").write_text(TRUNCATED_STYLE, encoding="utf-8")
    config = site / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "../../bib/mas.bib", str(ROOT / "bib" / "mas.bib")).replace(
        "american-medical-association", "cut.csl"), encoding="utf-8")
    result = build(config, tmp_path / "out")
    assert result.returncode == 1
    assert "ERROR   -  Error reading page 'index.md':" in result.stderr
    assert ("ERROR   -  mascite: rendering citations failed: CiteprocXMLError: Expected end "
            "element") in result.stderr
    assert "Traceback" not in result.stderr


def test_a_rebuild_with_nothing_changed_formats_nothing_again() -> None:
    from mascite.ext.mkdocs import MascitePlugin

    plugin = MascitePlugin()
    plugin.load_config({"bibliography": [str(ROOT / "bib" / "mas.bib")], "style": "apa"})
    plugin.on_config({"config_file_path": str(SITE / "mkdocs.yml")})
    page = SimpleNamespace(file=SimpleNamespace(src_path="index.md"))
    text = "A claim [@nam2022macrophage].\n"
    first = plugin.on_page_markdown(text, page)
    second = plugin.on_page_markdown(text, page)
    assert first == second
    assert plugin.renders == 1
    assert first.startswith("A claim ([Nam et al., 2022](#ref-nam2022macrophage)).")


def _site_with(tmp_path: Path, option: str) -> Path:
    site = tmp_path / "site-src"
    shutil.copytree(SITE, site)
    config = site / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "../../bib/mas.bib", str(ROOT / "bib" / "mas.bib")) + option, encoding="utf-8")
    return config


def _entries(html: str) -> list[str]:
    """The entries' anchors, in order."""
    return [chunk.split('"')[0] for chunk in html.split('<a id="')[1:] if chunk.startswith("ref-")]


def test_a_full_bibliography_page_is_made_when_the_site_has_none(tmp_path: Path) -> None:
    config = _site_with(tmp_path, "      full_bibliography_page: references.md\n")
    result = build(config, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "out" / "references" / "index.html").read_text(encoding="utf-8")
    assert '<h1 id="references">References</h1>' in page
    bib_order = [f"ref-{r.id}" for r in read_references(ROOT / "bib" / "mas.bib").references]
    assert _entries(page) == bib_order  # every entry, in the file's order
    assert ('<p><a id="ref-bojan2021macrophage"></a>1. Bojan A et al. Macrophage activation '
            "syndrome: A diagnostic challenge (Review).") in page
    # listing an entry is not citing it: unused references are still reported
    assert sum("is never cited" in line for line in result.stderr.splitlines()) == 4
    index = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert '<sup><a href="#ref-bojan2021macrophage">1</a></sup>' in index  # pages keep their own


def test_the_full_bibliography_marker_in_a_page_of_ones_own(tmp_path: Path) -> None:
    config = _site_with(tmp_path, "      full_bibliography_page: works.md\n      style: apa\n")
    (config.parent / "docs" / "works.md").write_text(
        "# Works\n\nEverything we read, cited or not [@nam2022macrophage]:\n\n"
        "\\full_bibliography\n\nLast updated in 2026.\n", encoding="utf-8")
    result = build(config, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "out" / "works" / "index.html").read_text(encoding="utf-8")
    assert page.count('<h1 id="works">Works</h1>') == 1
    assert "References</h" not in page
    assert "full_bibliography" not in page
    assert ('Everything we read, cited or not (<a href="#ref-nam2022macrophage">Nam et al., '
            "2022</a>):") in page
    assert len(_entries(page)) == 11
    assert page.index("Last updated in 2026.") > page.index('id="ref-shakoory2023eular"')

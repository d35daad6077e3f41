"""The MkDocs plugin in real builds of examples/mkdocs-site."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from mascite import read_references
from mascite.csl.engines import citeproc_js

from .conftest import ROOT, TRUNCATED_STYLE

pytest.importorskip("mkdocs", reason="the MkDocs plugin needs mkdocs (the mkdocs extra)")
pytest.importorskip("pypandoc", reason="rendering needs the format extra")

SITE = ROOT / "examples" / "mkdocs-site"
ENGINES = [pytest.param("citeproc-js", marks=pytest.mark.skipif(
               citeproc_js.unavailable() is not None, reason=str(citeproc_js.unavailable()))),
           "pandoc"]


def build(config: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", str(config), "-d",
                           str(out)], capture_output=True, text=True, check=False, timeout=300)


# What each engine prints in the example site (AMA): the same citations and entries, each
# engine's HTML; citeproc-js knows only the names an "and others" list gives (CSL has no "et
# al." marker), pandoc reads the name "others" as "et al."; pandoc leaves the space before a
# superscript where the author put one.
EXAMPLE = {
    "citeproc-js": [
        'Death may occur in 20% to 53% of cases<sup><a href="#ref-bojan2021macrophage" '
        'role="doc-biblioref">1</a></sup>.',
        'molecules<sup><a href="#ref-saha2019intravenous" role="doc-biblioref">3</a>,<a '
        'href="#ref-das2020intravenous" role="doc-biblioref">4</a></sup>.',
        '<p><a id="ref-bojan2021macrophage"></a>1. Bojan A. Macrophage activation syndrome: A '
        "diagnostic challenge (Review). <i>Exp Ther Med</i>."],
    "pandoc": [
        'Death may occur in 20% to 53% of cases<sup><a href="#ref-bojan2021macrophage">1</a>'
        "</sup>",
        '<sup><a href="#ref-saha2019intravenous">3</a>,<a href="#ref-das2020intravenous">4</a>'
        "</sup>",
        '<p><a id="ref-bojan2021macrophage"></a>1. Bojan A et al. Macrophage activation '
        "syndrome: A diagnostic challenge (Review). <em>Exp Ther Med</em>."]}


@pytest.mark.parametrize("engine", ENGINES)
def test_the_example_site_builds_with_linked_citations(tmp_path: Path, engine: str) -> None:
    result = build(_site_with(tmp_path, f"      engine: {engine}\n"), tmp_path / "site")
    assert result.returncode == 0, result.stderr
    index = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert [part in " ".join(index.split()) for part in EXAMPLE[engine]] == [True, True, True]
    assert "nocase" not in index
    treatment = (tmp_path / "site" / "treatment" / "index.html").read_text(encoding="utf-8")
    assert '<a id="ref-shakoory2023eular"></a>1. Shakoory B' in treatment
    unused = sorted(line.split("entry ")[1].split(" ")[0] for line in result.stderr.splitlines()
                    if "is never cited" in line)
    assert unused == ["emmenegger2001hyperferritinemia", "gomez2019macrophage",
                      "halyabar2019calm", "mendozaalvarez2020inmunoglobulina"]
    described = {"citeproc-js": f"citeproc-js {citeproc_js.PINNED}",
                 "pandoc": "pandoc's citeproc with mascite's corrections"}[engine]
    assert f"INFO    -  mascite: citations formatted by {described}" in result.stderr


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


@pytest.mark.parametrize("engine", ENGINES)
def test_a_style_the_engine_rejects_fails_the_build_with_its_message(tmp_path: Path,
                                                                    engine: str) -> None:
    site = tmp_path / "site-src"
    shutil.copytree(SITE, site)
    (site / "cut.csl").write_text(TRUNCATED_STYLE, encoding="utf-8")
    config = site / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "../../bib/mas.bib", str(ROOT / "bib" / "mas.bib")).replace(
        "american-medical-association", "cut.csl") + f"      engine: {engine}\n",
        encoding="utf-8")
    result = build(config, tmp_path / "out")
    assert result.returncode == 1
    assert "ERROR   -  Error reading page 'index.md':" in result.stderr
    assert {"citeproc-js": "ERROR   -  mascite: the style cut.csl is not well-formed XML: no "
                           "element found: line 2, column 178",
            "pandoc": "ERROR   -  mascite: rendering citations failed: CiteprocXMLError: Expected "
                      "end element"}[engine] in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("engine", ENGINES)
def test_a_rebuild_with_nothing_changed_formats_nothing_again(engine: str) -> None:
    from mascite.ext.mkdocs import MascitePlugin

    plugin = MascitePlugin()
    plugin.load_config({"bibliography": [str(ROOT / "bib" / "mas.bib")], "style": "apa",
                        "engine": engine})
    plugin.on_config({"config_file_path": str(SITE / "mkdocs.yml")})
    page = SimpleNamespace(file=SimpleNamespace(src_path="index.md"))
    text = "A claim [@nam2022macrophage] and `[@not_a_citation]`.\n"
    first = plugin.on_page_markdown(text, page)
    second = plugin.on_page_markdown(text, page)
    assert first == second
    assert plugin.renders == 1
    assert first.startswith({
        "citeproc-js": 'A claim (<a href="#ref-nam2022macrophage" role="doc-biblioref">Nam, '
                       "2022</a>) and `[@not_a_citation]`.",
        "pandoc": "A claim ([Nam et al., 2022](#ref-nam2022macrophage)) and "
                  "`[@not_a_citation]`."}[engine])


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


@pytest.mark.parametrize("engine", ENGINES)
def test_a_full_bibliography_page_is_made_when_the_site_has_none(tmp_path: Path,
                                                                  engine: str) -> None:
    config = _site_with(tmp_path, "      full_bibliography_page: references.md\n"
                                  f"      engine: {engine}\n")
    result = build(config, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "out" / "references" / "index.html").read_text(encoding="utf-8")
    assert '<h1 id="references">References</h1>' in page
    bib_order = [f"ref-{r.id}" for r in read_references(ROOT / "bib" / "mas.bib").references]
    assert _entries(page) == bib_order  # every entry, in the file's order
    names = {"citeproc-js": "Bojan A.", "pandoc": "Bojan A et al."}[engine]
    assert (f'<p><a id="ref-bojan2021macrophage"></a>1. {names} Macrophage activation '
            "syndrome: A diagnostic challenge (Review).") in page
    # listing an entry is not citing it: unused references are still reported
    assert sum("is never cited" in line for line in result.stderr.splitlines()) == 4
    index = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert {"citeproc-js": '<sup><a href="#ref-bojan2021macrophage" role="doc-biblioref">1</a>'
                           "</sup>",
            "pandoc": '<sup><a href="#ref-bojan2021macrophage">1</a></sup>'}[engine] in index
    # (pages keep their own numbering)


@pytest.mark.parametrize("engine", ENGINES)
def test_the_full_bibliography_marker_in_a_page_of_ones_own(tmp_path: Path, engine: str) -> None:
    config = _site_with(tmp_path, "      full_bibliography_page: works.md\n      style: apa\n"
                                  f"      engine: {engine}\n")
    (config.parent / "docs" / "works.md").write_text(
        "# Works\n\nEverything we read, cited or not [@nam2022macrophage]:\n\n"
        "\\full_bibliography\n\nLast updated in 2026.\n", encoding="utf-8")
    result = build(config, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "out" / "works" / "index.html").read_text(encoding="utf-8")
    assert page.count('<h1 id="works">Works</h1>') == 1
    assert "References</h" not in page
    assert "full_bibliography" not in page
    assert {"citeproc-js": 'Everything we read, cited or not (<a href="#ref-nam2022macrophage" '
                           'role="doc-biblioref">Nam, 2022</a>):',
            "pandoc": 'Everything we read, cited or not (<a href="#ref-nam2022macrophage">Nam et '
                      "al., 2022</a>):"}[engine] in page
    assert len(_entries(page)) == 11
    assert page.index("Last updated in 2026.") > page.index('id="ref-shakoory2023eular"')


def _poisoned(tmp_path: Path) -> dict[str, str]:
    """A citeproc-js that fails the moment an engine starts (its package.json beside it)."""
    library = citeproc_js.library_path()
    assert library is not None
    poison = tmp_path / "poison" / "citeproc_commonjs.js"
    poison.parent.mkdir(parents=True, exist_ok=True)
    poison.write_text('throw new Error("an engine started");\n', encoding="utf-8")
    shutil.copy(library.with_name("package.json"), poison.with_name("package.json"))
    return {**os.environ, "MASCITE_CITEPROC_JS": str(poison)}


@pytest.mark.skipif(citeproc_js.unavailable() is not None, reason=str(citeproc_js.unavailable()))
def test_a_second_build_with_nothing_changed_starts_no_engine(tmp_path: Path) -> None:
    config = _site_with(tmp_path, "      engine: citeproc-js\n")
    first = build(config, tmp_path / "one")
    assert first.returncode == 0, first.stderr
    again = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", str(config), "-d",
                            str(tmp_path / "two")], capture_output=True, text=True, check=False,
                           timeout=300, env=_poisoned(tmp_path))
    assert again.returncode == 0, again.stderr
    for page in ("index.html", "treatment/index.html"):
        assert _without_build_date(tmp_path / "one" / page) == \
            _without_build_date(tmp_path / "two" / page)
    changed = config.parent / "docs" / "index.md"  # a change is formatted, by the engine
    changed.write_text(changed.read_text(encoding="utf-8") + "\nMore [@nam2022macrophage].\n",
                       encoding="utf-8")
    third = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", str(config), "-d",
                            str(tmp_path / "three")], capture_output=True, text=True,
                           check=False, timeout=300, env=_poisoned(tmp_path))
    assert third.returncode == 1
    assert "an engine started" in third.stderr


def _without_build_date(page: Path) -> str:
    return page.read_text(encoding="utf-8").split("Build Date UTC")[0]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_new_plugin_reads_renderings_from_the_disk_cache(engine: str) -> None:
    from mascite.ext.mkdocs import MascitePlugin

    page = SimpleNamespace(file=SimpleNamespace(src_path="index.md"))
    outputs, renders = [], []
    for _ in range(2):  # two builds, two processes' worth of plugin
        plugin = MascitePlugin()
        plugin.load_config({"bibliography": [str(ROOT / "bib" / "mas.bib")], "style": "apa",
                            "engine": engine})
        plugin.on_config({"config_file_path": str(SITE / "mkdocs.yml")})
        outputs.append(plugin.on_page_markdown("A claim [@nam2022macrophage].\n", page))
        renders.append(plugin.renders)
    assert renders == [1, 0]
    assert outputs[0] == outputs[1]

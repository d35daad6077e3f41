"""The Sphinx extension in real builds of examples/sphinx-project."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mascite.csl.engines import citeproc_js

from .conftest import ROOT, TRUNCATED_STYLE

pytest.importorskip("sphinx", reason="the Sphinx extension needs sphinx (the sphinx extra)")
pytest.importorskip("pypandoc", reason="rendering needs the format extra")

PROJECT = ROOT / "examples" / "sphinx-project"
ENGINES = [pytest.param("citeproc-js", marks=pytest.mark.skipif(
               citeproc_js.unavailable() is not None, reason=str(citeproc_js.unavailable()))),
           "pandoc"]


def build(source: Path, out: Path, *extra: str, builder: str = "html",
          ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sphinx", "-b", builder, str(source), str(out),
                           *extra], capture_output=True, text=True, check=False, timeout=300)


# The example project (AMA) as each engine prints it: citeproc-js knows only the names an "and
# others" list gives and takes the space before a superscript away; pandoc reads "others" as
# "et al." and keeps the space.
_LINK = '<a class="reference internal" href="#ref-{}">{}</a>'
EXAMPLE = {
    "citeproc-js": [
        'Death may occur in 20% to 53% of cases<span class="citation"><sup><a class="reference '
        'internal" href="#ref-bojan2021macrophage">1</a></sup></span>',
        'molecules<span class="citation"><sup><a class="reference internal" '
        'href="#ref-saha2019intravenous">3</a>,<a class="reference internal" '
        'href="#ref-das2020intravenous">4</a></sup></span>.',
        '<p class="csl-entry"><span class="target" id="ref-bojan2021macrophage"></span><span '
        'class="csl-left-margin">1. </span><span class="csl-right-inline">Bojan A. Macrophage '
        "activation syndrome: A diagnostic challenge (Review). <em>Exp Ther Med</em>. "
        '2021;22(2):904. doi:<a class="reference external" '
        'href="https://doi.org/10.3892/etm.2021.10336">10.3892/etm.2021.10336</a></span></p>'],
    "pandoc": [
        'Death may occur in 20% to 53% of cases <span class="citation"><sup><a class="reference '
        'internal" href="#ref-bojan2021macrophage">1</a></sup></span>',
        '<span class="citation"><sup><a class="reference internal" '
        'href="#ref-saha2019intravenous">3</a>,<a class="reference internal" '
        'href="#ref-das2020intravenous">4</a></sup></span>',
        '<p class="csl-entry"><span class="target" id="ref-bojan2021macrophage"></span><span '
        'class="csl-left-margin">1. </span><span class="csl-right-inline">Bojan A et al. '
        'Macrophage activation syndrome: A diagnostic challenge (Review). <em>Exp Ther Med</em>. '
        '2021;22(2):904. doi:<a class="reference external" '
        'href="https://doi.org/10.3892/etm.2021.10336">10.3892/etm.2021.10336</a></span></p>']}


@pytest.mark.parametrize("engine", ENGINES)
def test_the_example_project_builds_with_rendered_citations(tmp_path: Path, engine: str) -> None:
    result = build(PROJECT, tmp_path / "html", "-D", f"mascite_engine={engine}")
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "html" / "index.html").read_text(encoding="utf-8")
    assert [part in page for part in EXAMPLE[engine]] == [True, True, True]
    assert page.count('<p class="csl-entry">') == 5
    assert "nocase" not in page
    described = {"citeproc-js": f"citeproc-js {citeproc_js.PINNED}",
                 "pandoc": "pandoc's citeproc with mascite's corrections"}[engine]
    assert f"mascite: citations formatted by {described}" in result.stdout
    unused = sorted(line.split("entry ")[1].split(" ")[0] for line in result.stderr.splitlines()
                    if "is never cited" in line)
    assert len(unused) == 6
    again = build(PROJECT, tmp_path / "html", "-D", f"mascite_engine={engine}")
    assert again.returncode == 0  # nothing changed: nothing read, nothing formatted
    assert "0 added, 0 changed, 0 removed" in again.stdout
    # the warnings are the same on every build, read or not, so CI's result does not depend on it
    assert sorted(line.split("entry ")[1].split(" ")[0] for line in again.stderr.splitlines()
                  if "is never cited" in line) == unused


def _site(tmp_path: Path, bib: str | None = None) -> Path:
    """Two documents citing with every role, a bibliography beside conf.py."""
    source = tmp_path / "site"
    source.mkdir()
    (source / "refs.bib").write_text(bib or (ROOT / "bib" / "mas.bib").read_text(encoding="utf-8"),
                                     encoding="utf-8")
    (source / "conf.py").write_text(
        'extensions = ["mascite.ext.sphinx"]\nmascite_bibliography = ["refs.bib"]\n'
        'mascite_style = "american-medical-association"\nhtml_theme = "basic"\n'
        'project = "Roles"\n', encoding="utf-8")
    (source / "index.rst").write_text(
        "Roles\n=====\n\n.. toctree::\n\n   two\n\n"
        "Deaths :cite:p:`bojan2021macrophage`. :cite:t:`saha2019intravenous,das2020intravenous` "
        "found it. Missing :cite:`nosuch`.\n\n.. bibliography::\n", encoding="utf-8")
    (source / "two.rst").write_text(
        "Two\n===\n\nAgain :cite:p:`bojan2021macrophage,gomez2019macrophage`. :cite:t:`nam2022macrophage` "
        "saw 20 adults.\n\n.. cite:bibliography::\n", encoding="utf-8")
    return source


ROLES = {
    "citeproc-js": (
        f'Deaths<span class="citation"><sup>{_LINK.format("bojan2021macrophage", 1)}</sup>'
        f'</span>. <span class="citation">Saha <sup>{_LINK.format("saha2019intravenous", 2)}'
        f'</sup>, Das <sup>{_LINK.format("das2020intravenous", 3)}</sup></span> found it. '
        'Missing <span class="citation">[nosuch]</span>.',
        f'Again<span class="citation"><sup>{_LINK.format("bojan2021macrophage", 1)},'
        f'{_LINK.format("gomez2019macrophage", 2)}</sup></span>. <span class="citation">Nam '
        f'<sup>{_LINK.format("nam2022macrophage", 3)}</sup></span> saw 20 adults.'),
    "pandoc": (
        f'Deaths <span class="citation"><sup>{_LINK.format("bojan2021macrophage", 1)}</sup>'
        f'</span>. <span class="citation">Saha et al. <sup>'
        f'{_LINK.format("saha2019intravenous", 2)}</sup>, Das et al. <sup>'
        f'{_LINK.format("das2020intravenous", 3)}</sup></span> found it. Missing '
        '<span class="citation">[nosuch]</span>.',
        f'Again <span class="citation"><sup>{_LINK.format("bojan2021macrophage", 1)},'
        f'{_LINK.format("gomez2019macrophage", 2)}</sup></span>. <span class="citation">Nam et '
        f'al. <sup>{_LINK.format("nam2022macrophage", 3)}</sup></span> saw 20 adults.')}


@pytest.mark.parametrize("engine", ENGINES)
def test_roles_p_and_t_in_a_parallel_build(tmp_path: Path, engine: str) -> None:
    source = _site(tmp_path)
    result = build(source, tmp_path / "html", "-j", "2", "-D", f"mascite_engine={engine}")
    assert result.returncode == 0, result.stderr
    index = (tmp_path / "html" / "index.html").read_text(encoding="utf-8")
    two = (tmp_path / "html" / "two.html").read_text(encoding="utf-8")
    assert ROLES[engine][0] in index
    assert index.count('<p class="csl-entry">') == 3
    assert ROLES[engine][1] in two
    assert two.count('<p class="csl-entry">') == 3  # each document lists what it cites
    assert ("index.rst:8: WARNING: mascite: citation 'nosuch' names no bibliography entry"
            in result.stderr)
    assert sorted(line.split("entry ")[1].split(" ")[0] for line in result.stderr.splitlines()
                  if "is never cited" in line) == [
        "alvarezcardona2012intravenous", "emmenegger2001hyperferritinemia", "halyabar2019calm",
        "mendozaalvarez2020inmunoglobulina", "ozturk2015macrophage", "shakoory2023eular"]


@pytest.mark.parametrize("engine", ENGINES)
def test_the_latex_builder_writes_citations_and_bibliographies(tmp_path: Path,
                                                               engine: str) -> None:
    source = _site(tmp_path)
    result = build(source, tmp_path / "latex", "-D", f"mascite_engine={engine}", builder="latex")
    assert result.returncode == 0, result.stderr
    (tex,) = (tmp_path / "latex").glob("*.tex")
    lines = tex.read_text(encoding="utf-8").splitlines()
    ref = r"{{\hyperref[\detokenize{{{}:ref-{}}}]{{\sphinxcrossref{{{}}}}}}}"
    # the book is one document: numbers run through it; each list has its document's entries
    space = {"citeproc-js": "", "pandoc": " "}[engine]
    assert (rf"Deaths{space}\DUrole{{citation}}{{$^{{\text{{"
            rf"{ref.format('index', 'bojan2021macrophage', 1)}}}}}$}}. ") in "\n".join(lines)
    labels = [line.split("}}")[0].split("{")[-1] for line in lines
              if line.startswith(r"\phantomsection\label{\detokenize{") and ":ref-" in line]
    assert labels == ["two:ref-bojan2021macrophage", "two:ref-gomez2019macrophage",
                      "two:ref-nam2022macrophage", "index:ref-bojan2021macrophage",
                      "index:ref-saha2019intravenous", "index:ref-das2020intravenous"]
    entry = next(line for line in lines if "two:ref-gomez2019macrophage}}" in line
                 and line.startswith(r"\phantomsection"))
    assert entry.endswith(r"\sphinxhref{https://doi.org/10.14740/jh495}{10.14740/jh495}}")
    assert r"\DUrole{csl-left-margin}{2. }" in entry


@pytest.mark.parametrize("engine", ENGINES)
def test_a_changed_bibliography_rereads_the_documents_that_cite(tmp_path: Path,
                                                                engine: str) -> None:
    source = _site(tmp_path)
    first = build(source, tmp_path / "html", "-D", f"mascite_engine={engine}")
    assert first.returncode == 0, first.stderr
    bib = source / "refs.bib"
    bib.write_text(bib.read_text(encoding="utf-8").replace(
        "A diagnostic challenge", "A <script>alert(1)</script> puzzle"), encoding="utf-8")
    second = build(source, tmp_path / "html", "-D", f"mascite_engine={engine}")
    assert second.returncode == 0, second.stderr
    assert "0 added, 2 changed, 0 removed" in second.stdout
    for page in ("index.html", "two.html"):
        html = (tmp_path / "html" / page).read_text(encoding="utf-8")
        assert "Macrophage activation syndrome: A &lt;script&gt;alert(1)&lt;/script&gt; puzzle" in html
        assert "<script>alert" not in html


def test_state_lives_in_the_cite_domain(tmp_path: Path) -> None:
    from sphinx.application import Sphinx

    source = _site(tmp_path)
    app = Sphinx(str(source), str(source), str(tmp_path / "out"), str(tmp_path / "doctrees"),
                 "html", status=None, warning=None, freshenv=True)
    app.build()
    assert [name for name in vars(app.env) if "mascite" in name] == []
    domain = app.env.get_domain("cite")
    assert domain.data["citations"] == {  # type: ignore[attr-defined]
        "index": [(["bojan2021macrophage"], False, 8),
                  (["saha2019intravenous", "das2020intravenous"], True, 8), (["nosuch"], False, 8)],
        "two": [(["bojan2021macrophage", "gomez2019macrophage"], False, 4),
                (["nam2022macrophage"], True, 4)]}
    assert domain.data["bibliographies"] == {"index": 1, "two": 1}


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


@pytest.mark.parametrize("engine", ENGINES)
def test_a_style_the_engine_rejects_fails_the_build_with_its_message(tmp_path: Path,
                                                                    engine: str) -> None:
    source = tmp_path / "src"
    shutil.copytree(PROJECT, source)
    (source / "cut.csl").write_text(TRUNCATED_STYLE, encoding="utf-8")
    (source / "conf.py").write_text(
        (source / "conf.py").read_text(encoding="utf-8").replace(
            '"../../bib/mas.bib"', repr(str(ROOT / "bib" / "mas.bib"))).replace(
            '"american-medical-association"', '"cut.csl"'), encoding="utf-8")
    result = build(source, tmp_path / "out", "-D", f"mascite_engine={engine}")
    assert result.returncode == 2
    assert {"citeproc-js": "mascite: the style cut.csl is not well-formed XML: no element found: "
                           "line 2, column 178",
            "pandoc": "mascite: rendering citations failed: CiteprocXMLError: Expected end "
                      "element"}[engine] in result.stderr


@pytest.mark.skipif(citeproc_js.unavailable() is not None, reason=str(citeproc_js.unavailable()))
def test_a_rebuild_with_nothing_changed_starts_no_engine(tmp_path: Path) -> None:
    source = _site(tmp_path)
    first = build(source, tmp_path / "html", "-D", "mascite_engine=citeproc-js")
    assert first.returncode == 0, first.stderr
    library = citeproc_js.library_path()
    assert library is not None
    poison = tmp_path / "poison" / "citeproc_commonjs.js"  # fails the moment an engine starts
    poison.parent.mkdir()
    poison.write_text('throw new Error("an engine started");\n', encoding="utf-8")
    shutil.copy(library.with_name("package.json"), poison.with_name("package.json"))
    env = {**os.environ, "MASCITE_CITEPROC_JS": str(poison)}
    command = [sys.executable, "-m", "sphinx", "-b", "html", str(source), str(tmp_path / "html"),
               "-D", "mascite_engine=citeproc-js"]
    again = subprocess.run(command, capture_output=True, text=True, check=False, timeout=300,
                           env=env)
    assert again.returncode == 0, again.stderr
    assert "0 added, 0 changed, 0 removed" in again.stdout
    (source / "two.rst").write_text((source / "two.rst").read_text(encoding="utf-8") + "\nMore.\n",
                                    encoding="utf-8")
    changed = subprocess.run(command, capture_output=True, text=True, check=False, timeout=300,
                             env=env)
    assert changed.returncode == 2
    assert "an engine started" in changed.stderr

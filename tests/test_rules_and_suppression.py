"""Rules as a linter's: every finding code documented (`mascite rules`, `mascite rule CODE`),
suppression comments in each document syntax, and the JSON schema of the report held equal to
what ``to_json()`` writes."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from mascite.checks import check
from mascite.checks.suppression import find_suppressions
from mascite.cli.progress import ProgressLine
from mascite.formats import read_references, write_references
from mascite.model import RULES, Run, report_schema

from .conftest import BIB, EXAMPLES, ROOT
from .test_cli import run

UNCITED = "The drug cut mortality by 35% in a 2019 trial."
TEX = UNCITED.replace("%", "\\%")  # in LaTeX, % begins a comment


def test_every_code_the_source_raises_is_a_documented_rule() -> None:
    raised: set[str] = set()
    for file in (ROOT / "src" / "mascite").rglob("*.py"):
        text = file.read_text(encoding="utf-8")
        raised.update(re.findall(r'code="([a-z]+(?:-[a-z]+)+)"', text))
        raised.update(re.findall(r'_finding\(\s*item, "([a-z-]+)"', text))
    assert raised - set(RULES) == set()
    assert {"uncited-claim", "doi-not-found", "lookup-failed", "field-mismatch"} <= raised


def test_rules_and_rule_commands() -> None:
    listed = run("rules", "--format", "json")
    assert json.loads(listed.stdout) == [
        {"code": r.code, "family": r.family, "summary": r.summary} for r in RULES.values()]
    text = run("rules").stdout.splitlines()
    assert len(text) == len(RULES)
    assert text[0].split()[:2] == ["dangling-citation", "links"]
    one = run("rule", "uncited-claim")
    assert one.returncode == 0
    assert one.stdout.splitlines()[:3] == [
        "uncited-claim (claims)", "", "A claim that needs a source has no citation."]
    assert "  markdown  <!-- mascite: ignore[uncited-claim] -->" in one.stdout
    missing = run("rule", "uncited")
    assert (missing.returncode, missing.stderr) == (
        2, "mascite: error: no rule 'uncited': `mascite rules` lists them\n")


def test_suppression_comments_in_each_syntax(tmp_path: Path) -> None:
    cases = {
        "a.md": f"Intro.\n\n<!-- mascite: ignore[uncited-claim] -->\n{UNCITED}\n\n{UNCITED}\n",
        "a.tex": f"\\documentclass{{article}}\n\\begin{{document}}\n% mascite: ignore\n{TEX}\n"
                 f"\n{TEX}\n\\end{{document}}\n",
        "a.rst": f"Title\n=====\n\n.. mascite: ignore[claims]\n\n{UNCITED}\n\n{UNCITED}\n",
        "a.html": f"<p>{UNCITED} <!-- mascite: ignore[uncited-claim] --></p>\n\n<p>{UNCITED}</p>\n",
    }
    for name, text in cases.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        result = run("check", name, "--offline", "--format", "json", cwd=tmp_path)
        data = json.loads(result.stdout)
        assert [(f["code"], f["line"]) for f in data["suppressed"]] == [
            ("uncited-claim", text.splitlines().index(next(
                line for line in text.splitlines() if UNCITED in line or TEX in line)) + 1)], name
        assert [f["code"] for f in data["findings"]] == ["uncited-claim"], name
        assert data["summary"]["suppressed"] == 1


def test_show_suppressed_and_sarif_marks_them(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(f"<!-- mascite: ignore -->\n{UNCITED}\n", encoding="utf-8")
    quiet = run("check", "a.md", "--offline", cwd=tmp_path).stdout
    assert "Suppressed" not in quiet
    assert quiet.endswith("Summary: 0 errors, 0 warnings, 0 notes; 0 input failures; "
                          "1 suppressed\n")
    shown = run("check", "a.md", "--offline", "--show-suppressed", cwd=tmp_path).stdout
    assert "Suppressed (1):\n  a.md:2:1: warning uncited-claim (suppressed): claim without" in shown
    sarif = json.loads(run("check", "a.md", "--offline", "--show-suppressed", "--format",
                           "sarif", cwd=tmp_path).stdout)
    assert [r.get("suppressions") for r in sarif["runs"][0]["results"]] == [[{"kind": "inSource"}]]


def test_suppression_blocks_files_and_unknown_rules() -> None:
    text = ("One.\n<!-- mascite: ignore[uncited-claim] -->\nTwo a.\nTwo b.\n\nThree. "
            "% mascite: ignore\nmore\n\n.. mascite: ignore[links, bogus]\n\nx\n"
            "<!-- mascite: ignore-file[verify] -->\n50\\% of cases\n")
    found, problems = find_suppressions(text, "a.md")
    assert [(s.line, s.first, s.last, s.whole_file) for s in found] == [
        (2, 3, 4, False), (6, 6, 7, False), (9, 11, 13, False), (12, 1, 13, True)]
    assert found[1].codes is None
    assert found[2].codes == {"dangling-citation", "unused-reference", "citation-order"}
    assert [(p.line, p.message) for p in problems] == [
        (9, "a 'mascite: ignore' comment names no known rule: bogus (see `mascite rules`)")]


def test_a_bibliography_entry_is_suppressed_by_the_comment_before_it(tmp_path: Path) -> None:
    (tmp_path / "refs.bib").write_text(
        "% mascite: ignore[missing-container]\n@article{a,\n  title = {No journal},\n"
        "  year = {2020},\n}\n\n@article{b,\n  title = {No journal either},\n  year = {2020},\n}\n",
        encoding="utf-8")
    data = json.loads(run("check", "refs.bib", "--offline", "--format", "json",
                          cwd=tmp_path).stdout)
    assert [(f["code"], f["ref"]) for f in data["suppressed"]] == [("missing-container", "a")]
    assert [(f["code"], f["ref"]) for f in data["findings"]] == [("missing-container", "b")]


def _same_keys(instance: Any, schema: dict[str, Any], defs: dict[str, Any], where: str) -> None:
    """Every object the report holds has exactly the properties its schema names."""
    if "$ref" in schema:
        schema = defs[schema["$ref"].rsplit("/", 1)[1]]
    for option in schema.get("anyOf", []):
        if option.get("type") != "null" and instance is not None:
            _same_keys(instance, option, defs, where)
    if isinstance(instance, dict) and "properties" in schema:
        assert set(instance) == set(schema["properties"]), where
        for key, value in instance.items():
            _same_keys(value, schema["properties"][key], defs, f"{where}.{key}")
    if isinstance(instance, list) and isinstance(schema.get("items"), dict):
        for index, value in enumerate(instance[:5]):
            _same_keys(value, schema["items"], defs, f"{where}[{index}]")


def test_published_schema_is_the_models_and_matches_to_json() -> None:
    for kind in ("report", "run"):
        published = json.loads((ROOT / "schemas" / f"{kind}-1.schema.json").read_text("utf-8"))
        assert published == report_schema(kind), f"regenerate with: mascite schema > {kind}"  # type: ignore[arg-type]
    assert json.loads(run("schema").stdout) == report_schema("report")
    reports = [check(EXAMPLES / "ivig-for-mas.txt", [BIB / "mas.bib"]),
               check(EXAMPLES / "about-mas.txt"), check(BIB / "mas.bib")]
    schema = report_schema("report")
    for report in reports:
        data = report.to_json()
        jsonschema.validate(data, schema)
        _same_keys(data, schema, schema["$defs"], "report")
    run_data = Run(reports=reports).to_json()
    jsonschema.validate(run_data, report_schema("run"))
    _same_keys(run_data, report_schema("run"), report_schema("run")["$defs"], "run")


def test_csl_yaml_reads_pandocs_form_and_writes_what_pandoc_reads(tmp_path: Path) -> None:
    (tmp_path / "refs.yaml").write_text(
        "---\nreferences:\n- id: smith2020\n  type: article-journal\n  title: A study of things\n"
        "  author:\n  - family: Smith\n    given: Jane\n  container-title: Journal of Things\n"
        "  issued: 2020-05-01\n  volume: 12\n  page: 1-10\n  DOI: 10.1000/xyz\n- 42\n...\n",
        encoding="utf-8")
    bibliography = read_references(tmp_path / "refs.yaml")
    assert [e.reference.to_csl() for e in bibliography.entries] == [{
        "id": "smith2020", "type": "article-journal",
        "author": [{"family": "Smith", "given": "Jane"}],
        "issued": {"date-parts": [[2020, 5, 1]]}, "title": "A study of things",
        "container-title": "Journal of Things", "volume": 12, "page": "1-10",
        "DOI": "10.1000/xyz"}]
    assert [(f.line, f.message) for f in bibliography.failures] == [
        (14, "item 2 is an int, not a CSL-JSON object")]
    manubot = tmp_path / "manual.yml"
    manubot.write_text("- id: a\n  type: book\n  title: T\n  issued: 2019/2021\n", "utf-8")
    assert read_references(manubot).entries[0].reference.to_csl()["issued"] == {
        "date-parts": [[2019], [2021]]}
    references = read_references(BIB / "mas.bib").references
    written = write_references(references, "csl-yaml")
    assert written.startswith("---\nreferences:\n- id: bojan2021macrophage\n")
    out = tmp_path / "mas.yaml"
    out.write_text(written, encoding="utf-8")
    assert [r.to_csl() for r in read_references(out).references] == [
        r.to_csl() for r in references]
    converted = run("convert", str(BIB / "mas.bib"), "--to", "csl-yaml")
    assert converted.stdout == written
    pypandoc = pytest.importorskip("pypandoc", reason="pandoc comes with the format extra")
    as_json = tmp_path / "mas.json"
    as_json.write_text(write_references(references, "csl-json"), encoding="utf-8")
    cited = "@bojan2021macrophage; @mendozaalvarez2020inmunoglobulina\n"
    by_pandoc = [pypandoc.convert_text(cited, "plain", "markdown", extra_args=[
        "--citeproc", f"--bibliography={bib}"]) for bib in (out, as_json)]
    assert by_pandoc[0] == by_pandoc[1]
    assert "“Macrophage Activation Syndrome: A Diagnostic" in by_pandoc[0]


def test_progress_line_counts_and_estimates() -> None:
    stream = io.StringIO()
    now = [0.0]
    line = ProgressLine(stream, clock=lambda: now[0])
    line.start_file("a.md")
    line(0, 4, "searches")
    now[0] = 2.0
    line(1, 4, "searches")
    now[0] = 8.0
    line(4, 4, "searches")
    assert stream.getvalue().split("\r")[1:] == [
        "a.md: searches [........................] 0/4\033[K",
        "a.md: searches [######..................] 1/4, about 6 s left\033[K",
        "a.md: searches [########################] 4/4\033[K\n"]

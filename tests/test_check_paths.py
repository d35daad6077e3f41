"""``mascite check`` as linters are run: many paths, folders, stdin, configuration found from the
files, rules selected and ignored, and suppression comments in the documents. Real processes on
real files in a temporary project."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from mascite.checks.config import Settings, find_config, load_config
from mascite.errors import ConfigError

from .test_cli import run

BIB = """@article{lee2016,
  author = {Lee, Kim},
  title = {Emotion and memory},
  journal = {Emotion},
  year = {2016},
  volume = {16},
  pages = {803--806},
}

@article{unused2019,
  author = {Park, Ji},
  title = {A reference nobody cites},
  journal = {Emotion},
  year = {2019},
}
"""
CITING = "---\nbibliography: refs.bib\n---\n\nMemory improved in 40% of patients [@lee2016].\n"
UNCITED = "# Notes\n\nThe drug cut mortality by 35% in a 2019 trial.\n"


def project(root: Path, pyproject: str | None = None) -> Path:
    """A small repository: documents citing a bibliography, drafts, build output, an ignored file."""
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "refs.bib").write_text(BIB, encoding="utf-8")
    (root / "docs" / "a.md").write_text(CITING, encoding="utf-8")
    (root / "docs" / "b.md").write_text(UNCITED, encoding="utf-8")
    (root / "drafts").mkdir()
    (root / "drafts" / "c.md").write_text(UNCITED, encoding="utf-8")
    (root / "build").mkdir()
    (root / "build" / "out.md").write_text(UNCITED, encoding="utf-8")
    (root / "scratch.md").write_text(UNCITED, encoding="utf-8")
    (root / "package.json").write_text('{"name": "site"}\n', encoding="utf-8")
    (root / ".gitignore").write_text("scratch.md\n", encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    if pyproject is not None:
        (root / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    return root


def documents(result: subprocess.CompletedProcess[str]) -> list[str]:
    data = json.loads(result.stdout)
    reports = data.get("reports", [data])
    return [r["document"] for r in reports]


def codes(result: subprocess.CompletedProcess[str]) -> list[tuple[str, str, int | None]]:
    data = json.loads(result.stdout)
    reports = data.get("reports", [data])
    return [(Path(f["path"]).name, f["code"], f["line"]) for r in reports for f in r["findings"]]


def test_many_files_one_report_and_exit_code_over_all(tmp_path: Path) -> None:
    root = project(tmp_path)
    result = run("check", "docs/a.md", "docs/b.md", "--offline", "--format", "json",
                 "--fail-on", "warning", cwd=root)
    data = json.loads(result.stdout)
    assert [r["document"] for r in data["reports"]] == ["docs/a.md", "docs/b.md"]
    assert data["summary"] == {"files": 2, "findings": {"error": 0, "warning": 2, "info": 0},
                               "input_failures": 0, "suppressed": 0}
    assert codes(result) == [("refs.bib", "unused-reference", 10), ("b.md", "uncited-claim", 3)]
    assert result.returncode == 1
    text = run("check", "docs/a.md", "docs/b.md", "--offline", cwd=root).stdout
    assert text.count("mascite check: ") == 2
    assert text.endswith("Total: 2 files; 0 errors, 2 warnings, 0 notes; 0 input failures\n")


def test_a_missing_file_among_others_is_reported_and_the_rest_checked(tmp_path: Path) -> None:
    root = project(tmp_path)
    result = run("check", "docs/nope.md", "docs/b.md", "--offline", "--format", "json", cwd=root)
    assert result.returncode == 2
    assert result.stderr == "mascite: error: docs/nope.md: no such file\n"
    assert codes(result) == [("nope.md", "parse-error", None), ("b.md", "uncited-claim", 3)]


def test_folders_are_walked_honouring_gitignore_and_default_excludes(tmp_path: Path) -> None:
    root = project(tmp_path)
    result = run("check", ".", "--offline", "--format", "json", cwd=root)
    # refs.bib is checked with a.md, which names it, not again on its own; build/ is build
    # output, scratch.md git ignores, package.json is no bibliography
    assert documents(result) == ["docs/a.md", "docs/b.md", "drafts/c.md"]
    # named with its document, as pre-commit names files, it is still checked once, with it
    both = run("check", "docs/refs.bib", "docs/a.md", "--offline", "--format", "json", cwd=root)
    assert documents(both) == ["docs/a.md"]
    alone = run("check", "docs/refs.bib", "docs/b.md", "--offline", "--format", "json", cwd=root)
    assert documents(alone) == ["docs/b.md", "docs/refs.bib"]  # b.md does not use it


def test_exclude_setting_and_force_exclude(tmp_path: Path) -> None:
    root = project(tmp_path, '[tool.mascite]\nextend-exclude = ["drafts/"]\n')
    assert documents(run("check", ".", "--offline", "--format", "json", cwd=root)) == [
        "docs/a.md", "docs/b.md"]
    # a file named is checked, unless --force-exclude (pre-commit names every staged file)
    named = run("check", "drafts/c.md", "scratch.md", "--offline", "--format", "json", cwd=root)
    assert documents(named) == ["drafts/c.md", "scratch.md"]
    forced = run("check", "drafts/c.md", "scratch.md", "docs/b.md", "--force-exclude",
                 "--offline", "--format", "json", cwd=root)
    assert documents(forced) == ["docs/b.md"]


def test_stdin_with_a_file_name(tmp_path: Path) -> None:
    root = project(tmp_path, '[tool.mascite]\nper-file-ignores = {"drafts/*" = ["uncited-claim"]}\n')
    result = run("check", "-", "--stdin-filename", "docs/new.md", "--offline", "--format", "json",
                 stdin=CITING.encode(), cwd=root)
    assert documents(result) == ["docs/new.md"]
    assert codes(result) == [("refs.bib", "unused-reference", 10)]  # named beside docs/new.md
    ignored = run("check", "-", "--stdin-filename", "drafts/new.md", "--offline", "--format",
                  "json", stdin=UNCITED.encode(), cwd=root)
    assert codes(ignored) == []
    plain = run("check", "-", "--offline", stdin=b"Plain text. No claims.\n", cwd=root)
    assert plain.returncode == 0
    assert plain.stdout.startswith("mascite check: <stdin>\n")
    assert run("check", "a.md", "--stdin-filename", "x.md", cwd=root).returncode == 2


def test_configuration_is_found_upward_and_can_be_overridden(tmp_path: Path) -> None:
    root = project(tmp_path, '[tool.mascite]\nignore = ["unused-reference"]\nfail-on = "warning"\n')
    (root / "docs" / "mascite.toml").write_text('ignore = ["uncited-claim"]\n', encoding="utf-8")
    assert find_config(root / "docs" / "a.md") == root / "docs" / "mascite.toml"
    assert find_config(root / "drafts") == root / "pyproject.toml"
    result = run("check", "docs/a.md", "docs/b.md", "drafts/c.md", "--offline", "--format",
                 "json", cwd=root)
    assert codes(result) == [("refs.bib", "unused-reference", 10), ("c.md", "uncited-claim", 3)]
    assert result.returncode == 0  # run-wide settings are the first path's: docs/ has no fail-on
    isolated = run("check", "drafts/c.md", "--isolated", "--offline", cwd=root)
    assert isolated.returncode == 0  # default fail-on: error; the claim is a warning
    assert run("check", "drafts/c.md", "--offline", cwd=root).returncode == 1  # fail-on warning
    other = tmp_path / "other.toml"
    other.write_text('select = ["links"]\n', encoding="utf-8")
    chosen = run("check", "drafts/c.md", "docs/a.md", "--config", str(other), "--offline",
                 "--format", "json", cwd=root)
    assert codes(chosen) == [("refs.bib", "unused-reference", 10)]


def test_a_pyproject_without_a_mascite_table_is_not_a_configuration(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.ruff]\nline-length = 90\n', encoding="utf-8")
    (tmp_path / "sub").mkdir()
    assert find_config(tmp_path / "sub") is None
    with pytest.raises(ConfigError, match=r"pyproject.toml: has no \[tool.mascite\] table"):
        load_config(tmp_path / "pyproject.toml")


def test_configuration_errors_name_the_file_and_the_key(tmp_path: Path) -> None:
    root = project(tmp_path, '[tool.mascite]\nselct = ["links"]\n\n[tool.mascite.crossref]\n'
                             'mail = "a@b.org"\n')
    result = run("check", "docs/b.md", "--offline", cwd=root)
    assert result.returncode == 2
    assert result.stderr == (f"mascite: error: {root / 'pyproject.toml'}: [tool.mascite]: unknown "
                             "key 'crossref.mail'; unknown key 'selct'\n")
    (root / "pyproject.toml").write_text('[tool.mascite]\nfail-on = "often"\n', encoding="utf-8")
    bad_value = run("check", "docs/b.md", "--offline", cwd=root)
    assert bad_value.returncode == 2
    assert "[tool.mascite]: fail-on: Input should be 'error', 'warning' or 'never'" in \
        bad_value.stderr
    (root / "pyproject.toml").write_text('[tool.mascite]\nignore = ["uncited-claims"]\n',
                                         encoding="utf-8")
    typo = run("check", "docs/b.md", "--offline", cwd=root)
    assert typo.returncode == 2
    assert typo.stderr.startswith(f"mascite: error: {root / 'pyproject.toml'}: unknown rule "
                                  "'uncited-claims' (see `mascite rules`")
    (root / "pyproject.toml").write_text('[tool.mascite\n', encoding="utf-8")
    broken = run("check", "docs/b.md", "--offline", cwd=root)
    assert broken.returncode == 2
    assert broken.stderr.startswith(f"mascite: error: {root / 'pyproject.toml'}: not valid TOML")


def test_settings_read_every_documented_key(tmp_path: Path) -> None:
    file = tmp_path / "mascite.toml"
    file.write_text("""bibliography = "refs.bib"
style = "apa"
claims = "all"
fail-on = "warning"
select = ["ALL"]
extend-select = ["links"]
ignore = ["missing-doi"]
per-file-ignores = {"drafts/*.md" = ["uncited-claim"]}
exclude = ["site/"]
extend-exclude = ["old/"]
respect-gitignore = false

[crossref]
mailto = "editor@example.org"
cache = "off"
offline = true
deadline = 30
""", encoding="utf-8")
    settings = load_config(file)
    assert settings.model_dump(by_alias=True) == {
        "bibliography": ["refs.bib"], "style": "apa", "claims": "all", "fail-on": "warning",
        "select": ["ALL"], "extend-select": ["links"], "ignore": ["missing-doi"],
        "per-file-ignores": {"drafts/*.md": ["uncited-claim"]}, "exclude": ["site/"],
        "extend-exclude": ["old/"], "respect-gitignore": False,
        "crossref": {"mailto": "editor@example.org", "cache": "off", "offline": True,
                     "deadline": 30.0}}
    assert settings.root == tmp_path
    assert Settings().fail_on == "error"


def test_select_ignore_and_extend_select_on_the_command_line(tmp_path: Path) -> None:
    root = project(tmp_path)
    both = ("docs/a.md", "docs/b.md", "--offline", "--format", "json")
    assert codes(run("check", *both, "--select", "claims", cwd=root)) == [
        ("b.md", "uncited-claim", 3)]
    assert codes(run("check", *both, "--ignore", "uncited-claim,unused-reference",
                     cwd=root)) == []
    assert codes(run("check", *both, "--select", "claims", "--extend-select",
                     "unused-reference", cwd=root)) == [
        ("refs.bib", "unused-reference", 10), ("b.md", "uncited-claim", 3)]
    unknown = run("check", *both, "--select", "claimz", cwd=root)
    assert unknown.returncode == 2
    assert unknown.stderr.startswith("mascite: error: the command line: unknown rule 'claimz'")


def test_parse_errors_are_never_deselected(tmp_path: Path) -> None:
    (tmp_path / "broken.bib").write_text("@article{a, title = {Open\n", encoding="utf-8")
    result = run("check", "broken.bib", "--select", "links", "--offline", "--format", "json",
                 cwd=tmp_path)
    assert [f["code"] for f in json.loads(result.stdout)["findings"]] == ["parse-error"]
    assert result.returncode == 2


def test_claims_policy_all_reports_every_uncited_claim(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("The sky is blue. Grass grows in spring.\n", encoding="utf-8")
    default = run("check", "a.md", "--offline", "--format", "json", cwd=tmp_path)
    assert codes(default) == []
    every = run("check", "a.md", "--claims", "all", "--offline", "--format", "json", cwd=tmp_path)
    messages = [f["message"] for f in json.loads(every.stdout)["findings"]]
    assert messages == [
        "claim without a citation (every claim is to be cited): “The sky is blue.”",
        "claim without a citation (every claim is to be cited): “Grass grows in spring.”"]


def test_a_shared_bibliography_is_unused_only_where_no_document_cites(tmp_path: Path) -> None:
    (tmp_path / "refs.bib").write_text(BIB, encoding="utf-8")
    (tmp_path / "mascite.toml").write_text('bibliography = "refs.bib"\n', encoding="utf-8")
    (tmp_path / "one.md").write_text("Memory improved [@lee2016].\n", encoding="utf-8")
    (tmp_path / "two.md").write_text("Memory faded [@lee2016].\n", encoding="utf-8")
    result = run("check", ".", "--offline", "--format", "json", cwd=tmp_path)
    data = json.loads(result.stdout)
    assert [r["document"] for r in data["reports"]] == ["one.md", "two.md"]
    assert [(f["ref"], f["message"]) for r in data["reports"] for f in r["findings"]] == [
        ("unused2019", "reference unused2019 is never cited in the text of any of the 2 "
                       "documents that use refs.bib")]

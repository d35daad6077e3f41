"""mascite where people meet it beside their other linters: ``fix`` over many files, the
pre-commit hooks (``try-repo`` and the README's configuration, in real git repositories with
pre-commit's own environments), the GitHub Action's command line and the README's examples, each
used exactly as written. Crossref is the local stand-in, reached through the environment that
pre-commit and the action pass on."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from mascite import read_references
from mascite.testing import CrossrefStandIn, work_from_reference

from .conftest import BIB, ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
GOOD = "  volume = {68},\n  number = {1},\n  pages = {4--10},"
BAD = "  volume = {86},\n  number = {1},\n  pages = {4--10},"
ENTRY = (BIB / "mas.bib").read_text(encoding="utf-8").split("@article{emmenegger2001")[1]
ENTRY = "@article{emmenegger2001" + ENTRY[:ENTRY.index("\n}\n") + 3]
PAPER = ("---\ntitle: IVIG in MAS\nbibliography: refs.bib\n---\n\n"
         "Ferritin guided the use of immunoglobulin in reactive MAS "
         "[@emmenegger2001hyperferritinemia].\n")
UNCITED = "\nMAS affects 10% of children with systemic JIA.\n"  # a statistic: it needs a source


def _block(language: str, starts: str) -> str:
    """The README's fenced block in ``language`` whose first line starts with ``starts``."""
    for body in re.findall(rf"```{language}\n(.*?)```", README, flags=re.S):
        if body.startswith(starts):
            return str(body)
    raise AssertionError(f"the README has no {language} block starting {starts!r}")


@pytest.fixture(scope="module")
def crossref() -> Iterator[CrossrefStandIn]:
    works = [work_from_reference(r) for r in read_references(BIB / "mas.bib").references]
    with CrossrefStandIn(works) as server:
        yield server


def _env(server: CrossrefStandIn, **more: str) -> dict[str, str]:
    return {**os.environ, "MASCITE_CROSSREF_URL": server.url, "MASCITE_CACHE": "off",
            "MASCITE_MAILTO": "editor@example.org", **more}


def _run(args: list[str], cwd: Path, env: dict[str, str],
         timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, check=False,
                          timeout=timeout)


def _mascite(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return _run([sys.executable, "-m", "mascite", *args], cwd, env)


def test_fix_takes_many_files_and_one_unreadable_stops_none(tmp_path: Path,
                                                            crossref: CrossrefStandIn) -> None:
    broken = tmp_path / "broken.bib"
    clean = tmp_path / "clean.bib"
    broken.write_text(ENTRY.replace(GOOD, BAD), encoding="utf-8")
    clean.write_text(ENTRY, encoding="utf-8")
    env = _env(crossref)
    shown = _mascite("fix", "broken.bib", "clean.bib", cwd=tmp_path, env=env)
    assert shown.returncode == 1, shown.stderr
    assert [line for line in shown.stdout.splitlines() if line[:1] in "+-"] == [
        "--- broken.bib", "+++ broken.bib (corrected)", "-  volume = {86},", "+  volume = {68},"]
    assert shown.stderr == "mascite: clean.bib: nothing to correct\n"

    written = _mascite("fix", "--write", "missing.bib", "broken.bib", "clean.bib", "broken.bib",
                       cwd=tmp_path, env=env)
    assert written.returncode == 2  # the missing file
    assert written.stderr.splitlines() == [
        "mascite: error: missing.bib: no such file",
        "mascite: broken.bib: 1 correction written",  # named twice, fixed once
        "mascite: clean.bib: nothing to correct"]
    assert broken.read_text(encoding="utf-8") == ENTRY
    assert clean.read_text(encoding="utf-8") == ENTRY


def test_check_of_nothing_says_so(tmp_path: Path) -> None:
    (tmp_path / "figure.png").write_bytes(b"\x89PNG\r\n")
    done = _mascite("check", ".", "--offline", cwd=tmp_path, env=dict(os.environ))
    assert done.returncode == 0
    assert done.stderr == ("mascite: warning: no files to check (none has a suffix mascite reads, "
                           "or all are excluded)\n")


# -- pre-commit ----------------------------------------------------------------------------------

def _git(*args: str, cwd: Path) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True,
                          timeout=60).stdout


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """pre-commit's store for this module: the hooks' environment is built once, from PyPI."""
    pytest.importorskip("pre_commit", reason="pre-commit comes with the test extra")
    if shutil.which("git") is None:
        pytest.skip("pre-commit needs git")
    if not (ROOT / ".git").exists():
        pytest.skip("the hooks are tried from this repository's git history; ROOT is no clone")
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture(scope="module")
def hook_repo(pre_commit_home: Path) -> tuple[str, str]:
    """This working tree as a one-commit repository and its commit (as ``try-repo`` makes its
    shadow repository), so that the README's configuration is tried on the code under test."""
    shadow = pre_commit_home.parent / "mascite-repo"
    files = _git("ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=ROOT)
    for name in filter(None, files.split("\0")):
        if (ROOT / name).is_file():
            (shadow / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, shadow / name)
    _git("init", "-q", cwd=shadow)
    _git("add", "-A", cwd=shadow)
    _git("-c", "user.email=ci@example.org", "-c", "user.name=CI", "commit", "-q", "-m", "tree",
         cwd=shadow)
    return str(shadow), _git("rev-parse", "HEAD", cwd=shadow).strip()


def _project(path: Path, bib: str) -> Path:
    """A git repository with a paper, its bibliography and everything staged."""
    path.mkdir()
    _git("init", "-q", cwd=path)
    _git("config", "user.email", "author@example.org", cwd=path)
    _git("config", "user.name", "An Author", cwd=path)
    (path / "paper.md").write_text(PAPER, encoding="utf-8")
    (path / "refs.bib").write_text(bib, encoding="utf-8")
    (path / "figure.png").write_bytes(b"\x89PNG\r\n")  # not a file the hooks are given
    _git("add", "-A", cwd=path)
    return path


def _pre_commit(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return _run([sys.executable, "-m", "pre_commit", *args, "--color", "never"], cwd, env, 600)


def test_pre_commit_try_repo_runs_both_hooks(tmp_path: Path, pre_commit_home: Path,
                                             crossref: CrossrefStandIn) -> None:
    project = _project(tmp_path / "paper", ENTRY.replace(GOOD, BAD))
    done = _pre_commit("try-repo", str(ROOT), "--all-files", cwd=project,
                       env=_env(crossref, PRE_COMMIT_HOME=str(pre_commit_home)))
    assert done.returncode == 1, done.stdout + done.stderr
    hooks = re.findall(r"^(mascite (?:check|fix))\.+(\w+)$", done.stdout, flags=re.M)
    assert hooks == [("mascite check", "Failed"), ("mascite fix", "Failed")], done.stdout
    # the bibliography is checked once, with the paper that uses it, though both are named
    assert done.stdout.count("error field-mismatch") == 1, done.stdout
    assert ("refs.bib:7: error field-mismatch: emmenegger2001hyperferritinemia: volume 86; the "
            "record has 68") in done.stdout
    assert "files were modified by this hook" in done.stdout
    assert "mascite: refs.bib: 1 correction written" in done.stdout
    assert (project / "refs.bib").read_text(encoding="utf-8") == ENTRY


def test_readme_pre_commit_config_works_as_written(tmp_path: Path, pre_commit_home: Path,
                                                   hook_repo: tuple[str, str],
                                                   crossref: CrossrefStandIn) -> None:
    config = yaml.safe_load(_block("yaml", "# .pre-commit-config.yaml"))
    (repo,) = config["repos"]
    assert repo["repo"] == "https://github.com/mascite/mascite"
    assert [hook["id"] for hook in repo["hooks"]] == ["mascite-check", "mascite-fix"]
    repo.update(repo=hook_repo[0], rev=hook_repo[1])
    project = _project(tmp_path / "paper", ENTRY)
    (project / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    _git("add", "-A", cwd=project)
    env = _env(crossref, PRE_COMMIT_HOME=str(pre_commit_home))

    clean = _pre_commit("run", "--all-files", cwd=project, env=env)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert re.findall(r"^(mascite \w+)\.+(\w+)$", clean.stdout, flags=re.M) == [
        ("mascite check", "Passed"), ("mascite fix", "Passed")]

    (project / "paper.md").write_text(PAPER + UNCITED, encoding="utf-8")  # no source
    warned = _pre_commit("run", "--all-files", cwd=project, env=env)
    assert warned.returncode == 1  # args: [--fail-on, warning]
    assert re.findall(r"^(mascite \w+)\.+(\w+)$", warned.stdout, flags=re.M) == [
        ("mascite check", "Failed"), ("mascite fix", "Passed")]
    assert ("paper.md:8:1: warning uncited-claim: claim without a citation (statistic, "
            "epidemiology): “MAS affects 10% of children with systemic JIA.”") in warned.stdout


# -- the GitHub Action ---------------------------------------------------------------------------

ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))


def _action_script() -> tuple[str, dict[str, str]]:
    """The check step's script and its environment, with the ``${{ inputs.x }}`` left to fill."""
    (step,) = [s for s in ACTION["runs"]["steps"] if s.get("id") == "check"]
    assert step["shell"] == "bash"
    return step["run"], step["env"]


def _run_action(inputs: dict[str, str], cwd: Path, env: dict[str, str],
                tmp_path: Path) -> tuple[subprocess.CompletedProcess[str], str]:
    """The check step as the runner runs it: inputs with their defaults, ``bash -e`` and
    ``$GITHUB_OUTPUT``; returns the run and what the step wrote to its outputs."""
    declared = ACTION["inputs"]
    assert set(inputs) <= set(declared), f"inputs the action does not have: {set(inputs) - set(declared)}"
    values = {name: str(spec.get("default", "")) for name, spec in declared.items()} | inputs
    script, step_env = _action_script()
    filled = {name: re.sub(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}", lambda m: values[m.group(1)], value)
              for name, value in step_env.items()}
    outputs = tmp_path / "github-output"
    outputs.write_text("", encoding="utf-8")
    bindir = Path(sys.executable).parent  # `mascite` as the action installs it
    run_env = {**env, **filled, "GITHUB_OUTPUT": str(outputs),
               "PATH": f"{bindir}{os.pathsep}{env.get('PATH', '')}"}
    done = _run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script], cwd, run_env)
    return done, outputs.read_text(encoding="utf-8")


def test_action_annotations_and_exit_code(tmp_path: Path, crossref: CrossrefStandIn) -> None:
    project = tmp_path / "site"
    project.mkdir()
    (project / "paper.md").write_text(PAPER, encoding="utf-8")
    (project / "refs.bib").write_text(ENTRY.replace(GOOD, BAD), encoding="utf-8")
    done, outputs = _run_action({}, project, _env(crossref), tmp_path)
    assert done.returncode == 1, done.stderr
    assert outputs == "exit-code=1\n"
    assert done.stdout.splitlines() == [
        "::error file=refs.bib,line=7,title=mascite field-mismatch::"
        "emmenegger2001hyperferritinemia: volume 86; the record has 68 Suggestion: 68"]


def test_action_sarif_report(tmp_path: Path, crossref: CrossrefStandIn) -> None:
    project = tmp_path / "site"
    project.mkdir()
    (project / "paper.md").write_text(PAPER + UNCITED, encoding="utf-8")
    (project / "refs.bib").write_text(ENTRY, encoding="utf-8")
    (project / "drafts").mkdir()
    (project / "drafts" / "note.md").write_text("It is common.\n", encoding="utf-8")
    # paths with a space between them, args split as words, as the README's workflow has them
    done, outputs = _run_action({"paths": "paper.md refs.bib", "args": "--fail-on warning",
                                 "format": "sarif", "sarif-file": "out/mascite.sarif"},
                                project, _env(crossref), tmp_path)
    assert (done.returncode, outputs) == (1, "exit-code=1\n"), done.stderr
    assert done.stdout == ""
    sarif = json.loads((project / "out" / "mascite.sarif").read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0"
    results = [(r["ruleId"], r["level"],
                r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])
               for r in sarif["runs"][0]["results"]]
    assert results == [("uncited-claim", "warning", "paper.md")]


def test_action_refuses_an_unknown_format(tmp_path: Path) -> None:
    done, outputs = _run_action({"format": "xml"}, tmp_path, dict(os.environ), tmp_path)
    assert (done.returncode, outputs) == (2, "")
    assert done.stdout == "::error::format must be sarif or github, not 'xml'\n"


def test_readme_workflow_uses_the_action_as_it_is(tmp_path: Path,
                                                  crossref: CrossrefStandIn) -> None:
    workflow = yaml.safe_load(_block("yaml", "# .github/workflows/references.yml"))
    assert workflow["permissions"]["security-events"] == "write"
    (job,) = workflow["jobs"].values()
    (step,) = [s for s in job["steps"] if s["uses"].startswith("mascite/mascite@")]
    assert set(step["with"]) <= set(ACTION["inputs"])
    project = tmp_path / "repo"
    (project / "docs").mkdir(parents=True)
    (project / "paper.md").write_text(PAPER, encoding="utf-8")
    (project / "refs.bib").write_text(ENTRY, encoding="utf-8")
    (project / "docs" / "index.md").write_text("# Docs\n\nSee the paper.\n", encoding="utf-8")
    env = _env(crossref, **{k: str(v) for k, v in step.get("env", {}).items()})
    done, outputs = _run_action({k: str(v) for k, v in step["with"].items()}, project, env,
                                tmp_path)
    assert (done.returncode, outputs) == (0, "exit-code=0\n"), done.stdout + done.stderr
    sarif = json.loads((project / "mascite.sarif").read_text(encoding="utf-8"))
    assert sarif["runs"][0]["results"] == []


# -- the README's configuration ------------------------------------------------------------------

def test_readme_tool_mascite_example_works_as_written(tmp_path: Path,
                                                      crossref: CrossrefStandIn) -> None:
    toml = _block("toml", "[tool.mascite]")
    project = tmp_path / "book"
    for folder in ("bib", "notes", "drafts", "chapters"):
        (project / folder).mkdir(parents=True)
    (project / "pyproject.toml").write_text(toml, encoding="utf-8")
    shutil.copy(BIB / "mas.bib", project / "bib" / "mas.bib")
    cited = "IVIG helped in reactive MAS [@emmenegger2001hyperferritinemia].\n"
    (project / "chapters" / "one.md").write_text(cited + UNCITED, encoding="utf-8")
    (project / "notes" / "todo.md").write_text(cited + UNCITED, encoding="utf-8")
    (project / "drafts" / "old.md").write_text("[@nobody]\n", encoding="utf-8")
    done = _mascite("check", ".", "--format", "json", "--quiet", cwd=project,
                    env=_env(crossref))
    report: dict[str, Any] = json.loads(done.stdout)
    found = {r["document"]: sorted({f["code"] for f in r["findings"]}) for r in report["reports"]}
    # drafts/ excluded; notes' claims ignored; the shared bibliography's unused references said
    # once, with the first document using it, and the bibliography not checked again on its own
    assert found == {"chapters/one.md": ["uncited-claim", "unused-reference"],
                     "notes/todo.md": []}
    assert done.returncode == 1  # fail-on = "warning"

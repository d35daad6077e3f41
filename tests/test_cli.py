"""The command line as users run it: a real process, real files, exit codes and messages."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import BIB, EXAMPLES, ROOT


def run(*args: str, stdin: bytes | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "mascite", *args], input=stdin, capture_output=True, cwd=cwd,
        check=False, timeout=60)
    return subprocess.CompletedProcess(result.args, result.returncode,
                                       result.stdout.decode("utf-8"), result.stderr.decode("utf-8"))


def test_help_lists_the_contract_subcommands() -> None:
    result = run("--help")
    assert result.returncode == 0
    for command in ("check", "parse", "resolve", "format", "render", "convert"):
        assert f"    {command} " in result.stdout


def test_console_script_is_installed() -> None:
    script = shutil.which("mascite", path=str(Path(sys.executable).parent))
    if script is None:
        pytest.skip("mascite is not installed as a console script in this environment")
    result = subprocess.run([script, "--version"], capture_output=True, text=True, check=False)
    assert result.returncode == 0
    assert result.stdout.startswith("mascite ")


def test_check_example_text_report() -> None:
    result = run("check", "examples/ivig-for-mas.txt")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0] == "mascite check: examples/ivig-for-mas.txt"
    assert "References (11):" in lines
    assert "Citations: 11 markers, 11 linked to a reference" in lines
    assert lines[-1] == "Summary: 0 errors, 34 warnings, 0 notes; 0 input failures"
    # examples/mascite.toml reads the health pages strictly
    assert ("Claims: 59 (17 cited); 46 need a source under the strict policy, 12 have one, "
            "34 do not: coverage 26%" in lines)


def test_check_json_to_file(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    result = run("check", "examples/ivig-for-mas.txt", "--bib", "bib/mas.bib", "--format", "json",
                 "--output", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["version"] == 1
    assert report["summary"]["references"] == 11
    assert report["references"][10]["csl"]["container-title"] == "PLoS ONE"


def test_broken_bibtex_exits_2_naming_file_and_line(tmp_path: Path) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text("@article{ok, title={Fine}, doi={10.1000/x}}\n\n@article{broken\n title={x}\n}\n")
    result = run("check", str(bib))
    assert result.returncode == 2
    assert result.stderr == (
        f"{bib}:3: broken entry: Expected comma after entry key, but found =\n")
    assert "  ok     unverified 10.1000/x" in result.stdout
    assert "Traceback" not in result.stderr


def test_missing_file_and_undecodable_document(tmp_path: Path) -> None:
    missing = run("check", str(tmp_path / "nope.txt"))
    assert missing.returncode == 2
    assert missing.stderr == f"mascite: error: {tmp_path / 'nope.txt'}: no such file\n"
    doc = tmp_path / "doc.txt"
    doc.write_bytes(b"Claim [1].\nCaf\xe9 [1].\nReferences\n1. Smith. 2020. doi:10.1000/x\n")
    result = run("check", str(doc))
    assert result.returncode == 2
    assert result.stderr == (f"{doc}:2: not valid UTF-8 at column 4 (byte e9); "
                             "read with U+FFFD in its place\n")
    assert "Citations: 2 markers, 2 linked to a reference" in result.stdout


def test_fail_on_levels(tmp_path: Path) -> None:
    doc = tmp_path / "doc.txt"
    doc.write_text("Claim [1].\nReferences\n1. One. 2020.\n2. Two, never cited. 2021.\n")
    assert run("check", str(doc)).returncode == 0          # a warning only
    assert run("check", str(doc), "--fail-on", "warning").returncode == 1
    assert run("check", str(doc), "--fail-on", "never").returncode == 0


def test_usage_errors_exit_2() -> None:
    assert run("check").returncode == 2
    bad = run("check", "x.txt", "--format", "pdf")
    assert bad.returncode == 2
    assert "invalid choice: 'pdf'" in bad.stderr


def test_parse_from_stdin_one_item_per_entry_in_order() -> None:
    text = "1. Smith J. A title. J Med. 2020;1:2. doi:10.1000/one\n[2] Lee K. B. 2019.\n"
    result = run("parse", "-", stdin=text.encode())
    assert result.returncode == 0, result.stderr
    items = json.loads(result.stdout)
    assert [(i["id"], i.get("DOI"), i["issued"]) for i in items] == [
        ("1", "10.1000/one", {"date-parts": [[2020]]}), ("2", None, {"date-parts": [[2019]]})]


def test_convert_between_formats(tmp_path: Path) -> None:
    ris = run("convert", "bib/mas.bib", "--to", "ris")
    assert ris.returncode == 0, ris.stderr
    assert ris.stdout.count("TY  - JOUR") == 11
    assert "AU  - Öztürk, C." in ris.stdout
    out = tmp_path / "mas.json"
    assert run("convert", "bib/mas.bib", "--to", "csl-json", "--output", str(out)).returncode == 0
    items = json.loads(out.read_text(encoding="utf-8"))
    assert [i["id"] for i in items][:2] == ["bojan2021macrophage", "ozturk2015macrophage"]
    # written item by item as the entries stream by, it is json.dumps of the whole list exactly
    from mascite.formats import read_references

    listed = [r.to_csl() for r in read_references(BIB / "mas.bib").references]
    whole = json.dumps(listed, ensure_ascii=False, indent=2) + "\n"
    assert out.read_text(encoding="utf-8") == whole
    assert run("convert", "bib/mas.bib", "--to", "csl-json").stdout == whole
    broken = tmp_path / "broken.bib"
    broken.write_text("@article{a, title={A}}\n@article{b title={B}}\n@article{c, title={C}}\n",
                      encoding="utf-8")
    streamed = run("convert", str(broken), "--to", "csl-json")
    assert [i["id"] for i in json.loads(streamed.stdout)] == ["a", "c"]
    assert (streamed.returncode, streamed.stderr) == (
        2, f"{broken}:2: broken entry: Expected comma after entry key, but found =\n")
    back = run("convert", str(out), "--to", "bibtex")
    assert back.stdout == run("convert", "bib/mas.bib", "--to", "bibtex").stdout
    unknown = run("convert", "refs.docx", "--to", "ris")
    assert unknown.returncode == 2
    assert unknown.stderr.startswith("mascite: error: unknown bibliography format 'refs.docx'")


@pytest.mark.parametrize(
    ("args", "message"),
    [(("check", "--format", "html", "nonexistent.txt"), "mascite: error: nonexistent.txt: no such file"),
     (("format", "bib/mas.bib", "--style", "apaa"), "no CSL style named 'apaa'; did you mean apa"),
     (("render", "missing.md", "--style", "apa"), "mascite: error: missing.md: no such file"),
     (("fix", "bib/mas.bib", "--only", "colour"), "--only takes doi, issue, journal, pages, title, "
                                                  "volume, year; not colour")],
)
def test_unusable_input_is_one_line_and_exit_2(args: tuple[str, ...], message: str) -> None:
    result = run(*args)
    assert result.returncode == 2
    assert message in result.stderr
    assert result.stderr.count("\n") == 1


def test_example_script_runs() -> None:
    result = subprocess.run([sys.executable, str(EXAMPLES / "check_references.py")],
                            capture_output=True, text=True, check=False, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0].startswith("[1] 10.3892/etm.2021.10336")
    assert "11 citations cite 11 of 11 references" in result.stdout


def test_examples_are_the_seed_documents_byte_for_byte(seeds: Path) -> None:
    for name in ("ivig-for-mas.txt", "about-mas.txt"):
        assert (EXAMPLES / name).read_bytes() == (seeds / name).read_bytes()


def test_curated_bibliography_exists() -> None:
    assert (BIB / "mas.bib").read_text(encoding="utf-8").count("@article{") == 11


def test_resolve_exit_codes_say_not_found_is_a_finding(tmp_path: Path) -> None:
    import os

    from mascite.testing import CrossrefStandIn

    work = {"DOI": "10.1000/found", "type": "journal-article", "title": ["A found work"],
            "issued": {"date-parts": [[2020]]}}
    with CrossrefStandIn([work]) as server:
        env = {**os.environ, "MASCITE_CROSSREF_URL": server.url, "MASCITE_CACHE": "off",
               "MASCITE_MAILTO": "e@example.org"}

        def resolve(*dois: str) -> subprocess.CompletedProcess[str]:
            return subprocess.run([sys.executable, "-m", "mascite", "resolve", *dois],
                                  capture_output=True, text=True, check=False, timeout=60,
                                  env=env, cwd=tmp_path)

        assert resolve("10.1000/found").returncode == 0
        missing = resolve("10.1000/found", "10.1000/missing")
        assert missing.returncode == 1
        assert json.loads(missing.stdout)[0]["DOI"] == "10.1000/found"
        assert "10.1000/missing: not-found" in missing.stderr
        assert resolve("10.1000/found", "not-a-doi").returncode == 2

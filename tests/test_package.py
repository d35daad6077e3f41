"""The package's public names load on first use: a command pays only for what it uses."""

from __future__ import annotations

import subprocess
import sys

import pytest

import mascite


def _modules_after(code: str) -> set[str]:
    run = subprocess.run([sys.executable, "-c", f"{code}\nimport sys\nprint(*sys.modules)"],
                         capture_output=True, text=True, check=True)
    return set(run.stdout.split())


def test_formatting_does_not_load_the_http_client_or_the_parser() -> None:
    loaded = _modules_after("from mascite.csl.format import format_bibliography")
    assert "mascite.csl.format" in loaded
    assert {"requests", "mascite.crossref", "mascite.checks", "pycrfsuite", "bibtexparser",
            "markdown_it"} & loaded == set()


def test_the_version_command_loads_nothing_but_the_cli() -> None:
    loaded = _modules_after("from mascite.cli import main\ntry:\n main(['--version'])\n"
                            "except SystemExit:\n pass")
    assert {"pydantic", "requests", "mascite.model", "importlib.metadata"} & loaded == {
        "importlib.metadata"}  # the version, read from the installed package's metadata


def test_every_public_name_resolves() -> None:
    for name in mascite.__all__:
        assert getattr(mascite, name) is not None, name
    assert sorted(mascite.__all__) == sorted(set(mascite.__all__))
    assert set(mascite._HOME) | {"__version__"} == set(mascite.__all__)  # each loads from a home
    assert set(mascite.__all__) <= set(dir(mascite))


def test_check_is_the_function_even_after_its_module_is_imported() -> None:
    import mascite.checks.pipeline

    assert mascite.check is mascite.checks.pipeline.check
    assert callable(mascite.check)


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'no_such_name'"):
        mascite.no_such_name  # noqa: B018

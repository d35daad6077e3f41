"""Benchmark: citation-marker detection and linking on real PLOS articles.

Each JATS article in ``$MASCITE_SHARED_DATA/plos`` (default ``../shared/data/plos``) is rendered to
the plain text a reader sees — paragraphs with their visible markers, then a numbered reference list —
and run through mascite's linker. The article's own ``<xref ref-type="bibr">`` links are the truth:

- marker recall: share of xrefs inside a marker mascite found;
- marker precision: share of mascite's markers (in the body) that hold at least one xref;
- linking accuracy: share of found markers whose references equal the truth (the xrefs' targets,
  with ranges such as ``[2]–[4]`` expanded).

Run:  python benchmarks/link_plos.py [--verbose]
"""

from __future__ import annotations

import os
import re
import sys
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from defusedxml.ElementTree import parse as parse_xml

from mascite import check_document, parse_document

XLINK = "{http://www.w3.org/1999/xlink}"
_RAISE = str.maketrans("0123456789,–-", "⁰¹²³⁴⁵⁶⁷⁸⁹,⁻⁻")


@dataclass
class Rendered:
    text: str
    xrefs: list[tuple[int, int, list[str]]] = field(default_factory=list)  # start, end, ref ids
    numbers: dict[str, str] = field(default_factory=dict)  # ref id -> label


def _inline(element: ET.Element, out: list[str], xrefs: list[tuple[int, int, list[str]]],
            length: list[int]) -> None:
    def emit(text: str | None) -> None:
        if text:
            text = re.sub(r"\s+", " ", text)
            out.append(text)
            length[0] += len(text)

    emit(element.text)
    for child in element:
        tag = child.tag.split("}")[-1]
        if tag == "xref" and child.get("ref-type") == "bibr":
            start = length[0]
            emit("".join(child.itertext()))
            xrefs.append((start, length[0], (child.get("rid") or "").split()))
        elif tag in ("fig", "table-wrap", "disp-formula", "supplementary-material"):
            pass
        elif tag == "sup":  # shown raised: digits become superscript digits, as readers see them
            before = len(xrefs)
            inner: list[str] = []
            _inline(child, inner, xrefs, length)
            raised = "".join(inner).translate(_RAISE) if len(xrefs) > before else "".join(inner)
            out.append(raised)
        else:
            _inline(child, out, xrefs, length)
        emit(child.tail)


def _reference_text(ref: ET.Element) -> str:
    citation = next((c for c in ref if c.tag.split("}")[-1] in
                     ("element-citation", "mixed-citation", "citation")), None)
    if citation is None:
        return " ".join("".join(ref.itertext()).split())
    if citation.tag.endswith("mixed-citation"):
        return " ".join("".join(citation.itertext()).split())
    names = []
    for name in citation.iter():
        if name.tag.split("}")[-1] == "name":
            surname = name.findtext("surname") or ""
            given = name.findtext("given-names") or ""
            names.append(f"{surname} {given}".strip())
        elif name.tag.split("}")[-1] == "collab":
            names.append(" ".join("".join(name.itertext()).split()))

    def field_text(tag: str) -> str:
        node = citation.find(tag)
        return " ".join("".join(node.itertext()).split()) if node is not None else ""

    pages = "-".join(p for p in (field_text("fpage"), field_text("lpage")) if p)
    parts = [", ".join(names[:6]) + (" et al." if len(names) > 6 else ""),
             field_text("article-title"), field_text("source"),
             f"{field_text('year')};{field_text('volume')}:{pages}"]
    return ". ".join(p.rstrip(".") for p in parts if p.strip(";:")) + "."


def render(path: Path) -> Rendered | None:
    root = parse_xml(path).getroot()
    body = root.find(".//body")
    refs = root.findall(".//ref-list/ref")
    if body is None or not refs:
        return None
    out: list[str] = []
    xrefs: list[tuple[int, int, list[str]]] = []
    length = [0]
    for element in body.iter():
        tag = element.tag.split("}")[-1]
        if tag == "title" and out:
            out.append("\n\n")
            length[0] += 2
            _inline(element, out, xrefs, length)
            out.append("\n\n")
            length[0] += 2
        elif tag == "p":
            _inline(element, out, xrefs, length)
            out.append("\n\n")
            length[0] += 2
    rendered = Rendered(text="")
    lines = ["References"]
    for number, ref in enumerate(refs, start=1):
        label = (ref.findtext("label") or str(number)).strip().rstrip(".")
        if not label.isdigit():
            label = str(number)
        rendered.numbers[ref.get("id", "")] = label
        lines.append(f"{label}. {_reference_text(ref)}")
    rendered.text = "".join(out) + "\n".join(lines) + "\n"
    rendered.xrefs = xrefs
    return rendered


def _truth(rendered: Rendered, inside: list[tuple[int, int, list[str]]], text: str) -> set[str]:
    labels: set[int] = set()
    previous = None
    for start, end, rids in inside:
        numbers = [int(rendered.numbers[r]) for r in rids if r in rendered.numbers]
        if previous is not None and numbers and re.fullmatch(
                r"\]?\s*[–—-]\s*\[?", text[previous[0]:start]):
            labels.update(range(previous[1] + 1, min(numbers)))
        labels.update(numbers)
        if numbers:
            previous = (end, max(numbers))
    return {str(n) for n in labels}


def main(argv: list[str]) -> int:
    verbose = "--verbose" in argv
    data = Path(os.environ.get("MASCITE_SHARED_DATA") or
                Path(__file__).resolve().parents[2] / "shared" / "data") / "plos"
    if not data.is_dir():
        print(f"no PLOS data at {data}: set MASCITE_SHARED_DATA")
        return 2
    xref_total = xref_found = markers = markers_true = linked_ok = linked_total = 0
    articles = 0
    started = time.perf_counter()
    for path in sorted(data.glob("*.xml")):
        rendered = render(path)
        if rendered is None or not rendered.xrefs:
            continue
        articles += 1
        document = parse_document(rendered.text, str(path.name), "text")  # the text a reader sees
        report = check_document(document)
        citations = [c for c in report.citations if c.start < document.body_end]
        for start, end, _ in rendered.xrefs:
            xref_total += 1
            if any(c.start <= start and end <= c.end for c in citations):
                xref_found += 1
            elif verbose:
                print(f"{path.name}: missed {rendered.text[max(0, start - 40):end + 20]!r}")
        for citation in citations:
            markers += 1
            inside = [x for x in rendered.xrefs if citation.start <= x[0] and x[1] <= citation.end]
            if not inside:
                if verbose:
                    print(f"{path.name}: spurious {citation.marker!r} "
                          f"{rendered.text[max(0, citation.start - 40):citation.end + 20]!r}")
                continue
            markers_true += 1
            linked_total += 1
            truth = _truth(rendered, inside, rendered.text)
            refs = {report.references[[r.id for r in report.references].index(ref_id)].label or ""
                    for ref_id in citation.refs if ref_id in [r.id for r in report.references]}
            if refs == truth:
                linked_ok += 1
            elif verbose:
                print(f"{path.name}: {citation.marker!r} linked {sorted(refs)} expected {sorted(truth)}")
    elapsed = time.perf_counter() - started
    recall = xref_found / xref_total if xref_total else 0.0
    precision = markers_true / markers if markers else 0.0
    accuracy = linked_ok / linked_total if linked_total else 0.0
    print(f"PLOS articles: {articles}, xrefs: {xref_total}, markers found: {markers}")
    print(f"marker recall:    {recall:.4f} ({xref_found}/{xref_total})")
    print(f"marker precision: {precision:.4f} ({markers_true}/{markers})")
    print(f"linking accuracy: {accuracy:.4f} ({linked_ok}/{linked_total})")
    print(f"time: {elapsed:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""mascite's JATS reader on real PLOS articles, against the articles' own citation links.

Each ``<xref ref-type="bibr" rid="…">`` in an article's body is the truth: where a citation is and
which references it names. mascite reads the XML file itself (``mascite.check`` offline) and its
markers' source spans are compared with the xrefs' positions in the file:

- marker recall: share of body xrefs that overlap a marker mascite found;
- marker precision: share of mascite's markers holding at least one xref;
- linking: share of found markers whose references are exactly the xrefs' (ranges such as
  ``[2]–[4]`` name the ones between, so a marker's references must include its xrefs' and be
  within their range);
- references: entries read from ``<ref-list>`` against its ``<ref>`` elements.

    python benchmarks/jats.py [--verbose]
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("MASCITE_CACHE", "off")

from shared import shared_data  # noqa: E402

from mascite.checks.pipeline import check  # noqa: E402

_XREF = re.compile(r'<xref\b[^>]*\bref-type="bibr"[^>]*>')
_RID = re.compile(r'\brid="([^"]*)"')
_REF = re.compile(r'<ref\b[^>]*\bid="([^"]*)"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    folder = shared_data() / "plos"
    if not folder.is_dir():
        print(f"no PLOS articles at {folder}: set MASCITE_SHARED_DATA")
        return
    totals = dict(xrefs=0, found=0, markers=0, holding=0, linked=0, refs=0, entries=0)
    for path in sorted(folder.glob("*.xml")):
        text = path.read_text(encoding="utf-8")
        body_end = text.find("<ref-list")
        body_end = body_end if body_end >= 0 else len(text)
        numbers = {rid: str(i) for i, rid in enumerate(_REF.findall(text[body_end:]), start=1)}
        truth = []  # each xref element's span in the file, and the references it names
        for match in _XREF.finditer(text, 0, body_end):
            rid = _RID.search(match.group(0))
            close = text.find("</xref>", match.end())
            end = close + len("</xref>") if close >= 0 and not match.group(0).endswith("/>") \
                else match.end()
            truth.append((match.start(), end, rid.group(1).split() if rid else []))
        report = check(path, offline=True)
        markers = [c for c in report.citations if c.start < body_end]
        inside = {i: [t for t in truth if t[0] < c.end and c.start < t[1]]
                  for i, c in enumerate(markers)}
        found = sum(1 for t in truth if any(t[0] < c.end and c.start < t[1] for c in markers))
        linked = 0
        for i, citation in enumerate(markers):
            named = sorted({int(numbers[r]) for _, _, rids in inside[i] for r in rids
                            if r in numbers})
            got = sorted(int(r) for r in citation.refs if r.isdigit())
            if named and set(named) <= set(got) and got and min(got) >= named[0] \
                    and max(got) <= named[-1]:
                linked += 1
            elif args.verbose and named:
                print(f"{path.name}:{citation.line}: {citation.marker!r} → {got}, xrefs {named}")
        totals["xrefs"] += len(truth)
        totals["found"] += found
        totals["markers"] += len(markers)
        totals["holding"] += sum(1 for i in inside if inside[i])
        totals["linked"] += linked
        totals["refs"] += len(numbers)
        totals["entries"] += len(report.references)
    print(f"articles: {len(list(folder.glob('*.xml')))}")
    print(f"marker recall    {totals['found'] / totals['xrefs']:.4f}  "
          f"({totals['found']}/{totals['xrefs']} body xrefs inside a marker)")
    print(f"marker precision {totals['holding'] / totals['markers']:.4f}  "
          f"({totals['holding']}/{totals['markers']} markers hold an xref)")
    print(f"linking          {totals['linked'] / totals['holding']:.4f}  "
          f"({totals['linked']}/{totals['holding']} markers name exactly their xrefs' references)")
    print(f"references       {totals['entries']}/{totals['refs']} read from <ref-list>")


if __name__ == "__main__":
    main()

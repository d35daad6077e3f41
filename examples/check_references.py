"""Check the IVIG example against the curated bibliography, using only mascite's public API.

Run from the repository root:  python examples/check_references.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import mascite

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    report = mascite.check(ROOT / "examples" / "ivig-for-mas.txt", bibs=[ROOT / "bib" / "mas.bib"])
    for ref in report.references:
        title = (mascite.plain_text(ref.csl.get("title")) or ref.raw)[:70]
        print(f"[{ref.label}] {ref.doi or 'no DOI':<32} {ref.status:<10} {title}")
    cited = {ref_id for citation in report.citations for ref_id in citation.refs}
    print(f"\n{len(report.citations)} citations cite {len(cited)} of "
          f"{len(report.references)} references")
    for finding in report.findings:
        print(f"{finding.location()}: {finding.severity.value} {finding.code}: {finding.message}")
    return report.exit_code("error")


if __name__ == "__main__":
    sys.exit(main())

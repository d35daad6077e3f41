"""The rules of a check, one module per family of findings: ``links`` (dangling, unused, order),
``claims`` (uncited claims, year contradictions), ``duplicates``, ``identifiers`` (what needs no
record) and ``verify`` (a reference against its record, one rule per field)."""

from __future__ import annotations

from .claims import claim_findings
from .duplicates import duplicate_references
from .identifiers import doi_findings, schema_findings
from .links import link_findings
from .verify import status_findings, verify_reference

__all__ = ["claim_findings", "doi_findings", "duplicate_references", "link_findings",
           "schema_findings", "status_findings", "verify_reference"]

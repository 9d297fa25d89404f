"""What the disclosure auditor gathers of komvux: every released table of its pages.

``komvux_audit_tables`` is the registration the auditor (``likvard.audit.gather``) calls: it
returns the released tables of the region page and of every organizer page, through the
services the pages, API, CLI and exports use, each named with the measure family whose cells
it shows (one family per measure). The auditor's own definitions
of the families' counts and ties are in ``likvard.audit.catalogue`` (``komvux.*``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from likvard.access.policy import Viewer
from likvard.access.release import Released
from likvard.analyses.komvux import services
from likvard.organisations.models import Region


@dataclass(frozen=True, slots=True)
class AuditTable:
    """One released table for the auditor: a page-unique ``name``, the definition ``kind``
    (``komvux.<measure>``) and the ``family`` of cells it shows."""

    name: str
    kind: str
    family: str
    released: Released
    constants: dict[str, object]
    """Breakdown values that hold for every row: an organizer page's municipality."""
    unended: frozenset[tuple[object, ...]] = frozenset()
    """The keys of the rows without an ended start: their outcomes (``OUTCOMES``) are not
    applicable, no cell (``KomvuxReport.unended``)."""


def komvux_audit_tables(*, viewer: Viewer, region: Region) -> Iterator[AuditTable]:
    """Every komvux table ``viewer`` can obtain about ``region``: the region page's and each
    municipal organizer's page's, per measure family and breakdown (all years); an organizer
    page's rows carry its municipality as a constant."""
    region_report = services.komvux_region_report(viewer=viewer, region=region, channel="cli")
    reports: list[tuple[str, services.KomvuxReport, dict[str, object]]] = [
        ("region", region_report, {})
    ]
    for organizer in services.komvux_organizers(region=region):
        report = services.komvux_organizer_report(viewer=viewer, organizer=organizer, channel="cli")
        municipality = organizer.municipality.code if organizer.municipality else None
        page = f"organizer:{organizer.organisation_number}"
        reports.append((page, report, {"municipality_code": municipality}))
    for page, report, constants in reports:
        for measure, tables in report.tables.items():
            for by, released in tables.items():
                kind = f"komvux.{measure}"
                unended = report.unended.get(measure, {}).get(by, frozenset())
                yield AuditTable(f"{page}/{measure}/{by}", kind, kind, released, constants, unended)

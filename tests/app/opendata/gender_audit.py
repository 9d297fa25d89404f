"""The disclosure auditor over what anyone can fetch from the Kolada API: T, K and M.

The auditor's own open-data gatherer reads the totals (``T``); this adds the girls' and boys'
rows (``K``, ``M``) as the same cells with ``group`` split into girls and boys (students of
unknown gender an unshown remainder), so an attacker who solves LPs over T plus K/M (and the
levels' ties of the register) is checked. Used by the tests and, on the demo, by hand.
"""

from __future__ import annotations

from collections.abc import Sequence

from likvard.access.policy import ANONYMOUS, Viewer
from likvard.access.release import thresholds_for
from likvard.audit.catalogue import QUALITY_LEVEL_DIMS
from likvard.opendata.services.released import released_rows
from likvard.organisations import selectors as organisations
from likvard.organisations.models import Region, SchoolUnit
from likvard_core.audit.audit import AuditResult, audit
from likvard_core.audit.model import Hierarchy, ReleasedTable, Total


def _hierarchy(region: Region) -> Hierarchy:
    units = SchoolUnit.objects.values_list(
        "code", "organizer__organisation_number", "municipality__code"
    )
    return Hierarchy(
        unit_organizer={code: org for code, org, _m in units},
        unit_municipality={code: m for code, _org, m in units},
        municipality_region={
            m.code: region.code for m in organisations.region_municipalities(region=region)
        },
    )


def kolada_gender_audit(
    *, region: Region, indicators: Sequence[str], year: int, viewer: Viewer = ANONYMOUS
) -> tuple[AuditResult, int, int]:
    """The audit of T plus K/M of ``indicators`` in ``region`` and ``year``, with the count of
    girls' and boys' rows and of those shown."""
    common = {
        "viewer": viewer, "indicators": list(indicators), "regions": [region.code],
        "years": [year], "purpose": "test.kolada-gender", "channel": "test",
    }  # fmt: skip
    totals = released_rows(**common)  # type: ignore[arg-type]
    genders = released_rows(**common, genders=True)  # type: ignore[arg-type]
    thresholds = thresholds_for()
    rows = [*totals, *genders]
    table = ReleasedTable(
        analysis="opendata",
        name=f"kolada/{region.code}/{year}",
        family="quality",
        dims=QUALITY_LEVEL_DIMS,
        counts=("n",),
        rows=rows,
        min_group=thresholds.default,
        min_group_where=dict(thresholds.by_dim),
        totals={"group": Total(None, partitions=(("girls", "boys"),))},
    )
    shown = sum(1 for r in genders if r["n"] is not None)
    return audit([table], _hierarchy(region)), len(genders), shown

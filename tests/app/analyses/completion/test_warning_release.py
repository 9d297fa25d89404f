"""The early-warning counts per unit and organizer, released through the gate and audited.

A row's ``flagged``, ``serious`` and ``very_serious`` count some of its ``n`` students, and an
organizer's are its units' sums. Released as plain values (hidden with their row, but no cells
of the cube), a hidden unit's were its organizer's minus the shown units': the disclosure audit
of Skaraborg's completion on the demo pinned 44 of them to 0 (every role), each where the
shown units already held all of the organizer's flagged students.
"""

from __future__ import annotations

import dataclasses

import pyarrow as pa

from likvard.audit.catalogue import DEFINITIONS
from likvard_core.analytics.completion.warning import WarningRule, warning_counts
from likvard_core.audit.audit import audit
from likvard_core.audit.model import ReleasedTable
from likvard_core.disclosure.suppress import SKOLVERKET_THRESHOLDS, suppress
from likvard_core.warehouse.snapshot import Snapshot
from tests.core.analytics.completion import cohorts

ORGANIZER = "5560000001"
UNITS = {  # unit: (n, flagged, serious, very_serious)
    "10000001": (40, 6, 4, 2),
    "10000002": (25, 0, 0, 0),
    "10000003": (4, 0, 0, 0),  # too few for a unit (10): hidden, and one more with it
}


def _counts_table(schema: pa.Schema) -> pa.Table:
    """Spring 2025: one organizer's three units, the organizer and the total (nulls)."""
    whole = tuple(sum(v[i] for v in UNITS.values()) for i in range(4))
    keys = [
        *((ORGANIZER, unit, counts) for unit, counts in UNITS.items()),
        (ORGANIZER, None, whole),
        (None, None, whole),
    ]
    rows = []
    for organizer, unit, (n, flagged, serious, very) in keys:
        counts = {"n": n, "flagged": flagged, "serious": serious, "very_serious": very}
        shares = {f"{k}_share": v / n for k, v in counts.items() if k != "n"}
        rows.append(
            {
                "school_year": 2025,
                "term": "VT",
                "organizer_code": organizer,
                "school_unit_code": unit,
                **counts,
                **shares,
            }
        )
    return pa.Table.from_pylist(rows, schema=schema)


def test_a_hidden_unit_s_flagged_students_are_no_difference_of_the_shown():
    with Snapshot.from_tables(cohorts.history_tables(), version="test") as db:
        declared = warning_counts(
            db, WarningRule(), years=(2019, 2019), organizers=None, scope="test"
        )
    aggregate = dataclasses.replace(declared, table=_counts_table(declared.table.schema))
    released = suppress(aggregate, min_group=SKOLVERKET_THRESHOLDS)
    definition = DEFINITIONS["completion.warnings"]
    table = ReleasedTable(
        analysis="completion",
        name="region/warning_counts_report/released",
        family="completion.warnings",
        dims=aggregate.dims,
        counts=definition.counts,
        rows=released.table.to_pylist(),
        min_group=SKOLVERKET_THRESHOLDS.default,
        min_group_where=dict(SKOLVERKET_THRESHOLDS.by_dim),
        totals=definition.totals,
    )
    hidden = [r["school_unit_code"] for r in released.table.to_pylist() if r["n"] is None]
    assert "10000003" in hidden
    result = audit([table])
    assert result.exposed == 0, [(f.measure, dict(f.key)) for f in result.findings]

"""The case list of one school unit: for the unit's own principal and student-health team."""

from __future__ import annotations

import pyarrow as pa

from likvard_core.warehouse.schema import INCIDENTS
from likvard_core.warehouse.snapshot import Snapshot

_CASES_SQL = f"""
SELECT case_id, reported_on, incident_kind, investigated_on, measures_on, closed_on,
       date_diff('day', reported_on, investigated_on) AS days_investigated,
       date_diff('day', reported_on, measures_on) AS days_measures,
       date_diff('day', reported_on, closed_on) AS days_closed
FROM {INCIDENTS.name}
WHERE school_unit_code = $unit
ORDER BY reported_on DESC, case_id
LIMIT $limit
"""


def school_unit_cases(db: Snapshot, *, school_unit: str, limit: int = 500) -> pa.Table:
    """The latest ``limit`` cases of ``school_unit``, newest first, with days from the report
    to investigation, measures and closing (null where not done). Case records: the caller
    must have checked the viewer's right to them and audit the read."""
    return db.query(_CASES_SQL, {"unit": school_unit, "limit": int(limit)})

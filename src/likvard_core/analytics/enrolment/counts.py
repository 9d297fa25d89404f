"""Enrolled students per school year, school unit and gender (15 October counts)."""

from __future__ import annotations

from collections.abc import Collection

from likvard_core.disclosure.aggregate import Aggregate, Level, Population
from likvard_core.warehouse.snapshot import Snapshot

DIMS = ("school_year", "organizer_code", "school_unit_code", "gender")

_SQL = """
SELECT school_year, organizer_code, school_unit_code, gender,
       count(DISTINCT student_key) AS students,
       avg(CASE WHEN newly_arrived THEN 1.0 ELSE 0.0 END) AS share_newly_arrived
FROM enrolments
WHERE list_contains($organizers, organizer_code)
GROUP BY ALL
ORDER BY school_year, school_unit_code, gender
"""


def enrolment_by_school_unit(db: Snapshot, *, organizers: Collection[str]) -> Aggregate:
    """Students enrolled per school year, school unit and gender for the given organizers.

    Returns an ``Aggregate`` counted in students (``students``) with the share of newly
    arrived students as a value; the population is the organizers' student-level data.
    """
    codes = sorted(organizers)
    table = db.query(_SQL, {"organizers": codes})
    return Aggregate(
        table=table,
        dims=DIMS,
        count="students",
        values=("share_newly_arrived",),
        population=Population(
            scope="organizers:" + ",".join(codes),
            organizers=frozenset(codes),
            level=Level.SCHOOL_UNIT,
        ),
        data_version=db.version,
        source="huvudmannens elevregister (import)",
    )

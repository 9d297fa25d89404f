"""The student groups of the grade-versus-test comparison and how a student falls into them.

Besides everyone (``all``) and the two genders, a student can be counted in background groups
read from that school year's enrolments: born abroad or in Sweden, newly arrived (registered in
Sweden during the last four years), and the parents' education (SALSA's level scale 1-3:
compulsory, upper-secondary, post-secondary school, averaged over the parents) in three bands.
A student with several enrolment rows in a year takes the smallest gender code, is born abroad
or newly arrived when any row says so, and the highest parents' education recorded. A missing
value puts the student in no group of that kind (they still count in ``all``).
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from likvard_core.disclosure.aggregate import Partitions
from likvard_core.terms import Gender, Group

GENDER_GROUPS: tuple[str, ...] = (Group.ALL.value, Group.GIRLS.value, Group.BOYS.value)
"""Everyone, then the genders: the groups published statistics use."""

BORN_ABROAD = "born_abroad"
BORN_IN_SWEDEN = "born_in_sweden"
NEWLY_ARRIVED = "newly_arrived"
PARENTS_LOW = "parents_low"
PARENTS_MIDDLE = "parents_middle"
PARENTS_HIGH = "parents_high"

BACKGROUND_GROUPS: tuple[str, ...] = (
    BORN_ABROAD,
    BORN_IN_SWEDEN,
    NEWLY_ARRIVED,
    PARENTS_LOW,
    PARENTS_MIDDLE,
    PARENTS_HIGH,
)
"""Groups by the student's background, where the enrolments carry it."""

GROUPS: tuple[str, ...] = (*GENDER_GROUPS, *BACKGROUND_GROUPS)
"""Every group, in display order."""

GROUP_PARTITIONS = Partitions(
    column="group",
    total=Group.ALL.value,
    parts=(
        (Group.GIRLS.value, Group.BOYS.value),
        (BORN_ABROAD, BORN_IN_SWEDEN),
        (NEWLY_ARRIVED,),
        (PARENTS_LOW, PARENTS_MIDDLE, PARENTS_HIGH),
    ),
)
"""How the groups split ``all`` (each kind leaves out the students it has no value for), so
suppression knows that ``all - boys`` is girls plus the unknown (``disclosure.partitions``)."""


def group_partitions(table: pa.Table) -> Partitions | None:
    """``GROUP_PARTITIONS`` when ``table`` has ``all`` rows to split, else None."""
    if table.num_rows == 0 or not pc.any(pc.equal(table.column("group"), Group.ALL.value)).as_py():
        return None
    return GROUP_PARTITIONS


PARENTS_MIDDLE_FROM = 2.0
"""Parents' mean education level from which the middle band starts (upper secondary)."""
PARENTS_HIGH_FROM = 2.5
"""Parents' mean education level from which the high band starts (mostly post-secondary)."""

# Per student and school year, one small code per kind of group, from the enrolments
# (aggregated over the student's rows that year); 0 means no group of that kind.
STUDENT_CODES_SQL = f"""
    CASE min(gender) WHEN '{Gender.FEMALE.value}' THEN 1 WHEN '{Gender.MALE.value}' THEN 2
         ELSE 0 END::UTINYINT AS gender_code,
    CASE bool_or(born_abroad) WHEN true THEN 1 WHEN false THEN 2 ELSE 0 END::UTINYINT
        AS born_code,
    CASE WHEN bool_or(newly_arrived) THEN 1 ELSE 0 END::UTINYINT AS newly_code,
    CASE WHEN max(parents_education) >= {PARENTS_HIGH_FROM} THEN 3
         WHEN max(parents_education) >= {PARENTS_MIDDLE_FROM} THEN 2
         WHEN max(parents_education) IS NOT NULL THEN 1 ELSE 0 END::UTINYINT AS parents_code
"""

MEMBERSHIP_SQL: dict[str, str | None] = {
    Group.ALL.value: None,
    Group.GIRLS.value: "gender_code = 1",
    Group.BOYS.value: "gender_code = 2",
    BORN_ABROAD: "born_code = 1",
    BORN_IN_SWEDEN: "born_code = 2",
    NEWLY_ARRIVED: "newly_code = 1",
    PARENTS_LOW: "parents_code = 1",
    PARENTS_MIDDLE: "parents_code = 2",
    PARENTS_HIGH: "parents_code = 3",
}
"""Each group as a condition on ``STUDENT_CODES_SQL``'s codes (None: every student)."""


def check_groups(groups: tuple[str, ...]) -> None:
    """``ValueError`` when ``groups`` names an unknown group."""
    unknown = sorted(set(groups) - set(GROUPS))
    if unknown:
        raise ValueError(f"unknown groups: {unknown}")

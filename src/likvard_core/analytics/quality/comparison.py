"""Comparison groups: the municipalities (or organizers) most like one by students and size.

The profile of each unit is computed from the enrolments of compulsory-school students in one
school year: mean parents' education level (SALSA scale), share newly arrived, share born
abroad, and size (log of the number of students). Each variable is standardised over all
units (z-scores), and the group is the ``k`` units nearest in Euclidean distance. Everything
needed to explain the choice is returned: each member's profile and distance.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import pyarrow as pa

from likvard_core.warehouse.schema import ENROLMENTS
from likvard_core.warehouse.snapshot import Snapshot

PROFILE_VARIABLES: tuple[str, ...] = (
    "parents_education",
    "share_newly_arrived",
    "share_born_abroad",
    "log_students",
)
"""The profile's variables, in the order of ``Profile.values``."""

PROFILE_LABELS_SV: dict[str, str] = {
    "parents_education": "föräldrarnas utbildningsnivå (medel)",
    "share_newly_arrived": "andel nyanlända",
    "share_born_abroad": "andel födda utomlands",
    "log_students": "antal elever (logaritmerat)",
}


class ProfileUnit(StrEnum):
    """What the comparison is between."""

    MUNICIPALITY = "home_municipality_code"  # students by home municipality
    ORGANIZER = "organizer_code"


_SQL = f"""
SELECT {{unit}} AS code, count(*) AS students,
       avg(parents_education::DOUBLE) AS parents_education,
       avg(newly_arrived::DOUBLE) AS share_newly_arrived,
       avg(born_abroad::DOUBLE) AS share_born_abroad
FROM {ENROLMENTS.name}
WHERE school_year = $year AND school_form = 'grundskola'
GROUP BY ALL
ORDER BY code
"""


@dataclass(frozen=True, slots=True)
class Profile:
    """One unit's profile: raw values (``PROFILE_VARIABLES`` order) and students."""

    code: str
    students: int
    values: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class Member:
    """A member of a comparison group with its profile and distance (in standard deviations)."""

    profile: Profile
    distance: float


@dataclass(frozen=True, slots=True)
class ComparisonGroup:
    """The ``k`` units nearest ``target`` by profile, nearest first, for ``school_year``."""

    target: Profile
    members: tuple[Member, ...]
    school_year: int
    unit: ProfileUnit
    variables: tuple[str, ...] = PROFILE_VARIABLES

    @property
    def codes(self) -> tuple[str, ...]:
        """The members' codes, nearest first."""
        return tuple(m.profile.code for m in self.members)

    def explanation_sv(self) -> str:
        """A Swedish sentence saying how the group was chosen."""
        labels = ", ".join(PROFILE_LABELS_SV[v] for v in self.variables)
        return (
            f"Jämförelsegruppen är de {len(self.members)} som liknar mest i elevsammansättning "
            f"och storlek läsåret {self.school_year - 1}/{str(self.school_year)[2:]}: {labels}. "
            "Varje variabel är standardiserad, och avståndet mäts i standardavvikelser."
        )


def profiles(db: Snapshot, *, school_year: int, unit: ProfileUnit) -> list[Profile]:
    """The profile of every municipality or organizer with compulsory-school students."""
    table: pa.Table = db.query(_SQL.format(unit=unit.value), {"year": school_year})
    columns = [table.column(v).to_numpy(zero_copy_only=False) for v in PROFILE_VARIABLES[:3]]
    students = table.column("students").to_numpy()
    codes = table.column("code").to_pylist()
    return [
        Profile(
            code=str(codes[i]),
            students=int(students[i]),
            values=(*(float(c[i]) for c in columns), float(np.log(students[i]))),
        )
        for i in range(table.num_rows)
        if codes[i] is not None
    ]


def nearest(target_code: str, candidates: list[Profile], *, k: int) -> list[Member]:
    """The ``k`` profiles nearest ``target_code`` after standardising each variable.

    Missing values (no background known) count as the variable's mean; a variable missing
    for every profile carries no information and drops out. Ties are broken by code so the
    result is deterministic. ``KeyError`` when the target is not among them.
    """
    codes = [p.code for p in candidates]
    index = codes.index(target_code) if target_code in codes else None
    if index is None:
        raise KeyError(target_code)
    matrix = np.array([p.values for p in candidates], dtype=np.float64)
    known = ~np.isnan(matrix)
    counts = known.sum(axis=0)
    sums = np.where(known, matrix, 0.0).sum(axis=0)
    means = np.divide(sums, counts, out=np.zeros(matrix.shape[1]), where=counts > 0)
    matrix = np.where(np.isnan(matrix), means, matrix)
    spread = matrix.std(axis=0)
    z = (matrix - means) / np.where(spread > 0, spread, 1.0)
    distance = np.sqrt(((z - z[index]) ** 2).sum(axis=1))
    order = sorted((d, c, i) for i, (d, c) in enumerate(zip(distance, codes, strict=True)))
    chosen = [(d, i) for d, _, i in order if i != index][:k]
    return [Member(candidates[i], float(d)) for d, i in chosen]


def comparison_group(
    db: Snapshot,
    *,
    target: str,
    school_year: int,
    k: int = 10,
    unit: ProfileUnit = ProfileUnit.MUNICIPALITY,
) -> ComparisonGroup | None:
    """The ``k`` municipalities (or organizers) most like ``target`` in ``school_year``.

    ``None`` when ``target`` has no compulsory-school students that year.
    """
    found = profiles(db, school_year=school_year, unit=unit)
    own = next((p for p in found if p.code == target), None)
    if own is None:
        return None
    return ComparisonGroup(own, tuple(nearest(target, found, k=k)), school_year, unit)

"""The value every analytics function returns: an aggregate over a described population."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

import pyarrow as pa


class Level(StrEnum):
    """The level of the units a population covers; it sets the minimum group size."""

    SCHOOL_UNIT = "school_unit"
    ORGANIZER = "organizer"
    MUNICIPALITY = "municipality"
    REGION = "region"
    NATION = "nation"


@dataclass(frozen=True, slots=True)
class Population:
    """Whose student-level data an aggregate is computed from.

    ``organizers`` are the organisation numbers whose students are counted; the release gate
    asks the access policy whether a viewer may see those organizers' student-level data.
    ``scope`` names the population for audit and caching (e.g. ``"region:GR/year:2025"``).
    ``school_units`` are the school units whose students are counted when the aggregate is
    built from units (empty when it is wider): the gate lets a principal of all of them see
    the figures in full.
    """

    scope: str
    organizers: frozenset[str]
    level: Level
    student_level: bool = True
    school_units: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Partitions:
    """How the values of one breakdown column split its total value.

    In ``column``, the rows with value ``total`` count everyone; each tuple of ``parts`` splits
    them into disjoint groups (for example ``("girls", "boys")``), possibly leaving a remainder
    that no row shows (students whose gender is unknown). Suppression then knows that
    ``total - girls - boys`` is the remainder, and hides enough that no hidden part can be
    worked out from the total and the other parts (``likvard_core.disclosure.partitions``).
    """

    column: str
    total: str
    parts: tuple[tuple[str, ...], ...]

    def __post_init__(self) -> None:
        values = [v for part in self.parts for v in part]
        if len(set(values)) != len(values) or self.total in values:
            raise ValueError("a value may belong to one partition only, and not be the total")


@dataclass(frozen=True, slots=True)
class Aggregate:
    """An Arrow table of counts and figures derived from them, ready for release.

    - ``dims``: the breakdown columns (e.g. school_unit_code, subject, group).
    - ``count``: the column with the number of students each row is based on.
    - ``values``: the columns that are figures about those students (shares, means);
      they are hidden together with the count when a row is suppressed.
    - ``margins``: the breakdown columns whose totals also appear in the release cube, used by
      complementary suppression (see ``likvard_core.disclosure.suppress``).
    - ``partitions``: a breakdown column whose total is a value (``all``) rather than a null,
      with the groups that split it (see ``Partitions``).
    """

    table: pa.Table
    dims: tuple[str, ...]
    count: str
    values: tuple[str, ...]
    population: Population
    data_version: str
    source: str = "Likvärd"
    margins: tuple[str, ...] = field(default_factory=tuple)
    partitions: Partitions | None = None

    def __post_init__(self) -> None:
        missing = [
            c for c in (*self.dims, self.count, *self.values) if c not in self.table.schema.names
        ]
        if missing:
            raise ValueError(f"aggregate lacks columns: {missing}")
        if self.partitions is not None and self.partitions.column not in self.dims:
            raise ValueError(f"partition column {self.partitions.column!r} is not a breakdown")

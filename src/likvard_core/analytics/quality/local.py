"""Local indicators (lokala indikatorer) in the analysis basis: the owner's entered values.

An organizer or a region adds its own indicators beside the national ones and enters their
values per school year (already aggregated figures of its own, not computed from the
warehouse). ``local_values`` turns those entries into an ``Aggregate`` for the release gate,
so they reach the basis like every other figure; ``LOCAL_GOAL`` is the section the basis
lists them under, and ``local_revision`` marks each name as local in the page and every export.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

import pyarrow as pa

from likvard_core.analytics.quality.basis import SubjectKind
from likvard_core.analytics.quality.catalogue_model import Goal, Indicator, Status
from likvard_core.disclosure.aggregate import Aggregate, Level, Population

LOCAL_LEVEL = "local"
"""The lookup level of local values (key: ``local``, subject code, indicator, year, group)."""

LOCAL_GOAL = Goal(
    code="local",
    school_form="",
    title="Lokala indikatorer (egna indikatorer, inte nationella)",
    status=Status.VERIFIED,
    sources=(),
    sub_goals=(),
    note="Indikatorer som huvudmannen eller regionen själv har lagt till, med egna värden.",
)
"""The section of the basis that holds the subject's local indicators."""

_COLUMNS = {
    SubjectKind.ORGANIZER: ("organizer_code", Level.ORGANIZER),
    SubjectKind.SCHOOL_UNIT: ("school_unit_code", Level.SCHOOL_UNIT),
    SubjectKind.REGION: ("region_code", Level.REGION),
}


@dataclass(frozen=True, slots=True)
class LocalValue:
    """One entered value: indicator code, school year, value and (optional) group size."""

    indicator: str
    school_year: int
    value: float
    n: int | None = None


def local_revision(indicator: Indicator) -> Indicator:
    """``indicator`` marked as local, its name ending in "(lokal)" wherever it is shown."""
    suffix = " (lokal)"
    name = indicator.name if indicator.name.endswith(suffix) else indicator.name + suffix
    return dataclasses.replace(indicator, name=name, local=True)


def local_values(
    values: Sequence[LocalValue],
    *,
    kind: SubjectKind,
    code: str,
    owners: frozenset[str],
    version: str,
) -> Aggregate:
    """The entered values of the subject ``kind`` ``code`` as an aggregate for the release gate.

    Dims: the subject's code column, ``indicator``, ``school_year``, ``group`` (always null:
    all students); count ``n``; values ``value, ci_low, ci_high`` (no interval is known).
    Entered figures are the owner's own published measures, not student-level data.
    """
    column, level = _COLUMNS[kind]
    rows = len(values)
    table = pa.table(
        {
            column: pa.array([code] * rows, pa.string()),
            "indicator": pa.array([v.indicator for v in values], pa.string()),
            "school_year": pa.array([v.school_year for v in values], pa.int16()),
            "group": pa.nulls(rows, pa.string()),
            "n": pa.array([v.n for v in values], pa.int64()),
            "value": pa.array([v.value for v in values], pa.float64()),
            "ci_low": pa.nulls(rows, pa.float64()),
            "ci_high": pa.nulls(rows, pa.float64()),
        }
    )
    return Aggregate(
        table=table,
        dims=(column, "indicator", "school_year", "group"),
        count="n",
        values=("value", "ci_low", "ci_high"),
        population=Population(
            scope=f"quality.local/{kind.value}:{code}",
            organizers=owners,
            level=level,
            student_level=False,
        ),
        data_version=version,
        source="Egna värden (lokal indikator)",
        margins=("group",),
    )

"""Output schemas of the equity API: released tables as columns and rows, with provenance."""

from __future__ import annotations

import math

from ninja import Schema

from likvard.access.release import Released

Cell = float | int | str | bool | None


class ReleasedTableOut(Schema):
    """A released table: column names, rows (``null`` = hidden or not published), provenance.

    ``full`` is true when the figures are the viewer's own student-level data, unsuppressed;
    the ``status`` column says why a row's figures are hidden.
    """

    columns: list[str]
    rows: list[dict[str, Cell]]
    source: str
    data_version: str
    full: bool

    @classmethod
    def from_released(cls, released: Released) -> ReleasedTableOut:
        """The schema for one ``Released`` table (NaN becomes ``null``)."""
        rows = [{k: _cell(v) for k, v in row.items()} for row in released.rows()]
        return cls(
            columns=list(released.table.schema.names),
            rows=rows,
            source=released.source,
            data_version=released.data_version,
            full=released.full,
        )


def _cell(value: object) -> Cell:
    """A JSON cell: NaN (not computable) becomes ``null``."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is None or isinstance(value, float | int | str | bool):
        return value
    return str(value)


class PublishedOut(Schema):
    """Published test and subject pass rates: per year, and the gap's trend."""

    yearly: ReleasedTableOut
    trends: ReleasedTableOut


class StudentEquityOut(Schema):
    """Student-level comparison: per year (flags, reasons) and multi-year patterns."""

    yearly: ReleasedTableOut
    patterns: ReleasedTableOut


class DistributionOut(Schema):
    """One subject and year across a region's school units."""

    subject_code: str
    school_year: int
    schools: int
    hidden: int
    share_min: float | None
    share_median: float | None
    share_max: float | None
    flagged_higher: int
    flagged_lower: int


class RegionEquityOut(Schema):
    """A region's school units: the released rows and their spread per subject and year."""

    yearly: ReleasedTableOut
    distribution: list[DistributionOut]

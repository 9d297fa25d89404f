"""Output schemas of the equity API: released tables as columns and rows, with provenance."""

from __future__ import annotations

from ninja import Schema

from likvard.access.schemas import ReleasedTableOut

__all__ = ["DistributionOut", "PublishedOut", "RegionEquityOut", "ReleasedTableOut"]


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

"""Indicator values read from imported public statistics (Skolverket, Kolada) in the warehouse.

An indicator whose ``data_source`` is ``public_stats`` names its rows by ``public_measures``
(``source`` and ``measure`` of the ``public_stats`` table; for Kolada the measure is the KPI
id). The revision valid in each school year decides which measure is read that year, so a
revised survey question switches its key figure at the revision's ``valid_from``.
"""

from __future__ import annotations

from collections.abc import Sequence

import pyarrow as pa

from likvard_core.analytics.quality.catalogue_model import Catalogue, DataSource
from likvard_core.disclosure.aggregate import Aggregate, Level, Population
from likvard_core.terms import Group
from likvard_core.warehouse.schema import PUBLIC_STATS
from likvard_core.warehouse.snapshot import Snapshot

DIMS: tuple[str, ...] = ("level", "area_code", "indicator", "school_year", "group")
VALUES: tuple[str, ...] = ("value", "published_status", "raw", "source_name")

_SQL = f"""
WITH wanted AS (
    SELECT unnest($indicators::VARCHAR[]) AS indicator, unnest($sources::VARCHAR[]) AS source,
           unnest($measures::VARCHAR[]) AS measure, unnest($froms::INTEGER[]) AS valid_from,
           unnest($tos::INTEGER[]) AS valid_to
)
SELECT p.level, p.area_code, w.indicator, p.school_year,
       CASE WHEN p."group" = $all THEN NULL ELSE p."group" END AS "group",
       NULL::BIGINT AS n, p.value, p.status AS published_status, p.raw,
       p.source AS source_name
FROM {PUBLIC_STATS.name} AS p
JOIN wanted AS w ON w.source = p.source AND w.measure = p.measure
WHERE list_contains($years::INTEGER[], p.school_year)
  AND p.school_year BETWEEN w.valid_from AND coalesce(w.valid_to, 9999)
  AND p.organizer_type = 'all' AND p.subject = ''
  AND ($levels IS NULL OR list_contains($levels::VARCHAR[], p.level))
  AND ($areas IS NULL OR list_contains($areas::VARCHAR[], p.area_code))
ORDER BY p.level, p.area_code, w.indicator, p.school_year, "group" NULLS FIRST
"""


def public_indicator_values(
    db: Snapshot,
    catalogue: Catalogue,
    *,
    years: Sequence[int],
    levels: Sequence[str] | None = None,
    area_codes: Sequence[str] | None = None,
    indicators: Sequence[str] | None = None,
) -> Aggregate:
    """Published values of the catalogue's public-statistics indicators for ``years``.

    ``levels`` (``nation``, ``county``, ``municipality`` ...) and ``area_codes`` narrow the
    rows. Only totals over all organizer types and subjects are read. Dims
    ``level, area_code, indicator, school_year, group`` (group null = all students); values
    ``value``, ``published_status`` (the ``ValueStatus`` of the published cell, e.g.
    ``too_few`` for ``..``), ``raw`` and ``source_name``. Already public, so the aggregate is
    not student-level and ``n`` is empty.
    """
    rows = [
        (ind.code, m.source, m.measure, ind.valid_from, ind.valid_to)
        for ind in catalogue.indicators
        if ind.data_source is DataSource.PUBLIC_STATS
        and (indicators is None or ind.code in indicators)
        for m in ind.public_measures
    ]
    params: dict[str, object] = {
        "indicators": [r[0] for r in rows],
        "sources": [r[1] for r in rows],
        "measures": [r[2] for r in rows],
        "froms": [r[3] for r in rows],
        "tos": [r[4] for r in rows],
        "years": [int(y) for y in years],
        "levels": list(levels) if levels is not None else None,
        "areas": list(area_codes) if area_codes is not None else None,
        "all": Group.ALL.value,
    }
    table: pa.Table = db.query(_SQL, params)
    return Aggregate(
        table=table,
        dims=DIMS,
        count="n",
        values=VALUES,
        population=Population(
            scope=f"quality.public/years:{min(years, default=0)}-{max(years, default=0)}",
            organizers=frozenset(),
            level=Level.NATION,
            student_level=False,
        ),
        data_version=db.version,
        source="Offentlig statistik (Skolverket, Kolada)",
        margins=("group",),
    )

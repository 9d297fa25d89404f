"""Warehouse-based indicator values per level, year and group, ready for the release gate.

``indicator_values`` runs one SQL pass per indicator family (``indicator_sql``) and returns
one ``Aggregate`` per level (school unit, organizer, municipality, region, nation), because
the minimum group size depends on the level. Each aggregate is in long form:

- dims: the level's code column (``school_unit_code``, ``organizer_code``,
  ``municipality_code``, ``region_code``; none for the nation), ``indicator``,
  ``school_year``, ``group``. ``group`` is ``girls``, ``boys``, ``unknown`` (no gender in the
  enrolments) or **null for all students**: a null marks the margin, as the disclosure cube
  expects, so a boys' figure cannot be recovered as all minus girls.
- count ``n``: students the row is based on.
- values ``value`` (percent 0-100 or points), ``ci_low``/``ci_high`` (95 %: Wilson for plain
  shares of students, otherwise a linearised normal interval of the ratio ``num / den``),
  ``numerator``, ``denominator`` (students, subject pairs or minutes).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from likvard_core.analytics.quality.assess import Z95
from likvard_core.analytics.quality.indicator_sql import (
    FAMILIES,
    WAREHOUSE_INDICATORS,
    Family,
    Measure,
    family_sql,
)
from likvard_core.analytics.sorting import sorted_rows
from likvard_core.disclosure.aggregate import Aggregate, Level, Population
from likvard_core.stats.intervals import wilson_interval
from likvard_core.terms import Gender, Group
from likvard_core.warehouse.snapshot import Snapshot

VALUES: tuple[str, ...] = ("value", "ci_low", "ci_high", "numerator", "denominator")
CODE_COLUMNS: dict[Level, str | None] = {
    Level.SCHOOL_UNIT: "school_unit_code",
    Level.ORGANIZER: "organizer_code",
    Level.MUNICIPALITY: "municipality_code",
    Level.REGION: "region_code",
    Level.NATION: None,
}
"""The breakdown column naming the unit at each level (the nation has none)."""

_FILTERED_LEVELS = (Level.SCHOOL_UNIT, Level.ORGANIZER)
SUM_KEYS: tuple[str, ...] = ("num", "den", "nn", "nd", "dd")
"""The per-row sums kept in ``IndicatorValues.long`` (``s_num`` ...), enough to add rows up."""

GROUP_ALL: None = None
"""The ``group`` value of rows about all students (a margin, hence null)."""


class MunicipalityBasis(StrEnum):
    """Which municipality a student counts in."""

    HOME = "home"  # hemkommun: the student's home municipality in the enrolments
    SCHOOL = "school"  # lägeskommun: the municipality of the school unit (Kolada's default)


@dataclass(frozen=True, slots=True)
class IndicatorValues:
    """Indicator values per level, plus how students were placed in municipalities."""

    aggregates: Mapping[Level, Aggregate]
    municipality_basis: MunicipalityBasis
    years: tuple[int, ...]
    long: pa.Table
    """Every row of every level before narrowing, with the sums ``s_num`` ... behind each
    value (``narrow_values`` re-cuts it, ``expected_values`` fits on its school units).
    Derived from student data and never released as such: only aggregates leave the core."""

    @property
    def model_input(self) -> pa.Table:
        """Every school unit's all-students value: ``school_unit_code, indicator,
        school_year, n, value`` (the input of the expected-value model)."""
        units = level_rows(self.long, "school_unit", None)
        units = units.filter(pc.is_null(units.column("group")))
        return units.select(["code", "indicator", "school_year", "n", "value"]).rename_columns(
            ["school_unit_code", "indicator", "school_year", "n", "value"]
        )

    def level(self, level: Level) -> Aggregate:
        """The aggregate of ``level``."""
        return self.aggregates[level]


@dataclass(frozen=True, slots=True)
class Scope:
    """Which units to keep at each level (``None`` keeps every unit of that level)."""

    school_units: frozenset[str] | None = None
    organizers: frozenset[str] | None = None
    municipalities: frozenset[str] | None = None


def indicator_values(
    db: Snapshot,
    *,
    years: Sequence[int],
    regions: Mapping[str, Sequence[str]] | None = None,
    school_municipalities: Mapping[str, str] | None = None,
    school_units: Sequence[str] | None = None,
    organizers: Sequence[str] | None = None,
    municipalities: Sequence[str] | None = None,
    indicators: Sequence[str] | None = None,
    only_school_units: Sequence[str] | None = None,
) -> IndicatorValues:
    """Values of the warehouse-based indicators for ``years``, per level, year and group.

    ``regions`` maps a region code to its municipality codes. With ``school_municipalities``
    (school unit code -> municipality code) students count in the school unit's municipality
    (lägeskommun, as Kolada's N15418 etc.); without it, in their home municipality. The nation
    and the regions always count every student; ``school_units``, ``organizers`` and
    ``municipalities`` only narrow which units are returned at those levels. ``indicators``
    limits the families run (default: all of ``WAREHOUSE_INDICATORS``).

    ``only_school_units`` is the fast path for one organizer's own trend: only students of
    those school units are read, so only the school-unit and organizer levels are returned
    (an organizer's figure is complete when all its units are listed).
    """
    wanted = set(indicators) if indicators is not None else set(WAREHOUSE_INDICATORS)
    unknown = wanted - set(WAREHOUSE_INDICATORS)
    if unknown:
        raise ValueError(f"not warehouse indicators: {sorted(unknown)}")
    basis = MunicipalityBasis.SCHOOL if school_municipalities else MunicipalityBasis.HOME
    params = _params(years, regions or {}, school_municipalities or {})
    filtered = only_school_units is not None
    if filtered:
        params["only_units"] = list(only_school_units or [])
    school_basis = basis is MunicipalityBasis.SCHOOL
    parts = [
        _long_form(
            db.query(family_sql(f, school_basis=school_basis, unit_filter=filtered), params), f
        )
        for f in FAMILIES
        if any(m.indicator in wanted for m in f.measures)
    ]
    table = pa.concat_tables(parts) if parts else _empty_long()
    if set(pc.unique(table.column("indicator")).to_pylist()) - wanted:
        table = table.filter(pc.is_in(table.column("indicator"), pa.array(sorted(wanted))))
    scope = Scope(
        frozenset(school_units) if school_units is not None else None,
        frozenset(organizers) if organizers is not None else None,
        frozenset(municipalities) if municipalities is not None else None,
    )
    aggregates = split_levels(table, scope, db.version, tuple(sorted(set(years))), basis)
    if filtered:
        aggregates = {k: v for k, v in aggregates.items() if k in _FILTERED_LEVELS}
    return IndicatorValues(aggregates, basis, tuple(sorted(set(years))), table)


def _params(
    years: Sequence[int], regions: Mapping[str, Sequence[str]], units: Mapping[str, str]
) -> dict[str, object]:
    pairs = [(code, m) for code, members in sorted(regions.items()) for m in members]
    return {
        "years": [int(y) for y in years],
        "unit_codes": list(units.keys()),
        "unit_municipalities": list(units.values()),
        "region_codes": [c for c, _ in pairs],
        "region_municipalities": [m for _, m in pairs],
    }


def _group_column(table: pa.Table) -> pa.Array:
    """``girls``/``boys``/``unknown`` by the enrolments' gender; null on the all-students rows."""
    gender = table.column("gender")
    labels = pc.if_else(
        pc.fill_null(pc.equal(gender, Gender.FEMALE.value), False),
        Group.GIRLS.value,
        pc.if_else(
            pc.fill_null(pc.equal(gender, Gender.MALE.value), False), Group.BOYS.value, "unknown"
        ),
    )
    margin = pc.not_equal(table.column("gender_grouped").cast(pa.int64()), 0)
    return pc.if_else(margin, pa.scalar(None, pa.string()), labels).combine_chunks()


def ratio_with_interval(
    n: np.ndarray, sums: Mapping[str, np.ndarray], *, percent: bool, plain_share: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Value ``num / den`` (x100 for percent) with its 95 % interval.

    ``sums`` holds ``num, den, nn, nd, dd`` (sums over students of y, x, y², xy, x²). Plain
    shares of students (``x = 1``, binary ``y``) get Wilson intervals; other ratios the
    linearised variance ``n S / ((n - 1) den²)`` with ``S = Σ(y - R x)²``.
    """
    num, den = sums["num"], sums["den"]
    scale = 100.0 if percent else 1.0
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(den > 0, num / den, np.nan)
        if plain_share:
            low, high = wilson_interval(num, den)
            return ratio * scale, np.asarray(low) * scale, np.asarray(high) * scale
        spread = sums["nn"] - 2 * ratio * sums["nd"] + ratio**2 * sums["dd"]
        variance = np.where(n > 1, n * np.maximum(spread, 0.0) / ((n - 1) * den**2), np.nan)
        half = Z95 * np.sqrt(variance)
    low, high = ratio - half, ratio + half
    if percent:
        low, high = np.clip(low, 0.0, 1.0), np.clip(high, 0.0, 1.0)
    return ratio * scale, low * scale, high * scale


def _long_form(raw: pa.Table, family: Family) -> pa.Table:
    base = {
        "level": raw.column("level"),
        "code": raw.column("code"),
        "pair_code": raw.column("pair_code").cast(pa.string()),
        "school_year": raw.column("school_year").cast(pa.int16()),
        "group": _group_column(raw),
    }
    parts = []
    for i, measure in enumerate(family.measures):
        counted = raw.column(f"n_{i}").cast(pa.int64())
        sums = {
            k: np.nan_to_num(raw.column(f"{k}_{i}").to_numpy(zero_copy_only=False).astype(float))
            for k in SUM_KEYS
        }
        columns = {
            **base,
            "indicator": pa.array([measure.indicator] * raw.num_rows, pa.string()),
            **measure_columns(measure, counted, sums),
        }
        table = pa.table(columns)
        counted_rows = counted.to_numpy(zero_copy_only=False) > 0
        parts.append(table if counted_rows.all() else table.filter(pa.array(counted_rows)))
    return pa.concat_tables(parts).select(_LONG_COLUMNS) if parts else _empty_long()


MEASURES: dict[str, Measure] = {m.indicator: m for f in FAMILIES for m in f.measures}
"""Every warehouse-based indicator's measure, by indicator."""


def measure_columns(
    measure: Measure, counted: pa.Array, sums: Mapping[str, np.ndarray]
) -> dict[str, pa.Array]:
    """A long table's ``n``, value, interval and sum columns of ``measure``'s rows from their
    students (``counted``, int64) and sums (``SUM_KEYS``): the one computation of a row's
    value from its sums, whether they were summed in one pass or put together
    (``context_update``)."""
    n = counted.to_numpy(zero_copy_only=False).astype(np.float64)
    value, low, high = ratio_with_interval(
        n, sums, percent=measure.percent, plain_share=measure.percent and measure.den == "1.0"
    )
    return {
        "n": counted,
        "value": pa.array(value, pa.float64(), from_pandas=True),
        "ci_low": pa.array(low, pa.float64(), from_pandas=True),
        "ci_high": pa.array(high, pa.float64(), from_pandas=True),
        "numerator": pa.array(sums["num"], pa.float64()),
        "denominator": pa.array(sums["den"], pa.float64()),
        **{f"s_{k}": pa.array(sums[k], pa.float64()) for k in SUM_KEYS},
    }


def students_parts(
    db: Snapshot,
    *,
    years: Sequence[int],
    students: Sequence[str],
    school_municipalities: Mapping[str, str] | None = None,
) -> pa.Table:
    """The long rows (every level, as ``IndicatorValues.long``) counting only ``students``:
    each row's students and sums are those students' part of the row of ``indicator_values``
    (a student's part depends on that student's rows of the year alone), so a row of a
    version is the other version's row less the part of the students whose rows differ in
    the first, plus their part in the second."""
    params = _params(years, {}, school_municipalities or {})
    params["only_students"] = list(students)
    school_basis = bool(school_municipalities)
    parts = [
        _long_form(
            db.query(family_sql(f, school_basis=school_basis, student_filter=True), params), f
        )
        for f in FAMILIES
    ]
    return pa.concat_tables(parts)


def _empty_long() -> pa.Table:
    return _LONG_SCHEMA.empty_table()


_LONG_SCHEMA = pa.schema(
    [
        ("level", pa.string()),
        ("code", pa.string()),
        ("pair_code", pa.string()),
        ("school_year", pa.int16()),
        ("group", pa.string()),
        ("n", pa.int64()),
        ("indicator", pa.string()),
        *((v, pa.float64()) for v in VALUES),
        *((f"s_{k}", pa.float64()) for k in SUM_KEYS),
    ]
)
_LONG_COLUMNS = _LONG_SCHEMA.names


def level_rows(table: pa.Table, level: str, keep: frozenset[str] | None) -> pa.Table:
    """The rows of ``level`` in a long table (with a code), only codes in ``keep`` if given."""
    mask = pc.equal(table.column("level"), level)
    if level != "nation":
        mask = pc.and_(mask, pc.not_equal(pc.fill_null(table.column("code"), ""), ""))
    if keep is not None:
        mask = pc.and_(mask, pc.is_in(table.column("code"), pa.array(sorted(keep), pa.string())))
    return table.filter(mask)


def _organizers(table: pa.Table, pair_level: str, codes: pa.Array | None) -> frozenset[str]:
    pairs = table.filter(pc.equal(table.column("level"), pair_level))
    if pair_level == "organizer_municipality":
        column, other = "code", "pair_code"
    else:
        column, other = "pair_code", "code"
    if codes is not None:
        pairs = pairs.filter(pc.is_in(pairs.column(other), codes))
    return frozenset(v for v in pc.unique(pairs.column(column)).to_pylist() if v)


def _units_of(table: pa.Table, level: Level) -> frozenset[str]:
    """The school units whose students a school-unit level table counts (else none)."""
    if level is not Level.SCHOOL_UNIT:
        return frozenset()
    return frozenset(v for v in pc.unique(table.column("school_unit_code")).to_pylist() if v)


def split_levels(
    table: pa.Table,
    scope: Scope,
    version: str,
    years: tuple[int, ...],
    basis: MunicipalityBasis,
) -> dict[Level, Aggregate]:
    """One ``Aggregate`` per level from a long table, narrowed to ``scope``."""
    keep = {
        Level.SCHOOL_UNIT: ("school_unit", scope.school_units, "unit_organizer"),
        Level.ORGANIZER: ("organizer", scope.organizers, None),
        Level.MUNICIPALITY: ("municipality", scope.municipalities, "organizer_municipality"),
        Level.REGION: ("region", None, "organizer_municipality"),
        Level.NATION: ("nation", None, "organizer_municipality"),
    }
    span = f"{years[0]}-{years[-1]}" if years else "none"
    result: dict[Level, Aggregate] = {}
    for level, (name, wanted, pair_level) in keep.items():
        rows = level_rows(table, name, wanted)
        column = CODE_COLUMNS[level]
        codes = pc.unique(rows.column("code")) if column and level is not Level.REGION else None
        if pair_level is None:
            organizers = frozenset(pc.unique(rows.column("code")).to_pylist())
        else:
            organizers = _organizers(table, pair_level, codes)
        out = rows.select(["code", "indicator", "school_year", "group", "n", *VALUES])
        out = out.rename_columns([column or "nation", *out.column_names[1:]])
        if column is None:
            out = out.drop_columns(["nation"])
        dims = tuple(c for c in (column, "indicator", "school_year", "group") if c)
        result[level] = Aggregate(
            table=sorted_rows(out, dims),
            dims=dims,
            count="n",
            values=VALUES,
            population=Population(
                scope=f"quality.indicators/{level.value}/years:{span}/basis:{basis.value}",
                organizers=organizers,
                level=level,
                school_units=_units_of(out, level),
            ),
            data_version=version,
            source="Likvärd (elevdata i lagret)",
            margins=("group",),
        )
    return result

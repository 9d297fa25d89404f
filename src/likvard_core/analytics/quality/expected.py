"""Expected values of result indicators from the students' background (socioeconomic context).

The model is the analytics core's SALSA-style school-level regression
(``likvard_core.analytics.adjusted.model.fit_school_model``: the school result on mean
parents' education, share of boys and share of newly arrived), fitted once per indicator and
school year over every school unit of the nation that meets SALSA's rule (at least 15
students, background known for 75 %). A school unit's expected value and 95 % prediction
interval come straight from that fit. An organizer's expected value is the student-weighted
mean of its school units' expected values; its interval combines the units' prediction
variances with the squared weights (units' deviations taken as independent).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import pyarrow as pa

from likvard_core.analytics.adjusted.model import fit_school_model
from likvard_core.analytics.adjusted.school_results import BACKGROUND, school_results
from likvard_core.analytics.quality.assess import Z95
from likvard_core.analytics.quality.indicators import IndicatorValues
from likvard_core.disclosure.aggregate import Aggregate, Level, Population
from likvard_core.warehouse.schema import ENROLMENTS
from likvard_core.warehouse.snapshot import Snapshot

MODEL_INDICATORS: tuple[str, ...] = (
    "gr9_pass_all",
    "gr9_eligible_vocational",
    "gr9_merit_value",
)
"""The result indicators given an expected value (SALSA's two outcomes plus eligibility)."""
MIN_STUDENTS = 15
MIN_COVERAGE = 0.75
VALUES: tuple[str, ...] = ("actual", "expected", "gap", "expected_low", "expected_high")

_UNIT_ORGANIZER_SQL = f"""
SELECT school_unit_code, mode(organizer_code) AS organizer_code
FROM {ENROLMENTS.name} WHERE school_year = $year GROUP BY ALL
"""


def unit_organizers(db: Snapshot, year: int) -> dict[str, str]:
    """Each school unit's organizer in ``year`` (the most common in its enrolments)."""
    table = db.query(_UNIT_ORGANIZER_SQL, {"year": year})
    units = table.column("school_unit_code").to_pylist()
    owners = table.column("organizer_code").to_pylist()
    return {str(u): str(o) for u, o in zip(units, owners, strict=True) if u and o}


def _unit_frame(db: Snapshot, values: IndicatorValues, year: int) -> pd.DataFrame:
    background = school_results(db, years=[year]).to_pandas()
    units = values.model_input.to_pandas()
    units = units[units["school_year"] == year]
    if units.empty or background.empty:  # no students that year: nothing to model
        return background.assign(in_model_base=False)
    wide = units.pivot_table(index="school_unit_code", columns="indicator", values="value")
    frame = background.merge(wide, left_on="school_unit_code", right_index=True, how="left")
    frame["in_model_base"] = (
        (frame["n_students"] >= MIN_STUDENTS)
        & (frame["background_coverage"] >= MIN_COVERAGE)
        & frame[list(BACKGROUND)].notna().all(axis=1)
    )
    return frame


def _fit(frame: pd.DataFrame, indicator: str) -> pd.DataFrame:
    if indicator not in frame:
        return pd.DataFrame()
    block = frame.assign(in_model=frame["in_model_base"] & frame[indicator].notna())
    fitted = block.loc[block["in_model"], indicator]
    if len(fitted) <= len(BACKGROUND) + 1 or fitted.nunique() < 2:  # noqa: PLR2004
        return pd.DataFrame()
    out, _ = fit_school_model(block, outcome=indicator, weighted=False)
    return pd.DataFrame(
        {
            "school_unit_code": out["school_unit_code"],
            "indicator": indicator,
            "school_year": out["school_year"].astype("int16"),
            "n": out["n_students"].astype("int64"),
            "actual": out[indicator],
            "expected": out["model_value"],
            "gap": out["residual"],
            "expected_low": out["prediction_low"],
            "expected_high": out["prediction_high"],
        }
    )


def _organizers(owners: pd.DataFrame, units: pd.DataFrame, year: int) -> pd.DataFrame:
    known = units.dropna(subset=["expected"]).merge(owners, on="school_unit_code")
    known["var"] = ((known["expected_high"] - known["expected_low"]) / (2 * Z95)) ** 2
    rows = []
    for (organizer, indicator), block in known.groupby(["organizer_code", "indicator"]):
        w = block["n"].astype(float) / float(block["n"].sum())
        expected = float((w * block["expected"]).sum())
        actual = float((w * block["actual"]).sum())
        half = Z95 * float(np.sqrt((w**2 * block["var"]).sum()))
        rows.append(
            {
                "organizer_code": organizer,
                "indicator": indicator,
                "school_year": year,
                "n": int(block["n"].sum()),
                "actual": actual,
                "expected": expected,
                "gap": actual - expected,
                "expected_low": expected - half,
                "expected_high": expected + half,
            }
        )
    return pd.DataFrame(rows)


def _aggregate(
    frame: pd.DataFrame, column: str, level: Level, organizers: frozenset[str], version: str
) -> Aggregate:
    schema = pa.schema(
        [
            (column, pa.string()),
            ("indicator", pa.string()),
            ("school_year", pa.int16()),
            ("n", pa.int64()),
            *((v, pa.float64()) for v in VALUES),
        ]
    )
    table = (
        schema.empty_table()
        if frame.empty
        else pa.Table.from_pandas(frame[schema.names], schema=schema, preserve_index=False)
    )
    years = sorted(set(table.column("school_year").to_pylist()))
    return Aggregate(
        table=table,
        dims=(column, "indicator", "school_year"),
        count="n",
        values=VALUES,
        population=Population(
            scope=f"quality.expected/{level.value}/years:{years}",
            organizers=organizers,
            level=level,
            school_units=(
                frozenset(table.column(column).to_pylist())
                if level is Level.SCHOOL_UNIT
                else frozenset()
            ),
        ),
        data_version=version,
        source="Likvärd (modell av elevernas bakgrund, SALSA-metod)",
    )


def expected_values(
    db: Snapshot,
    values: IndicatorValues,
    *,
    year: int,
    indicators: Sequence[str] = MODEL_INDICATORS,
    school_units: Sequence[str] | None = None,
    organizers: Sequence[str] | None = None,
) -> tuple[Aggregate, Aggregate]:
    """Expected value, gap and 95 % prediction interval per school unit and per organizer.

    ``values`` must come from an ``indicator_values`` run over the whole nation for ``year``
    (its ``model_input`` holds every school unit; the model is fitted on all of them).
    Returns ``(school_units, organizers)`` aggregates with
    dims ``school_unit_code|organizer_code, indicator, school_year``, count ``n`` and values
    ``actual, expected, gap`` (actual minus expected, in the indicator's unit) and
    ``expected_low/high`` (the interval the actual value falls in with 95 % probability if
    the unit were like the average unit with its background). ``school_units`` and
    ``organizers`` narrow the rows returned, not the fit.
    """
    frame = _unit_frame(db, values, year)
    fits = [f for f in (_fit(frame, indicator) for indicator in indicators) if not f.empty]
    columns = ["school_unit_code", "indicator", "school_year", "n", *VALUES]
    units = pd.concat(fits) if fits else pd.DataFrame(columns=columns)
    owners_map = db.query(_UNIT_ORGANIZER_SQL, {"year": year}).to_pandas()
    owners = _organizers(owners_map, units, year) if fits else pd.DataFrame()
    if school_units is not None:
        units = units[units["school_unit_code"].isin(list(school_units))]
    if organizers is not None and not owners.empty:
        owners = owners[owners["organizer_code"].isin(list(organizers))]
    unit_owners = owners_map[owners_map["school_unit_code"].isin(units["school_unit_code"])]
    return (
        _aggregate(
            units,
            "school_unit_code",
            Level.SCHOOL_UNIT,
            frozenset(unit_owners["organizer_code"].dropna()),
            db.version,
        ),
        _aggregate(
            owners,
            "organizer_code",
            Level.ORGANIZER,
            frozenset(owners["organizer_code"]) if not owners.empty else frozenset(),
            db.version,
        ),
    )

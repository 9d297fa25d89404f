"""Expected values of result indicators from the students' background (socioeconomic context).

"Expected" is the value a school unit would have if it were like the average school unit with
the same students' background (mean parents' education, share of boys, share of newly
arrived), in a model fitted once per indicator and school year over every school unit of the
data version that meets SALSA's rule (at least 15 students, background known for 75 %).

Shares (percent of students) use the adjusted-results analysis's fractional-logit model
(``likvard_core.analytics.adjusted.share_model``: a binomial GLM, weighted by the students the
share is about, with a beta-binomial prediction interval), so an expected share and its
interval always lie within 0-100 %. Points (the merit value) use that analysis's linear school
model (``fit_school_model``, unweighted as SALSA), kept within the scale (0-340).

An organizer's expected value is the student-weighted mean of its school units' expected
values; its interval combines the units' prediction variances with the squared weights (units'
deviations taken as independent), for shares on the logit scale, so that it too stays within
0-100 %.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from scipy.special import expit

from likvard_core.analytics.adjusted.model import fit_school_model
from likvard_core.analytics.adjusted.school_results import BACKGROUND, school_results
from likvard_core.analytics.adjusted.share_model import fit_share_model
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
SHARE_INDICATORS = frozenset({"gr9_pass_all", "gr9_eligible_vocational"})
"""Indicators in percent of students: fitted by the fractional logit, never outside 0-100."""
SCALES: dict[str, tuple[float, float]] = {"gr9_merit_value": (0.0, 340.0)}
"""The possible range of a points indicator; its expected value and interval stay inside."""
_EDGE = 1e-6
"""How close to 0 or 100 % a share is taken when moved to the logit scale."""
MODEL = "shares-fractional-logit"
"""Names the model behind kept expected values: a context kept under another name (the
earlier straight line for shares) is computed again, not reused."""
MIN_STUDENTS = 15
MIN_COVERAGE = 0.75
VALUES: tuple[str, ...] = ("actual", "expected", "gap", "expected_low", "expected_high")

_UNIT_ORGANIZER_SQL = f"""
SELECT school_unit_code, mode(organizer_code) AS organizer_code
FROM {ENROLMENTS.name} WHERE school_year = $year GROUP BY ALL
"""


def unit_owners(db: Snapshot, year: int) -> pa.Table:
    """``school_unit_code, organizer_code``: each school unit's most common organizer in its
    enrolments of ``year``, as queried (for ``unit_organizers`` and ``expected_values``)."""
    return db.query(_UNIT_ORGANIZER_SQL, {"year": year})


def unit_organizers(db: Snapshot, year: int, *, owners: pa.Table | None = None) -> dict[str, str]:
    """Each school unit's organizer in ``year`` (the most common in its enrolments);
    ``owners``: ``unit_owners(db, year)`` when the caller has it already."""
    table = owners if owners is not None else unit_owners(db, year)
    units = table.column("school_unit_code").to_pylist()
    owners = table.column("organizer_code").to_pylist()
    return {str(u): str(o) for u, o in zip(units, owners, strict=True) if u and o}


def unit_background(db: Snapshot, year: int) -> pa.Table:
    """Every school unit's students' background (and results) of ``year``: the model's
    input beside the indicator values (``school_results``)."""
    return school_results(db, years=[year])


def _unit_frame(
    db: Snapshot, values: IndicatorValues, year: int, background: pa.Table | None
) -> pd.DataFrame:
    if background is None:
        background = unit_background(db, year)
    background = background.to_pandas()
    units = values.model_input.to_pandas()
    units = units[units["school_year"] == year]
    if units.empty or background.empty:  # no students that year: nothing to model
        return background.assign(in_model_base=False)
    wide = units.pivot_table(index="school_unit_code", columns="indicator", values="value")
    counts = units.pivot_table(index="school_unit_code", columns="indicator", values="n")
    wide = wide.join(counts.add_prefix("n_"))
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
    if indicator in SHARE_INDICATORS:
        out = _share_fit(block, indicator)
    else:
        out, _ = fit_school_model(block, outcome=indicator, weighted=False)
        low, high = SCALES.get(indicator, (-np.inf, np.inf))
        for column in ("model_value", "prediction_low", "prediction_high"):
            out[column] = out[column].clip(low, high)
        out["residual"] = out[indicator] - out["model_value"]
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


def _share_fit(block: pd.DataFrame, indicator: str) -> pd.DataFrame:
    """The fractional logit on the share (0-1), weighted by the students it is about; model
    value, interval and residual returned in percent like the indicator."""
    counted = f"n_{indicator}"
    students = block[counted] if counted in block else block["n_students"]
    shares = block.assign(
        share=block[indicator] / 100.0, share_students=students.fillna(block["n_students"])
    )
    out, _ = fit_share_model(shares, outcome="share", weighted=True, weight="share_students")
    for column in ("model_value", "prediction_low", "prediction_high"):
        out[column] = 100.0 * out[column]
    out["residual"] = out[indicator] - out["model_value"]
    return out


def _organizers(owners: pd.DataFrame, units: pd.DataFrame, year: int) -> pd.DataFrame:
    """Each organizer's student-weighted expected and actual value per indicator, with the
    interval from its units' prediction variances (``_interval``).

    Computed over all groups at once and equal bit for bit to a loop of pandas sums over
    ``groupby(["organizer_code", "indicator"])`` (its former code): groups in sorted key
    order and rows in their original order within a group (as ``groupby``), missing values
    summed as 0, and each group's floats summed
    by ``ndarray.sum`` on the group's contiguous slice, as ``Series.sum`` does on the group's
    copy (numpy's pairwise summation; ``np.add.reduceat`` adds in another order and differs in
    the last bits). A test compares the two over random frames."""
    known = units.dropna(subset=["expected"]).merge(owners, on="school_unit_code")
    known = known[known["organizer_code"].notna() & known["indicator"].notna()]
    columns = ["organizer_code", "indicator", "school_year", "n", *VALUES]
    if known.empty:
        return pd.DataFrame(columns=columns)
    known = known.sort_values(["organizer_code", "indicator"], kind="stable")
    organizer = known["organizer_code"].to_numpy()
    indicator = known["indicator"].to_numpy()
    new_group = np.ones(len(known), dtype=bool)
    new_group[1:] = (organizer[1:] != organizer[:-1]) | (indicator[1:] != indicator[:-1])
    starts = np.flatnonzero(new_group)
    sizes = np.diff(np.append(starts, len(known)))
    n = known["n"].to_numpy(dtype=np.int64)
    totals = np.add.reduceat(n, starts)
    with np.errstate(divide="ignore", invalid="ignore"):  # as pandas: no students, no weight
        w = n.astype(float) / np.repeat(totals.astype(float), sizes)
    low_high = known[["expected_low", "expected_high"]].to_numpy(dtype=float)
    var = ((low_high[:, 1] - low_high[:, 0]) / (2 * Z95)) ** 2
    ends = starts + sizes

    def summed(values: np.ndarray) -> np.ndarray:
        filled = np.where(np.isnan(values), 0.0, values)
        return np.array([filled[a:b].sum() for a, b in zip(starts, ends, strict=True)])

    expected = summed(w * known["expected"].to_numpy(dtype=float))
    actual = summed(w * known["actual"].to_numpy(dtype=float))
    se = np.sqrt(summed(w**2 * var))
    names = indicator[starts]
    bounds = [_interval(float(e), float(s), i) for e, s, i in zip(expected, se, names, strict=True)]
    return pd.DataFrame(
        {
            "organizer_code": organizer[starts],
            "indicator": names,
            "school_year": year,
            "n": totals,
            "actual": actual,
            "expected": expected,
            "gap": actual - expected,
            "expected_low": [b[0] for b in bounds],
            "expected_high": [b[1] for b in bounds],
        }
    )


def _interval(expected: float, se: float, indicator: object) -> tuple[float, float]:
    """The 95 % interval ``expected ± Z95·se``; for a share computed on the logit scale (delta
    method: se / (p(1 - p))) and brought back, so it stays within 0-100 %; for points kept
    within the scale."""
    if indicator in SHARE_INDICATORS:
        p = min(max(expected / 100.0, _EDGE), 1.0 - _EDGE)
        eta, half = np.log(p / (1.0 - p)), Z95 * (se / 100.0) / (p * (1.0 - p))
        return 100.0 * float(expit(eta - half)), 100.0 * float(expit(eta + half))
    low, high = SCALES.get(str(indicator), (-np.inf, np.inf))
    return max(expected - Z95 * se, low), min(expected + Z95 * se, high)


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
    background: pa.Table | None = None,
    owners: pa.Table | None = None,
) -> tuple[Aggregate, Aggregate]:
    """Expected value, gap and 95 % prediction interval per school unit and per organizer.

    ``values`` must come from an ``indicator_values`` run over the whole nation for ``year``
    (its ``model_input`` holds every school unit; the model is fitted on all of them).
    Returns ``(school_units, organizers)`` aggregates with
    dims ``school_unit_code|organizer_code, indicator, school_year``, count ``n`` and values
    ``actual, expected, gap`` (actual minus expected, in the indicator's unit) and
    ``expected_low/high`` (the interval the actual value falls in with 95 % probability if
    the unit were like the average unit with its background). ``school_units`` and
    ``organizers`` narrow the rows returned, not the fit. ``background`` is
    ``unit_background(db, year)`` when the caller has it already (it keeps it), ``owners``
    likewise ``unit_owners(db, year)``.
    """
    frame = _unit_frame(db, values, year, background)
    fits = [f for f in (_fit(frame, indicator) for indicator in indicators) if not f.empty]
    columns = ["school_unit_code", "indicator", "school_year", "n", *VALUES]
    units = pd.concat(fits) if fits else pd.DataFrame(columns=columns)
    owners_map = (owners if owners is not None else unit_owners(db, year)).to_pandas()
    owners = _organizers(owners_map, units, year) if fits else pd.DataFrame()
    if school_units is not None:
        units = units[units["school_unit_code"].isin(list(school_units))]
    if organizers is not None and not owners.empty:
        owners = owners[owners["organizer_code"].isin(list(organizers))]
    fitted = pa.array(pd.unique(units["school_unit_code"]), pa.string())
    # pandas' isin on Arrow strings makes a Python scalar of every value (0.09 s nationally)
    wanted = pc.is_in(pa.array(owners_map["school_unit_code"], pa.string()), value_set=fitted)
    of_fitted = owners_map[np.asarray(pc.fill_null(wanted, False).to_numpy(zero_copy_only=False))]
    return (
        _aggregate(
            units,
            "school_unit_code",
            Level.SCHOOL_UNIT,
            frozenset(of_fitted["organizer_code"].dropna()),
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

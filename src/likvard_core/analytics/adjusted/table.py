"""The per-school table every adjusted-results model returns, as a releasable ``Aggregate``.

Year 9 (``salsa``) and upper secondary (``upper_secondary``) differ in their dimensions and
outcomes, not in what a fitted row holds: the count, the actual result, the model value with its
residual and prediction interval, whether the school was in the fit, the background means and
the plain-language deviation. This module defines that layout once and turns a fitted frame
into the aggregate the suppression gate releases.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
import pyarrow as pa

from likvard_core.analytics.adjusted.model import FitDiagnostics, Outcome
from likvard_core.analytics.adjusted.reasons import with_deviation
from likvard_core.analytics.adjusted.school_results import BACKGROUND
from likvard_core.disclosure.aggregate import Aggregate, Level, Population
from likvard_core.warehouse.schema import ENROLMENTS
from likvard_core.warehouse.snapshot import Snapshot

MODEL_VALUES: tuple[str, ...] = (
    "actual",
    "model_value",
    "residual",
    "prediction_low",
    "prediction_high",
)
"""The fitted measures of every row (floats)."""


@dataclass(frozen=True, slots=True)
class ModelFit:
    """Per-school model values (an ``Aggregate``) and the diagnostics of each fitted stratum."""

    aggregate: Aggregate
    diagnostics: tuple[FitDiagnostics, ...]


@dataclass(frozen=True, slots=True)
class FittedLayout:
    """The dimensions, value columns and Arrow schema of one model's per-school table."""

    dims: tuple[str, ...]
    values: tuple[str, ...]
    schema: pa.Schema


def fitted_layout(
    dims: Sequence[tuple[str, pa.DataType]], *, counts: Sequence[str] = ()
) -> FittedLayout:
    """The layout for ``dims`` (name, type) with extra integer ``counts`` after ``in_model``."""
    values = (
        *MODEL_VALUES,
        "in_model",
        *counts,
        *BACKGROUND,
        "background_coverage",
        "assessment",
        "deviation",
        "deviation_reason",
    )
    schema = pa.schema(
        [
            *dims,
            ("n_students", pa.int64()),
            *((name, pa.float64()) for name in MODEL_VALUES),
            ("in_model", pa.bool_()),
            *((name, pa.int64()) for name in counts),
            *((name, pa.float64()) for name in (*BACKGROUND, "background_coverage")),
            ("assessment", pa.string()),
            ("deviation", pa.string()),
            ("deviation_reason", pa.string()),
        ]
    )
    return FittedLayout(dims=tuple(name for name, _ in dims), values=values, schema=schema)


def fitted_aggregate(
    db: Snapshot,
    fitted: pd.DataFrame,
    *,
    layout: FittedLayout,
    outcome: Outcome,
    school_units: Sequence[str] | None,
    scope: str,
    school_form: str | None = None,
) -> Aggregate:
    """The releasable aggregate of ``fitted`` rows (kept to ``school_units`` when given).

    ``actual`` is the chosen ``outcome``'s column; ``deviation`` and its reason are added. The
    population names the organizers of the table's school units in the enrolments of the
    table's school years, or with ``school_form`` in that school form's enrolments, so the gate
    knows whose student-level data the figures come from.
    """
    if school_units is not None:
        fitted = fitted[fitted["school_unit_code"].isin(list(school_units))]
    out = with_deviation(fitted.assign(actual=fitted[outcome.value]), outcome=outcome)
    table = pa.Table.from_pandas(
        out.reindex(columns=layout.schema.names), schema=layout.schema, preserve_index=False
    )
    return Aggregate(
        table=table,
        dims=layout.dims,
        count="n_students",
        values=layout.values,
        population=_population(db, table, scope, school_form),
        data_version=db.version,
    )


def _population(db: Snapshot, table: pa.Table, scope: str, school_form: str | None) -> Population:
    units = sorted(set(table.column("school_unit_code").to_pylist()))
    years = sorted(set(table.column("school_year").to_pylist()))
    condition, value = (
        ("list_contains(?, school_year)", years)
        if school_form is None
        else ("school_form = ?", school_form)
    )
    sql = (
        f"SELECT DISTINCT organizer_code FROM {ENROLMENTS.name} "
        f"WHERE list_contains(?, school_unit_code) AND {condition}"
    )
    organizers = db.query(sql, [units, value]).column("organizer_code").to_pylist()
    span = f"{years[0]}-{years[-1]}" if years else "none"
    return Population(
        scope=f"{scope}/units:{len(units)}/years:{span}",
        organizers=frozenset(organizers),
        level=Level.SCHOOL_UNIT,
        school_units=frozenset(units),
    )

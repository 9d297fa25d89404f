"""The per-school table every adjusted-results model returns, as a releasable ``Aggregate``.

Year 9 (``salsa``) and upper secondary (``upper_secondary``) differ in their dimensions and
outcomes, not in what a fitted row holds: the count, the actual result, the model value with its
residual and prediction interval, whether the school was in the fit, the background means and
the plain-language deviation. This module defines that layout once and turns a fitted frame
into the aggregate the suppression gate releases.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

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
    """Per-school model values (an ``Aggregate``) and the diagnostics of each fitted stratum.

    ``unit_organizers`` names the organizers whose students each school unit's rows count, so
    ``for_units`` can narrow the table to some units (one school's page, an organizer's units)
    with the right population without refitting or reading the snapshot again.
    """

    aggregate: Aggregate
    diagnostics: tuple[FitDiagnostics, ...]
    unit_organizers: Mapping[str, frozenset[str]] = field(default_factory=dict)
    scope: str = ""

    def for_units(self, school_units: Sequence[str]) -> Aggregate:
        """The aggregate narrowed to ``school_units`` (rows and population)."""
        wanted = sorted(set(school_units))
        table = self.aggregate.table.filter(
            pc.is_in(self.aggregate.table.column("school_unit_code"), pa.array(wanted, pa.string()))
        )
        units = sorted(set(table.column("school_unit_code").to_pylist()))
        organizers = frozenset(o for u in units for o in self.unit_organizers.get(u, ()))
        population = replace(
            self.aggregate.population,
            scope=_scope(self.scope, table),
            organizers=organizers,
            school_units=frozenset(units),
        )
        return replace(self.aggregate, table=table, population=population)


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


def fitted_model(
    db: Snapshot,
    fitted: pd.DataFrame,
    diagnostics: tuple[FitDiagnostics, ...],
    *,
    layout: FittedLayout,
    outcome: Outcome,
    school_units: Sequence[str] | None,
    scope: str,
    school_form: str | None = None,
) -> ModelFit:
    """The ``ModelFit`` of ``fitted`` rows (kept to ``school_units`` when given).

    ``actual`` is the chosen ``outcome``'s column; ``assessment``, ``deviation`` and its reason
    are added. The population names the organizers of the table's school units in the
    enrolments of the table's school years, or with ``school_form`` in that school form's
    enrolments, so the gate knows whose student-level data the figures come from.
    """
    if school_units is not None:
        fitted = fitted[fitted["school_unit_code"].isin(list(school_units))]
    out = with_deviation(fitted.assign(actual=fitted[outcome.value]), outcome=outcome)
    table = pa.Table.from_pandas(
        out.reindex(columns=layout.schema.names), schema=layout.schema, preserve_index=False
    )
    unit_organizers = _unit_organizers(db, table, school_form)
    units = sorted(set(table.column("school_unit_code").to_pylist()))
    population = Population(
        scope=_scope(scope, table),
        organizers=frozenset(o for u in units for o in unit_organizers.get(u, ())),
        level=Level.SCHOOL_UNIT,
        school_units=frozenset(units),
    )
    aggregate = Aggregate(
        table=table,
        dims=layout.dims,
        count="n_students",
        values=layout.values,
        population=population,
        data_version=db.version,
    )
    return ModelFit(aggregate, diagnostics, unit_organizers, scope)


def _scope(scope: str, table: pa.Table) -> str:
    units = set(table.column("school_unit_code").to_pylist())
    years = sorted(set(table.column("school_year").to_pylist()))
    span = f"{years[0]}-{years[-1]}" if years else "none"
    return f"{scope}/units:{len(units)}/years:{span}"


def _unit_organizers(
    db: Snapshot, table: pa.Table, school_form: str | None
) -> dict[str, frozenset[str]]:
    units = sorted(set(table.column("school_unit_code").to_pylist()))
    years = sorted(set(table.column("school_year").to_pylist()))
    condition, value = (
        ("list_contains(?, school_year)", years)
        if school_form is None
        else ("school_form = ?", school_form)
    )
    sql = (
        f"SELECT DISTINCT school_unit_code, organizer_code FROM {ENROLMENTS.name} "
        f"WHERE list_contains(?, school_unit_code) AND {condition}"
    )
    found: dict[str, set[str]] = {}
    for row in db.query(sql, [units, value]).to_pylist():
        found.setdefault(str(row["school_unit_code"]), set()).add(str(row["organizer_code"]))
    return {unit: frozenset(organizers) for unit, organizers in found.items()}

"""The early warning evaluated on history: who a rule flagged, and who then left without a
diploma.

The history is every national-programme starter whose three years are over in the data and
whose absence is in the data from the start. *Positive*: no diploma within 3 years and not
still studying (left with a studiebevis or interrupted; ``cohort``'s outcomes). A student is
*flagged* by a rule when it matches in any term from the start up to, not including, the
student's last enrolled term (the spring of the last year enrolled within the three years), so a
flag always comes before the end. *Lead time*: terms from the first flag to that last term.

Per rule and threshold: ``flagged``, ``true_positives``, ``positives``, precision
(true positives / flagged), recall (true positives / positives) and the median lead time.
Kinds: ``term`` (total absence in one term ≥ threshold), ``window`` (this term and the one before
≥ threshold), ``invalid`` (invalid absence in one term ≥ threshold) and ``rule`` (the
organizer's combined rule, threshold = its level).
"""

from __future__ import annotations

from collections.abc import Mapping

import pyarrow as pa
import pyarrow.compute as pc

from likvard_core.analytics.completion.cohort import last_year, starters_sql
from likvard_core.analytics.completion.warning import WarningRule, rule_parts_sql
from likvard_core.disclosure.aggregate import Aggregate, Level, Population
from likvard_core.warehouse.schema import ABSENCE
from likvard_core.warehouse.snapshot import Snapshot

THRESHOLDS: tuple[float, ...] = (0.05, 0.10, 0.15, 0.20, 0.25, 0.30)
INVALID_THRESHOLDS: tuple[float, ...] = (0.01, 0.03, 0.05, 0.10)
KINDS: tuple[str, ...] = ("term", "window", "invalid", "rule")

SLOTS = 5
"""Terms a three-year span can flag in: from its first autumn to, not including, the spring of
its last year (``end_index``), at most five; slot 0 is the term before the first."""

_EVALUATION_SQL = f"""
, history AS (
    SELECT student_key, organizer_code, start_year, last_3, 2 * start_year AS start_index,
           2 * last_3 + 1 AS end_index,
           outcome_3 IN ('certificate', 'interrupted') AS positive
    FROM each
    WHERE programme_group <> 'introduction' AND outcome_3 IS NOT NULL
      AND start_year >= (SELECT min(school_year) FROM {ABSENCE.name})
      AND {{organizers}}
),
placed AS (
    SELECT a.student_key, a.scheduled_minutes, a.absent_minutes, a.unexcused_minutes,
           2 * a.school_year + CASE WHEN a.term = 'VT' THEN 1 ELSE 0 END - h.start_index + 1
               AS slot
    FROM {ABSENCE.name} AS a JOIN history AS h ON h.student_key = a.student_key
    WHERE a.school_year BETWEEN h.start_year - 1 AND h.last_3
),
slots AS (
    SELECT student_key, {{sums}}
    FROM placed WHERE slot BETWEEN 0 AND {SLOTS} GROUP BY student_key
),
rated AS (
    SELECT h.student_key, h.positive, h.end_index, {{rates}}
    FROM history AS h LEFT JOIN slots AS s ON s.student_key = h.student_key
),
firsts AS (
    SELECT positive, end_index, {{firsts}} FROM rated
)
SELECT count(*)::BIGINT AS n, count(*) FILTER (WHERE positive)::BIGINT AS positives,
       {{counts}}
FROM firsts
"""
"""One row: for each test ``i``, ``flagged_i``, ``true_positives_i`` and ``lead_terms_i``. Each
history student's absence in the terms of the span is summed per term slot in one pass (the
absence rows of those students and years only); the rates and every test's first flagged term
are then columns of one row per student."""


def _tests(rule: WarningRule) -> list[tuple[str, float]]:
    return [
        *(("term", t) for t in THRESHOLDS),
        *(("window", t) for t in THRESHOLDS),
        *(("invalid", t) for t in INVALID_THRESHOLDS),
        ("rule", rule.level if rule.level is not None else 0.0),
    ]


def _condition(kind: str, threshold: float, r: int) -> str:
    rate, previous, window, invalid = (
        f"{x}_{r}" for x in ("rate", "previous", "window", "invalid")
    )
    if kind == "term":
        return f"{rate} >= {threshold!r}"
    if kind == "window":
        return f"{previous} IS NOT NULL AND {window} >= {threshold!r}"
    if kind == "invalid":
        return f"{invalid} >= {threshold!r}"
    return " OR ".join(rule_parts_sql(rate, previous, window, invalid).values())


def evaluation_sql(tests: list[tuple[str, float]]) -> str:
    """``_EVALUATION_SQL`` for ``tests`` (kind, threshold): trusted constants only."""
    sums = [
        f"sum({column}) FILTER (WHERE slot = {r})::DOUBLE AS {name}_{r}"
        for r in range(SLOTS + 1)
        for column, name in (("scheduled_minutes", "scheduled"), ("absent_minutes", "absent"),
                             ("unexcused_minutes", "unexcused"))
    ]  # fmt: skip
    rates = []
    for r in range(1, SLOTS + 1):
        rates += [
            f"s.absent_{r} / nullif(s.scheduled_{r}, 0) AS rate_{r}",
            f"s.unexcused_{r} / nullif(s.scheduled_{r}, 0) AS invalid_{r}",
            f"s.absent_{r - 1} / nullif(s.scheduled_{r - 1}, 0) AS previous_{r}",
            f"(s.absent_{r} + coalesce(s.absent_{r - 1}, 0)) / nullif(s.scheduled_{r} "
            f"+ coalesce(s.scheduled_{r - 1}, 0), 0) AS window_{r}",
            f"h.start_index + {r - 1} AS index_{r}",
        ]
    firsts = []
    for i, (kind, threshold) in enumerate(tests):
        cases = ", ".join(
            f"CASE WHEN index_{r} < end_index AND ({_condition(kind, threshold, r)}) "
            f"THEN index_{r} END"
            for r in range(1, SLOTS + 1)
        )
        firsts.append(f"least({cases}) AS first_{i}")
    counts = []
    for i in range(len(tests)):
        counts += [
            f"count(first_{i})::BIGINT AS flagged_{i}",
            f"count(first_{i}) FILTER (WHERE positive)::BIGINT AS true_positives_{i}",
            f"median(end_index - first_{i}) FILTER (WHERE positive)::DOUBLE AS lead_terms_{i}",
        ]
    return (
        _EVALUATION_SQL.replace("{sums}", ",\n           ".join(sums))
        .replace("{rates}", ",\n           ".join(rates))
        .replace("{firsts}", ",\n           ".join(firsts))
        .replace("{counts}", ",\n       ".join(counts))
    )


VALUES: tuple[str, ...] = (
    "positives",
    "flagged",
    "true_positives",
    "precision",
    "recall",
    "lead_terms",
)


def warning_evaluation_table(
    db: Snapshot,
    rule: WarningRule,
    *,
    unit_municipalities: Mapping[str, str],
    organizers: frozenset[str] | None,
) -> pa.Table:
    """The rows of ``warning_evaluation`` (kind, threshold, n and ``VALUES``)."""
    sql, params = starters_sql(unit_municipalities, last_year(db))
    where = "true"
    if organizers is not None:
        where = "organizer_code IN (SELECT unnest($orgs))"
        params["orgs"] = sorted(organizers) or [""]
    tests = _tests(rule)
    params.update(rule.params())
    row = db.query(sql + evaluation_sql(tests).replace("{organizers}", where), params)
    values = {name: row.column(name)[0].as_py() for name in row.column_names}
    table = pa.table({
        "kind": pa.array([kind for kind, _ in tests], pa.string()),
        "threshold": pa.array([threshold for _, threshold in tests], pa.float64()),
        "n": pa.array([values["n"]] * len(tests), pa.int64()),
        "positives": pa.array([values["positives"]] * len(tests), pa.int64()),
        **{
            name: pa.array([values[f"{name}_{i}"] for i in range(len(tests))], kind)
            for name, kind in (("flagged", pa.int64()), ("true_positives", pa.int64()),
                               ("lead_terms", pa.float64()))
        },
    }).sort_by([("kind", "ascending"), ("threshold", "ascending")])  # fmt: skip
    if not values["n"]:  # no history: no rows, as for any empty population
        table = table.slice(0, 0)
    flagged = pc.cast(table.column("flagged"), pa.float64())
    positives = pc.cast(table.column("positives"), pa.float64())
    hits = pc.cast(table.column("true_positives"), pa.float64())
    table = table.append_column(
        "precision", pc.if_else(pc.greater(flagged, 0), pc.divide(hits, flagged), None)
    )
    table = table.append_column(
        "recall", pc.if_else(pc.greater(positives, 0), pc.divide(hits, positives), None)
    )
    return table.select(["kind", "threshold", "n", *VALUES])


def evaluation_aggregate(
    table: pa.Table, *, organizers: frozenset[str], scope: str, data_version: str
) -> Aggregate:
    """``warning_evaluation_table``'s rows as an ``Aggregate`` about ``organizers``' starters."""
    return Aggregate(
        table=table,
        dims=("kind", "threshold"),
        count="n",
        values=VALUES,
        population=Population(
            scope=f"completion.evaluation/{scope}",
            organizers=organizers,
            level=Level.ORGANIZER if len(organizers) == 1 else Level.REGION,
        ),
        data_version=data_version,
    )


def warning_evaluation(
    db: Snapshot,
    rule: WarningRule,
    *,
    unit_municipalities: Mapping[str, str],
    organizers: frozenset[str] | None,
    scope: str,
) -> Aggregate:
    """Precision, recall (shares 0-1) and median lead time (terms) of each kind of warning at
    each threshold, on the starters of ``organizers`` (None: every starter in the data)."""
    table = warning_evaluation_table(
        db, rule, unit_municipalities=unit_municipalities, organizers=organizers
    )
    return evaluation_aggregate(
        table, organizers=organizers or frozenset(), scope=scope, data_version=db.version
    )

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
from likvard_core.analytics.completion.warning import WarningRule, student_terms_sql
from likvard_core.disclosure.aggregate import Aggregate, Level, Population
from likvard_core.warehouse.schema import ABSENCE
from likvard_core.warehouse.snapshot import Snapshot

THRESHOLDS: tuple[float, ...] = (0.05, 0.10, 0.15, 0.20, 0.25, 0.30)
INVALID_THRESHOLDS: tuple[float, ...] = (0.01, 0.03, 0.05, 0.10)
KINDS: tuple[str, ...] = ("term", "window", "invalid", "rule")

_EVALUATION_SQL = f"""
, terms AS ({{terms}}),
history AS (
    SELECT student_key, organizer_code, 2 * start_year AS start_index,
           2 * last_3 + 1 AS end_index,
           outcome_3 IN ('certificate', 'interrupted') AS positive
    FROM each
    WHERE programme_group <> 'introduction' AND outcome_3 IS NOT NULL
      AND start_year >= (SELECT min(school_year) FROM {ABSENCE.name})
      AND {{organizers}}
),
tests AS (
    SELECT 'term' AS kind, unnest($thresholds)::DOUBLE AS threshold
    UNION ALL SELECT 'window', unnest($thresholds)::DOUBLE
    UNION ALL SELECT 'invalid', unnest($invalid_thresholds)::DOUBLE
    UNION ALL SELECT 'rule', $rule_level::DOUBLE
),
matches AS (
    SELECT h.student_key, x.kind, x.threshold, min(t.term_index) AS first_index
    FROM history AS h
    JOIN terms AS t
        ON t.student_key = h.student_key
       AND t.term_index >= h.start_index AND t.term_index < h.end_index
    JOIN tests AS x ON CASE x.kind
        WHEN 'term' THEN t.rate >= x.threshold
        WHEN 'window' THEN t.previous_rate IS NOT NULL AND t.window_rate >= x.threshold
        WHEN 'invalid' THEN t.invalid_rate >= x.threshold
        ELSE t.flagged END
    GROUP BY ALL
)
SELECT x.kind, x.threshold,
       count(*)::BIGINT AS n,
       count(*) FILTER (WHERE h.positive)::BIGINT AS positives,
       count(m.first_index)::BIGINT AS flagged,
       count(m.first_index) FILTER (WHERE h.positive)::BIGINT AS true_positives,
       median(h.end_index - m.first_index) FILTER (WHERE h.positive)::DOUBLE AS lead_terms
FROM history AS h CROSS JOIN tests AS x
LEFT JOIN matches AS m
    ON m.student_key = h.student_key AND m.kind = x.kind AND m.threshold = x.threshold
GROUP BY ALL
ORDER BY x.kind, x.threshold
"""

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
    evaluation = _EVALUATION_SQL.replace("{terms}", student_terms_sql()).replace(
        "{organizers}", where
    )
    params.update(rule.params())
    params.update(
        thresholds=list(THRESHOLDS),
        invalid_thresholds=list(INVALID_THRESHOLDS),
        rule_level=rule.level if rule.level is not None else 0.0,
    )
    table = db.query(sql + evaluation, params)
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

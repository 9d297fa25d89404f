"""The absence early warning: which students a rule flags in which term, and counts per unit.

Rules from the reference (section 2, "Early-warning indicators"): total absence (valid and
invalid) at or above a level over a term (10 % [S9][S10]) or over a rolling window of the term
and the one before; 15 % [S9] and 20 % [S10] as serious levels; absence rising between terms;
invalid (ogiltig) absence at or above its own level [S13]. Scattered absence (ströfrånvaro)
cannot be told from continuous absence in term totals: it needs lesson-level data (SS 12000
attendance), which the warehouse does not hold, so no rule here claims to detect it.

Rates are shares 0-1 of scheduled time, per student and term over all the student's school units
that term; ``term_index`` counts terms (2 × spring year, + 1 for the spring term) so that
"the term before" is ``term_index - 1``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from likvard_core.disclosure.aggregate import Aggregate, Level, Population
from likvard_core.warehouse.schema import ABSENCE, ENROLMENTS
from likvard_core.warehouse.snapshot import Snapshot

SERIOUS = 0.15
VERY_SERIOUS = 0.20


@dataclass(frozen=True, slots=True)
class WarningRule:
    """An organizer's early-warning rule. ``None`` switches a part off.

    - ``level``: total absence over the term at or above this share flags (default 10 %).
    - ``window_level``: total absence over this term and the one before at or above this share.
    - ``rise``: absence up by at least this many percentage points (as a share) since the term
      before.
    - ``invalid_level``: invalid absence at or above this share of scheduled time.
    """

    level: float | None = 0.10
    window_level: float | None = 0.10
    rise: float | None = 0.05
    invalid_level: float | None = 0.03

    def params(self) -> dict[str, float]:
        """The rule as SQL parameters (a part switched off never matches)."""
        off = 9.0  # a share above any possible rate
        return {
            "level": off if self.level is None else self.level,
            "window_level": off if self.window_level is None else self.window_level,
            "rise": off if self.rise is None else self.rise,
            "invalid_level": off if self.invalid_level is None else self.invalid_level,
        }


_TERMS_SQL = f"""
WITH per_term AS (
    SELECT student_key, school_year, term,
           2 * school_year + CASE WHEN term = 'VT' THEN 1 ELSE 0 END AS term_index,
           arg_max(school_unit_code, scheduled_minutes) AS school_unit_code,
           sum(scheduled_minutes)::DOUBLE AS scheduled,
           sum(absent_minutes)::DOUBLE AS absent,
           sum(unexcused_minutes)::DOUBLE AS invalid
    FROM {ABSENCE.name}
    WHERE {{where}}
    GROUP BY student_key, school_year, term
),
rated AS (
    SELECT t.*, t.absent / nullif(t.scheduled, 0) AS rate,
           t.invalid / nullif(t.scheduled, 0) AS invalid_rate,
           p.absent / nullif(p.scheduled, 0) AS previous_rate,
           (t.absent + coalesce(p.absent, 0))
               / nullif(t.scheduled + coalesce(p.scheduled, 0), 0) AS window_rate
    FROM per_term AS t
    LEFT JOIN per_term AS p
        ON p.student_key = t.student_key AND p.term_index = t.term_index - 1
),
flagged AS (
    SELECT *, {{parts}}
    FROM rated
)
SELECT *, (by_level OR by_window OR by_rise OR by_invalid) AS flagged FROM flagged
"""


def rule_parts_sql(
    rate: str, previous_rate: str, window_rate: str, invalid_rate: str
) -> dict[str, str]:
    """The rule's parts (``by_level``, ``by_window``, ``by_rise``, ``by_invalid``) as SQL over
    the given rate expressions, with the rule's ``params`` bound by name; each is true or false,
    never null."""
    return {
        "by_level": f"coalesce({rate} >= $level, false)",
        "by_window": (
            f"coalesce({previous_rate} IS NOT NULL AND {window_rate} >= $window_level, false)"
        ),
        "by_rise": f"coalesce({rate} - {previous_rate} >= $rise, false)",
        "by_invalid": f"coalesce({invalid_rate} >= $invalid_level, false)",
    }


def student_terms_sql(where: str = "true") -> str:
    """The SQL of ``student_terms`` with a filter on the absence rows (trusted text only)."""
    parts = rule_parts_sql("rate", "previous_rate", "window_rate", "invalid_rate")
    columns = ",\n           ".join(f"{sql} AS {name}" for name, sql in parts.items())
    return _TERMS_SQL.replace("{where}", where).replace("{parts}", columns)


def student_terms(
    db: Snapshot,
    rule: WarningRule,
    *,
    school_units: list[str] | None = None,
    years: tuple[int, int] | None = None,
) -> pa.Table:
    """Per student and term: rates (shares 0-1), the parts of ``rule`` that match and
    ``flagged``. Student-level: for the student's own school's list and for aggregation only.

    ``school_units`` limits to students with absence at those units; ``years`` to school years
    from-to (the term before the first year is read too, for the rising and window parts).
    """
    conditions = ["true"]
    params: dict[str, object] = dict(rule.params())
    if school_units is not None:
        conditions.append(
            "student_key IN (SELECT student_key FROM absence "
            "WHERE school_unit_code IN (SELECT unnest($units)))"
        )
        params["units"] = sorted(school_units)
    if years is not None:
        conditions.append("school_year BETWEEN $first - 1 AND $last")
        params["first"], params["last"] = years
    table = db.query(student_terms_sql(" AND ".join(conditions)), params)
    if years is not None:
        table = table.filter(pc.greater_equal(table.column("school_year"), years[0]))
    return table


_COUNTS_SQL = f"""
WITH terms AS ({{terms}}),
owners AS (
    SELECT school_year, school_unit_code, min(organizer_code) AS organizer_code
    FROM {ENROLMENTS.name} GROUP BY ALL
),
cells AS (
    SELECT t.school_year, t.term, coalesce(o.organizer_code, '') AS organizer_code,
           t.school_unit_code, t.flagged, t.rate
    FROM terms AS t LEFT JOIN owners AS o
        ON o.school_year = t.school_year AND o.school_unit_code = t.school_unit_code
    WHERE t.school_year BETWEEN $first AND $last
)
SELECT school_year, term, organizer_code, school_unit_code,
       count(*)::BIGINT AS n,
       count(*) FILTER (WHERE flagged)::BIGINT AS flagged,
       count(*) FILTER (WHERE rate >= {SERIOUS})::BIGINT AS serious,
       count(*) FILTER (WHERE rate >= {VERY_SERIOUS})::BIGINT AS very_serious
FROM cells
GROUP BY GROUPING SETS ((school_year, term, organizer_code, school_unit_code),
                        (school_year, term, organizer_code), (school_year, term))
ORDER BY ALL
"""

COUNT_VALUES: tuple[str, ...] = (
    "flagged",
    "serious",
    "very_serious",
    "flagged_share",
    "serious_share",
    "very_serious_share",
)
# Each of ``flagged``, ``serious`` and ``very_serious`` counts some of a row's ``n`` students
# (very serious ones are serious too: three ways the students split, not one), and an
# organizer's are its units' sums: cells of the release cube, tied to ``n`` and across rows
# like ``n``. Left as plain values, a hidden unit's were its organizer's minus the shown
# units' (the disclosure auditor pinned 44 such cells to 0 in Skaraborg on the demo).
COUNT_PARTS: tuple[str, ...] = ("flagged",)
COUNT_PART_SETS: tuple[tuple[str, ...], ...] = (("serious",), ("very_serious",))


def warning_counts(
    db: Snapshot,
    rule: WarningRule,
    *,
    years: tuple[int, int],
    organizers: frozenset[str] | None,
    scope: str,
) -> Aggregate:
    """Students with absence per term, school unit and organizer, and how many the rule flags
    (``flagged``) and how many reach 15 % and 20 % (``serious``, ``very_serious``), with their
    shares of ``n``. Organizer rows have a null unit, the total row a null organizer too.
    ``organizers`` limits to those organizers' units (None: all).
    """
    params: dict[str, object] = {**rule.params(), "first": years[0], "last": years[1]}
    sql = _COUNTS_SQL.replace("{terms}", student_terms_sql("school_year >= $first - 1"))
    if organizers is not None:
        sql = sql.replace(
            "WHERE t.school_year BETWEEN",
            "WHERE o.organizer_code IN (SELECT unnest($orgs)) AND t.school_year BETWEEN",
        )
        params["orgs"] = sorted(organizers) or [""]
    table = db.query(sql, params)
    n = table.column("n")
    for name in ("flagged", "serious", "very_serious"):
        share = pc.divide(pc.cast(table.column(name), pa.float64()), pc.cast(n, pa.float64()))
        table = table.append_column(f"{name}_share", share)
    involved = frozenset(str(o) for o in pc.unique(table.column("organizer_code")).to_pylist() if o)
    return Aggregate(
        table=table,
        dims=("school_year", "term", "organizer_code", "school_unit_code"),
        count="n",
        values=COUNT_VALUES,
        population=Population(
            scope=f"completion.warning/{scope}", organizers=involved, level=Level.SCHOOL_UNIT
        ),
        data_version=db.version,
        margins=("organizer_code", "school_unit_code"),
        parts=COUNT_PARTS,
        part_sets=COUNT_PART_SETS,
    )


_LIST_SQL = f"""
WITH terms AS ({{terms}}),
latest AS (
    SELECT max(term_index) AS term_index FROM terms WHERE school_unit_code = $unit
),
here AS (
    SELECT student_key, min(programme_code) AS programme_code, min(grade_year) AS grade_year
    FROM {ENROLMENTS.name}
    WHERE school_unit_code = $unit AND school_year = (SELECT max(school_year) FROM terms)
    GROUP BY student_key
)
SELECT t.student_key, t.school_year, t.term, h.programme_code, h.grade_year,
       t.rate, t.invalid_rate, t.previous_rate, t.window_rate,
       t.by_level, t.by_window, t.by_rise, t.by_invalid
FROM terms AS t
JOIN latest AS l ON l.term_index = t.term_index
LEFT JOIN here AS h ON h.student_key = t.student_key
WHERE t.school_unit_code = $unit AND t.flagged
ORDER BY t.rate DESC, t.student_key
"""


def warning_list_rows(db: Snapshot, rule: WarningRule, *, school_unit: str) -> pa.Table:
    """The students ``rule`` flags in the latest term with absence at ``school_unit``: key,
    term, programme and årskurs there, rates (shares 0-1) and the parts that matched, highest
    absence first. Student-level: for that school's own list only."""
    sql = _LIST_SQL.replace(
        "{terms}",
        student_terms_sql(
            "student_key IN (SELECT student_key FROM absence WHERE school_unit_code = $unit)"
        ),
    )
    return db.query(sql, {**rule.params(), "unit": school_unit})

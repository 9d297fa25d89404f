"""Admitted against enrolled: each admission year's rounds beside the 15 October count.

Admission year ``A`` (studies start in the autumn of ``A``, the ``admissions.school_year``)
meets the enrolment of school year ``A + 1`` in grade year 1 (``enrolments.school_year`` is the
spring year). Students are those whose home municipality is in the region. Each student has at
most one final admission (one choice is admitted in a round) and one enrolment, so a student is
*stayed* (enrolled where finally admitted), *moved* (enrolled elsewhere), *left* (admitted, not
enrolled) or *arrived* (enrolled, not finally admitted): each student is counted once.

Per school unit and programme: ``incoming`` = enrolled there but not finally admitted there,
``outgoing`` = finally admitted there but not enrolled there, so
``enrolled = admitted_final - outgoing + incoming`` in every cell. ``added_places`` =
``enrolled - admitted_final`` when positive: places the unit added after final admission
(``added_flag`` is true for every such cell, however small).
"""

from __future__ import annotations

from enum import StrEnum

import pyarrow.compute as pc

from likvard_core.analytics.movement.scope import Lookups, Scope
from likvard_core.disclosure.aggregate import Aggregate, Level, Population
from likvard_core.terms import AdmissionRound
from likvard_core.warehouse.schema import ADMISSIONS, ENROLMENTS
from likvard_core.warehouse.snapshot import Snapshot


class Category(StrEnum):
    """What happened to a student between final admission and 15 October."""

    STAYED = "stayed"
    MOVED = "moved"
    LEFT = "left"
    ARRIVED = "arrived"


_PAIRS_SQL = f"""
WITH adm AS (
    SELECT school_year, admission_round, student_key, choice_rank, school_unit_code,
           programme_code, admitted
    FROM {ADMISSIONS.name}
    WHERE TRUE {{adm_filter}}
),
final AS (
    SELECT school_year, student_key, min(school_unit_code) AS school_unit_code,
           min(programme_code) AS programme_code
    FROM adm WHERE admission_round = '{AdmissionRound.FINAL.value}' AND admitted
    GROUP BY ALL
),
enrolled AS (
    SELECT school_year - 1 AS school_year, student_key,
           min(school_unit_code) AS school_unit_code,
           min(coalesce(programme_code, '')) AS programme_code
    FROM {ENROLMENTS.name}
    WHERE grade_year = 1 AND school_form IN (SELECT unnest($forms)) {{enr_filter}}
    GROUP BY ALL
),
pairs AS (
    SELECT coalesce(f.school_year, e.school_year) AS school_year,
           f.school_unit_code AS f_unit, f.programme_code AS f_prog,
           e.school_unit_code AS e_unit, e.programme_code AS e_prog,
           f.student_key IS NOT NULL AND e.student_key IS NOT NULL
               AND f.school_unit_code = e.school_unit_code
               AND f.programme_code = e.programme_code AS same
    FROM final AS f
    FULL OUTER JOIN enrolled AS e
      ON e.school_year = f.school_year AND e.student_key = f.student_key
)
"""

_CELLS_SQL = f"""
, cells AS (
    SELECT school_year, f_unit AS school_unit_code, f_prog AS programme_code,
           0 AS first_choice, 0 AS adm_prel, 1 AS adm_final, 0 AS adm_res,
           0 AS enrolled, 0 AS incoming, (NOT same)::INT AS outgoing
    FROM pairs WHERE f_unit IS NOT NULL
    UNION ALL
    SELECT school_year, e_unit, e_prog, 0, 0, 0, 0, 1, (NOT same)::INT, 0
    FROM pairs WHERE e_unit IS NOT NULL
    UNION ALL
    SELECT school_year, school_unit_code, programme_code,
           (choice_rank = 1 AND admission_round = '{AdmissionRound.FINAL.value}')::INT,
           (admitted AND admission_round = '{AdmissionRound.PRELIMINARY.value}')::INT,
           0,
           (admitted AND admission_round = '{AdmissionRound.RESERVE.value}')::INT,
           0, 0, 0
    FROM adm
    WHERE (choice_rank = 1 AND admission_round = '{AdmissionRound.FINAL.value}')
       OR (admitted AND admission_round <> '{AdmissionRound.FINAL.value}')
)
SELECT school_year, school_unit_code, programme_code,
       sum(first_choice)::BIGINT AS first_choice,
       sum(adm_prel)::BIGINT AS admitted_preliminary,
       sum(adm_final)::BIGINT AS admitted_final,
       sum(adm_res)::BIGINT AS admitted_reserve,
       sum(enrolled)::BIGINT AS enrolled,
       sum(incoming)::BIGINT AS incoming,
       sum(outgoing)::BIGINT AS outgoing,
       greatest(sum(enrolled) - sum(adm_final), 0)::BIGINT AS added_places,
       sum(enrolled) > sum(adm_final) AS added_flag,
       greatest(sum(enrolled), sum(adm_final), sum(first_choice))::BIGINT AS n
FROM cells
GROUP BY ALL
ORDER BY ALL
"""

_SUMMARY_SQL = f"""
SELECT school_year,
       CASE WHEN same THEN '{Category.STAYED.value}'
            WHEN f_unit IS NOT NULL AND e_unit IS NOT NULL THEN '{Category.MOVED.value}'
            WHEN e_unit IS NULL THEN '{Category.LEFT.value}'
            ELSE '{Category.ARRIVED.value}' END AS category,
       count(*)::BIGINT AS n
FROM pairs
GROUP BY ALL
ORDER BY ALL
"""

CELL_VALUES: tuple[str, ...] = (
    "first_choice",
    "admitted_preliminary",
    "admitted_final",
    "admitted_reserve",
    "enrolled",
    "incoming",
    "outgoing",
    "added_places",
    "added_flag",
)


def _params(scope: Scope) -> tuple[dict[str, object], str, str]:
    params: dict[str, object] = {"forms": list(scope.school_forms)}
    adm: list[str] = []
    enr: list[str] = []
    if scope.years is not None:
        params["years"] = list(scope.years)
        adm.append("AND school_year IN (SELECT unnest($years))")
        enr.append("AND school_year - 1 IN (SELECT unnest($years))")
    if scope.municipalities is not None:
        params["region"] = sorted(scope.municipalities)
        clause = "AND home_municipality_code IN (SELECT unnest($region))"
        adm.append(clause)
        enr.append(clause)
    if scope.programmes is not None:
        params["programmes"] = sorted(scope.programmes)
        clause = "AND programme_code IN (SELECT unnest($programmes))"
        adm.append(clause)
        enr.append(clause)
    return params, " ".join(adm), " ".join(enr)


def _population(lookups: Lookups, units: list[str], scope: Scope, name: str) -> Population:
    organizers = {
        lookups.school_units[u].organizer_code for u in units if u in lookups.school_units
    }
    return Population(
        scope=f"movement.{name}/{scope.label()}",
        organizers=frozenset(organizers),
        level=Level.SCHOOL_UNIT,
    )


def admissions_vs_enrolment(db: Snapshot, lookups: Lookups, scope: Scope) -> Aggregate:
    """Per admission year, school unit and programme: first-choice applicants (final round),
    admitted per round, enrolled on 15 October, incoming, outgoing and added places.

    ``scope.years`` are admission years here; ``scope.organizer_types`` is not used (the
    admission file has no organizer).
    """
    params, adm, enr = _params(scope)
    sql = _PAIRS_SQL.format(adm_filter=adm, enr_filter=enr) + _CELLS_SQL
    table = db.query(sql, params)
    units = pc.unique(table.column("school_unit_code")).to_pylist()
    return Aggregate(
        table=table,
        dims=("school_year", "school_unit_code", "programme_code"),
        count="n",
        values=CELL_VALUES,
        population=_population(lookups, units, scope, "admissions"),
        data_version=db.version,
    )


def admissions_reconciliation(db: Snapshot, lookups: Lookups, scope: Scope) -> Aggregate:
    """Per admission year: students stayed, moved, left and arrived (each counted once)."""
    params, adm, enr = _params(scope)
    sql = _PAIRS_SQL.format(adm_filter=adm, enr_filter=enr)
    table = db.query(sql + _SUMMARY_SQL, params)
    units_sql = (
        sql + "SELECT DISTINCT f_unit AS u FROM pairs UNION SELECT DISTINCT e_unit FROM pairs"
    )
    units = [u for u in db.query(units_sql, params).column("u").to_pylist() if u]
    return Aggregate(
        table=table,
        dims=("school_year", "category"),
        count="n",
        values=(),
        population=_population(lookups, units, scope, "reconciliation"),
        data_version=db.version,
    )


def admission_years(db: Snapshot, scope: Scope) -> list[int]:
    """Admission years whose 15 October count (the next school year) is also loaded."""
    table = db.query(
        f"SELECT DISTINCT school_year FROM {ADMISSIONS.name} WHERE school_year + 1 IN "
        f"(SELECT school_year FROM {ENROLMENTS.name} WHERE school_form IN (SELECT unnest($forms)) "
        "AND grade_year = 1) ORDER BY school_year",
        {"forms": list(scope.school_forms)},
    )
    return [int(y) for y in table.column("school_year").to_pylist()]

"""Survey results as release-ready aggregates: indices per level, response rates, priorities.

``respondent_indices`` (``surveys.index``) gives one row per respondent and index;
here they are averaged per school unit, organizer, municipality or region, with year group and
gender as margins (a null is the total over that column), and the interval mean ± 1.96 standard
errors. Response rates divide respondents by those invited (``invited_per_pupil``): in a
pupils' survey the pupils enrolled in the survey's year groups (``enrolments``, same school unit
and school year); in a guardians' survey their guardians, two per pupil, since a child has at
most two guardians (vårdnadshavare) and each may answer. Counting one per pupil let a unit whose
guardians both answered show more than 100 %; two per pupil never does, and where a pupil has
one guardian the true rate is higher than shown (the figure is a lower bound, and the pages say
so beside it). A group under the survey's response-rate threshold has its index values withheld
(``response_ok`` false) before the release gate, which then applies the respondent threshold to
the counts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import combinations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from likvard_core.analytics.surveys.definition import Respondents, SurveyVersion
from likvard_core.disclosure.aggregate import Aggregate, Level, Population
from likvard_core.warehouse.snapshot import Snapshot

Z = 1.96
LEVEL_COLUMNS = {
    Level.SCHOOL_UNIT: "school_unit_code",
    Level.ORGANIZER: "organizer_code",
    Level.MUNICIPALITY: "municipality_code",
}
MARGINS = ("year_group", "gender")
VALUES = ("index_value", "ci_low", "ci_high", "response_rate", "response_ok")

GUARDIANS_PER_PUPIL = 2
"""The guardians invited per pupil in a guardians' survey: a child has at most two guardians
(föräldrabalken 6 kap.), and the register of guardians is not in the warehouse."""


def invited_per_pupil(version: SurveyVersion) -> int:
    """Respondents invited per enrolled pupil: 1 in a pupils' survey, ``GUARDIANS_PER_PUPIL``
    in a guardians' survey (the denominator of its response rate; see module doc)."""
    return GUARDIANS_PER_PUPIL if version.respondents is Respondents.GUARDIANS else 1


ELIGIBLE_SQL = """
SELECT school_year, school_unit_code, grade_year::TINYINT AS year_group, count(*) AS eligible
FROM enrolments
WHERE school_year = $year AND school_form = 'grundskola' AND grade_year IN (SELECT unnest($groups))
GROUP BY ALL
"""
RESPONDENTS_SQL = """
SELECT school_unit_code, year_group, gender, count(DISTINCT respondent_key) AS respondents
FROM survey_answers WHERE survey_key = $survey AND version = $version
GROUP BY ALL
"""


ANSWERED_SQL = """
SELECT DISTINCT school_unit_code FROM survey_answers
WHERE survey_key = $survey AND version = $version
"""


def units_answered(db: Snapshot, version: SurveyVersion) -> frozenset[str]:
    """The school units with at least one answer to ``version`` (no counts: where to look)."""
    table = db.query(ANSWERED_SQL, {"survey": version.survey, "version": version.version})
    return frozenset(str(code) for code in table.column("school_unit_code").to_pylist())


def eligible_and_respondents(db: Snapshot, version: SurveyVersion) -> tuple[pa.Table, pa.Table]:
    """Pupils enrolled per unit and year group in the survey's year, and respondents per unit,
    year group and gender (everyone who answered, with or without an index value)."""
    year = int(version.version)
    eligible = db.query(ELIGIBLE_SQL, {"year": year, "groups": list(version.year_groups)})
    respondents = db.query(RESPONDENTS_SQL, {"survey": version.survey, "version": version.version})
    return eligible, respondents


def _with_places(table: pa.Table, places: Mapping[str, tuple[str, str]]) -> pa.Table:
    """``table`` with each row's organizer and municipality ('' for a unit not in ``places``),
    looked up by position in one vectorised ``take``."""
    codes = sorted(places)
    at = pc.index_in(table.column("school_unit_code"), value_set=pa.array(codes, pa.string()))
    for slot, name in ((0, "organizer_code"), (1, "municipality_code")):
        values = pa.array([places[c][slot] for c in codes], pa.string())
        table = table.append_column(name, pc.fill_null(values.take(at), ""))
    return table


def _grouped(
    table: pa.Table, keys: list[str], columns: Sequence[str], *, totals_only: bool = False
) -> pa.Table:
    """``table`` summed by ``keys`` plus each subset of ``MARGINS`` nulled (totals); with
    ``totals_only`` just the rows with both margins nulled."""
    parts = []
    for size in range(len(MARGINS) + 1):
        for dropped in combinations(MARGINS, size):
            if totals_only and len(dropped) < len(MARGINS):
                continue
            kept = [*keys, *(m for m in MARGINS if m not in dropped)]
            source = table
            for margin in (m for m in MARGINS if m not in dropped):  # unknown: in totals only
                source = source.filter(pc.is_valid(source.column(margin)))
            part = source.group_by(kept).aggregate([(c, "sum") for c in columns])
            part = part.rename_columns([n.removesuffix("_sum") for n in part.column_names])
            for margin in dropped:
                part = part.append_column(
                    margin, pa.nulls(part.num_rows, table.schema.field(margin).type)
                )
            parts.append(part.select([*keys, *MARGINS, *columns]))
    return pa.concat_tables(parts)


def index_aggregate(
    respondents: pa.Table,
    eligible: pa.Table,
    answered: pa.Table,
    *,
    version: SurveyVersion,
    level: Level,
    places: Mapping[str, tuple[str, str]],
    scope: str,
    data_version: str,
) -> Aggregate:
    """Every index of ``version`` per ``level`` unit (the region when ``Level.REGION``), with
    year group and gender margins: n (respondents with a value), index_value, its interval,
    the response rate (respondents / invited, ``invited_per_pupil``; null for gender rows and
    when not known) and
    ``response_ok``; index values are withheld (null) where the rate is under the threshold."""
    key = LEVEL_COLUMNS.get(level)
    keys = [key] if key else []
    totals_only = level in (Level.SCHOOL_UNIT, Level.ORGANIZER)  # small groups: one cube
    scored = (
        _with_places(respondents, places)
        .append_column(
            "sq", pc.multiply(respondents.column("index_value"), respondents.column("index_value"))
        )
        .append_column("n", pa.array(np.ones(respondents.num_rows, np.int64)))
    )
    sums = _grouped(
        scored, [*keys, "index_key"], ["n", "index_value", "sq"], totals_only=totals_only
    )
    n = sums.column("n").to_numpy(zero_copy_only=False).astype(float)
    total = sums.column("index_value").to_numpy(zero_copy_only=False)
    mean = total / n
    variance = np.maximum(sums.column("sq").to_numpy(zero_copy_only=False) / n - mean**2, 0.0)
    half = Z * np.sqrt(variance * n / np.maximum(n - 1, 1)) / np.sqrt(n)
    rates = _rates(eligible, answered, places, keys, per_pupil=invited_per_pupil(version))
    rate = [
        rates.get((*(row[k] for k in keys), row["year_group"])) if row["gender"] is None else None
        for row in sums.select([*keys, "year_group", "gender"]).to_pylist()
    ]
    minimum = version.thresholds.response_rate
    ok = [r is None or r >= minimum for r in rate]
    keep = pa.array(ok)
    table = pa.table(
        {
            **{k: sums.column(k) for k in [*keys, "index_key", *MARGINS]},
            "n": sums.column("n"),
            "index_value": pc.if_else(keep, pa.array(mean), None),
            "ci_low": pc.if_else(keep, pa.array(mean - half), None),
            "ci_high": pc.if_else(keep, pa.array(mean + half), None),
            "response_rate": pa.array(rate, pa.float64()),
            "response_ok": keep,
        }
    )
    table = table.sort_by([(c, "ascending") for c in [*keys, "index_key", *MARGINS]])
    margins: tuple[str, ...] = MARGINS
    if totals_only:
        table = table.drop_columns(list(MARGINS))
        margins = ()
    organizers = frozenset(o for o, _ in places.values() if o)
    return Aggregate(
        table=table,
        dims=(*keys, "index_key", *margins),
        count="n",
        values=VALUES,
        population=Population(scope=scope, organizers=organizers, level=level),
        data_version=data_version,
        source=f"Likvärd, {version.name} {version.version}",
        margins=margins,
    )


def _rates(
    eligible: pa.Table,
    answered: pa.Table,
    places: Mapping[str, tuple[str, str]],
    keys: list[str],
    *,
    per_pupil: int = 1,
) -> dict[tuple[object, ...], float]:
    """Response rate per level key and year group (None: all year groups): respondents over
    the pupils enrolled times ``per_pupil`` (those invited per pupil)."""
    surveyed = pc.unique(answered.column("school_unit_code"))
    counts: dict[tuple[object, ...], list[int]] = {}
    for source, slot, column in ((eligible, 0, "eligible"), (answered, 1, "respondents")):
        kept = source.filter(pc.is_in(source.column("school_unit_code"), value_set=surveyed))
        table = _with_places(kept, places)  # a unit not in the survey is not a non-respondent
        for by_group in (True, False):
            groups = [*keys, "year_group"] if by_group else keys
            summed = (
                table.group_by(groups).aggregate([(column, "sum")])
                if groups
                else pa.table({f"{column}_sum": [pc.sum(table.column(column)).as_py() or 0]})
            )
            for row in summed.to_pylist():
                group = row["year_group"] if by_group else None
                if by_group and group is None:
                    continue  # no year group: counted in the unit's total only
                key = (*(row[k] for k in keys), group)
                counts.setdefault(key, [0, 0])[slot] += int(row[f"{column}_sum"] or 0)
    return {k: v[1] / (v[0] * per_pupil) for k, v in counts.items() if v[0] > 0}


def priority_table(respondents: pa.Table, *, divisors: Mapping[str, float]) -> pa.Table:
    """Per index: its mean and its correlation with the respondent's overall index (the mean
    of their index values, each divided by its ``divisors`` entry so 0-100 indices count as
    0-10), over respondents with every index: the priority matrix's axes."""
    wide: dict[str, dict[str, float]] = {}
    for row in respondents.select(["respondent_key", "index_key", "index_value"]).to_pylist():
        value = row["index_value"] / divisors.get(row["index_key"], 1.0)
        wide.setdefault(row["respondent_key"], {})[row["index_key"]] = value
    keys = sorted({k for values in wide.values() for k in values})
    complete = [v for v in wide.values() if len(v) == len(keys)]
    if len(complete) < 3 or not keys:  # noqa: PLR2004
        return pa.table({"index_key": pa.array([], pa.string())})
    matrix = np.array([[v[k] for k in keys] for v in complete])
    overall = matrix.mean(axis=1)
    spread = matrix.std(axis=0) > 0
    effect = [
        float(np.corrcoef(matrix[:, i], overall)[0, 1]) if spread[i] and overall.std() > 0 else None
        for i in range(len(keys))
    ]
    return pa.table(
        {
            "index_key": keys,
            "n": [len(complete)] * len(keys),
            "index_value": [
                float(matrix[:, i].mean()) * divisors.get(k, 1.0) for i, k in enumerate(keys)
            ],
            "effect": pa.array(effect, pa.float64()),
        }
    )

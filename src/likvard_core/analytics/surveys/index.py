"""The Skolinspektionen-style index: item scores, a respondent's index, a group's index.

Method (docs/analyses/surveys.md):
1. Each answer gets an item score from its scale (``Scale.score``): with ``rescale_0_10`` the
   points spread evenly from 10 (most positive) to 0, as Skolenkäten's index; with
   ``weighted_100`` the definition's weights (100-66-33-0 on four points). A reversed item is
   inverted first; "vet ej" and unanswered items have no score.
2. A respondent's index is the mean of their item scores over the index's items, when they
   scored at least ``min_answered`` items; otherwise they have no index value.
3. A group's index (a school unit, a year group, girls) is the mean of its respondents'
   indices; its ``n`` counts respondents with an index value.

``respondent_index`` and ``group_index`` are the definition in plain Python (the hand-computed
test and the pandas reference use them); ``scores_table`` and ``RESPONDENT_INDEX_SQL`` compute
the same over the warehouse in one pass.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from statistics import fmean

import pyarrow as pa

from likvard_core.analytics.surveys.definition import Index, SurveyVersion
from likvard_core.warehouse.snapshot import Snapshot


def item_score(version: SurveyVersion, index: Index, code: str, value: int | None) -> float | None:
    """The score of answer ``value`` to item ``code`` in ``index`` (None: no score)."""
    if value is None:
        return None
    question = version.question(code)
    return version.scale_of(code).score(value, index.method, reverse=question.reverse)


def respondent_index(
    version: SurveyVersion, index: Index, answers: Mapping[str, int | None]
) -> float | None:
    """One respondent's index: the mean item score, or None below ``min_answered`` items."""
    scores = [
        s
        for code in index.items
        if (s := item_score(version, index, code, answers.get(code))) is not None
    ]
    if len(scores) < index.min_answered:
        return None
    return fmean(scores)


def group_index(
    version: SurveyVersion, index: Index, respondents: Iterable[Mapping[str, int | None]]
) -> tuple[float | None, int]:
    """A group's index (mean of respondent indices) and its number of respondents with one."""
    values = [
        v for answers in respondents if (v := respondent_index(version, index, answers)) is not None
    ]
    return (fmean(values) if values else None), len(values)


SCORES_SCHEMA = pa.schema(
    [
        pa.field("index_key", pa.string(), nullable=False),
        pa.field("question_code", pa.string(), nullable=False),
        pa.field("value", pa.int16(), nullable=False),
        pa.field("score", pa.float64(), nullable=False),
        pa.field("min_answered", pa.int16(), nullable=False),
    ]
)


def scores_table(version: SurveyVersion) -> pa.Table:
    """Every (index, item, answer value) with its item score: the join table of the SQL."""
    rows: dict[str, list[object]] = {name: [] for name in SCORES_SCHEMA.names}
    for index in version.indices:
        for code in index.items:
            scale = version.scale_of(code)
            for point in scale.points:
                score = item_score(version, index, code, point.value)
                if score is None:
                    continue
                for name, value in zip(
                    SCORES_SCHEMA.names,
                    (index.key, code, point.value, score, index.min_answered),
                    strict=True,
                ):
                    rows[name].append(value)
    return pa.table(rows, schema=SCORES_SCHEMA)


RESPONDENT_INDEX_SQL = """
WITH survey_scores AS (
    SELECT unnest($index_keys) AS index_key, unnest($codes) AS question_code,
           unnest($values)::SMALLINT AS value, unnest($scores)::DOUBLE AS score,
           unnest($minimums)::INTEGER AS min_answered
)
SELECT a.school_year, a.respondent_key, any_value(a.school_unit_code) AS school_unit_code,
       any_value(a.year_group) AS year_group, any_value(a.gender) AS gender,
       s.index_key, avg(s.score) AS index_value, count(*)::INTEGER AS items
FROM survey_answers AS a
JOIN survey_scores AS s ON s.question_code = a.question_code AND s.value = a.value
WHERE a.survey_key = $survey AND a.version = $version
GROUP BY a.school_year, a.respondent_key, s.index_key
HAVING count(*) >= min(s.min_answered)
"""
"""One row per respondent and index they have a value of (a respondent's unit, year group and
gender are the same on each of their rows: grouping by the key alone is enough); the item
scores come from
``scores_table(version)`` as bound lists, so no definition text is ever part of the SQL."""


def respondent_indices(db: Snapshot, version: SurveyVersion) -> pa.Table:
    """Every respondent's value of every index of ``version`` in the snapshot's answers:
    school_year, respondent_key, school_unit_code, year_group, gender, index_key,
    index_value (the index's unit: 0-10 or 0-100), items (scored items)."""
    scores = scores_table(version)
    params = {
        "index_keys": scores.column("index_key").to_pylist(),
        "codes": scores.column("question_code").to_pylist(),
        "values": scores.column("value").to_pylist(),
        "scores": scores.column("score").to_pylist(),
        "minimums": scores.column("min_answered").to_pylist(),
        "survey": version.survey,
        "version": version.version,
    }
    return db.query(RESPONDENT_INDEX_SQL, params)

"""The one classification of adjusted results, and plain Swedish reasons for the deviations.

``classify`` gives every fitted row its ``Assessment``: ``outside_model`` for a school not in
the fit (too few students or too little background data), otherwise ``above``/``below`` when
the actual result lies outside the 95 % prediction interval around its model value and
``within`` when it lies inside. Tables, charts and exports all read this one column. The
reason says, in words a principal understands, what was compared with what and how far chance
can explain it.
"""

from __future__ import annotations

from enum import StrEnum

import numpy as np
import pandas as pd

from likvard_core.analytics.adjusted.model import Outcome
from likvard_core.analytics.equity.reasons import year_label

MEASURES: dict[Outcome, str] = {
    Outcome.MERIT_VALUE: "genomsnittliga meritvärde i årskurs 9",
    Outcome.SHARE_PASSING_ALL: "andel elever i årskurs 9 med godkända betyg i alla ämnen",
    Outcome.SHARE_DIPLOMA: "andel elever med gymnasieexamen inom tre år",
    Outcome.GRADE_POINT_AVERAGE: "genomsnittliga betygspoäng bland elever med examen",
}
PROGRAMME_PHRASES: dict[str, str] = {
    "": "",
    "preparatory": " på högskoleförberedande program",
    "vocational": " på yrkesprogram",
    "introduction": " på introduktionsprogram",
}
_SHARES = (Outcome.SHARE_PASSING_ALL, Outcome.SHARE_DIPLOMA)
_EN_DASH = "\u2013"


class Assessment(StrEnum):
    """Where a school's actual result lies relative to its model value's interval."""

    ABOVE = "above"
    BELOW = "below"
    WITHIN = "within"
    OUTSIDE_MODEL = "outside_model"


def classify(frame: pd.DataFrame) -> list[str]:
    """The ``Assessment`` of each fitted row (``actual``, ``prediction_low/high``, ``in_model``).

    A school outside the fit is ``outside_model`` wherever its result lies: it is not held to
    the model's interval. A school in the fit is ``above``, ``below`` or ``within``.
    """
    actual = frame["actual"].to_numpy(np.float64)
    fitted = frame["in_model"].fillna(False).to_numpy(bool)
    above = actual > frame["prediction_high"].to_numpy(np.float64)
    below = actual < frame["prediction_low"].to_numpy(np.float64)
    chosen = np.select(
        [~fitted, above, below],
        [Assessment.OUTSIDE_MODEL.value, Assessment.ABOVE.value, Assessment.BELOW.value],
        default=Assessment.WITHIN.value,
    )
    return [str(value) for value in chosen]


def figure(outcome: Outcome, value: float) -> str:
    """A result in Swedish notation: shares as whole percent, points with one decimal."""
    if outcome in _SHARES:
        return f"{round(value * 100):d} %"
    return f"{value:.1f}".replace(".", ",")


def adjusted_reason(
    *,
    outcome: Outcome,
    year: int,
    programme_type: str,
    actual: float,
    model_value: float,
    low: float,
    high: float,
) -> str:
    """Why one school's result is marked as above or below what its students predict."""
    comparison = "högre" if actual > model_value else "lägre"
    return (
        f"Skolans {MEASURES[outcome]}{PROGRAMME_PHRASES.get(programme_type, '')} "
        f"{year_label(year)} var {figure(outcome, actual)}. Det är {comparison} än "
        f"modellvärdet {figure(outcome, model_value)}, det vill säga vad skolor med liknande "
        "elever brukar nå (föräldrarnas utbildning, andelen pojkar och andelen nyanlända). "
        "Skillnaden ligger utanför det 95-procentiga prediktionsintervallet "
        f"({figure(outcome, low)}{_EN_DASH}{figure(outcome, high)}), så elevsammansättningen "
        "förklarar den inte. Ungefär en skola av tjugo hamnar utanför intervallet av en slump: "
        "se det som ett skäl att titta närmare, inte som ett omdöme."
    )


def with_deviation(frame: pd.DataFrame, *, outcome: Outcome) -> pd.DataFrame:
    """``frame`` (fitted rows) plus ``assessment`` (``classify``), ``deviation`` (above/below,
    else None) and ``deviation_reason``."""
    assessment = classify(frame)
    deviation: list[str | None] = [
        value if value in (Assessment.ABOVE, Assessment.BELOW) else None for value in assessment
    ]
    stratum = frame["programme_type"] if "programme_type" in frame else pd.Series("", frame.index)
    reasons: list[str | None] = [
        adjusted_reason(
            outcome=outcome,
            year=int(row.school_year),
            programme_type=str(kind),
            actual=float(row.actual),
            model_value=float(row.model_value),
            low=float(row.prediction_low),
            high=float(row.prediction_high),
        )
        if flag is not None
        else None
        for row, kind, flag in zip(frame.itertuples(), stratum, deviation, strict=True)
    ]
    return frame.assign(assessment=assessment, deviation=deviation, deviation_reason=reasons)

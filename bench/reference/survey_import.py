"""Pandas reference for importing a survey vendor's result file (``survey_answers``): vectorised.

The same validation as the import kind (``likvard_core.ingest.kinds.survey_answers``) on the
same CSV: the question columns are the version's, in order; every row names the file's survey,
a school year ``2024/25``, a known school unit, a year group of the version (or blank), a gender
F/M/blank and no respondent twice; every answer is a value of its question's scale or blank.
Then the wide file becomes the long table, one row per respondent and question (blank answers
kept as null), with the respondent id hashed as the import hashes it. Any problem raises.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd

from likvard_core.analytics.surveys.definition import SurveyVersion

FIXED = ["enkät", "respondent", "läsår", "skolenhetskod", "årskurs", "kön"]
GENDERS = {"f": "F", "flicka": "F", "kvinna": "F", "m": "M", "pojke": "M", "man": "M"}
OTHER = {"", "annat", "vill ej svara", "-", "x"}


def _hash(key: str, year: int, respondent: str) -> str:
    return hashlib.blake2b(f"{key}|{year}|{respondent}".encode(), digest_size=12).hexdigest()


def import_answers(path: Path, version: SurveyVersion, known_units: frozenset[str]) -> pd.DataFrame:
    """The validated long answers of the vendor file ``path`` of ``version``."""
    frame = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False, encoding="utf-8")
    questions = [c for c in frame.columns if c not in FIXED]
    expected = [q.code for q in version.questions if q.code in questions or not q.municipalities]
    if list(frame.columns[: len(FIXED)]) != FIXED or questions != expected:
        raise ValueError("the file's questions are not the version's")
    if (frame["enkät"] != version.key).any():
        raise ValueError("one survey per file")
    parts = frame["läsår"].str.extract(r"^(\d{4})/(\d{2})$")
    if parts.isna().any().any():
        raise ValueError("school year")
    year = parts[0].astype(int) + 1
    if ((year % 100) != parts[1].astype(int)).any():
        raise ValueError("school year")
    if not frame["skolenhetskod"].isin(known_units).all():
        raise ValueError("unknown school unit")
    groups = frame["årskurs"]
    allowed_groups = {str(g) for g in version.year_groups} | {""}
    if not groups.isin(allowed_groups).all():
        raise ValueError("year group")
    gender = frame["kön"].str.strip().str.lower()
    if not gender.isin(set(GENDERS) | OTHER).all():
        raise ValueError("gender")
    if frame.duplicated(["läsår", "respondent"]).any():
        raise ValueError("duplicate respondent")
    for code in questions:
        allowed = {str(v) for v in version.scale_of(code).values} | {""}
        if not frame[code].isin(allowed).all():
            raise ValueError(f"value off the scale in {code}")
    keys = [
        _hash(version.key, y, r)
        for y, r in zip(year.tolist(), frame["respondent"].tolist(), strict=True)
    ]
    base = pd.DataFrame(
        {
            "respondent_key": keys,
            "school_year": year.astype("int16"),
            "school_unit_code": frame["skolenhetskod"],
            "year_group": pd.to_numeric(groups.replace("", np.nan)).astype("Int8"),
            "gender": gender.map(GENDERS),
        }
    )
    answers = frame[questions].replace("", np.nan)
    long = pd.concat([base, answers], axis=1).melt(
        id_vars=list(base.columns), value_vars=questions, var_name="question_code"
    )
    long["value"] = pd.to_numeric(long["value"]).astype("Int16")
    long.insert(0, "version", version.version)
    long.insert(0, "survey_key", version.survey)
    return long

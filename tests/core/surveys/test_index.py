"""The index reproduces a hand-computed example exactly, in Python and in SQL."""

from __future__ import annotations

import pyarrow as pa
import pytest

from likvard_core.surveys.definition import DefinitionError, Method, parse_definition
from likvard_core.surveys.index import group_index, respondent_index, respondent_indices
from likvard_core.warehouse.snapshot import Snapshot

AGREE4 = {
    "key": "agree4",
    "dont_know": 9,
    "points": [
        {"value": 4, "label": "Stämmer helt och hållet", "weight": 100},
        {"value": 3, "label": "Stämmer ganska bra", "weight": 66},
        {"value": 2, "label": "Stämmer ganska dåligt", "weight": 33},
        {"value": 1, "label": "Stämmer inte alls", "weight": 0},
    ],
}


def _definition(method: str) -> dict[str, object]:
    return {
        "survey": "test",
        "version": "1",
        "name": "Test",
        "scales": [AGREE4],
        "areas": [{"key": "trygghet", "name": "Trygghet"}],
        "questions": [
            {"code": "F1", "text": "Jag känner mig trygg.", "scale": "agree4", "area": "trygghet"},
            {"code": "F2", "text": "Jag blir retad.", "scale": "agree4", "reverse": True},
            {"code": "F3", "text": "Det finns vuxna.", "scale": "agree4"},
        ],
        "indices": [
            {
                "key": "t",
                "name": "T",
                "items": ["F1", "F2", "F3"],
                "method": method,
                "min_answered": 2,
            }
        ],
    }


# R1 answers everything; R2 says "vet ej" (9) to the reversed F2; R3 scores one item only.
RESPONDENTS = [
    {"F1": 4, "F2": 1, "F3": 3},
    {"F1": 2, "F2": 9, "F3": 1},
    {"F1": 3, "F2": None, "F3": 9},
]

# By hand, 0-10: R1 = (10 + 10 [F2=1 reversed] + 6 2/3) / 3 = 80/9; R2 = (3 1/3 + 0) / 2 = 5/3;
# R3 has 1 < 2 scored items: no value. Group = (80/9 + 5/3) / 2 = 95/18 (5.3), n = 2.
# By hand, 100-66-33-0: R1 = (100 + 100 + 66) / 3 = 266/3; R2 = (33 + 0) / 2 = 33/2;
# group = (266/3 + 33/2) / 2 = 631/12 (52.6).
HAND = {
    "rescale_0_10": ([80 / 9, 5 / 3, None], 95 / 18),
    "weighted_100": ([266 / 3, 33 / 2, None], 631 / 12),
}


@pytest.mark.parametrize("method", ["rescale_0_10", "weighted_100"])
def test_index_reproduces_the_hand_computed_example(method):
    version = parse_definition(_definition(method))
    index = version.indices[0]
    assert index.method is Method(method)
    expected_each, expected_group = HAND[method]
    got = [respondent_index(version, index, r) for r in RESPONDENTS]
    assert got == [pytest.approx(e, abs=1e-12) if e is not None else None for e in expected_each]
    value, n = group_index(version, index, RESPONDENTS)
    assert n == 2
    assert value == pytest.approx(expected_group, abs=1e-12)
    assert round(value, 1) == {"rescale_0_10": 5.3, "weighted_100": 52.6}[method]


def _answers(rows: list[dict[str, int | None]]) -> pa.Table:
    out: dict[str, list[object]] = {
        k: []
        for k in (
            "survey_key",
            "version",
            "school_year",
            "respondent_key",
            "school_unit_code",
            "year_group",
            "gender",
            "question_code",
            "value",
        )
    }
    for number, answers in enumerate(rows, start=1):
        for code, value in answers.items():
            for key, cell in (
                ("survey_key", "test"),
                ("version", "1"),
                ("school_year", 2025),
                ("respondent_key", f"r{number}"),
                ("school_unit_code", "12345678"),
                ("year_group", 5),
                ("gender", "F"),
                ("question_code", code),
                ("value", value),
            ):
                out[key].append(cell)
    return pa.table(out)


@pytest.mark.parametrize("method", ["rescale_0_10", "weighted_100"])
def test_sql_index_equals_the_definition(method):
    version = parse_definition(_definition(method))
    with Snapshot.from_tables({"survey_answers": _answers(RESPONDENTS)}, "v1") as db:
        table = respondent_indices(db, version)
    got = dict(
        zip(
            table.column("respondent_key").to_pylist(),
            table.column("index_value").to_pylist(),
            strict=True,
        )
    )
    expected_each, _ = HAND[method]
    assert got == {
        "r1": pytest.approx(expected_each[0], abs=1e-12),
        "r2": pytest.approx(expected_each[1], abs=1e-12),
    }


def test_a_definition_with_an_unknown_item_is_refused():
    doc = _definition("rescale_0_10")
    doc["indices"][0]["items"] = ["F1", "F7"]  # type: ignore[index]
    with pytest.raises(DefinitionError, match="F7"):
        parse_definition(doc)


def test_weighted_index_needs_weights():
    doc = _definition("weighted_100")
    doc["scales"] = [{**AGREE4, "points": [{"value": 1, "label": "a"}, {"value": 2, "label": "b"}]}]
    with pytest.raises(DefinitionError, match="weights"):
        parse_definition(doc)

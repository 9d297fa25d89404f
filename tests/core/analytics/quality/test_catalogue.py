"""The shipped catalogue against its data file and the reference, and the file's validation."""

from __future__ import annotations

import copy
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from likvard_core.analytics.quality.catalogue import (
    DEFAULT_PATH,
    CatalogueError,
    Status,
    indicator_history,
    indicator_revision,
    load_catalogue,
    parse_catalogue,
)

RAW: dict[str, Any] = json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))

# The indicators the reference (quality-system.md §5, candidate table) names, by our code.
REFERENCE_INDICATORS = {
    "gr9_pass_all",
    "gr9_eligible_vocational",
    "gr9_eligible_es",
    "gr9_eligible_ek_hu_sa",
    "gr9_eligible_na_te",
    "gr9_merit_value",
    "gr9_test_vs_grade",
    "gy_diploma_3y",
    "gy_diploma_4y_incl_im",
    "qualified_teachers",
    "students_per_teacher",
    "safety",
    "study_peace",
}
REFERENCE_FORMS = {
    "forskola", "forskoleklass", "grundskola", "anpassad_grundskola", "specialskola",
    "sameskola", "gymnasieskola", "anpassad_gymnasieskola", "komvux", "fritidshem",
}  # fmt: skip


def _parse(doc: dict[str, Any]) -> Any:
    return parse_catalogue(json.dumps(doc).encode(), source_name="test.json")


def _issues(doc: dict[str, Any]) -> list[tuple[str, str]]:
    with pytest.raises(CatalogueError) as info:
        _parse(doc)
    return [(i.column, i.code) for i in info.value.issues]


def test_counts_per_school_form_match_the_data_file():
    catalogue = load_catalogue()
    file_counts = Counter(f for i in RAW["indicators"] for f in i["school_forms"])
    loaded_counts = Counter(f for i in catalogue.indicators for f in i.school_forms)
    assert loaded_counts == file_counts
    assert loaded_counts["grundskola"] == 14
    assert loaded_counts["gymnasieskola"] == 9
    assert loaded_counts["forskola"] == 2
    assert len(catalogue.goals) == len(RAW["goals"]) == 10


def test_one_goal_per_school_form_of_the_reference():
    catalogue = load_catalogue()
    assert {g.school_form for g in catalogue.goals} == REFERENCE_FORMS
    assert all(g.status is Status.VERIFIED and "S1" in g.sources for g in catalogue.goals)


def test_every_reference_indicator_is_present_and_candidate():
    catalogue = load_catalogue()
    codes = set(catalogue.indicator_codes())
    assert codes >= REFERENCE_INDICATORS
    assert all(i.status is Status.CANDIDATE for i in catalogue.indicators)


def test_only_the_named_success_factor_is_verified():
    factors = load_catalogue().success_factors
    verified = [f.title for f in factors if f.status is Status.VERIFIED]
    assert verified == ["Systematiskt kvalitetsarbete med undervisningen i fokus"]
    assert all(f.note for f in factors if f.status is Status.CANDIDATE)


def test_conditions_hold_teachers_and_ratio():
    catalogue = load_catalogue()
    assert {"qualified_teachers", "students_per_teacher"} <= set(catalogue.conditions.indicators)
    codes = {i.code for i in catalogue.condition_indicators(2025)}
    assert "qualified_teachers" in codes
    goal = catalogue.goal_for("grundskola")
    assert goal is not None
    assert "qualified_teachers" not in {i.code for i in catalogue.indicators_for_goal(goal, 2025)}


def test_revisions_pick_the_definition_of_the_year():
    catalogue = load_catalogue()
    old = indicator_revision(catalogue, "safety", 2021)
    new = indicator_revision(catalogue, "safety", 2022)
    assert old is not None
    assert new is not None
    assert (old.kolada_kpi, new.kolada_kpi) == ("N15533", "N15643")
    assert [r.valid_from for r in indicator_history(catalogue, "safety")] == [2015, 2022]
    assert indicator_revision(catalogue, "safety", 2010) is None
    assert indicator_revision(catalogue, "no_such_code", 2025) is None


def test_load_from_explicit_path(tmp_path: Path):
    doc = copy.deepcopy(RAW)
    doc["version"] = "9.9"
    path = tmp_path / "mine.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    assert load_catalogue(path).version == "9.9"


def test_unknown_and_missing_keys_are_named_with_their_path():
    doc = copy.deepcopy(RAW)
    doc["indicators"][0]["colour"] = "red"
    del doc["indicators"][1]["unit"]
    issues = _issues(doc)
    assert ("indicators[0].colour", "invalid_choice") in issues
    assert ("indicators[1].unit", "required_value") in issues


def test_bad_enums_and_types():
    doc = copy.deepcopy(RAW)
    doc["indicators"][0]["direction"] = "up"
    doc["indicators"][2]["valid_from"] = "2015"
    doc["goals"][0]["school_form"] = "universitet"
    doc["goals"][1]["status"] = "maybe"
    issues = _issues(doc)
    assert ("indicators[0].direction", "invalid_choice") in issues
    assert ("indicators[2].valid_from", "invalid_choice") in issues
    assert ("goals[0].school_form", "invalid_choice") in issues
    assert ("goals[1].status", "invalid_choice") in issues


def test_duplicate_codes_and_overlapping_revisions():
    doc = copy.deepcopy(RAW)
    doc["goals"].append(copy.deepcopy(doc["goals"][0]))
    doc["success_factors"].append(copy.deepcopy(doc["success_factors"][0]))
    doc["indicators"].append(copy.deepcopy(doc["indicators"][0]))  # current, overlaps itself
    issues = _issues(doc)
    assert ("goals", "duplicate_key") in issues
    assert ("success_factors", "duplicate_key") in issues
    assert ("indicators", "inconsistent_values") in issues


def test_non_overlapping_revision_is_accepted():
    doc = copy.deepcopy(RAW)
    first = next(i for i in doc["indicators"] if i["code"] == "gr9_pass_all")
    older = copy.deepcopy(first)
    first["valid_from"] = 2020
    older.update(valid_from=2015, valid_to=2019, name="Äldre definition")
    doc["indicators"].append(older)
    catalogue = _parse(doc)
    assert next(r.name for r in indicator_history(catalogue, "gr9_pass_all")) == "Äldre definition"
    revision = indicator_revision(catalogue, "gr9_pass_all", 2019)
    assert revision is not None
    assert revision.name == "Äldre definition"


def test_valid_from_after_valid_to_and_bad_references():
    doc = copy.deepcopy(RAW)
    doc["indicators"][0]["valid_to"] = doc["indicators"][0]["valid_from"] - 1
    doc["conditions"]["indicators"].append("ghost")
    doc["indicators"][1]["sources"] = ["S999"]
    doc["indicators"][3]["kolada_kpi"] = "15418"
    issues = _issues(doc)
    assert ("indicators[0].valid_to", "out_of_range") in issues
    assert ("conditions.indicators", "invalid_code") in issues
    assert ("indicators[1].sources", "invalid_code") in issues
    assert ("indicators[3].kolada_kpi", "invalid_code") in issues


def test_broken_json_and_wrong_format():
    with pytest.raises(CatalogueError) as info:
        parse_catalogue(b"{not json", source_name="x.json")
    assert info.value.issues[0].code == "invalid_json"
    assert info.value.issues[0].file == "x.json"
    doc = copy.deepcopy(RAW)
    doc["format"] = "other/2"
    assert ("$.format", "invalid_choice") in _issues(doc)

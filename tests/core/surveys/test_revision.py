"""Revisions mark comparable, changed and new questions (the shipped GR survey)."""

from __future__ import annotations

from likvard_core.surveys.registry import builtin_definitions, revision_of
from likvard_core.surveys.revision import index_comparable


def test_gr_2025_revises_one_question_and_adds_one():
    versions = builtin_definitions()
    revision = revision_of(versions["gr-elev/2025"])
    assert revision.previous == "2024"
    assert revision.changed == ("F4",)  # four choices became three smileys
    assert revision.new == ("F10",)
    assert "F1" in revision.comparable
    assert "F4" not in revision.comparable
    indices = {i.key: i for i in versions["gr-elev/2025"].indices}
    assert index_comparable(revision, indices["trygghet"])
    assert not index_comparable(revision, indices["studiero"])


def test_first_version_has_only_new_questions():
    revision = revision_of(builtin_definitions()["gr-elev/2024"])
    assert revision.previous is None
    assert not revision.comparable
    assert "F1" in revision.new

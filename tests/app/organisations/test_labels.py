"""The labelling layer: every code a person meets has a Swedish name, codes only as extra text."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.utils import translation

from likvard.organisations import labels
from likvard.organisations.labels import LabelKind, label
from likvard_core.terms import Group, SchoolForm, ValueStatus


@pytest.fixture(autouse=True)
def _swedish():
    with translation.override("sv"):
        yield


@pytest.mark.parametrize(
    ("kind", "code", "name"),
    [
        ("subject", "MA", "Matematik"),
        ("subject", "BI", "Biologi"),
        ("subject", "SVA", "Svenska som andraspråk"),
        ("subject", "HKK", "Hem- och konsumentkunskap"),
        ("subject", "MATMAT01a", "Matematik 1a"),
        ("subject", "SVASVA03", "Svenska som andraspråk 3"),
        ("school_form", "anpassad_gymnasieskola", "Anpassad gymnasieskola"),
        ("school_form", "grundskola", "Grundskola"),
        ("group", "girls", "Flickor"),
        ("group", "parents_high", "Föräldrar med eftergymnasial utbildning"),
        ("status", "too_few", "För få elever för att visas"),
        ("organizer_type", "enskild", "Enskild"),
        ("level", "nation", "Riket"),
        ("audit_action", "read", "Läsning"),
        ("purpose", "quality.basis", "Analysunderlag"),
        ("purpose", "adjusted.organizer.year9", "Justerade resultat, huvudman"),
        ("table", "public_stats", "Officiell statistik från Skolverket"),
        ("table", "catalogue.json", "Kvalitetskatalogen som följer med Likvärd"),
        ("channel", "web", "Webb"),
    ],
)
def test_fixed_codes_have_swedish_names(kind, code, name):
    assert label(kind, code) == name


def test_every_code_of_the_shared_code_lists_has_a_name():
    """A new school form, group or status in ``likvard_core.terms`` needs its label here."""
    for kind, enum in (
        (LabelKind.SCHOOL_FORM, SchoolForm),
        (LabelKind.GROUP, Group),
        (LabelKind.STATUS, ValueStatus),
    ):
        for member in enum:
            assert label(kind, member.value) != member.value, (kind, member)


def test_unknown_codes_stay_visible_and_none_is_empty():
    assert label("subject", "XYZ") == "XYZ"
    assert label("purpose", "something.new") == "something.new"
    assert label("municipality", None) == ""


@pytest.mark.django_db
def test_organisations_are_named_from_the_reference_tables(world):
    assert labels.municipality_label("1384") == "Kungsbacka"
    assert labels.region_label("gr") == "Göteborgsregionen"
    assert labels.organizer_label("2120001256") == "Kungsbacka kommun"
    assert label("school_unit", world.own_unit.code) == world.own_unit.name
    assert labels.area_label("municipality", "1384") == "Kungsbacka"
    assert labels.area_label("region", "gr") == "Göteborgsregionen"
    assert labels.area_label("nation", "0000") == "Riket"
    assert labels.names("municipality", ["1384", "1481", "9999"]) == {
        "1384": "Kungsbacka",
        "1481": "Mölndal",
    }


@pytest.mark.django_db
def test_an_audit_scope_reads_as_words(world):
    assert labels.scope_label("organizers:2120001256") == "Kungsbacka kommun"
    assert (
        labels.scope_label("equity.grade_vs_test/grade_year:9/units:16/years:2016-2025")
        == "Årskurs 9 · 16 skolenheter · 2015/16\u20132024/25"
    )
    assert (
        labels.scope_label("quality.expected/organizer/years:[2025]/codes:2120001256")
        == "Huvudman · 2024/25 · Kungsbacka kommun"
    )
    assert labels.scope_label("movement.introduction/municipalities:1/years:all") == (
        "1 kommun · alla år"
    )
    # No years at all (an empty basis) and parts only the code needs are left out.
    assert labels.scope_label("quality.expected/school_unit/years:[]/codes:99999999") == (
        "Skolenhet · 99999999"
    )
    assert labels.scope_label("quality.indicators/organizer/years:2016-2025/basis:school") == (
        "Huvudman · 2015/16\u20132024/25"
    )


def test_years_are_written_as_years():
    assert labels.year_label(2027) == "2027"
    assert labels.school_year_label(2027) == "2026/27"
    assert labels.year_span_label(2027, 2029) == "2027\u20132029"
    assert labels.year_span_label(2027, 2027) == "2027"


@pytest.mark.django_db
def test_template_filters(world):
    rendered = Template(
        "{% load labels %}{{ s|label:'subject' }}|{{ m|label_code:'municipality' }}|"
        "{{ y|year }}|{{ y|school_year }}|{{ y }}"
    ).render(Context({"s": "SVA", "m": "1384", "y": 2027}))
    name, with_code, year, school_year, plain = rendered.split("|")
    assert name == "Svenska som andraspråk"
    assert with_code == 'Kungsbacka <span class="code muted">1384</span>'
    assert (year, school_year) == ("2027", "2026/27")
    assert plain != "2027", "Django's own rendering groups thousands: the filter is needed"


@pytest.mark.django_db
def test_the_api_gives_labels_next_to_codes(world):
    from django.test import Client

    world.own_unit.school_forms = ["anpassad_gymnasieskola"]
    world.own_unit.save()
    client = Client()
    client.force_login(world.users["administrator"])
    unit = client.get(f"/api/v1/organisations/school-units/{world.own_unit.code}").json()
    assert unit["school_forms"] == ["anpassad_gymnasieskola"]
    assert unit["school_form_labels"] == ["Anpassad gymnasieskola"]
    organizer = client.get("/api/v1/organisations/organizers/2120001256").json()
    assert (organizer["organizer_type"], organizer["organizer_type_label"]) == (
        "kommunal",
        "Kommunal",
    )
    assert organizer["municipality_name"] == "Kungsbacka"

"""The catalogue in the database: idempotent load, upload validation, revisions, local ones."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from likvard.access.policy import viewer_for
from likvard.quality.models import (
    CatalogueVersion,
    Goal,
    Indicator,
    IndicatorRevision,
    SuccessFactor,
)
from likvard.quality.services.catalogue import (
    CatalogueRejectedError,
    catalogue_load,
    catalogue_load_shipped,
)
from likvard.quality.services.catalogue_edit import (
    RevisionEntry,
    indicator_revise,
    local_indicator_create,
)
from likvard_core.analytics.quality.catalogue import DEFAULT_PATH, load_catalogue
from tests.app.conftest import World

SHIPPED = json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))


def _snapshot() -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = []
    for model in (Goal, SuccessFactor, Indicator, IndicatorRevision):
        rows += [tuple(r.values()) for r in model.objects.order_by("pk").values()]
    return rows


def test_load_covers_the_file_and_a_repeat_changes_nothing(world: World):
    first = catalogue_load_shipped()
    assert first.created
    shipped = load_catalogue()
    assert set(Goal.objects.values_list("school_form", flat=True)) >= {
        "forskola",
        "grundskola",
        "gymnasieskola",
    }
    assert Goal.objects.count() == len(shipped.goals)
    assert set(Indicator.objects.values_list("code", flat=True)) == set(shipped.indicator_codes())
    assert IndicatorRevision.objects.count() == len(shipped.indicators)
    before = _snapshot()
    again = catalogue_load_shipped()
    assert not again.created
    assert again.version == first.version
    assert _snapshot() == before
    assert CatalogueVersion.objects.count() == 1
    merit = IndicatorRevision.objects.get(indicator__code="gr9_merit_value")
    assert merit.is_candidate
    assert merit.kolada_kpi


def test_invalid_upload_lists_every_error_and_writes_nothing(world: World):
    broken = json.loads(json.dumps(SHIPPED))
    broken["indicators"][0]["unit"] = "furlongs"
    broken["indicators"][1]["direction"] = "sideways"
    with pytest.raises(CatalogueRejectedError) as caught:
        catalogue_load(data=json.dumps(broken).encode(), source_name="skolverket.json")
    assert len(caught.value.issues) >= 2
    assert all(issue.file == "skolverket.json" for issue in caught.value.issues)
    assert not Goal.objects.exists()
    assert not CatalogueVersion.objects.exists()


def test_upload_page_for_administrators(world: World):
    url = reverse("quality:catalogue-upload")
    analyst = Client()
    analyst.force_login(world.users["organizer_analyst"])
    assert analyst.get(url).status_code == 403
    admin = Client()
    admin.force_login(world.users["administrator"])
    broken = SimpleUploadedFile("lista.json", b'{"format": "fel"}', "application/json")
    response = admin.post(url, {"file": broken})
    assert response.status_code == 400
    assert "inget har ändrats" in response.content.decode().lower()
    assert not CatalogueVersion.objects.exists()
    revised = json.loads(json.dumps(SHIPPED))
    revised["version"] = "2027.1"
    old = next(i for i in revised["indicators"] if i["code"] == "gr9_merit_value")
    new = dict(old, valid_from=2027, definition="Summan av de 17 bästa betygen.")
    old["valid_to"] = 2026
    revised["indicators"].append(new)
    upload = SimpleUploadedFile("officiell.json", json.dumps(revised).encode(), "application/json")
    assert admin.post(url, {"file": upload}).status_code == 302
    version = CatalogueVersion.objects.get()
    assert version.official
    assert version.label == "2027.1"
    history = list(
        IndicatorRevision.objects.filter(indicator__code="gr9_merit_value").order_by("valid_from")
    )
    assert [(r.valid_from, r.valid_to) for r in history] == [
        (old["valid_from"], 2026),
        (2027, None),
    ]
    page = admin.get(reverse("quality:indicator-detail", args=["gr9_merit_value"]))
    assert "Summan av de 17 bästa betygen." in page.content.decode()


def _entry(name: str = "Andel elever med läsförståelse") -> RevisionEntry:
    return RevisionEntry(
        name=name,
        definition="Andel elever i åk 3 med minst godtagbar läsförståelse.",
        unit="percent",
        direction="higher_better",
        population="Elever i åk 3",
        data_source="none",
        school_forms=["grundskola"],
    )


def test_revision_keeps_history_and_only_administrators_revise(catalogue: World):
    indicator = Indicator.objects.get(code="gr9_pass_all")
    with pytest.raises(PermissionDenied):
        indicator_revise(
            viewer=viewer_for(catalogue.users["organizer_analyst"]),
            indicator=indicator,
            entry=_entry(),
            valid_from=2028,
        )
    indicator_revise(
        viewer=viewer_for(catalogue.users["administrator"]),
        indicator=indicator,
        entry=_entry("Ny lydelse"),
        valid_from=2028,
    )
    spans = [(r.valid_to, r.name) for r in indicator.revisions.order_by("valid_from")]
    assert spans[-2][0] == 2027
    assert spans[-1] == (None, "Ny lydelse")


def test_local_indicator_is_marked_and_scoped(catalogue: World):
    analyst = catalogue.users["organizer_analyst"]
    local = local_indicator_create(
        viewer=viewer_for(analyst),
        by=analyst,
        entry=_entry(),
        valid_from=2024,
        organizer=catalogue.own,
    )
    assert local.is_local
    assert local.code.startswith("lokal-2120001256")
    with pytest.raises(PermissionDenied):
        local_indicator_create(
            viewer=viewer_for(catalogue.users["other_analyst"]),
            by=catalogue.users["other_analyst"],
            entry=_entry(),
            valid_from=2024,
            organizer=catalogue.own,
        )
    client = Client()
    client.force_login(analyst)
    url = reverse("quality:catalogue-school-form", args=["grundskola"]) + "?year=2025"
    page = client.get(url).content.decode()
    assert "Andel elever med läsförståelse" in page
    assert "lokal" in page
    assert "kandidat – ej verifierad mot Skolverkets officiella lista" in page
    other = Client()
    other.force_login(catalogue.users["other_analyst"])
    assert "Andel elever med läsförståelse" not in other.get(url).content.decode()


def test_catalogue_pages_show_definitions(catalogue: World):
    client = Client()
    client.force_login(catalogue.users["network_member"])
    index = client.get(reverse("quality:catalogue")).content.decode()
    assert "Nationell målsättning för grundskolan" in index
    page = client.get(
        reverse("quality:catalogue-school-form", args=["grundskola"]) + "?year=2025"
    ).content.decode()
    revision = IndicatorRevision.objects.get(indicator__code="gr9_pass_all")
    assert revision.name in page
    assert revision.kolada_kpi in page
    assert (
        client.get(reverse("quality:catalogue-school-form", args=["finns-inte"])).status_code == 404
    )


def test_cli_loads_once_and_rejects_a_broken_file(world: World, tmp_path):
    from click.testing import CliRunner

    from likvard.cli.quality import quality

    first = CliRunner().invoke(quality, ["load-catalogue"])
    assert first.exit_code == 0, first.output
    assert "inläst" in first.output
    again = CliRunner().invoke(quality, ["load-catalogue"])
    assert "redan inläst, inget ändrades" in again.output
    broken = tmp_path / "fel.json"
    broken.write_text('{"format": "likvard-quality-catalogue/1"}', encoding="utf-8")
    result = CliRunner().invoke(quality, ["load-catalogue", str(broken)])
    assert result.exit_code == 1
    assert "fel.json:" in result.output
    assert "inget lästes in" in result.output
    assert CatalogueVersion.objects.count() == 1

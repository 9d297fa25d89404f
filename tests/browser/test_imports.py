"""An organizer analyst imports a student file: upload, preview, validation, commit, result."""

from __future__ import annotations

import random

import pytest
from playwright.sync_api import expect

from likvard.access.demo import demo_users_ensure
from likvard.organisations.models import Organizer, SchoolUnit
from likvard.organisations.services import reference_load
from tests.browser.conftest import AxePage
from tests.browser.test_shell import assert_swedish, sign_in
from tests.factories.warehouse import enrolment_file, personnummer


@pytest.fixture
def analyst_file(transactional_db, settings, tmp_path):
    settings.LIKVARD_WAREHOUSE_DIR = tmp_path / "warehouse"
    settings.MEDIA_ROOT = tmp_path / "media"
    reference_load()
    demo_users_ensure()
    kungsbacka = Organizer.objects.get(organisation_number="2120001256")
    unit = SchoolUnit.objects.filter(organizer=kungsbacka).order_by("code").first()
    assert unit is not None
    path = tmp_path / "elever-2024.csv"
    enrolment_file(
        path, organizer=kungsbacka.organisation_number, school_unit=unit.code, students=30
    )
    return path


def test_analyst_uploads_previews_and_commits(live_server, analyst_file, page: AxePage):
    sign_in(page, live_server.url, "analytiker")
    page.click_and_check("nav >> text=Importera en fil")
    expect(page.get_by_role("heading", level=1)).to_have_text("Importera en fil")
    assert_swedish(page)
    page.get_by_label("Inskrivna elever (15 oktober)").check()
    page.get_by_label("Fil", exact=True).set_input_files(str(analyst_file))
    page.click_and_check("main button[type=submit]")

    expect(page.get_by_role("heading", name="Förhandsvisning")).to_be_visible(timeout=30_000)
    expect(page.get_by_role("cell", name="skolenhetskod, 8 siffror")).to_be_visible()
    expect(page.get_by_role("button", name="Importera filen")).to_be_visible(timeout=60_000)
    page.check()  # the page after validation finished (htmx reloaded it)
    # (no assert_swedish here: the file's own headers, e.g. "skolform", are msgids too)
    page.screenshot_as("import-preview")

    page.click_and_check("button:has-text('Importera filen')")
    expect(page.get_by_text("Filen har importerats.")).to_be_visible(timeout=60_000)
    page.check()
    expect(page.get_by_role("row", name="Inskrivna elever (15 oktober) 30")).to_be_visible()
    page.screenshot_as("import-result")

    page.click_and_check("main >> text=Importhistorik")
    expect(page.locator("main tbody tr")).to_have_count(1)
    expect(page.locator("main tbody tr").first).to_contain_text("elever-2024.csv")
    assert_swedish(page)


@pytest.fixture
def region_admissions_file(transactional_db, settings, tmp_path):
    """GR's joint admissions file: applicants at two GR organizers' upper-secondary units."""
    settings.LIKVARD_WAREHOUSE_DIR = tmp_path / "warehouse"
    settings.MEDIA_ROOT = tmp_path / "media"
    reference_load()
    demo_users_ensure()
    units = [
        SchoolUnit.objects.filter(organizer__organisation_number=number).order_by("code").first()
        for number in ("2120001256", "2120001298")  # Kungsbacka, Mölndal
    ]
    assert all(unit is not None for unit in units)
    rng = random.Random(5)
    header = (
        "personnummer;antagningsår;antagningsomgång;hemkommun;val;skolenhetskod;program;antagen"
    )
    lines = [
        f"{personnummer(rng)};2025;slutlig;1384;1;{units[i % 2].code};NA;ja"  # type: ignore[union-attr]
        for i in range(12)
    ]
    path = tmp_path / "gymnasieantagningen-2025.csv"
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


def test_coordinator_imports_the_regions_joint_admissions_file(
    live_server, region_admissions_file, page: AxePage
):
    sign_in(page, live_server.url, "samordnare")
    page.click_and_check("nav >> text=Importera en fil")
    page.get_by_label("Ansökningar och antagning", exact=True).check()
    expect(page.get_by_label("Region (för antagningskansliets gemensamma fil)")).to_have_value("gr")
    page.get_by_label("Fil", exact=True).set_input_files(str(region_admissions_file))
    page.screenshot_as("import-region")
    page.click_and_check("main button[type=submit]")
    expect(page.get_by_role("button", name="Importera filen")).to_be_visible(timeout=60_000)
    page.check()
    page.click_and_check("button:has-text('Importera filen')")
    expect(page.get_by_text("Filen har importerats.")).to_be_visible(timeout=60_000)
    page.check()
    expect(page.get_by_role("row", name="Ansökningar och antagning 12")).to_be_visible()
    page.click_and_check("main >> text=Importhistorik")
    expect(page.locator("main tbody tr").first).to_contain_text("Göteborgsregionen")

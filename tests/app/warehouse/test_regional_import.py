"""A region's joint admissions file: its regional coordinator uploads it for the whole region;
every row must name a school unit in one of the region's municipalities."""

from __future__ import annotations

import random

import pytest
from click.testing import CliRunner
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from likvard.access.models import Role
from likvard.access.policy import viewer_for
from likvard.cli.imports import import_files
from likvard.warehouse.forms import UploadForm
from likvard.warehouse.jobs import import_upload
from likvard.warehouse.kinds import kind_option
from likvard.warehouse.models import BatchStatus, DataVersion, ImportBatch, ImportJob
from tests.app.conftest import World
from tests.factories.access import user_with_role
from tests.factories.organisations import (
    MunicipalityFactory,
    OrganizerFactory,
    RegionFactory,
    SchoolUnitFactory,
)
from tests.factories.warehouse import personnummer

pytestmark = pytest.mark.django_db

HEADER = "personnummer;antagningsår;antagningsomgång;hemkommun;val;skolenhetskod;program;antagen"


def _admissions(path, units: list[str]) -> list[str]:
    """One applicant per unit in ``units`` (file rows 2, 3, ...), admitted in the final round."""
    rng = random.Random(11)
    numbers = [personnummer(rng) for _ in units]
    lines = [
        f"{number};2025;slutlig;1384;1;{unit};NA;ja"
        for number, unit in zip(numbers, units, strict=True)
    ]
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return numbers


@pytest.fixture
def outside_unit(world: World) -> str:
    """A school unit in Borås, outside the region, of an independent organizer."""
    boras = MunicipalityFactory(code="1490", name="Borås")
    owner = OrganizerFactory(
        organisation_number="5560000001", name="Friskolan AB", organizer_type="enskild",
        municipality=boras,
    )  # fmt: skip
    return SchoolUnitFactory(code="87654321", organizer=owner, municipality=boras).code


def _upload(client: Client, path, **fields: str):
    with path.open("rb") as handle:
        return client.post(
            reverse("warehouse:import-start"), {"kind": "admissions", "file": handle, **fields}
        )


def test_the_coordinator_imports_the_regions_joint_file(world: World, import_dirs):
    path = import_dirs / "antagning-gr.csv"
    _admissions(path, [world.own_unit.code, world.other_unit.code, world.other_unit.code])
    client = Client()
    client.force_login(world.users["regional_coordinator"])
    form = client.get(reverse("warehouse:import-start")).content.decode()
    assert 'name="region"' in form
    assert "Göteborgsregionen" in form
    assert 'value="enrolments"' not in form  # only the joint file, not an organizer's files

    response = _upload(client, path, region="gr")
    job = ImportJob.objects.get()
    assert (job.region.code, job.organizer, job.issues) == ("gr", None, [])
    client.post(reverse("warehouse:job-commit", args=[job.pk]))
    batch = ImportBatch.objects.get()
    assert (batch.region.code, batch.organizer, batch.rows) == ("gr", None, {"admissions": 3})
    assert DataVersion.objects.count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "Göteborgsregionen" in page
    history = client.get(reverse("warehouse:import-history")).content.decode()
    assert "antagning-gr.csv" in history
    assert reverse("warehouse:batch-withdraw", args=[batch.pk]) in history
    analyst = Client()
    analyst.force_login(world.users["organizer_analyst"])
    assert (
        "antagning-gr.csv" not in analyst.get(reverse("warehouse:import-history")).content.decode()
    )


def test_a_unit_outside_the_region_is_named_and_nothing_is_imported(
    world: World, import_dirs, outside_unit
):
    path = import_dirs / "antagning-gr.csv"
    numbers = _admissions(path, [world.own_unit.code, outside_unit, world.other_unit.code])
    client = Client()
    client.force_login(world.users["regional_coordinator"])
    _upload(client, path, region="gr")
    job = ImportJob.objects.get()
    assert [(i["row"], i["column"], i["code"], i["value_hint"]) for i in job.issues] == [
        (3, "skolenhetskod", "outside_region", outside_unit)
    ]
    page = client.get(reverse("warehouse:job-detail", args=[job.pk])).content.decode()
    assert "skolenheten ligger inte i regionen" in page
    assert "regionens kommuner (Göteborgsregionen)" in page
    assert not any(number in str(job.issues) + page for number in numbers)
    client.post(reverse("warehouse:job-commit", args=[job.pk]))
    assert ImportBatch.objects.count() == 0


def test_only_the_regions_own_coordinator_and_only_admissions(world: World, import_dirs):
    RegionFactory(code="skaraborg", name="Skaraborg")
    stranger = user_with_role("skaraborg", Role.REGIONAL_COORDINATOR, region="skaraborg")
    path = import_dirs / "antagning.csv"
    _admissions(path, [world.own_unit.code])
    coordinator, analyst = world.users["regional_coordinator"], world.users["organizer_analyst"]
    refused = [
        (stranger, "admissions"),  # another region's coordinator
        (coordinator, "enrolments"),  # the region's coordinator, but an organizer's kind
        (analyst, "admissions"),  # an organizer analyst of the region
    ]
    for user, kind in refused:
        upload = SimpleUploadedFile("antagning.csv", path.read_bytes())
        with pytest.raises(PermissionDenied):
            import_upload(
                viewer=viewer_for(user), by=user, kind=kind, upload=upload, region=world.region
            )
    assert ImportJob.objects.count() == 0


def test_an_administrator_holds_no_regions_student_data(world: World, import_dirs):
    path = import_dirs / "antagning.csv"
    _admissions(path, [world.own_unit.code])
    admin = world.users["administrator"]
    client = Client()
    client.force_login(admin)
    assert 'name="region"' not in client.get(reverse("warehouse:import-start")).content.decode()
    with pytest.raises(PermissionDenied):
        import_upload(
            viewer=viewer_for(admin), by=admin, kind="admissions",
            upload=SimpleUploadedFile("antagning.csv", path.read_bytes()), region=world.region,
        )  # fmt: skip
    assert ImportJob.objects.count() == 0


def test_the_form_takes_a_region_for_the_joint_file_only(world: World):
    def form(kind: str, region: str) -> UploadForm:
        upload = SimpleUploadedFile("antagning.csv", b"x")
        return UploadForm(
            {"kind": kind, "organizer": world.own.organisation_number, "region": region},
            {"file": upload},
            kinds=[kind_option("enrolments"), kind_option("admissions")],
            organizers=[(world.own.organisation_number, world.own.name)],
            regions=[("gr", "Göteborgsregionen")],
        )

    assert form("admissions", "gr").is_valid()
    assert form("enrolments", "").is_valid()  # the organizer's own file
    refused = form("enrolments", "gr")
    assert not refused.is_valid()
    assert refused.errors["region"] == [
        "Bara antagningskansliets filer kan importeras för en hel region."
    ]


def test_the_cli_imports_for_a_region(world: World, import_dirs, outside_unit):
    path = import_dirs / "antagning.csv"
    _admissions(path, [world.own_unit.code, world.other_unit.code])
    runner = CliRunner()
    done = runner.invoke(import_files, ["admissions", str(path), "--region", "gr"])
    assert done.exit_code == 0, done.output
    assert ImportBatch.objects.get().region.code == "gr"
    assert ImportBatch.objects.get().status == BatchStatus.COMMITTED
    wrong_kind = runner.invoke(import_files, ["enrolments", str(path), "--region", "gr"])
    assert wrong_kind.exit_code == 2
    bad = import_dirs / "antagning-2.csv"
    _admissions(bad, [outside_unit])
    refused = runner.invoke(import_files, ["admissions", str(bad), "--region", "gr"])
    assert refused.exit_code == 1
    assert "antagning-2.csv:2:skolenhetskod: skolenheten ligger inte i regionen" in refused.output

"""A warm-up after an import decides again only what the import changed (issue #18).

The gate keys a joint decision on the cells it reads, not on the data version, so a region whose
figures an import left alone keeps its decisions: the warm-up decides nothing for it, the
decisions it reads are renewed (and so kept by the file cache's sweep), and what its pages show
equals deciding anew. An import into the region itself is decided again.
"""

from __future__ import annotations

import time
from pathlib import Path

import pyarrow as pa
import pytest
from django.core.cache import cache, caches
from django.test import Client
from django.urls import reverse

from likvard.access import release as gate
from likvard.access.policy import ANONYMOUS
from likvard.analyses.equity import services as equity
from likvard.analyses.equity.kept import RELEASES, SLICES
from likvard.organisations.models import Municipality, Organizer, Region
from likvard.warehouse import warm
from likvard.warehouse.services import batch_import
from tests.app.analyses.conftest import _student_files, warehouse  # noqa: F401 (fixture)
from tests.app.conftest import World
from tests.app.opendata.conftest import region_world  # noqa: F401 (fixture)
from tests.app.quality.conftest import small_unit  # noqa: F401 (fixture)
from tests.factories.organisations import RegionFactory, SchoolUnitFactory

INCIDENTS = "skolenhetskod;ärendenummer;anmäld;typ;utredd;åtgärdad;avslutad"


@pytest.fixture
def two_regions(region_world: World, settings, tmp_path: Path) -> World:  # noqa: F811
    """``region_world`` with Skövde in a region of its own (Skaraborg) and incident reports at
    a unit of each region, warmed once."""
    region = RegionFactory(code="skaraborg", name="Skaraborg")
    region.municipalities.set([Municipality.objects.get(code="1496")])
    _incidents(tmp_path, "65390344", 12, "a")  # Björkris skola, Kungsbacka (GR)
    _incidents(tmp_path, "65390347", 8, "a")  # Skövdeskolan (Skaraborg)
    settings.LIKVARD_WARM_AFTER_IMPORT = True
    cache.clear()
    warm.warm_version()
    return region_world


def _incidents(tmp_path: Path, unit: str, n: int, batch: str) -> None:
    """``n`` incident reports at ``unit`` in 2024/25 (its organizer's file)."""
    rows = [
        f"{unit};K-{batch}-{i};2024-10-01;elev mot elev;{'2024-10-04' if i % 2 else ''};;"
        for i in range(n)
    ]
    path = tmp_path / f"kr-{unit}-{batch}.csv"
    path.write_text("\n".join([INCIDENTS, *rows]) + "\n", encoding="utf-8")
    owner = Organizer.objects.get(school_units__code=unit)
    batch_import(path=path, kind="incidents", by=None, organizer=owner)


def _organizers(code: str) -> frozenset[str]:
    municipalities = Region.objects.get(code=code).municipalities.all()
    return frozenset(
        Organizer.objects.filter(school_units__municipality__in=municipalities)
        .values_list("organisation_number", flat=True)
        .distinct()
    )


@pytest.fixture
def decided(monkeypatch) -> list[frozenset[str]]:
    """The organizers of every cube the gate decides (rather than finds decided)."""
    cubes: list[frozenset[str]] = []
    real = gate.suppress_cube

    def counting(cube, **kwargs):
        cubes.append(frozenset(o for a in cube.values() for o in a.population.organizers))
        return real(cube, **kwargs)

    monkeypatch.setattr(gate, "suppress_cube", counting)
    return cubes


def _import_unit(tmp_path: Path, world: World, *, code: str, organizer: str, seed: int) -> None:
    """A new year-9 unit of ``organizer`` with 40 students: its enrolments, grades and tests."""
    owner = Organizer.objects.get(organisation_number=organizer)
    where = {"2120001637": "1496", "2120001256": "1384"}[organizer]  # Skövde, Kungsbacka
    SchoolUnitFactory(code=code, name=f"Enhet {code}", organizer=owner,
                      municipality=Municipality.objects.get(code=where))  # fmt: skip
    files = _student_files(tmp_path, world, unit=code, organizer=organizer, seed=seed,
                           higher=20, students=40)  # fmt: skip
    for path, kind in zip(files[:3], ("enrolments", "final_grades", "national_tests"), strict=True):
        batch_import(path=path, kind=kind, by=None, organizer=owner)


def _gr_equity() -> list[pa.Table]:
    gr = Region.objects.get(code="gr")
    SLICES.clear()
    RELEASES.clear()
    reports = [
        equity.region_equity_report(viewer=ANONYMOUS, region=gr, grade_year=year)
        for year in equity.GRADE_YEARS
    ]
    return [r.yearly.table for r in reports]


@pytest.mark.django_db
def test_another_regions_import_decides_nothing_for_this_region(
    two_regions: World, decided: list[frozenset[str]], tmp_path: Path
) -> None:
    """Skövde's incidents change no cell of GR's cubes (equity, completion, open data)."""
    gr = _organizers("gr")
    _incidents(tmp_path, "65390347", 5, "b")  # Skövde's next file
    warm.warm_version()
    assert any(c and not c <= gr for c in decided), "Skaraborg's changed cube is decided"
    assert not [c for c in decided if c and c <= gr], "no cube of GR is decided again"


@pytest.mark.django_db
def test_an_import_into_the_region_decides_it_again(
    two_regions: World, decided: list[frozenset[str]], tmp_path: Path
) -> None:
    gr = _organizers("gr")
    _incidents(tmp_path, "65390344", 5, "b")  # Kungsbacka's next file
    warm.warm_version()
    assert [c for c in decided if c and c <= gr], "GR's incident cube changed: decided again"


@pytest.mark.django_db
def test_reused_decisions_equal_deciding_anew(two_regions: World, tmp_path: Path) -> None:
    """Skövde's new unit changes the national comparison: some of GR's cubes are decided again
    and the others reused; GR's pages equal deciding everything anew."""
    _import_unit(tmp_path, two_regions, code="65390348", organizer="2120001637", seed=21)
    warm.warm_version()
    reused = _gr_equity()
    cache.clear()
    anew = _gr_equity()
    assert [t.to_pylist() for t in reused] == [t.to_pylist() for t in anew]
    assert any(t.num_rows for t in anew)


@pytest.mark.django_db
def test_the_sweep_keeps_reused_decisions(
    region_world: World,  # noqa: F811
    settings,
    tmp_path: Path,
    monkeypatch,
) -> None:
    """With the file cache (the demo's), the pages of the unchanged region still decide nothing
    after the sweep that follows the second warm-up."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 20000},  # the demo's (base.py), not Django's 300
        },
    }
    RegionFactory(code="skaraborg", name="Skaraborg").municipalities.set(
        [Municipality.objects.get(code="1496")]
    )
    settings.LIKVARD_WARM_AFTER_IMPORT = True
    warm.warm_version()
    _incidents(tmp_path, "65390347", 5, "b")
    assert warm.warm_version()
    SLICES.clear()  # a web process other than the worker's: only the shared cache is warm
    RELEASES.clear()
    decided: list[int] = []
    real = gate.suppress_cube

    def counting(*args, **kwargs):
        decided.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(gate, "suppress_cube", counting)
    client = Client()
    client.force_login(region_world.users["regional_coordinator"])
    for url in (reverse("analyses:equity-region", args=["gr"]),
                reverse("analyses:completion-region", args=["gr"]),
                reverse("analyses:incidents-region", args=["gr"])):  # fmt: skip
        assert client.get(url).status_code == 200, url
        assert decided == [], url


def test_a_warm_up_renews_the_decisions_it_reads() -> None:
    key = warm.DECISION_PREFIX + "abc"
    backend = caches["default"]
    backend.set(key, {"table": ["exists"]}, 1)
    backend.set("other", 1, 1)
    with warm.decisions_renewed() as renewed:
        assert backend.get(key) == {"table": ["exists"]}
        assert backend.get("other") == 1
        assert backend.get(warm.DECISION_PREFIX + "missing") is None
    assert renewed == [key]
    assert "get" not in vars(backend)
    time.sleep(1.1)
    assert backend.get(key) == {"table": ["exists"]}, "its expiry started anew"
    assert backend.get("other") is None

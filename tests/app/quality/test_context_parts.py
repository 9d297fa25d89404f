"""The national context's values kept one part per school year (issue #18): an import links
the previous version's parts of every year it does not touch, writes only the changed years'
parts (and the fits only when the context's own year changed), and every kept table equals
the one computed anew; the readers give the rows of every year in the kept order."""

from __future__ import annotations

import os
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from django.conf import settings as django_settings

from likvard.quality.services import basis_context as service
from likvard.quality.services.basis import _school_municipalities
from likvard.quality.warm import warm_quality
from likvard.warehouse.selectors import VersionRef, data_version_newest, version_mark_complete
from likvard.warehouse.services import batch_import
from likvard_core.analytics.quality import context_update
from likvard_core.analytics.quality.basis_context import basis_context
from likvard_core.analytics.quality.basis_store import context_tables
from likvard_core.warehouse.derived import DERIVED_DIR, derived_path
from tests.app.analyses.conftest import warehouse  # noqa: F401  (fixture)
from tests.app.conftest import World
from tests.factories.warehouse import enrolment_file

YEAR = 2025


def _import(world: World, tmp: Path, year: str, seed: int, *, grades: bool) -> None:
    """The own unit's enrolments of ``year`` and maybe their final grades."""
    unit = world.own_unit.code
    path = tmp / f"elever-{seed}.csv"
    numbers = enrolment_file(
        path, organizer=world.own.organisation_number, school_unit=unit, students=15,
        seed=seed, year=year,
    )  # fmt: skip
    batch_import(path=path, kind="enrolments", by=None, organizer=world.own)
    if grades:
        rows = ["personnummer;läsår;skolenhetskod;årskurs;ämne;betyg"]
        rows += [f"{p};{year};{unit};9;MA;{'ABCDE'[i % 5]}" for i, p in enumerate(numbers)]
        grade_path = tmp / f"betyg-{seed}.csv"
        grade_path.write_text("\n".join(rows) + "\n", encoding="utf-8")
        batch_import(path=grade_path, kind="final_grades", by=None, organizer=world.own)


def _files(version: VersionRef) -> dict[str, Path]:
    folder = Path(django_settings.LIKVARD_WAREHOUSE_DIR) / DERIVED_DIR / version.key
    return {p.name: p for p in folder.glob("quality_context_*.parquet")}


def _names(version: VersionRef, placement: dict[str, str]) -> tuple[dict[int, str], list[str]]:
    """The file names of the values' part of each year, and of the fits."""
    key = service._key(YEAR, placement)
    params = service._params(key, placement)
    root, digest = Path("."), "0" * 24

    def name(table: str, p: dict[str, object]) -> str:
        return derived_path(root, digest, table, p).name

    parts = {y: name(service.VALUES, service._year_params(params, y)) for y in key.years}
    return parts, [name(n, params) for n in service.FITS]


def _same_as_anew(version: VersionRef) -> None:
    anew = VersionRef(label=f"anew-{version.label}", files=version.files)
    warm_quality(anew)
    kept, fresh = _files(version), _files(anew)
    assert sorted(kept) == sorted(fresh)
    for name, path in kept.items():
        assert pq.read_table(path).equals(pq.read_table(fresh[name])), name


@pytest.mark.django_db
def test_an_import_writes_only_its_years_parts(warehouse: World, tmp_path, monkeypatch):  # noqa: F811
    world = warehouse
    _import(world, tmp_path, "2023/24", seed=5, grades=True)
    first = data_version_newest()
    assert warm_quality(first) == YEAR
    version_mark_complete(first, warmed=["quality"])
    placement = _school_municipalities()
    parts, fits = _names(first, placement)
    assert set(parts.values()) | set(fits) == set(_files(first))  # no whole values table

    updated: list[list[int]] = []
    real = context_update.context_years_updated

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        updated.append(sorted(kwargs["years"]))
        return real(*args, **kwargs)

    monkeypatch.setattr(service, "context_years_updated", spy)

    _import(world, tmp_path, "2023/24", seed=6, grades=True)  # an older year: 2024
    second = data_version_newest()
    assert warm_quality(second, previous=first) == YEAR
    assert updated == [[2024]]
    before, after = _files(first), _files(second)
    linked = {n for n in after if os.path.samefile(before[n], after[n])}
    assert linked == (set(parts.values()) | set(fits)) - {parts[2024]}
    assert (
        pc.sum(pq.read_table(after[parts[2024]]).column("n")).as_py()
        > pc.sum(pq.read_table(before[parts[2024]]).column("n")).as_py()
    )
    version_mark_complete(second, warmed=["quality"])
    _same_as_anew(second)

    _import(world, tmp_path, "2024/25", seed=7, grades=True)  # the context's own year
    third = data_version_newest()
    assert warm_quality(third, previous=second) == YEAR
    assert updated == [[2024], [2025]]
    before, after = _files(second), _files(third)
    linked = {n for n in after if os.path.samefile(before[n], after[n])}
    assert linked == set(parts.values()) - {parts[2025]}
    _same_as_anew(third)


@pytest.mark.django_db
def test_the_readers_give_every_years_rows_in_the_kept_order(warehouse: World, tmp_path):  # noqa: F811
    world = warehouse
    _import(world, tmp_path, "2023/24", seed=5, grades=True)
    version = data_version_newest()
    placement = _school_municipalities()
    assert warm_quality(version) == YEAR
    units, organizers = [world.own_unit.code], [world.own.organisation_number]
    members = ["1384", "1481"]
    read = service.region_values_get(
        version=version, year=YEAR, school_municipalities=placement,
        units=units, organizers=organizers, members=members,
    )  # fmt: skip
    with version.open() as db:
        context = basis_context(db, year=YEAR, trend_years=service.TREND_YEARS,
                                school_municipalities=placement or None)  # fmt: skip
    whole = context_tables(context)["values"]
    level, code = whole.column("level"), whole.column("code")
    wanted = [
        pc.and_(pc.is_in(level, pa.array(["school_unit", "unit_organizer"])),
                pc.is_in(code, pa.array(units))),
        pc.and_(pc.equal(level, "organizer"), pc.is_in(code, pa.array(organizers))),
        pc.and_(pc.equal(level, "municipality"), pc.is_in(code, pa.array(members))),
        pc.equal(level, "nation"),
    ]  # fmt: skip
    expected = pa.concat_tables([whole.filter(w) for w in wanted])
    assert {2024, 2025} <= set(read.column("school_year").to_pylist())
    assert read.equals(expected)

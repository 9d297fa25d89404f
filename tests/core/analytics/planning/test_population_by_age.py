"""The demo's population by age: importable, deterministic, consistent with the demo's cohorts."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest

from likvard_core.analytics.planning.cohorts import cohort_forecast
from likvard_core.ingest.kinds.base import Context
from likvard_core.ingest.kinds.population import PopulationKind
from likvard_core.synth.population_by_age import (
    MAX_AGE,
    population_by_age,
    write_population_by_age,
)
from likvard_core.synth.world import World, build_world
from likvard_core.warehouse.snapshot import Snapshot

REFERENCE_DIR = Path(__file__).resolve().parents[4] / "src/likvard/organisations/reference_data"
YEARS = range(2022, 2026)
SCALE = 0.03


@pytest.fixture(scope="module")
def world() -> World:
    return build_world(REFERENCE_DIR, seed=7, years=YEARS, scale=SCALE)


def test_file_imports_with_the_population_kind(world: World, tmp_path: Path):
    path = tmp_path / "population.csv"
    rows = write_population_by_age(world, YEARS, path, scale=SCALE)
    ctx = Context(file=path.name, pseudonymise=str)
    table = PopulationKind().read(path, ctx)["population"]
    assert not ctx.log
    n_muni = len(world.municipalities.codes)
    assert rows == table.num_rows == len(YEARS) * n_muni * (MAX_AGE + 1) * 2
    assert set(table.column("gender").to_pylist()) == {"F", "M"}
    again = tmp_path / "again.csv"
    write_population_by_age(world, YEARS, again, scale=SCALE)
    assert again.read_bytes() == path.read_bytes()


def test_drawn_cohorts_match_the_demo_students(world: World):
    columns = population_by_age(world, YEARS, scale=SCALE)
    students = world.students
    year, age = 2024, 15  # birth year 2009 is drawn by the world
    here = students.present(year + 1) & (students.birth_year == year - age)
    expected = int(here.sum())
    pick = (columns["year"] == year) & (columns["age"] == age)
    assert int(columns["persons"][pick].sum()) == expected


def test_forecast_on_the_demo_population_is_plausible(world: World):
    table = pa.table(population_by_age(world, YEARS, scale=SCALE))
    codes = list(world.municipalities.codes)
    with Snapshot.from_tables({"population": table}, "demo") as db:
        forecast = cohort_forecast(db, municipalities=codes, from_year=2025, horizon=10)
    by_year = forecast.table.group_by("year").aggregate([("cohort", "sum")]).to_pylist()
    totals = np.array([r["cohort_sum"] for r in sorted(by_year, key=lambda r: r["year"])])
    assert totals.size == 11
    # net in-migration of the born abroad: cohorts grow on their way to 16, never halve
    factors = forecast.table.column("migration_factor").to_numpy()
    assert (factors >= 0.9).all()
    assert (factors < 1.6).all()
    assert totals.min() > 0.5 * totals.max()

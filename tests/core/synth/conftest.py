"""Fixtures of the synth tests: the shipped reference folder and small generated demos."""

from __future__ import annotations

from pathlib import Path

import pytest

from likvard_core.synth.demo import DemoFile, demo_region_files

REFERENCE_DIR = (
    Path(__file__).resolve().parents[3] / "src" / "likvard" / "organisations" / "reference_data"
)


@pytest.fixture(scope="session")
def reference_dir() -> Path:
    """The reference data shipped with the Django app (plain CSV files)."""
    return REFERENCE_DIR


@pytest.fixture(scope="session")
def tiny_demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[DemoFile]]:
    """A demo at scale 0.03 over two school years."""
    out = tmp_path_factory.mktemp("tiny-demo")
    return out, demo_region_files(REFERENCE_DIR, out, seed=7, years=range(2024, 2026), scale=0.03)


@pytest.fixture(scope="session")
def moderate_demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[DemoFile]]:
    """A demo at scale 0.3 (about 15 000 students a year) over two school years."""
    out = tmp_path_factory.mktemp("moderate-demo")
    return out, demo_region_files(REFERENCE_DIR, out, years=range(2024, 2026), scale=0.3)

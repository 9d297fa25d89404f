"""Every analysis has the same parts in the same places (ADR 0012)."""

from __future__ import annotations

from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[3] / "src"
DJANGO_SIDE = SRC / "likvard" / "analyses"
CORE_SIDE = SRC / "likvard_core" / "analytics"
TESTS = Path(__file__).resolve().parents[2]

# An analysis's Django half: a module or a package of that name.
DJANGO_PARTS = ("services", "views", "api", "urls")


def _analyses() -> list[str]:
    return sorted(
        p.name
        for p in DJANGO_SIDE.iterdir()
        if p.is_dir() and (p / "__init__.py").exists() and p.name != "migrations"
    )


def _has(package: Path, part: str) -> bool:
    return (package / f"{part}.py").exists() or (package / part / "__init__.py").exists()


def test_the_known_analyses_are_all_in_one_folder():
    assert {"equity", "adjusted", "completion", "movement", "planning"} <= set(_analyses())
    for old in ("movement", "planning"):
        # Code, not folders: an old checkout may keep compiled catalogues git does not track.
        assert not list((SRC / "likvard" / old).rglob("*.py")), f"{old} belongs in analyses/"
        assert not list((SRC / "likvard_core" / old).rglob("*.py")), f"{old} belongs in analytics/"
    assert not list((SRC / "likvard_core" / "quality").rglob("*.py")), "quality: see analytics/"


@pytest.mark.parametrize("name", _analyses())
def test_each_analysis_has_its_parts_in_both_halves(name: str):
    package = DJANGO_SIDE / name
    missing = [part for part in DJANGO_PARTS if not _has(package, part)]
    assert not missing, f"likvard/analyses/{name} lacks {missing}"
    assert (CORE_SIDE / name / "__init__.py").exists(), f"likvard_core/analytics/{name} missing"
    templates = [package / "templates" / name, DJANGO_SIDE / "templates" / "analyses" / name]
    assert any(t.is_dir() for t in templates), f"no templates/{name}/ for {name}"
    assert (TESTS / "app" / "analyses" / name).is_dir(), f"tests/app/analyses/{name} missing"
    assert (TESTS / "core" / "analytics" / name).is_dir(), f"tests/core/analytics/{name} missing"

"""The release warm-up decides the pages people open first first, and says what each analysis
and region took (issue #18)."""

from __future__ import annotations

import dataclasses
import logging
from types import SimpleNamespace

import pytest

from likvard.access.audit import audit_reads_withheld_now
from likvard.access.policy import Viewer, viewer_for
from likvard.analyses import warm
from likvard.warehouse import warm as warehouse_warm
from likvard.warehouse.selectors import VersionRef
from tests.app.conftest import World


def test_the_map_is_decided_first_and_open_data_last() -> None:
    names = warehouse_warm.registered_warmers()
    order = [names.index(f"release.{name}") for name in ("movement", "analyses", "opendata")]
    assert order == sorted(order)
    assert names.index("release.movement") > names.index("movement")  # after the kept tables


def test_every_region_gets_an_analysis_before_the_next_and_each_part_is_timed(
    monkeypatch, caplog
) -> None:
    regions = [SimpleNamespace(code="gr"), SimpleNamespace(code="skaraborg")]
    done: list[tuple[str, str]] = []
    monkeypatch.setattr(warm, "_regions", lambda: regions)
    parts = tuple(
        (name, lambda region, viewer, _name=name: done.append((_name, region.code)))
        for name, _decide in warm.RELEASE_PARTS
    )
    monkeypatch.setattr(warm, "RELEASE_PARTS", parts)
    monkeypatch.setattr(warm, "owner_classes_active", lambda limit: [])
    monkeypatch.setattr(warm, "_health_classes", lambda limit: [])
    version = VersionRef(label="v7", files={"enrolments": ["a.parquet"]}, number=7)
    with caplog.at_level(logging.INFO, logger="likvard.analyses.warm"):
        assert warm.warm_region_releases(version) == 2
    analyses = [name for name, _decide in parts]
    assert analyses[:2] == ["equity", "completion"]
    assert done == [(name, code) for name in analyses for code in ("gr", "skaraborg")]
    logged = [r.getMessage() for r in caplog.records]
    assert len(logged) == len(done)
    assert logged[0].startswith("warmed release equity/gr for v7 in ")


def test_owner_classes_are_decided_after_everyone_in_their_own_regions_reads_withheld(
    monkeypatch, caplog
) -> None:
    """An organizer's analyst's own cubes are decided for their class after the anonymous
    class's pages, only in the regions of their organizers, then a student health team's
    warning lists, and nobody is audited for it."""
    regions = [SimpleNamespace(code="gr"), SimpleNamespace(code="skaraborg")]
    owner = Viewer(
        None, "analytiker", frozenset(), frozenset(), frozenset({"2120001256"}), frozenset()
    )
    nurse = Viewer(
        None, "elevhalsa", frozenset(), frozenset(), frozenset(), frozenset(),
        health_units=frozenset({"41358402"}),
    )  # fmt: skip
    done: list[tuple[str, str, str, bool]] = []

    def part(name: str) -> object:
        return lambda region, viewer: done.append(
            (name, region.code, viewer.username, audit_reads_withheld_now())
        )

    monkeypatch.setattr(warm, "_regions", lambda: regions)
    monkeypatch.setattr(warm, "RELEASE_PARTS", tuple((n, part(n)) for n, _ in warm.RELEASE_PARTS))
    monkeypatch.setattr(warm, "owner_classes_active", lambda limit: [owner])
    monkeypatch.setattr(warm, "_owned_regions", lambda viewer, regions: regions[:1])
    monkeypatch.setattr(
        warm,
        "_own_pages",
        lambda viewer: done.append(("own", "", viewer.username, audit_reads_withheld_now())),
    )
    monkeypatch.setattr(warm, "_health_classes", lambda limit: [nurse])
    monkeypatch.setattr(
        warm,
        "_warning_lists",
        lambda viewer, codes: done.append(
            ("warning", ",".join(sorted(codes)), viewer.username, audit_reads_withheld_now())
        ),
    )
    version = VersionRef(label="v7", files={"enrolments": ["a.parquet"]}, number=7)
    with caplog.at_level(logging.INFO, logger="likvard.analyses.warm"):
        warm.warm_region_releases(version)
    analyses = [name for name, _decide in warm.RELEASE_PARTS]
    everyone = [(n, c, "", False) for n in analyses for c in ("gr", "skaraborg")]
    owners = [(n, "gr", "analytiker", True) for n in analyses]
    own = ("own", "", "analytiker", True)
    assert done == [*everyone, *owners, own, ("warning", "41358402", "elevhalsa", True)]
    messages = [r.getMessage() for r in caplog.records]
    assert messages[-3].startswith("warmed release owner class 1/gr for v7")
    assert messages[-2].startswith("warmed release owner class 1/own pages for v7")
    assert messages[-1].startswith("warmed release health class 1/warning lists for v7")


@pytest.mark.django_db
def test_an_owner_class_is_warmed_in_the_regions_of_its_organizers_and_units(world: World):
    analyst = viewer_for(world.users["organizer_analyst"])
    principal = viewer_for(world.users["principal"])
    elsewhere = dataclasses.replace(analyst, organizers=frozenset({"2021000001"}))
    assert warm._owned_regions(analyst, [world.region]) == [world.region]
    assert warm._owned_regions(principal, [world.region]) == [world.region]
    assert warm._owned_regions(elsewhere, [world.region]) == []

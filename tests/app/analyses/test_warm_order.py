"""The release warm-up decides the pages people open first first, and says what each analysis
and region took (issue #18)."""

from __future__ import annotations

import logging
from types import SimpleNamespace

from likvard.analyses import warm
from likvard.warehouse import warm as warehouse_warm
from likvard.warehouse.selectors import VersionRef


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
        (name, lambda region, _name=name: done.append((_name, region.code)))
        for name, _decide in warm.RELEASE_PARTS
    )
    monkeypatch.setattr(warm, "RELEASE_PARTS", parts)
    version = VersionRef(label="v7", files={"enrolments": ["a.parquet"]}, number=7)
    with caplog.at_level(logging.INFO, logger="likvard.analyses.warm"):
        assert warm.warm_region_releases(version) == 2
    analyses = [name for name, _decide in parts]
    assert analyses[:2] == ["equity", "completion"]
    assert done == [(name, code) for name in analyses for code in ("gr", "skaraborg")]
    logged = [r.getMessage() for r in caplog.records]
    assert len(logged) == len(done)
    assert logged[0].startswith("warmed release equity/gr for v7 in ")

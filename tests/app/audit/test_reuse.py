"""An audit reuses the LPs of figures solved before only when it gathered exactly them."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import pyarrow as pa
import pytest
from click.testing import CliRunner
from django.core.cache import cache

from likvard.access.policy import Viewer, viewer_for
from likvard.access.release import Released, release
from likvard.audit import gather as gathering
from likvard.audit import services
from likvard.audit.catalogue import DEFINITIONS, Definition
from likvard.cli import audit as cli_audit
from likvard.organisations.models import Region
from likvard_core.audit.audit import AuditResult, Summary
from likvard_core.audit.model import (
    Balance,
    Grouping,
    Hierarchy,
    NotApplicable,
    Reconcile,
    Reference,
    ReleasedTable,
    Span,
    Total,
)
from likvard_core.disclosure.aggregate import Aggregate, Level, Population
from tests.app.conftest import World

_SMALL = {"n": 3}
"""The hidden municipality's count: a test changes it to change the figures."""


@dataclass(frozen=True)
class _Report:
    cells: Released


def _report(*, viewer: Viewer, region: Region) -> _Report:
    """Answers per municipality of Kungsbacka's students (its analyst sees them in full)."""
    small = _SMALL["n"]
    table = pa.table({"municipality_code": ["1384", "1481", None], "n": [40, small, 40 + small]})
    aggregate = Aggregate(
        table=table,
        dims=("municipality_code",),
        count="n",
        values=(),
        population=Population(
            scope="survey", organizers=frozenset({"2120001256"}), level=Level.REGION
        ),
        data_version="v1",
        margins=("municipality_code",),
    )
    return _Report(release(aggregate, viewer=viewer, purpose="survey.region"))


@pytest.fixture
def one_source(monkeypatch):
    monkeypatch.setitem(
        DEFINITIONS,
        "survey.cells",
        Definition(counts=("n",), totals={"municipality_code": Total(None, complete=True)}),
    )
    monkeypatch.setattr(
        gathering, "SOURCES", [gathering.Source("survey", _report, {"cells": "survey.cells"})]
    )
    solves: list[int] = []
    real = services.audit

    def counted(*args, **kwargs):
        solves.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "audit", counted)
    monkeypatch.setattr(services, "_SOLVED", {})
    monkeypatch.setitem(_SMALL, "n", 3)
    cache.clear()
    return solves


def _run(world: World, role: str):
    viewer = viewer_for(world.users[role])
    return services.disclosure_audit(viewer=viewer, region=world.region, only={"survey"})


@pytest.mark.django_db
def test_a_viewer_with_the_same_figures_reuses_the_solved_lps_in_a_later_run(
    world: World, one_source, monkeypatch
):
    first = _run(world, "network_member")
    monkeypatch.setattr(services, "_SOLVED", {})  # another process: only the cache is left
    second = _run(world, "network_secretary")
    assert len(one_source) == 1
    assert (first.solved_for, second.solved_for) == (None, "medlem")
    assert second.fingerprint == first.fingerprint
    assert second.result == first.result
    (summary,) = second.result.summaries
    assert (summary.released, summary.hidden) == (1, 2)


@pytest.mark.django_db
def test_a_viewer_who_sees_other_figures_is_solved_again(world: World, one_source):
    member = _run(world, "network_member")
    analyst = _run(world, "organizer_analyst")  # Kungsbacka's own: every figure in full
    assert len(one_source) == 2
    assert analyst.solved_for is None
    assert analyst.fingerprint != member.fingerprint
    (summary,) = analyst.result.summaries
    assert (summary.released, summary.hidden) == (3, 0)


@pytest.mark.django_db
def test_changed_figures_are_solved_again(world: World, one_source, monkeypatch):
    before = _run(world, "network_member")
    monkeypatch.setitem(_SMALL, "n", 4)
    after = _run(world, "network_member")
    assert len(one_source) == 2
    assert after.solved_for is None
    assert after.fingerprint != before.fingerprint


def test_the_fingerprint_is_the_same_in_every_process_and_names_the_protection():
    # A set's order follows the process's string hashes: sorted, so that another run of the
    # same figures finds the solved result.
    assert services._canonical(frozenset({"b", "a"})) == ("set", ["a", "b"])
    rows = [{"d": "x", "n": 12, "status": "exists"}]
    table = ReleasedTable(
        analysis="a", name="t", family="f", dims=("d",), counts=("n",), rows=rows, min_group=5,
        constants={"s": frozenset({"p", "q"})},
    )  # fmt: skip
    gathered = gathering.Gathered(tables=[table], hierarchy=Hierarchy())
    assert services.fingerprint(gathered, 1.0) == services.fingerprint(gathered, 1.0)
    assert services.fingerprint(gathered, 1.0) != services.fingerprint(gathered, 2.0)


def _fingerprint(table: ReleasedTable) -> str:
    return services.fingerprint(gathering.Gathered(tables=[table], hierarchy=Hierarchy()), 1.0)


def _survey(**values: object) -> ReleasedTable:
    row = {"d": "x", "n": 12, "status": "exists", "mean": 3.25, "ci_low": 2.5, **values}
    return ReleasedTable(
        analysis="a", name="t", family="f", dims=("d",), counts=("n",), rows=[row], min_group=5,
        references=(Reference("rate", "n"),),
    )  # fmt: skip


_OTHER_VALUES: dict[str, object] = {
    "analysis": "b", "name": "u", "family": "g", "dims": ("d", "e"), "counts": ("n", "m"),
    "rows": [{"d": "x", "n": 13, "status": "exists"}], "min_group": 6,
    "totals": {"d": Total()}, "span": Span(), "parts": {"n": ("m",)}, "within": {"n": ("m",)},
    "references": (), "constants": {"s": 1}, "aliases": {"n": "k"},
    "min_group_where": {"d": 10}, "groupings": {"d": Grouping("c", {"x": "y"})}, "known": True,
    "not_applicable": NotApplicable(("n",), frozenset({("x",)})),
    "balances": (Balance(("n",), ("m",)),), "unbounded": ("n",),
    "reconciles": (Reconcile("f", "n", "d", ("x",)),),
}  # fmt: skip
"""Another value of every field of a released table: the auditor reads each of them."""


def test_every_field_of_a_released_table_is_in_the_fingerprint():
    # A field added to ``ReleasedTable`` fails here until it has another value above: the
    # auditor reads it (or it would not be there), so two tables differing in it must not
    # share a solved result.
    assert set(_OTHER_VALUES) == {f.name for f in dataclasses.fields(ReleasedTable)}
    table = _survey()
    for name, value in _OTHER_VALUES.items():
        assert getattr(table, name) != value, name
        assert _fingerprint(dataclasses.replace(table, **{name: value})) != _fingerprint(table), (
            name
        )


def test_values_the_auditor_does_not_read_are_left_out_of_the_fingerprint():
    # A survey index's mean and interval differ in their last bits between two reads of the
    # same figures (DuckDB's sums): two roles who see the same figures share their LPs.
    same = _fingerprint(_survey())
    assert _fingerprint(_survey(mean=3.2500000000000004, ci_low=2.4999999999999996)) == same
    assert _fingerprint(_survey(ci_high=4.0)) == same
    # what the auditor reads is in it: counts, status, key, the rates of the other units
    assert _fingerprint(_survey(n=13)) != same
    assert _fingerprint(_survey(status="too_few")) != same
    assert _fingerprint(_survey(d="y")) != same
    assert _fingerprint(_survey(rate=0.25)) != _fingerprint(_survey(rate=0.2500000000000001))


@pytest.mark.django_db
def test_the_command_audits_several_viewers_in_one_process_and_says_whose_lps_it_reused(
    world: World, monkeypatch
):
    # Several roles in one process share the services' kept releases (the gathering of the
    # second costs a fraction); the second role's figures are the first's, so it says so.
    calls: list[str] = []

    def fake(*, viewer: Viewer, region: Region, **_kwargs: object) -> services.AuditRun:
        calls.append(viewer.username or "")
        result = AuditResult([Summary("survey", 1, 1, 2, 0)], [], {}, 0, {})
        return services.AuditRun(
            viewer=viewer.username or "", region=region.code, result=result, tables=1,
            skipped=[], gather_seconds=1.0, solve_seconds=0.0, fingerprint="ab" * 20,
            solved_for="medlem" if calls[1:] else None,
        )  # fmt: skip

    monkeypatch.setattr(cli_audit, "disclosure_audit", fake)
    args = ["disclosure", "--region", "gr", "--viewer", "medlem", "--viewer", "sekreterare"]
    result = CliRunner().invoke(cli_audit.audit, args)
    assert result.exit_code == 0, result.output
    assert calls == ["medlem", "sekreterare"]
    assert "som för medlem: dess LP-lösning används" in " ".join(result.output.split())
    missing = CliRunner().invoke(cli_audit.audit, [*args, "--viewer", "ingen"])
    assert missing.exit_code == 2
    assert "ingen" in missing.output

"""The disclosure auditor gathers komvux's tables and finds no exposed cell."""

from __future__ import annotations

from likvard.access.policy import viewer_for
from likvard.analyses.komvux.rows import breakdown_rows
from likvard.analyses.komvux.services import komvux_region_report
from likvard.audit import services as audit_services


def _run(komvux_data):
    viewer = viewer_for(komvux_data.users["regional_coordinator"])
    return audit_services.disclosure_audit(
        viewer=viewer, region=komvux_data.region, only={"komvux"}
    )


def test_auditor_gathers_komvux_and_the_small_start_is_hidden(komvux_data):
    run = _run(komvux_data)
    # region page + two organizer pages, five families, six breakdowns each
    assert run.tables == 3 * 5 * 6
    assert run.skipped == []
    hidden = sum(s.hidden for s in run.result.summaries if s.analysis == "komvux")
    assert hidden > 0


def test_auditor_finds_no_komvux_cell_exposed(komvux_data):
    # The pages show slices of one release per region and measure. Every start of the test
    # world has ended, so not-reported is 0 in every row and in the year's total: those zeros
    # say nothing the shown total does not, and the gate releases them (ADR 0003) rather than
    # protecting them; the auditor counts the ones in hidden rows as zeros of totals. (A
    # strict xfail until the gate had that rule: 12 such zeros were reported exposed.)
    result = _run(komvux_data).result
    assert result.findings == []
    assert result.exposed == 0
    assert result.zeros_of_totals > 0


def test_outcomes_of_starts_that_have_not_ended_are_no_cells(komvux_running):
    # Two running starts of one course, one too small: the course shows its enrolled, all
    # not reported, and no outcomes. Sent to the auditor as hidden cells, the hidden starts'
    # completed, interrupted and continuing were pinned to 0 (6 exposed, as on the demo);
    # they are not applicable (no start has ended), so the report says so and they are no
    # cells for the auditor, while the starts' enrolled stay hidden and protected.
    result = _run(komvux_running).result
    assert result.findings == []
    outcomes = {"completed", "interrupted", "continuing"}
    hidden_2025 = [
        c for c in result.intervals if dict(c[2]).get("year") == 2025 and c[1] in outcomes
    ]
    assert hidden_2025 == []


def test_pages_show_the_outcomes_of_a_hidden_running_start_empty(komvux_running):
    viewer = viewer_for(komvux_running.users["regional_coordinator"])
    report = komvux_region_report(viewer=viewer, region=komvux_running.region, year=2025)
    rows = {r.key: r for r in breakdown_rows(report, by="start_key", year=2025)}
    small = rows["1384/K5"]
    assert "enrolled" in small.hidden  # three enrolled: hidden, shown as ..
    assert "completion_rate" not in small.hidden  # not ended: empty, not ..
    assert small.get("completion_rate") is None
    assert "1384/K3" not in rows  # a 2024 start is no row of 2025

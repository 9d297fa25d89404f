"""The disclosure auditor gathers komvux's tables and finds no exposed cell."""

from __future__ import annotations

import pytest

from likvard.access.policy import viewer_for
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


@pytest.mark.xfail(
    strict=True,
    reason="#15: a start is a start of one course, so a course's starts add up to the course "
    "(the auditor's grouping tie). The komvux cube does not declare that tie to the gate: a "
    "course given by one start in a municipality shows the start and hides the course, or "
    "the other way round (ELINST in 1481: start M2 shown 45 applicants, the course hidden). "
    "Needs the start tables to carry their course_code in the cube",
)
def test_no_cell_is_exposed_across_the_region_and_organizer_pages(komvux_data):
    # The pages show slices of one release per region and measure: what the auditor still
    # reports (see below) is only a structural 0, never a count of students.
    findings = _run(komvux_data).result.findings
    assert findings
    assert {f.measure for f in findings} == {"not_reported"}
    assert all((f.interval.low, f.interval.high) == (0, 0) for f in findings)


@pytest.mark.xfail(
    strict=True,
    reason="#20: a start that reports results has no not-reported enrolled: the part is null, "
    "not a cell, for the gate (a structural 0 cascaded the decision for minutes). The auditor "
    "cannot tell it apart on a hidden row and pins it to [0, 0] (12 on this world). Needs the "
    "gate to skip hidden 0 parts of a total shown as 0, as the auditor does; then declare "
    "not_reported as 0 again and this passes (measured: 0 exposed, enrolment 8.5 s)",
)
def test_auditor_finds_no_komvux_cell_exposed(komvux_data):
    assert _run(komvux_data).result.exposed == 0

"""Komvux reports through the release gate: small starts hidden from others, own in full."""

from __future__ import annotations

import pytest

from likvard.access.models import AuditEvent
from likvard.access.policy import viewer_for
from likvard.analyses.komvux import rows, services
from likvard.analyses.komvux.definitions import DEFINITIONS
from likvard_core.analytics.komvux.measures import DEFINITIONS as CORE_DEFINITIONS


def _report(world, role, organizer=False):
    viewer = viewer_for(world.users[role])
    if organizer:
        return services.komvux_organizer_report(viewer=viewer, organizer=world.own)
    return services.komvux_region_report(viewer=viewer, region=world.region)


def _start(report, key):
    table = report.table("enrolment", "start_key").rows()
    return next(r for r in table if r["start_key"] == key)


def test_small_start_is_hidden_from_the_region(komvux_data):
    report = _report(komvux_data, "regional_coordinator")
    assert report.years == [2024]
    assert report.year == 2024
    small = _start(report, "1384/K3")
    assert small["status"] != "exists"
    assert small["enrolled"] is None
    assert small["completion_rate"] is None
    # VARUSK's two starts (K1, M1) are shown as one course: with K3 hidden inside Kungsbacka's
    # total, K1 and so M1 are hidden too; the course SVASVA01's only start stays shown.
    big = _start(report, "1384/K2")
    assert big["status"] == "exists"
    assert big["fill_rate"] == pytest.approx(28 / 30)


def test_own_analyst_sees_own_organizer_in_full_and_is_audited(komvux_data):
    before = AuditEvent.objects.count()
    report = _report(komvux_data, "organizer_analyst", organizer=True)
    table = report.table("enrolment", "start_key")
    assert table.full
    assert _start(report, "1384/K3")["enrolled"] == 3
    assert {r["start_key"] for r in table.rows() if r["start_key"]} == {
        "1384/K1", "1384/K2", "1384/K3"
    }  # fmt: skip
    assert AuditEvent.objects.count() > before


def test_other_analyst_does_not_see_the_small_start(komvux_data):
    report = _report(komvux_data, "other_analyst", organizer=True)
    assert not report.table("enrolment", "start_key").full
    assert _start(report, "1384/K3")["enrolled"] is None


def test_rows_name_courses_and_provider_types(komvux_data):
    report = _report(komvux_data, "regional_coordinator")
    courses = rows.breakdown_rows(report, by="course_code", year=2024)
    assert courses[0].key is None
    assert {r.name for r in courses[1:]} >= {"Undersköterska", "Elinstallatör"}
    vard = next(r for r in courses if r.key == "VARUSK")
    assert vard.get("soktryck") == pytest.approx((60 + 50) / 48, abs=0.01)
    providers = rows.breakdown_rows(report, by="provider_type", year=2024)
    assert {r.name for r in providers[1:]} == {"Egen regi", "Upphandlad anordnare"}


def test_every_measure_has_a_shown_definition():
    assert set(CORE_DEFINITIONS) <= set(DEFINITIONS) | {"soktryck_first_hand"}
    assert all("definition" in str(DEFINITIONS[k]).lower() or "Skolverket" in str(DEFINITIONS[k])
               for k in DEFINITIONS)  # fmt: skip


def test_organizer_page_shows_its_slice_of_the_region_decision(komvux_data):
    # Both pages show Kungsbacka's courses: one release decides them, so each cell has the
    # same status on both (two separate cubes let a region total minus the organizer's
    # shown figures give a hidden one away).
    region = _report(komvux_data, "regional_coordinator")
    organizer = _report(komvux_data, "regional_coordinator", organizer=True)
    for measure in services.MEASURES:
        totals = {
            r["year"]: r["status"]
            for r in region.table(measure, "municipality_code").rows()
            if r["municipality_code"] == "1384"
        }
        own = {
            r["year"]: r["status"]
            for r in organizer.table(measure, "course_code").rows()
            if r["course_code"] is None
        }
        assert own == totals
        assert all(
            r["municipality_code"] == "1384" for r in organizer.table(measure, "size").rows()
        )

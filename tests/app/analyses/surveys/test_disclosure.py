"""The survey results against the disclosure auditor (issue #20): the region's groups are its
municipalities' groups, so the joint decision must tie them."""

from __future__ import annotations

from likvard.access.policy import viewer_for
from likvard.audit import gather as gathering
from likvard_core.audit.audit import audit
from tests.app.analyses.surveys.test_results import surveyed  # noqa: F401 (fixture)
from tests.app.conftest import World


def test_no_municipality_group_is_the_region_s_minus_the_others(surveyed: World):  # noqa: F811
    # 12 respondents at one unit, 3 at a unit of another municipality: the region's 15 less
    # the first municipality's 12 gave the second's 3 when the region was its own cube.
    member = viewer_for(surveyed.users["network_member"])
    gathered = gathering.gather(viewer=member, region=surveyed.region, only={"surveys"})
    assert any(t.name.endswith("gr-elev/2025/municipality") for t in gathered.tables)
    result = audit(gathered.tables, gathered.hierarchy)
    assert [(f.table, f.key, f.interval) for f in result.findings] == []

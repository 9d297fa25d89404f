"""The worlds of the analyses, for the exports' edge check: every fixture the analyses' own
tests build their exports from."""

from __future__ import annotations

from tests.app.analyses.completion.conftest import completion_world  # noqa: F401  (fixture)
from tests.app.analyses.conftest import modelled, warehouse  # noqa: F401  (fixtures)
from tests.app.analyses.incidents.test_incidents import incident_world  # noqa: F401  (fixture)
from tests.app.analyses.komvux.conftest import komvux_data  # noqa: F401  (fixture)
from tests.app.analyses.movement.conftest import movement_warehouse  # noqa: F401  (fixture)
from tests.app.analyses.planning.conftest import planning_world  # noqa: F401  (fixture)
from tests.app.analyses.surveys.conftest import import_dirs  # noqa: F401  (fixture)
from tests.app.analyses.surveys.test_results import surveyed  # noqa: F401  (fixture)
from tests.app.quality.conftest import catalogue  # noqa: F401  (fixture)

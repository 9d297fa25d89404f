"""Schemathesis over the whole OpenAPI schema, as two roles: no 5xx, no undocumented status,
no response outside its schema, and no wrong content type.

Runs in-process against Django's WSGI application on the analyses' small warehouse, with a
personal API token per role. The example count is bounded (``EXAMPLES`` per operation, role and
generation mode) so the whole test stays well under a minute on two cores.
"""

from __future__ import annotations

import pytest

from likvard.access.models import TokenScope
from likvard.access.tokens import api_token_create
from tests.app.conftest import World
from tests.app.schema_fuzz import connections_kept_open, fuzz  # noqa: F401  (fixture)

EXAMPLES = 4
ROLES = ["regional_coordinator", "organizer_analyst"]


@pytest.mark.slow
@pytest.mark.django_db
def test_whole_api_keeps_its_schema_for_two_roles(warehouse: World, connections_kept_open):  # noqa: F811
    callers = {
        role: {
            "Authorization": "Bearer "
            + api_token_create(
                user=warehouse.users[role], name=f"fuzz {role}", scopes=list(TokenScope)
            ).secret
        }
        for role in ROLES
    }
    seen = fuzz("/api/openapi.json", callers, EXAMPLES)
    assert seen.operations > 30
    assert not seen.failures, "\n\n".join(seen.failures)
    # The fuzzing reached the figures, not only the gates: most answers are 200 or 422.
    assert seen.statuses[200] > seen.operations * len(ROLES), seen.statuses

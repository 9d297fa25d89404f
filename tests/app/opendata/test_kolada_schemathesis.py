"""Schemathesis over the Kolada-compatible API's own OpenAPI documents (v3 and v2): no 5xx, no
undocumented status, no answer outside its schema, no wrong content type.

In-process against Django's WSGI application on ``region_world`` (values in every level, a
hidden unit), anonymous and with a token of an organizer analyst, in positive and negative
generation (v2: anonymous only; its views are v3's). The example count is bounded to keep the
test near a minute on two cores.
"""

from __future__ import annotations

import pytest

from likvard.access.tokens import api_token_create
from tests.app.conftest import World
from tests.app.schema_fuzz import connections_kept_open, fuzz  # noqa: F401  (fixture)

EXAMPLES = 3


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.parametrize("version", ["v3", "v2"])
def test_kolada_api_keeps_its_schema(region_world: World, connections_kept_open, version):  # noqa: F811
    token = api_token_create(user=region_world.users["organizer_analyst"], name="fuzz kolada")
    callers: dict[str, dict[str, str]] = {
        "anonymous": {},
        "analyst": {"Authorization": f"Bearer {token.secret}"},
    }
    if version == "v2":  # the same views: one caller is enough for v2's envelope
        del callers["analyst"]
    seen = fuzz(f"/kolada/{version}/openapi.json", callers, EXAMPLES)
    assert seen.operations == 22
    assert not seen.failures, "\n\n".join(seen.failures)
    assert seen.statuses[200] > seen.operations, seen.statuses  # the fuzzing reached the answers

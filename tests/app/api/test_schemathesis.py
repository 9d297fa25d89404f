"""Schemathesis over the whole OpenAPI schema, as two roles: no 5xx, no undocumented status,
no response outside its schema, and no wrong content type.

Runs in-process against Django's WSGI application on the analyses' small warehouse, with a
personal API token per role. The example count is bounded (``EXAMPLES`` per operation, role and
generation mode) so the whole test stays well under a minute on two cores.
"""

from __future__ import annotations

from collections import Counter

import hypothesis
import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from likvard.access.models import TokenScope
from likvard.access.tokens import api_token_create
from tests.app.conftest import World

EXAMPLES = 4
ROLES = ["regional_coordinator", "organizer_analyst"]
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
MODES = [schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE]


@pytest.fixture
def connections_kept_open():
    """Keep the test's database connection across the in-process WSGI requests.

    Django closes connections when a request ends; its test client switches that off, and so
    must a test that calls the WSGI application directly (the test's transaction lives on it).
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.slow
@pytest.mark.django_db
def test_whole_api_keeps_its_schema_for_two_roles(warehouse: World, connections_kept_open):
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
    headers = {
        role: {
            "Authorization": "Bearer "
            + api_token_create(
                user=warehouse.users[role], name=f"fuzz {role}", scopes=list(TokenScope)
            ).secret
        }
        for role in ROLES
    }
    failures: list[str] = []
    statuses: Counter[int] = Counter()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 30
    for operation in operations:
        for mode in MODES:
            strategy = operation.as_strategy(generation_mode=mode)
            for role in ROLES:
                try:
                    _fuzz(strategy, headers[role], statuses)
                except (Exception, BaseExceptionGroup) as error:  # every failing operation
                    failures.append(f"{operation.label} as {role} ({mode.value}): {error}")
    assert not failures, "\n\n".join(failures)
    # The fuzzing reached the figures, not only the gates: most answers are 200 or 422.
    assert statuses[200] > len(operations) * len(ROLES), statuses


def _fuzz(strategy, headers: dict[str, str], statuses: Counter[int]) -> None:
    @hypothesis.given(case=strategy)
    @hypothesis.settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case: schemathesis.Case) -> None:
        response = case.call_and_validate(headers=headers, checks=CHECKS)
        statuses[response.status_code] += 1

    run()

"""Schemathesis over the Kolada-compatible API's own OpenAPI documents (v3 and v2): no 5xx, no
undocumented status, no answer outside its schema, no wrong content type.

In-process against Django's WSGI application on ``region_world`` (values in every level, a
hidden unit), anonymous and with a token of an organizer analyst, in positive and negative
generation (v2: anonymous only; its views are v3's). The example count is bounded to keep the
test near a minute on two cores.
"""

from __future__ import annotations

from collections import Counter

import hypothesis
import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, Phase

from likvard.access.tokens import api_token_create
from tests.app.api.test_schemathesis import (
    CHECKS,
    MODES,
    connections_kept_open,  # noqa: F401  (fixture)
)
from tests.app.conftest import World

EXAMPLES = 3


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.parametrize("version", ["v3", "v2"])
def test_kolada_api_keeps_its_schema(region_world: World, connections_kept_open, version):  # noqa: F811
    schema = schemathesis.openapi.from_wsgi(
        f"/kolada/{version}/openapi.json", get_wsgi_application()
    )
    token = api_token_create(user=region_world.users["organizer_analyst"], name="fuzz kolada")
    callers = {"anonymous": {}, "analyst": {"Authorization": f"Bearer {token.secret}"}}
    if version == "v2":  # the same views: one caller is enough for v2's envelope
        del callers["analyst"]
    failures: list[str] = []
    statuses: Counter[int] = Counter()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 22
    for operation in operations:
        for mode in MODES:
            strategy = operation.as_strategy(generation_mode=mode)
            for caller, headers in callers.items():
                try:
                    _fuzz(strategy, headers, statuses)
                except (Exception, BaseExceptionGroup) as error:  # every failing operation
                    failures.append(f"{operation.label} as {caller} ({mode.value}): {error}")
    assert not failures, "\n\n".join(failures)
    assert statuses[200] > len(operations), statuses  # the fuzzing reached the answers


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

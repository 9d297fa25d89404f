"""Schemathesis over one of the app's OpenAPI documents, in-process, for several callers.

The web API (``tests/app/api``) and the Kolada-compatible API (``tests/app/opendata``) are
fuzzed the same way: every operation, positive and negative generation, each caller with its
own headers, a bounded number of examples, and the checks below. ``fuzz`` returns what every
operation answered and every failure, for the test to judge.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

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

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
MODES = [schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE]


@dataclass
class Fuzzed:
    """What a fuzzing run saw: operations, answers by status and the failures."""

    operations: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)


@pytest.fixture
def connections_kept_open() -> Iterator[None]:
    """Keep the test's database connection across the in-process WSGI requests.

    Django closes connections when a request ends; its test client switches that off, and so
    must a test that calls the WSGI application directly (the test's transaction lives on it).
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def fuzz(schema_path: str, callers: Mapping[str, Mapping[str, str]], examples: int) -> Fuzzed:
    """Every operation of the schema at ``schema_path``, in both modes, as every caller."""
    schema = schemathesis.openapi.from_wsgi(schema_path, get_wsgi_application())
    seen = Fuzzed()
    operations = [result.ok() for result in schema.get_all_operations()]
    seen.operations = len(operations)
    for operation in operations:
        for mode in MODES:
            strategy = operation.as_strategy(generation_mode=mode)
            for caller, headers in callers.items():
                try:
                    _run(strategy, dict(headers), seen.statuses, examples)
                except (Exception, BaseExceptionGroup) as error:  # every failing operation
                    seen.failures.append(f"{operation.label} as {caller} ({mode.value}): {error}")
    return seen


def _run(strategy, headers: dict[str, str], statuses: Counter[int], examples: int) -> None:
    @hypothesis.given(case=strategy)
    @hypothesis.settings(
        max_examples=examples,
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

"""Hypothesis profiles for the disclosure tests: derandomised when ``CI`` is set."""

from __future__ import annotations

from hypothesis import HealthCheck, settings

from tests.conftest import in_ci

settings.register_profile(
    "disclosure-ci",
    derandomize=True,
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("disclosure-dev", max_examples=150, deadline=None)
settings.load_profile("disclosure-ci" if in_ci() else "disclosure-dev")

"""Hypothesis profiles for the disclosure tests: derandomised when ``CI=true``."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "disclosure-ci",
    derandomize=True,
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("disclosure-dev", max_examples=150, deadline=None)
settings.load_profile("disclosure-ci" if os.environ.get("CI") == "true" else "disclosure-dev")

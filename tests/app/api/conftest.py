"""The API tests use the analyses' small warehouse, so every operation has figures to return."""

from tests.app.analyses.conftest import warehouse

__all__ = ["warehouse"]

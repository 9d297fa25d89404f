"""Fixtures for the notes tests (the shared notes come from ``tests/conftest.py``)."""

from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures"

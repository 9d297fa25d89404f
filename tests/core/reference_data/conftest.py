"""The shipped reference data tests use ``shared_dir`` from ``tests/conftest.py``."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[3]

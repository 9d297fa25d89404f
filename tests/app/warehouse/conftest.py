"""Import tests run job steps inline, with throw-away warehouse and upload folders."""

from __future__ import annotations

import pytest


@pytest.fixture
def import_dirs(settings, tmp_path):
    settings.LIKVARD_WAREHOUSE_DIR = tmp_path / "warehouse"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LIKVARD_IMPORT_JOBS_INLINE = True
    return tmp_path

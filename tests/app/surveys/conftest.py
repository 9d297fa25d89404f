"""Import tests run job steps inside enqueue (the immediate task backend of the test settings),
with throw-away warehouse and upload folders."""

from __future__ import annotations

import pytest


@pytest.fixture
def import_dirs(settings, tmp_path):
    settings.LIKVARD_WAREHOUSE_DIR = tmp_path / "warehouse"
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path

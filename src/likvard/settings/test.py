"""Settings for the test suite: fast hashing, throw-away data directory.

``LIKVARD_TEST_DB=postgres`` runs the same tests on the PostgreSQL cluster that
``make test`` starts (``LIKVARD_DATABASE_URL`` points at it).
"""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("LIKVARD_DATA_DIR", tempfile.mkdtemp(prefix="likvard-test-"))

from likvard.settings.base import *  # noqa: F403
from likvard.settings.base import DATA_DIR, STATIC_ROOT

STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_AUTOREFRESH = True

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LIKVARD_WAREHOUSE_DIR = Path(DATA_DIR) / "warehouse"

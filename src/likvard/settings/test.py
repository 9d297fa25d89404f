"""Settings for the test suite: fast hashing, throw-away data directory.

``LIKVARD_TEST_DB=postgres`` runs the same tests on the PostgreSQL cluster that
``make test`` starts (``LIKVARD_DATABASE_URL`` points at it).
"""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("LIKVARD_DATA_DIR", tempfile.mkdtemp(prefix="likvard-test-"))
# Tasks run inside enqueue; the worker tests start a real `likvard worker` with "database".
os.environ.setdefault("LIKVARD_TASKS_BACKEND", "immediate")

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
# Each test process keeps its own cache in memory (tests run tasks inside enqueue).
CACHES = {
    **CACHES,  # noqa: F405
    # As large as the demo's file cache: with locmem's default of 300 entries a warm-up's
    # decisions were culled and decided again, which no real installation does.
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 20000},
    },
}
# Imports in tests do not warm the new version (it costs seconds per import); the warm tests
# switch it on, and pages compute on first use as they would without warming.
LIKVARD_WARM_AFTER_IMPORT = False

# SQLite tests use a file, not Django's shared-cache in-memory database: in shared-cache mode
# a write that meets another connection's read fails at once ("database table is locked")
# instead of waiting, which made the background-import tests fail now and then. pytest-django
# adds each xdist worker's suffix to the name.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(Path(DATA_DIR) / "test.sqlite3")}  # noqa: F405
    DATABASES["default"]["OPTIONS"] = {"timeout": 30}  # noqa: F405

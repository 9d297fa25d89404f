"""The production settings on a throw-away PostgreSQL cluster, as docs/operations.md sets up:
migrate, cache table, deploy checks, the health check, a worker run, backup and restore into a
second, empty database. Two Django processes, so it is marked slow."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import skip_or_fail

pytestmark = [pytest.mark.postgres, pytest.mark.slow]
REPO = Path(__file__).resolve().parents[3]

SET_UP = """
import json, django
django.setup()
from django.core.management import call_command
from django.contrib.auth import get_user_model
from django.test import Client
from likvard.warehouse.backup import backup_create
from likvard.warehouse.tasks import version_warm
call_command("migrate", interactive=False, verbosity=0)
call_command("createcachetable", verbosity=0)
call_command("check", deploy=True, fail_level="ERROR", verbosity=0)
get_user_model().objects.create_user("drift", password="drift-losenord-1")
version_warm.enqueue(number=0)
call_command(
    "db_worker", queue_name="*", batch=True, reload=False, startup_delay=False, verbosity=0
)
health = Client().get("/halsa/")
from django.core.cache import cache
for i in range(400):  # more than Django's default MAX_ENTRIES (300) of a database cache
    cache.set(f"kept-{i:03d}", i)
kept = cache.get("kept-000") == 0
from pathlib import Path
import sys
summary = backup_create(folder=Path(sys.argv[1]))
print(json.dumps({"health": health.status_code, "body": health.json(),
                  "database": summary.database, "kept": kept}))
"""

RESTORE = """
import json, sys, django
django.setup()
from pathlib import Path
from django.core.management import call_command
from django.contrib.auth import get_user_model
from django.test import Client
from likvard.warehouse.backup import backup_restore
call_command("migrate", interactive=False, verbosity=0)
call_command("createcachetable", verbosity=0)
backup_restore(folder=Path(sys.argv[1]))
client = Client()
signed_in = client.login(username="drift", password="drift-losenord-1")
print(json.dumps({"signed_in": signed_in, "health": client.get("/halsa/").status_code}))
"""


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[str]:
    if os.environ.get("LIKVARD_TEST_DB") == "postgres":
        pytest.skip("runs once, in the SQLite pass, on a cluster of its own")
    if not list(Path("/usr/lib/postgresql").glob("*/bin/initdb")):
        skip_or_fail("PostgreSQL is not installed (make system-deps)")
    folder = Path(f"/tmp/likvard-pg-ops-{os.getpid()}")
    port = str(20000 + random.randrange(20000))
    script = REPO / "scripts" / "pg_cluster.sh"
    url = subprocess.run(
        ["bash", str(script), "start", str(folder), port],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    yield url
    subprocess.run(["bash", str(script), "stop", str(folder)], check=False)


def _run(code: str, url: str, data_dir: Path, backup: Path) -> dict[str, object]:
    # A production process, not the test run's: the browser tests of the same worker set
    # DJANGO_ALLOW_ASYNC_UNSAFE, which check --deploy rightly refuses.
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "likvard.settings.production",
        "LIKVARD_DATABASE_URL": url,
        "LIKVARD_DATA_DIR": str(data_dir),
        "LIKVARD_SECRET_KEY": "x" * 60,
        "LIKVARD_PSEUDONYM_KEY": "ops-test-key",
        "LIKVARD_ALLOWED_HOSTS": "testserver",
        "LIKVARD_TASKS_BACKEND": "database",
    }
    done = subprocess.run(
        [sys.executable, "-c", code, str(backup)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_production_settings_on_postgresql(cluster: str, tmp_path: Path):
    backup = tmp_path / "backup"
    first = _run(SET_UP, cluster, tmp_path / "one", backup)
    assert first["health"] == 200
    body = first["body"]
    assert isinstance(body, dict)
    assert body["checks"] == {"database": "ok", "warehouse": "ok"}
    assert body["tasks"]["ready"] == 0  # the worker ran the queued warm-up
    assert first["database"] == "database.pgdump"
    assert first["kept"], "the shared cache culled a warm-up's entries"

    bindir = sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1]
    host_port = cluster.rsplit("@", 1)[1].split("/", maxsplit=1)[0]
    host, port = host_port.split(":")
    subprocess.run(
        [str(bindir / "createdb"), "-h", host, "-p", port, "-U", "likvard", "tom"], check=True
    )
    second = _run(RESTORE, cluster.rsplit("/", 1)[0] + "/tom", tmp_path / "two", backup)
    assert second == {"signed_in": True, "health": 200}
    shutil.rmtree(backup)

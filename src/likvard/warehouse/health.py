"""The installation's health, for the load balancer, the monitoring and the operator.

Read by ``/halsa/`` (``warehouse:health``) without signing in: it names no person and no
figure, only whether the database and the warehouse answer, which data version pages show,
whether a newer one is being warmed, and how the task queue stands (docs/operations.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connections
from django.utils import timezone

from likvard.warehouse.selectors import data_version_get, data_version_newest


@dataclass(frozen=True, slots=True)
class Health:
    """Whether the installation can serve pages (``ok``), and what it knows of its work."""

    ok: bool
    checks: dict[str, str] = field(default_factory=dict)
    data_version: str = ""
    newest_version: str = ""
    tasks: dict[str, float] = field(default_factory=dict)

    def as_json(self) -> dict[str, object]:
        """The health as the endpoint's JSON body (snake_case English keys)."""
        return {
            "status": "ok" if self.ok else "error",
            "checks": self.checks,
            "data_version": self.data_version,
            "newest_version": self.newest_version,
            "warming": self.data_version != self.newest_version,
            "tasks": self.tasks,
        }


def installation_health() -> Health:
    """Check the database, the warehouse folder, the data versions and the task queue."""
    checks: dict[str, str] = {}
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except DatabaseError as error:
        checks["database"] = type(error).__name__
        return Health(ok=False, checks=checks)
    warehouse = Path(settings.LIKVARD_WAREHOUSE_DIR)
    served, newest = data_version_get(), data_version_newest()
    checks["warehouse"] = "ok" if warehouse.is_dir() or not served.files else "missing"
    missing = [p for paths in served.files.values() for p in paths if not (warehouse / p).is_file()]
    if missing:
        checks["warehouse"] = f"{len(missing)} files missing"
    return Health(
        ok=all(value == "ok" for value in checks.values()),
        checks=checks,
        data_version=served.label,
        newest_version=newest.label,
        tasks=_task_queue(),
    )


def _task_queue() -> dict[str, float]:
    if not str(settings.TASKS["default"]["BACKEND"]).startswith("django_tasks_db."):
        return {}
    from django_tasks_db.models import DBTaskResult  # noqa: PLC0415

    ready = DBTaskResult.objects.filter(status="READY")
    oldest = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    return {
        "ready": ready.count(),
        "running": DBTaskResult.objects.filter(status="RUNNING").count(),
        "failed": DBTaskResult.objects.filter(status="FAILED").count(),
        "oldest_ready_seconds": (
            round((timezone.now() - oldest).total_seconds(), 1) if oldest else 0.0
        ),
    }

"""The hostile-file corpus against a live gunicorn server: refused, and the worker lives on.

Finding 1 of #17: a DOCX bomb posted to the notes import ran until gunicorn killed the worker
(``WORKER TIMEOUT``) and the client got an empty 500. Here gunicorn serves the app as
``likvard serve`` does (``likvard.wsgi:application``, gunicorn's default 30 s timeout) with
one worker, and every hostile file is posted to the notes import and as an attachment (a 400
page with a Swedish message) and the data files to the import (validated in the worker's
background thread: each job ends with an issue, in Swedish). The worker that booted first
must be the one that answers last: no timeout, no restart.
"""

from __future__ import annotations

import datetime as dt
import http.client
import os
import re
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from likvard.networks.services.meetings import agenda_item_add, meeting_create
from likvard.warehouse.models import ImportJob
from likvard_core.ingest.issues import Issue
from tests.app.networks.conftest import NetworkWorld
from tests.conftest import REPO
from tests.hostile import corpus

pytestmark = pytest.mark.django_db(transaction=True)

DATA_SUFFIXES = (".csv", ".xlsx", ".ods", ".parquet", ".json")
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class _Browser:
    """Just enough of a browser: a session cookie, the CSRF token, multipart posts."""

    def __init__(self, port: int, session: str) -> None:
        self.port = port
        self.cookies = {"sessionid": session}

    def _request(
        self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
    ) -> tuple[int, str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        conn.request(method, path, body, {"Cookie": cookie, **(headers or {})})
        response = conn.getresponse()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _sep, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        text = response.read().decode("utf-8", errors="replace")
        conn.close()
        return response.status, text

    def post_file(
        self, path: str, name: str, data: bytes, fields: dict[str, str] | None = None
    ) -> tuple[int, str]:
        status, page = self._request("GET", path)
        assert status == 200, (path, status)
        token = _CSRF.search(page)
        assert token is not None
        boundary = uuid.uuid4().hex
        values = {"csrfmiddlewaretoken": token.group(1), **(fields or {})}
        parts = [
            *(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"'
                f"\r\n\r\n{value}\r\n".encode()
                for key, value in values.items()
            ),
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"'
            f"\r\nContent-Type: application/octet-stream\r\n\r\n".encode()
            + data
            + b"\r\n",
            f"--{boundary}--\r\n".encode(),
        ]
        headers = {
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Referer": f"http://127.0.0.1:{self.port}{path}",
        }
        return self._request("POST", path, b"".join(parts), headers)


def _database_url() -> str:
    """The URL of the test database this test runs on (SQLite file or PostgreSQL test db)."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    user, password = db.get("USER") or "", db.get("PASSWORD") or ""
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{auth}{db.get('HOST') or ''}{port}/{db['NAME']}"


def _serve(port: int, log: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "likvard.settings.test",
        "LIKVARD_DATA_DIR": str(settings.DATA_DIR),
        "LIKVARD_DATABASE_URL": _database_url(),
    }
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "likvard.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "1",
        "--log-level",
        "info",
    ]
    with log.open("wb") as out:
        server = subprocess.Popen(command, cwd=REPO, env=env, stdout=out, stderr=out)
    for _ in range(150):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    pytest.fail(f"gunicorn did not start: {log.read_text()}")


def _finished_jobs(expected: int) -> list[ImportJob]:
    """The import jobs once their validation (a thread in the gunicorn worker) has finished."""
    for _ in range(150):
        jobs = list(ImportJob.objects.all())
        if len(jobs) >= expected and not any(job.active for job in jobs):
            return jobs
        time.sleep(0.2)
    return list(ImportJob.objects.all())


def test_hostile_files_leave_the_gunicorn_worker_alive(nets: NetworkWorld, tmp_path):
    secretary = nets.world.users["network_secretary"]
    meeting = meeting_create(network=nets.gymnasie, held_on=dt.date(2025, 3, 5), by=secretary)
    item = agenda_item_add(meeting=meeting, title="Elevrörelser")
    client = Client()
    client.force_login(secretary)
    analyst = Client()
    analyst.force_login(nets.world.users["organizer_analyst"])
    files = corpus(tmp_path / "hostile")
    port = _free_port()
    log = tmp_path / "gunicorn.log"
    server = _serve(port, log)
    try:
        browser = _Browser(port, client.cookies["sessionid"].value)
        targets = {
            reverse("networks:notes-import"): (".docx", ".pdf", ".txt"),
            reverse("networks:attachment-upload", args=[item.pk]): (".docx", ".pdf", ".pptx"),
        }
        answers = {}
        for url, suffixes in targets.items():
            for name, path in files.items():
                if path.suffix in suffixes:
                    answers[(url, name)] = browser.post_file(url, name, path.read_bytes())
        imports = _Browser(port, analyst.cookies["sessionid"].value)
        fields = {"kind": "enrolments", "organizer": nets.world.own.organisation_number}
        for name, path in files.items():
            if path.suffix in DATA_SUFFIXES:
                status, _page = imports.post_file(
                    reverse("warehouse:import-start"), name, path.read_bytes(), fields
                )
                assert status in {302, 400}, (name, status)
        jobs = _finished_jobs(len([p for p in files.values() if p.suffix in DATA_SUFFIXES]))
    finally:
        server.terminate()
        server.wait(timeout=30)
    text = log.read_text(encoding="utf-8", errors="replace")
    assert answers
    for (url, name), (status, page) in answers.items():
        assert status == 400, (url, name, status)
        assert "Filen" in page or "PDF-filen" in page or "filen är tom" in page, (url, name)
    assert jobs
    for job in jobs:
        assert job.issues, job.file_name
        assert Issue(**job.issues[0]).message_sv, job.file_name
    assert "WORKER TIMEOUT" not in text
    assert len(re.findall(r"Booting worker with pid", text)) == 1, text[-2000:]

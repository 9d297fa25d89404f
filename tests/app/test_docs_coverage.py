"""Every command, API operation, import kind and setting has its documentation."""

from __future__ import annotations

import re

import click
import pytest

from likvard.api import api
from likvard.cli.main import command_tree
from likvard_core.ingest.kinds import KINDS
from tests.conftest import REPO

DOCS = REPO / "docs"


def _commands(group: click.Group, prefix: str = "likvard") -> list[str]:
    found = []
    for name, command in sorted(group.commands.items()):
        path = f"{prefix} {name}"
        found.append(path)
        if isinstance(command, click.Group):
            found.extend(_commands(command, path))
    return found


def test_every_cli_command_has_its_section():
    reference = (DOCS / "cli.md").read_text(encoding="utf-8")
    commands = _commands(command_tree())
    assert len(commands) > 20
    assert [c for c in commands if f"$ {c} --help" not in reference] == []


@pytest.mark.django_db
def test_every_api_operation_is_described_and_its_area_documented():
    schema = api.get_openapi_schema()
    operations = [
        (method.upper(), path, operation)
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    ]
    assert len(operations) > 30
    undescribed = [
        f"{method} {path}"
        for method, path, operation in operations
        if not (operation.get("description") or operation.get("summary") or "").strip()
    ]
    assert undescribed == []
    reference = (DOCS / "api.md").read_text(encoding="utf-8")
    areas = {path.split("/")[3] for _, path, _ in operations if path.startswith("/api/v1/")}
    assert [area for area in sorted(areas) if f"/api/v1/{area}/" not in reference] == []


def test_every_import_kind_has_its_page():
    pages = {page.stem for page in (DOCS / "imports").glob("*.md")}
    assert sorted(set(KINDS) - pages) == []


def test_every_setting_read_from_the_environment_is_documented():
    names = set()
    for path in (REPO / "src").rglob("*.py"):
        names |= set(re.findall(r"\bLIKVARD_[A-Z_]+\b", path.read_text(encoding="utf-8")))
    reference = (DOCS / "configuration.md").read_text(encoding="utf-8")
    assert len(names) > 10
    assert sorted(n for n in names if f"`{n}`" not in reference) == []

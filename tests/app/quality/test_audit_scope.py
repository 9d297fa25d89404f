"""Every audited read of the quality pages says in the audit log what was read, in Swedish
with names (issue #16: some rows had an empty "Omfattning")."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from likvard.access.models import AuditEvent
from likvard.organisations.labels import scope_label
from tests.app.conftest import World

SCOPES = {
    # quality.levels/<region>/<indicator>/year:<spring>: the basis's levels of one indicator
    "quality.levels/gr/gr9_merit_value/year:2025": (
        "Göteborgsregionen · Genomsnittligt meritvärde i åk 9 (17 ämnen) · 2024/25"
    ),
    "quality.local/organizer:2120001256": "Kungsbacka kommun",
    "population:1384,1481/from:2025": "Kungsbacka · Mölndal · från 2024/25",
    "region:gr/planning:2025": "Göteborgsregionen · 2024/25",
    "region:gr/year:2025": "Göteborgsregionen · 2024/25",
}


@pytest.mark.django_db
@pytest.mark.parametrize(("scope", "words"), SCOPES.items())
def test_a_quality_scope_names_what_was_read(catalogue: World, scope: str, words: str):
    with translation.override("sv"):
        assert scope_label(scope) == words


@pytest.mark.django_db
@pytest.mark.parametrize("scope", ["equity.national", "adjusted.salsa", "quality.levels/zz/x"])
def test_no_scope_reads_as_nothing(catalogue: World, scope: str):
    with translation.override("sv"):
        assert scope_label(scope).strip()


@pytest.mark.django_db
def test_the_audit_log_has_no_empty_scope(catalogue: World):
    for scope in SCOPES:
        AuditEvent.objects.create(username="analytiker", action="read", scope=scope,
                                  purpose="quality.basis", channel="web")  # fmt: skip
    client = Client()
    client.force_login(catalogue.users["administrator"])
    page = client.get(reverse("web:audit-list")).content.decode()
    assert "Genomsnittligt meritvärde i åk 9 (17 ämnen)" in page
    assert '"></td>' not in page  # an empty cell (the scope's title is the code)

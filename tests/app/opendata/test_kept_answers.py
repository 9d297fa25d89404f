"""A web process keeps the Kolada answers of viewers who know no cells (#22).

Anonymous callers all see the same released values and their reads audit nothing, so the data
endpoint keeps each answer's values for its whole region, years and genders
(``values._released_kept``): a second municipality of the region reads no cube, and its values
equal those computed afresh. A token owner who knows cells never reads kept answers: every
request of theirs goes through the gate's cubes and is audited.
"""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.test import Client

from likvard.access.models import AuditEvent
from likvard.access.tokens import api_token_create
from likvard.opendata.services import values
from tests.app.conftest import World
from tests.app.opendata.conftest import MERIT_KPI, OWN_KPI, YEAR

pytestmark = pytest.mark.django_db

KUNGSBACKA, MOLNDAL = "1384", "1481"


def _answer(url: str, **headers: str) -> list[dict]:
    response = Client().get(url, **headers)
    assert response.status_code == 200, response.content[:300]
    return response.json()["values"]


def _kept_keys() -> list[str]:
    """The keys this process's ``answers`` cache holds (LocMemCache keeps them in ``_cache``)."""
    return list(caches[values.ANSWERS_CACHE]._cache)  # type: ignore[attr-defined]


def _computing(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    calls: list[object] = []
    real = values._released

    def counting(**kwargs: object) -> object:
        calls.append(kwargs)
        return real(**kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(values, "_released", counting)
    return calls


def test_an_anonymous_answer_is_kept_for_the_region(region_world: World, monkeypatch):
    caches[values.ANSWERS_CACHE].clear()
    computed = _computing(monkeypatch)
    url = f"/kolada/v3/data/kpi/{OWN_KPI}/municipality/{{}}/year/{YEAR}"
    first = _answer(url.format(KUNGSBACKA))
    assert len(computed) == 1
    second = _answer(url.format(MOLNDAL))
    assert len(computed) == 1  # the region's kept values: no cube read
    assert {r["municipality"] for r in first} == {KUNGSBACKA}
    assert {r["municipality"] for r in second} == {MOLNDAL}

    caches[values.ANSWERS_CACHE].clear()
    assert _answer(url.format(MOLNDAL)) == second  # computed afresh: the same values
    assert _answer(url.format(KUNGSBACKA)) == first
    assert len(computed) == 2


def test_an_owner_who_knows_cells_reads_through_the_gate(region_world: World, monkeypatch):
    caches[values.ANSWERS_CACHE].clear()
    owner = region_world.users["small_analyst"]
    token = api_token_create(user=owner, name="kolada").secret
    computed = _computing(monkeypatch)
    url = f"/kolada/v3/data/kpi/{MERIT_KPI}/municipality/{KUNGSBACKA}/year/{YEAR}"
    audited = AuditEvent.objects.filter(user_id=owner.pk)
    _answer(url, HTTP_AUTHORIZATION=f"Bearer {token}")
    before = audited.count()
    assert before > 0
    _answer(url, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert len(computed) == 2  # never kept
    assert audited.count() > before  # each request audited
    assert not _kept_keys()

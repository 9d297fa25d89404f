"""The demo's bank: material on both success factors and on the absence indicator that stands
out in Kungsbacka's analysis basis; created once."""

from __future__ import annotations

import pytest

from likvard.access.demo import demo_users_ensure
from likvard.knowledge.demo import knowledge_demo_ensure
from likvard.knowledge.models import Item
from likvard.quality.services import catalogue_load_shipped
from tests.app.conftest import World


@pytest.mark.django_db
def test_demo_bank_covers_both_success_factors_and_flagged_absence(
    world: World, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    catalogue_load_shipped()
    demo_users_ensure()
    assert knowledge_demo_ensure() == 6
    assert knowledge_demo_ensure() == 0
    factors = set(Item.objects.values_list("success_factors__code", flat=True))
    assert {"sf_systematic_quality_work", "sf_student_participation"} <= factors
    absence = Item.objects.get(indicators__code="gr_absence")
    assert absence.visibility == "public"
    assert Item.objects.filter(files__isnull=False).count() == 1

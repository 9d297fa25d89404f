"""Issue #16: the confirmation of a saved analysis where the user is; the newest year first."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse

from likvard.access.policy import viewer_for
from likvard.quality.models import SuccessFactor
from likvard.quality.services.catalogue import catalogue_load_shipped
from likvard.quality.services.self_evaluation import SelfEvaluationEntry, self_evaluation_save
from tests.app.conftest import World

YEAR = 2025
SAVED = "Er analys är sparad."


def test_the_saved_analysis_is_confirmed_in_its_section(warehouse: World):
    client = Client()
    client.force_login(warehouse.users["organizer_analyst"])
    number = warehouse.own.organisation_number
    save = reverse("quality:basis-analysis-save", args=[number])
    response = client.post(save, {"year": YEAR, "strengths": "Höga meritvärden"})
    assert response.status_code == 302
    # was ?year=2025#own-analysis with the message at the top of a 22,000 px page
    assert response["Location"].endswith(f"?year={YEAR}&saved=1#own-analysis-saved")
    page = client.get(response["Location"].split("#")[0]).content.decode()
    assert page.count(SAVED) == 1
    section = page.index('id="own-analysis"')
    message = re.search(r'<p role="status"[^>]*id="own-analysis-saved"[^>]*>([^<]*)<', page)
    assert message is not None
    assert message.group(1) == SAVED
    assert message.start() > section  # in the section the anchor scrolls to
    assert (
        SAVED
        not in client.get(f"{response['Location'].split('?')[0]}?year={YEAR}").content.decode()
    )


def _selected_year(page: str) -> str:
    match = re.search(r'<option value="(\d{4})" selected>', page)
    assert match is not None
    return match.group(1)


def test_the_self_evaluation_opens_on_the_newest_year_with_data(warehouse: World):
    catalogue_load_shipped()
    client = Client()
    client.force_login(warehouse.users["organizer_analyst"])
    url = reverse("quality:self-evaluation", args=[warehouse.own.organisation_number])
    page = client.get(url).content.decode()
    assert _selected_year(page) == "2025"  # the warehouse's newest, not the calendar's 2027
    assert '<option value="2027"' in page  # the current year can still be started
    user = warehouse.users["organizer_analyst"]
    factor = SuccessFactor.objects.order_by("position")[0]
    self_evaluation_save(
        viewer=viewer_for(user), by=user, organizer=warehouse.own, school_unit=None,
        school_year=2026, entries=[SelfEvaluationEntry(factor, 3, "Underlag.", "Vidare.")],
    )  # fmt: skip
    assert _selected_year(client.get(url).content.decode()) == "2026"  # newest answered
    assert _selected_year(client.get(url, {"year": 2024}).content.decode()) == "2024"

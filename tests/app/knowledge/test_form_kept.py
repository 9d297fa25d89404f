"""The item form's fields are rendered once per everything they show and kept: the next
editor's blank form, or the same item's edit form, is the kept HTML; a new choice, another
item or a posted form with errors renders anew (issue #16: two dozen fields with hundreds of
options took 50-70 ms of CPU a request, 0.4-1.1 s warm at load 9-11)."""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from likvard.knowledge.forms import ItemForm, SearchForm
from likvard.knowledge.services.items import topic_add
from likvard.quality.services import catalogue_load_shipped
from tests.app.conftest import World
from tests.factories.knowledge import item_make

pytestmark = pytest.mark.django_db

NEW = reverse("knowledge:item-create")


@pytest.fixture
def rendered(monkeypatch, world: World) -> list[str]:
    """Every item form rendered to HTML."""
    catalogue_load_shipped()
    calls: list[str] = []
    real = ItemForm.as_div

    def counting(self):  # type: ignore[no-untyped-def]
        calls.append("rendered")
        return real(self)

    monkeypatch.setattr(ItemForm, "as_div", counting)
    caches["default"].clear()
    return calls


def _form(page: str) -> str:
    """The item form without its CSRF token (the reader's own)."""
    start = page.index('class="narrow knowledge-form"')
    return page[start : page.index("</form>", start)].split('name="csrfmiddlewaretoken"')[1][80:]


def _main(page: str) -> str:
    return page[page.index('<main id="main"') : page.index("</main>")]


def test_the_blank_form_is_kept_until_a_choice_changes(world: World, rendered: list[str]):
    first = Client()
    first.force_login(world.users["regional_coordinator"])
    page = first.get(NEW).content.decode()
    again = first.get(NEW).content.decode()
    assert rendered == ["rendered"]
    assert _form(again) == _form(page)
    assert 'name="indicators"' in page

    topic_add(region=world.region, name="Läsfrämjande")
    changed = first.get(NEW).content.decode()
    assert rendered == ["rendered", "rendered"]
    assert "Läsfrämjande" in changed

    posted = first.post(NEW, {"title": ""})  # errors are the writer's own: never kept
    assert posted.status_code == 400
    assert "errorlist" in posted.content.decode()
    assert rendered == ["rendered"] * 3
    first.get(NEW)
    assert rendered == ["rendered"] * 3


def test_an_edit_form_is_kept_per_item(world: World, rendered: list[str]):
    one = item_make(region=world.region, title="Närvarotrappan")
    two = item_make(region=world.region, title="Läslyftet")
    client = Client()
    client.force_login(world.users["regional_coordinator"])
    url = reverse("knowledge:item-edit", kwargs={"pk": one.pk})
    page = client.get(url).content.decode()
    assert client.get(url).content.decode().count("Närvarotrappan") == page.count("Närvarotrappan")
    assert rendered == ["rendered"]
    other = client.get(reverse("knowledge:item-edit", kwargs={"pk": two.pk})).content.decode()
    assert rendered == ["rendered", "rendered"]
    assert 'value="Läslyftet"' in other
    one.title = "Närvarotrappan, ny upplaga"
    one.save()
    assert 'value="Närvarotrappan, ny upplaga"' in client.get(url).content.decode()
    assert rendered == ["rendered"] * 3


def test_the_search_form_is_kept_until_a_tag_changes(world: World, monkeypatch):
    catalogue_load_shipped()
    calls: list[str] = []
    real = SearchForm.as_div

    def counting(self):  # type: ignore[no-untyped-def]
        calls.append("rendered")
        return real(self)

    monkeypatch.setattr(SearchForm, "as_div", counting)
    caches["default"].clear()
    client = Client()
    client.force_login(world.users["network_member"])
    index = reverse("knowledge:index")
    first = client.get(index).content.decode()
    again = client.get(index).content.decode()
    assert calls == ["rendered"]
    assert _main(again) == _main(first)
    topic_add(region=world.region, name="Läsfrämjande")
    assert "Läsfrämjande" in client.get(index).content.decode()
    assert calls == ["rendered", "rendered"]
    searched = client.get(index, {"q": "närvaro"}).content.decode()  # bound: rendered
    assert 'value="närvaro"' in searched
    assert calls == ["rendered"] * 3

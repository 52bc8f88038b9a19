"""Wagtail's admin at /cms/: it answers, it is classified, editors can edit weeks, and its CSP stays in /cms/."""

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import get_resolver
from wagtail.models import Locale
from wagtail.test.utils.form_data import rich_text

from helseportal.content.models import PregnancyWeekIndexPage, PregnancyWeekPage
from helseportal.content.tests.conftest import week_page
from helseportal.core.routes import Level, route_level
from helseportal.pregnancy.weeks.loading import EDITOR_GROUP
from tests.test_routes import walk


@pytest.fixture
def editor(weeks: object) -> User:
    user = User.objects.create_user("redaktor", password="ikke-i-bruk")
    user.groups.add(Group.objects.get(name=EDITOR_GROUP))
    return user


@pytest.mark.django_db
def test_the_admin_answers_with_the_admin_csp(client: Client, editor: User):
    client.force_login(editor)  # the admin has no password login: editors come in through HelseID
    response = client.get("/cms/")
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "script-src 'self' 'unsafe-inline'" in csp
    assert "frame-ancestors 'self'" in csp


@pytest.mark.django_db
def test_the_admin_sends_anonymous_visitors_to_its_login(client: Client):
    response = client.get("/cms/")
    assert response.status_code == 302
    assert response["Location"].startswith("/cms/login/")


def test_every_admin_route_is_system_and_the_week_page_is_public():
    levels = {route: route_level(p.callback, app) for route, p, app in walk(get_resolver().url_patterns)}
    admin = {route: level for route, level in levels.items() if route.startswith("cms/")}
    assert len(admin) > 50
    assert set(admin.values()) == {Level.SYSTEM}
    assert levels["gravid/uke/<id:week>/"] == Level.PUBLIC


def test_an_editor_can_open_a_week_in_the_editor(client: Client, editor: User):
    client.force_login(editor)
    page = week_page(24)
    response = client.get(f"/cms/pages/{page.pk}/edit/")
    assert response.status_code == 200
    assert "Svangerskapskontroll" in response.content.decode()


def test_an_editor_cannot_edit_pages_outside_the_week_index(client: Client, editor: User):
    client.force_login(editor)
    index = week_page(24).get_parent()
    outside = index.get_parent()
    response = client.get(f"/cms/pages/{outside.pk}/edit/")
    assert response.status_code in (302, 403)


def test_the_preview_may_be_framed_by_the_admin_only(client: Client, editor: User):
    client.force_login(editor)
    page = week_page(24)
    preview_url = f"/cms/pages/{page.pk}/edit/preview/"
    data = {"title": page.title, "slug": page.slug, "week": 24, "summary": "Forhåndsvisning"}
    data |= {field: rich_text(getattr(page, field)) for field in ("baby", "mother", "consultation")}
    assert client.post(preview_url, data).json()["is_valid"]
    response = client.get(preview_url)
    assert response.status_code == 200
    assert "Forhåndsvisning" in response.content.decode()
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "SAMEORIGIN"


@pytest.mark.parametrize(("language", "heading"), [("nn", "Svangerskapskontroll"), ("en", "Svangerskapskontroll")])
def test_an_editor_can_edit_and_publish_the_translation_of_a_week(
    client: Client, editor: User, language: str, heading: str
):
    client.force_login(editor)
    page = week_page(24, language)
    assert client.get(f"/cms/pages/{page.pk}/edit/").status_code == 200
    data = {"title": page.title, "slug": page.slug, "week": 24, "summary": "Ny ingress.", "action-publish": "1"}
    data |= {field: rich_text(getattr(page, field)) for field in ("baby", "mother", "consultation")}
    response = client.post(f"/cms/pages/{page.pk}/edit/", data)
    assert response.status_code == 302
    assert week_page(24, language).summary == "Ny ingress."
    assert week_page(24).summary != "Ny ingress."  # the bokmål page is its own


def test_an_editor_can_translate_a_week_that_lost_its_translation(client: Client, editor: User):
    week_page(24, "en").delete()
    client.force_login(editor)
    original = week_page(24)
    english = Locale.objects.get(language_code="en")
    response = client.post(f"/cms/translation/submit/page/{original.pk}/", {"locales": [english.pk]})
    assert response.status_code == 302
    copy = week_page(24, "en")
    assert copy.translation_key == original.translation_key
    assert copy.get_parent().specific == PregnancyWeekIndexPage.objects.get(locale=english)
    assert not copy.live  # a draft for the editor to translate and publish
    assert client.get(f"/cms/pages/{copy.pk}/edit/").status_code == 200


def test_the_editor_refuses_a_second_page_for_a_week_in_the_same_language(client: Client, editor: User):
    client.force_login(editor)
    index = week_page(24, "nn").get_parent()
    data = {"title": "Veke 24 igjen", "slug": "veke-24-igjen", "week": 24, "summary": "x", "action-publish": "1"}
    data |= {field: rich_text("<p>x</p>") for field in ("baby", "mother", "consultation")}
    response = client.post(f"/cms/pages/add/content/pregnancyweekpage/{index.pk}/", data)
    assert response.status_code == 200
    assert "Det finnes allerede en side for uke 24 på dette språket." in response.content.decode()
    assert PregnancyWeekPage.objects.filter(week=24, locale__language_code="nn").count() == 1

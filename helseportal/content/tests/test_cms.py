"""Wagtail's admin at /cms/: it answers, it is classified, editors can edit weeks, and its CSP stays in /cms/."""

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import get_resolver
from wagtail.test.utils.form_data import rich_text

from helseportal.content.models import PregnancyWeekPage
from helseportal.content.services import EDITOR_GROUP
from helseportal.core.routes import Level, route_level
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
    page = PregnancyWeekPage.objects.get(week=24)
    response = client.get(f"/cms/pages/{page.pk}/edit/")
    assert response.status_code == 200
    assert "Svangerskapskontroll" in response.content.decode()


def test_an_editor_cannot_edit_pages_outside_the_week_index(client: Client, editor: User):
    client.force_login(editor)
    index = PregnancyWeekPage.objects.get(week=24).get_parent()
    outside = index.get_parent()
    response = client.get(f"/cms/pages/{outside.pk}/edit/")
    assert response.status_code in (302, 403)


def test_the_preview_may_be_framed_by_the_admin_only(client: Client, editor: User):
    client.force_login(editor)
    page = PregnancyWeekPage.objects.get(week=24)
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

"""Per-unit rights in Wagtail's admin (/cms/): a unit's editors edit its page and notices, and nothing else."""

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from helseportal.content.models import Notice
from helseportal.content.tests.conftest import UNITS_URLCONF, page_of, unit
from helseportal.content.tree import unit_editor_group_name
from helseportal.demo import personas

pytestmark = pytest.mark.django_db


@pytest.fixture
def sht_editor(demo: None) -> User:
    user = User.objects.create_user("sht-redaktor", password="ikke-i-bruk")
    user.groups.add(Group.objects.get(name=unit_editor_group_name(unit(personas.SHT_OSLO))))
    return user


def test_every_unit_has_its_own_editor_group(demo: None):
    for persona in (personas.SHT_OSLO, personas.SHT_BERGEN, personas.HFU_OSLO, personas.HFU_BERGEN):
        assert Group.objects.filter(name=unit_editor_group_name(unit(persona))).exists()


def test_an_editor_can_edit_her_units_page_and_notices(client: Client, sht_editor: User):
    client.force_login(sht_editor)
    page = page_of(personas.SHT_OSLO)
    response = client.get(f"/cms/pages/{page.pk}/edit/")
    assert response.status_code == 200
    assert "Ingrid Dahl" in response.content.decode()  # the staff inline
    notice = Notice.objects.child_of(page).first()
    assert notice is not None
    assert client.get(f"/cms/pages/{notice.pk}/edit/").status_code == 200
    assert client.get(f"/cms/pages/add/content/notice/{page.pk}/").status_code == 200


def test_an_editor_cannot_edit_another_units_page_or_add_notices_there(client: Client, sht_editor: User):
    client.force_login(sht_editor)
    other = page_of(personas.HFU_OSLO)
    assert client.get(f"/cms/pages/{other.pk}/edit/").status_code in (302, 403)
    assert client.get(f"/cms/pages/add/content/notice/{other.pk}/").status_code in (302, 403)
    assert client.post(f"/cms/pages/{other.pk}/unpublish/").status_code in (302, 403)
    assert page_of(personas.HFU_OSLO).live
    bergen = page_of(personas.SHT_BERGEN)
    assert client.get(f"/cms/pages/{bergen.pk}/edit/").status_code in (302, 403)


def test_the_admins_notice_form_stores_grades_as_checkboxes(client: Client, sht_editor: User):
    client.force_login(sht_editor)
    page = page_of(personas.SHT_OSLO)
    data = {
        "title": "Fra admin",
        "slug": "fra-admin",
        "school": str(unit(personas.SCHOOL_OSLO).pk),
        "grades": ["8", "10"],
        "text": "Tekst",
        "sender": "Ingrid",
        "links-TOTAL_FORMS": "1",
        "links-INITIAL_FORMS": "0",
        "links-MIN_NUM_FORMS": "0",
        "links-MAX_NUM_FORMS": "1000",
        "links-0-label": "Usikker",
        "links-0-url": "http://example.org/",
        "links-0-ORDER": "1",
        "links-0-DELETE": "",
        "action-publish": "action-publish",
    }
    response = client.post(f"/cms/pages/add/content/notice/{page.pk}/", data)
    assert response.status_code == 200  # the http link is refused
    assert not Notice.objects.filter(title="Fra admin").exists()
    data["links-0-url"] = "https://example.org/"
    response = client.post(f"/cms/pages/add/content/notice/{page.pk}/", data)
    assert response.status_code == 302
    notice = Notice.objects.get(title="Fra admin")
    assert notice.grades == [8, 10]
    assert notice.unit == unit(personas.SHT_OSLO)
    assert notice.live


@pytest.mark.urls(UNITS_URLCONF)
def test_the_admin_preview_renders_the_public_template(demo: None):
    page = page_of(personas.SHT_OSLO)
    page.display_name = "Utkast til nytt navn"
    response = page.make_preview_request()
    assert response.status_code == 200
    html = response.content.decode()
    assert "Utkast til nytt navn" in html
    assert "Ingrid Dahl" in html
    assert "Jonas Lie" not in html
    notice = Notice.objects.child_of(page).live().first()
    assert notice is not None
    assert notice.specific.make_preview_request().status_code == 200

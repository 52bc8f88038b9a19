"""Citizens find the forms (review finding 6): «Skjemaer» on the front page and on Min side, and the school health
service's page for youth lists the forms that service offers her."""

import pytest
from django.test import Client
from django.urls import reverse

from helseportal.core.actor import Actor
from helseportal.core.testing import log_in
from helseportal.forms.models import Form

pytestmark = pytest.mark.django_db


def client_for(actor: Actor) -> Client:
    client = Client()
    log_in(client, actor)
    return client


def test_skjemaer_is_on_the_front_page_and_on_min_side(kari: Actor) -> None:
    link = f'href="{reverse("forms:list")}"'
    assert link in Client().get("/").content.decode()
    home = client_for(kari).get(reverse("home")).content.decode()
    assert link in home
    assert "Skjemaer" in home


def test_the_school_health_service_page_links_to_its_forms(nora_youth: Actor, nurse_form: Form) -> None:
    page = client_for(nora_youth).get(reverse("youth:school")).content.decode()
    assert f'href="{reverse("forms:start", args=[nurse_form.pk])}"' in page
    assert "Før samtalen med helsesykepleier" in page


def test_a_parent_of_a_youth_gets_no_forms_on_a_school_page(kari_for_nora: Actor, nurse_form: Form) -> None:
    from helseportal.forms.templatetags.forms_tags import offered_by

    request = Client().get("/").wsgi_request
    request.session = client_for(kari_for_nora).session
    assert offered_by({"request": request}, nurse_form.unit) == []

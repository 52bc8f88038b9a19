"""Who may fill a published form in (review finding 5): the editor chooses at upload, every citizen or the unit's
own (those in contact with it, a school health service's pupils); the operator sees the choice when she approves it,
and `queries.offered` honours it."""

import copy
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from helseportal.core.actor import Actor
from helseportal.core.testing import log_in
from helseportal.demo import actors, personas
from helseportal.demo.messaging import load_messaging
from helseportal.forms import queries
from helseportal.forms.models import Form, FormStatus
from helseportal.forms.tests.conftest import NURSE_FORM, unit
from helseportal.forms.tests.test_publishing import operator_client  # noqa: F401 (a fixture)
from helseportal.identity.models import Practitioner
from helseportal.organisations.models import Membership
from helseportal.organisations.models import Role as UnitRole

pytestmark = pytest.mark.django_db
PUBLISHING = "/helsepersonell/skjemaer/publisering/"


def client_for(actor: Actor) -> Client:
    client = Client()
    log_in(client, actor)
    return client


def editor_at(practitioner: personas.PractitionerPersona, office: personas.UnitPersona) -> Client:
    found = Practitioner.objects.get(hpr_number=practitioner.hpr_number)
    Membership.objects.get_or_create(practitioner=found, unit=unit(office), role=UnitRole.EDITOR)
    return client_for(actors.clinician(practitioner, office))


def publish(editor: Client, operator: Client, resource: dict[str, Any], audience: str) -> Form:
    """Upload with the audience, send to approval, and approve as the operator (who sees the choice)."""
    data = SimpleUploadedFile("skjema.json", json.dumps(resource).encode(), "application/json")
    uploaded = editor.post(PUBLISHING, {"questionnaire": data, "audience": audience})
    assert uploaded.status_code == 302, uploaded.content.decode()
    form = Form.objects.get(url=resource["url"], version=resource["version"])
    words = "Alle innbyggere" if audience == "everyone" else "Enhetens egne pasienter eller elever"
    assert words in editor.get(uploaded.url).content.decode()
    assert editor.post(f"{uploaded.url}send-til-godkjenning/").status_code == 302
    approval = f"/admin/questionnaires/form/{form.pk}/godkjenning/"
    assert words in operator.get(approval).content.decode()
    assert operator.post(approval, {"decision": "approve"}).status_code == 302
    form.refresh_from_db()
    assert form.status == FormStatus.ACTIVE
    return form


def gp_form(url: str, title: str) -> dict[str, Any]:
    return copy.deepcopy(NURSE_FORM) | {"url": url, "title": title}


def test_an_editors_form_for_the_units_own_reaches_kari_and_not_per(
    demo: None,
    operator_client: Client,  # noqa: F811
) -> None:
    load_messaging()  # Kari's thread with her GP office: she has been in contact with it, Per has not
    kari, per = actors.citizen(personas.KARI), actors.citizen(personas.PER)
    editor = editor_at(personas.LARS, personas.MAJORSTUEN_GP)
    form = publish(editor, operator_client, gp_form("urn:test:gp-own", "Før timen hos fastlegen"), "own")
    assert not form.public
    page = client_for(kari).get("/skjemaer/").content.decode()
    assert "Før timen hos fastlegen" in page  # Kari has been in contact with her GP office
    assert client_for(kari).get(f"/skjemaer/{form.pk}/").status_code == 200
    assert "Før timen hos fastlegen" not in client_for(per).get("/skjemaer/").content.decode()
    assert client_for(per).get(f"/skjemaer/{form.pk}/").status_code == 404


def test_an_editors_form_for_everyone_reaches_per(demo: None, operator_client: Client) -> None:  # noqa: F811
    editor = editor_at(personas.LARS, personas.MAJORSTUEN_GP)
    form = publish(editor, operator_client, gp_form("urn:test:gp-all", "Influensavaksine"), "everyone")
    assert form.public
    per = client_for(actors.citizen(personas.PER))
    assert "Influensavaksine" in per.get("/skjemaer/").content.decode()
    assert per.get(f"/skjemaer/{form.pk}/").status_code == 200


def test_a_form_for_another_schools_pupils_is_not_offered_to_nora(
    nora_youth: Actor,
    operator_client: Client,  # noqa: F811
) -> None:
    oslo, bergen = editor_at(personas.INGRID, personas.SHT_OSLO), editor_at(personas.INGRID, personas.SHT_BERGEN)
    own = publish(oslo, operator_client, gp_form("urn:test:sht-oslo", "Oslo"), "own")
    other = publish(bergen, operator_client, gp_form("urn:test:sht-bergen", "Bergen"), "own")
    assert [form.pk for form in queries.offered(nora_youth)] == [own.pk]
    assert client_for(nora_youth).get(f"/skjemaer/{other.pk}/").status_code == 404

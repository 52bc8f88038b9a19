"""The QuestionnaireResponse as sent (review finding 16): `source` and `author` name who answered, a parent for her
child too; sending tells the unit's record system that subscribes to QuestionnaireResponse; an editor's new version
of a form keeps the area of the url's earlier versions."""

import copy
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django_tasks_db.models import DBTaskResult

from helseportal.access.models import ServiceArea
from helseportal.core.actor import Actor
from helseportal.core.testing import log_in
from helseportal.demo import actors, personas
from helseportal.forms import services
from helseportal.forms.models import Form
from helseportal.forms.tests.conftest import NURSE_FORM, person, unit
from helseportal.identity.models import Practitioner
from helseportal.organisations.models import Membership
from helseportal.organisations.models import Role as UnitRole
from helseportal.subscriptions.models import Subscription
from helseportal.subscriptions.tests.conftest import client_of, subscribe

pytestmark = pytest.mark.django_db
CONTENT = {"i1": "3", "i2": "Vondt i øret", "i3": "Ola har vondt i øret.", "i4": "2026-06-01"}


def send_econsultation(actor: Actor, form: Form) -> Client:
    client = Client()
    log_in(client, actor)
    start = f"/skjemaer/{form.pk}/"
    client.post(start)
    client.post(f"{start}steg/0/", {"action": "next", **CONTENT})  # "annet" opens "since when" on the step
    client.post(f"{start}steg/0/", {"action": "next", **CONTENT})
    client.post(f"{start}steg/1/", {"action": "next", "i8": "0", "i10": "true"})
    client.post(f"{start}steg/2/", {"action": "next"})
    sent = client.post(f"{start}oppsummering/")
    assert sent.status_code == 302
    return client


def test_source_and_author_name_the_parent_who_answered(kari_for_ola: Actor, econsultation: Form) -> None:
    send_econsultation(kari_for_ola, econsultation)
    resource = services.FormResponse.objects.get(form=econsultation, status="completed").resource
    kari, ola = person(personas.KARI), person(personas.OLA)
    assert resource["subject"]["reference"] == f"Patient/{ola.pk}"
    assert resource["source"]["reference"] == f"Patient/{kari.pk}"
    assert resource["author"]["reference"] == f"Patient/{kari.pk}"


def test_sending_tells_the_units_questionnaire_response_subscriber(
    kari: Actor, econsultation: Form, django_capture_on_commit_callbacks: object
) -> None:
    scopes = frozenset({"system/Subscription.cruds", "system/QuestionnaireResponse.rs"})
    epj = client_of(personas.MAJORSTUEN_GP, "epj-gp", scopes)
    subscribe(epj, "https://epj.example/hook", "QuestionnaireResponse?status=completed")
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        send_econsultation(kari, econsultation)
    row = Subscription.objects.get(client_id="epj-gp")
    assert row.events == 1
    sent = services.FormResponse.objects.get(form=econsultation, status="completed")
    queued = [task.args_kwargs for task in DBTaskResult.objects.filter(task_path__endswith=".deliver")]
    assert any(f"QuestionnaireResponse/form-{sent.pk}" in json.dumps(args) for args in queued)


def test_an_editors_new_version_of_the_pregnancy_survey_keeps_its_area(demo: None) -> None:
    station = unit(personas.HEALTH_STATION)
    first = copy.deepcopy(NURSE_FORM) | {"url": "urn:test:owned", "version": "1"}
    services.import_form(first, unit=station, area=ServiceArea.PREGNANCY)
    mette = Practitioner.objects.get(hpr_number=personas.METTE.hpr_number)
    Membership.objects.get_or_create(practitioner=mette, unit=station, role=UnitRole.EDITOR)
    editor = Client()
    log_in(editor, actors.clinician(personas.METTE, personas.HEALTH_STATION))
    data = json.dumps(first | {"version": "2"}).encode()
    upload = {"questionnaire": SimpleUploadedFile("s.json", data, "application/json")}
    posted = editor.post("/helsepersonell/skjemaer/publisering/", upload)
    assert posted.status_code == 302, posted.content.decode()[:2000]
    assert Form.objects.get(url="urn:test:owned", version="2").area == ServiceArea.PREGNANCY

"""The pregnancy survey's answers reach staff and record systems once, through the card (issue 17 items 2 and 5).

The survey is imported for the demo's health station (Mette's unit, "A"); Kari shares her card with her GP office
(Lars's unit, "B"), not with the health station. On sending, the card's QuestionnaireResponse is the record: B's
staff see the answers on the card and B's record system reads and searches it and is told of it once; A, which only
imported the form, sees nothing of hers (no inbox row, no `form-<id>`, no tie to her, no notification). Kari still
has her own copy: her sent forms, the receipt, the PDF. Sending is one event in her log.
"""

import datetime
import json
from typing import Any

import pytest
from django.db import transaction
from django.urls import reverse

from helseportal.access import sharing
from helseportal.access.models import AuditEvent
from helseportal.core.actor import Actor, Assurance, Role
from helseportal.core.time import today
from helseportal.demo import actors, personas
from helseportal.fhir.testing import api
from helseportal.forms.models import Form, FormResponse, ResponseStatus
from helseportal.forms.tests.test_pdf import pdf_text
from helseportal.identity.models import Person
from helseportal.organisations.models import Unit
from helseportal.pregnancy import services, survey
from helseportal.pregnancy.models import FirstConsultationForm, Pregnancy
from helseportal.pregnancy.tests.test_card_views import citizen, client_for, start_at
from helseportal.pregnancy.tests.test_first_form import send
from helseportal.subscriptions import delivery
from helseportal.subscriptions import services as subscriptions
from helseportal.subscriptions.models import Content, Status, Subscription
from helseportal.subscriptions.notification import Notice

pytestmark = pytest.mark.django_db
INBOX = "/helsepersonell/skjemaer/"
STATION, GP_OFFICE = personas.HEALTH_STATION, personas.MAJORSTUEN_GP  # A imported the survey; B has her card


def unit(persona: personas.UnitPersona) -> Unit:
    return Unit.objects.get(orgnr=persona.orgnr)


def system(where: personas.UnitPersona) -> Actor:
    return Actor(
        role=Role.SYSTEM,
        client_id=f"epj-{where.key}",
        unit_id=unit(where).pk,
        scopes=frozenset({"system/QuestionnaireResponse.rs", "system/Patient.rs", "system/Questionnaire.rs"}),
        assurance=Assurance.HIGH,
    )


@pytest.fixture
def kari() -> Actor:
    from helseportal.demo.forms import load_forms
    from helseportal.demo.loader import load_demo

    load_demo()
    load_forms()  # the survey, imported for the health station (A), as `make run` has it
    return citizen(Person.objects.get(pid=personas.KARI.pid))


@pytest.fixture
def pregnancy(kari: Actor) -> Pregnancy:
    pregnancy = start_at(kari, weeks=9, days=2)
    with transaction.atomic():  # her card to her GP office (B), not to the health station that imported the survey
        sharing.share_with_unit(
            kari,
            area="pregnancy",
            unit_id=unit(GP_OFFICE).pk,
            permission="read",
            valid_to=today() + datetime.timedelta(days=90),
        )
    return pregnancy


@pytest.fixture
def form(kari: Actor) -> Form:
    return Form.objects.get(url=survey.SURVEY_URL)


@pytest.fixture
def notices(monkeypatch: pytest.MonkeyPatch) -> list[Notice]:
    """The notifications queued for the worker, as each subscription gets them."""
    queued: list[Notice] = []
    monkeypatch.setattr(subscriptions.tasks, "enqueue", lambda notice, *args, **kwargs: queued.append(notice))
    return queued


def subscribe(where: personas.UnitPersona) -> Subscription:
    return Subscription.objects.create(
        client_id=f"epj-{where.key}",
        unit=unit(where),
        status=Status.ACTIVE,
        reason="Nye skjemasvar til journalen",
        criteria="QuestionnaireResponse?status=completed",
        resource_type="QuestionnaireResponse",
        filters={"status": ["completed"]},
        endpoint="https://epj.example.no/varsel",
        payload="application/fhir+json",
        content=Content.FULL_RESOURCE,
        scopes=["system/QuestionnaireResponse.rs"],
        secret="s" * 64,
    )


def sent_by(kari: Actor, form: Form, django_capture_on_commit_callbacks: Any) -> tuple[FormResponse, int]:
    """Kari sends the survey on the engine's pages; her copy and the card's first form's id."""
    with django_capture_on_commit_callbacks(execute=True):
        page = send(client_for(kari), form)
    receipt = page.content.decode()
    assert "Skjemaet er sendt til jordmor og lege som helsekortet er delt med." in receipt
    assert "Frogner helsestasjon" not in receipt  # the unit the survey was imported for does not receive it
    return FormResponse.objects.get(form=form, status=ResponseStatus.COMPLETED), FirstConsultationForm.objects.get().pk


def body(response: Any) -> dict[str, Any]:
    return json.loads(response.content)


def ids(bundle: dict[str, Any]) -> list[str]:
    return [entry["resource"]["id"] for entry in bundle.get("entry", [])]


def test_the_unit_that_imported_the_survey_sees_nothing_of_her_answers(
    kari: Actor, pregnancy: Pregnancy, form: Form, django_capture_on_commit_callbacks: Any
):
    copy, _card = sent_by(kari, form, django_capture_on_commit_callbacks)
    mette = client_for(actors.clinician(personas.METTE, STATION))
    assert "Kari Nordmann" not in mette.get(INBOX).content.decode()
    assert mette.get(f"{INBOX}svar/{copy.pk}/").status_code == 404
    assert mette.get(f"{INBOX}svar/{copy.pk}/skjema.pdf").status_code == 404
    assert mette.get(reverse("pregnancy:practitioner_card", args=[pregnancy.pk])).status_code == 404
    station = api(system(STATION))
    assert station.get(f"/fhir/R4/QuestionnaireResponse/form-{copy.pk}").status_code == 404
    assert ids(body(station.get(f"/fhir/R4/QuestionnaireResponse?patient={copy.person_id}"))) == []
    assert ids(body(station.get(f"/fhir/R4/QuestionnaireResponse?questionnaire={survey.SURVEY_URL}"))) == []
    assert station.get(f"/fhir/R4/Patient/{copy.person_id}").status_code == 404  # sending the survey is no tie


def test_the_unit_she_shares_her_card_with_gets_the_cards_response_once(
    kari: Actor, pregnancy: Pregnancy, form: Form, django_capture_on_commit_callbacks: Any
):
    copy, card = sent_by(kari, form, django_capture_on_commit_callbacks)
    gp = api(system(GP_OFFICE))
    assert gp.get(f"/fhir/R4/QuestionnaireResponse/form-{copy.pk}").status_code == 404
    found = body(gp.get(f"/fhir/R4/QuestionnaireResponse?patient={copy.person_id}"))
    assert ids(found) == [str(card)]
    for query in (f"questionnaire={form.canonical}", f"questionnaire={survey.SURVEY_URL}", "status=completed"):
        assert ids(body(gp.get(f"/fhir/R4/QuestionnaireResponse?{query}&patient={copy.person_id}"))) == [str(card)]
    assert ids(body(gp.get(f"/fhir/R4/QuestionnaireResponse?questionnaire={survey.SURVEY_URL}|0.9"))) == []
    resource = body(gp.get(f"/fhir/R4/QuestionnaireResponse/{card}"))
    assert resource["questionnaire"] == f"{survey.SURVEY_URL}|1.1.0"
    other = next(item for item in resource["item"] if item["linkId"] == "other")
    assert other["item"][0]["answer"] == [{"valueString": "Jeg er redd for sprøyter."}]


def test_a_midwife_at_the_shared_unit_sees_the_answers_on_the_card_not_in_the_forms_inbox(
    kari: Actor, pregnancy: Pregnancy, form: Form, django_capture_on_commit_callbacks: Any
):
    copy, _card = sent_by(kari, form, django_capture_on_commit_callbacks)
    lars = client_for(actors.clinician(personas.LARS, GP_OFFICE))
    assert "Kari Nordmann" not in lars.get(INBOX).content.decode()
    assert lars.get(f"{INBOX}svar/{copy.pk}/").status_code == 404
    card = lars.get(reverse("pregnancy:practitioner_card", args=[pregnancy.pk])).content.decode()
    assert "Kartlegging før første svangerskapskontroll" in card
    assert "Jeg er redd for sprøyter." in card
    assert "Kartleggingen er ikke sendt ennå." not in card


def test_the_shared_units_subscribers_are_told_once_and_the_importing_units_never(
    kari: Actor, pregnancy: Pregnancy, form: Form, notices: list[Notice], django_capture_on_commit_callbacks: Any
):
    station, gp = subscribe(STATION), subscribe(GP_OFFICE)
    _copy, card = sent_by(kari, form, django_capture_on_commit_callbacks)
    assert [(n.subscription_id, n.event, n.focus) for n in notices] == [
        (gp.pk, "questionnaire-response-to-unit", f"QuestionnaireResponse/{card}")
    ]
    station.refresh_from_db()
    assert station.events == 0
    full = delivery._resource(gp, notices[0])  # what a full-resource notification carries: the card's response
    assert full is not None
    assert (full["id"], full["questionnaire"]) == (str(card), f"{survey.SURVEY_URL}|1.1.0")


def test_she_still_has_her_copy_and_sending_is_one_event_in_her_log(
    kari: Actor, pregnancy: Pregnancy, form: Form, django_capture_on_commit_callbacks: Any
):
    copy, card = sent_by(kari, form, django_capture_on_commit_callbacks)
    client = client_for(kari)
    listed = client.get("/skjemaer/svar/").content.decode()
    assert "Kartlegging før første svangerskapskontroll" in listed
    assert "til jordmor og lege som helsekortet er delt med" in listed
    mine = client.get(f"/skjemaer/svar/{copy.pk}/").content.decode()
    assert "Jeg er redd for sprøyter." in mine
    assert "til jordmor og lege som helsekortet er delt med." in mine
    text = pdf_text(client.get(f"/skjemaer/svar/{copy.pk}/skjema.pdf").content)
    assert "Sendt til jordmor og lege som helsekortet er delt med" in text
    assert "Jeg er redd for sprøyter." in text
    assert "Frogner helsestasjon" not in mine + listed + text
    sending = AuditEvent.objects.filter(
        subject_id=copy.person_id, action__in=["forms:response:submitted", "pregnancy:form:submitted"]
    )
    assert list(sending.values_list("action", "resources")) == [
        ("pregnancy:form:submitted", [f"QuestionnaireResponse/{card}"])
    ]


def test_a_form_sent_before_the_survey_moved_names_the_url_alone_and_is_found_by_it(
    kari: Actor, pregnancy: Pregnancy, notices: list[Notice], django_capture_on_commit_callbacks: Any
):
    gp = subscribe(GP_OFFICE)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        old = services.save_first_form(kari, pregnancy, {"other": {"text": "Sendt før"}}, submit=True)
    assert [(n.subscription_id, n.focus) for n in notices] == [(gp.pk, f"QuestionnaireResponse/{old.pk}")]
    client = api(system(GP_OFFICE))
    assert body(client.get(f"/fhir/R4/QuestionnaireResponse/{old.pk}"))["questionnaire"] == survey.SURVEY_URL
    assert ids(body(client.get(f"/fhir/R4/QuestionnaireResponse?questionnaire={survey.SURVEY_URL}"))) == [str(old.pk)]
    assert ids(body(client.get(f"/fhir/R4/QuestionnaireResponse?questionnaire={survey.SURVEY_URL}|1.0.0"))) == []
    assert ids(body(client.get("/fhir/R4/QuestionnaireResponse?questionnaire=urn:other"))) == []

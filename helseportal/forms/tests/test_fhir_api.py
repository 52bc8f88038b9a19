"""Through the FHIR API: the unit's system client reads and searches the responses sent to it (and only those), a
citizen's app her own but never the youth services', and anyone the Questionnaire by url and version."""

import json
from typing import Any

import pytest
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from helseportal.access.models import AuditEvent
from helseportal.core.actor import Actor, Assurance, Role
from helseportal.demo import personas
from helseportal.fhir.testing import api
from helseportal.forms import services
from helseportal.forms.models import Form, FormResponse
from helseportal.forms.tests.conftest import person, unit

pytestmark = pytest.mark.django_db


def system(where: personas.UnitPersona) -> Actor:
    return Actor(
        role=Role.SYSTEM,
        client_id=f"epj-{where.key}",
        unit_id=unit(where).pk,
        scopes=frozenset({"system/QuestionnaireResponse.rs", "system/Questionnaire.rs"}),
        assurance=Assurance.HIGH,
    )


def app(persona: personas.CitizenPersona, subject: personas.CitizenPersona | None = None) -> Actor:
    me, them = person(persona), person(subject or persona)
    return Actor(
        role=Role.PARENT if subject else Role.CITIZEN,
        person_id=me.pk,
        subject_id=them.pk,
        client_id="app",
        scopes=frozenset({"patient/*.rs"}),
        assurance=Assurance.HIGH,
    )


def send(actor: Actor, form: Form, answers: dict[str, Any]) -> FormResponse:
    services.start(actor, form.pk)
    services.save_step(actor, form.pk, 1, answers, list(answers))
    return services.submit(actor, form.pk)


def body(response: Any) -> dict[str, Any]:
    return json.loads(response.content)


def test_the_units_system_client_reads_and_searches_what_was_sent_to_it(
    kari: Actor, nora_youth: Actor, triage_form: Form, nurse_form: Form
) -> None:
    sent = send(kari, triage_form, {"pustebesvaer": [{"valueBoolean": True}], "dager": [{"valueInteger": 2}]})
    youth = send(nora_youth, nurse_form, {"hva": [{"valueString": "Søvn"}]})
    gp = api(system(personas.MAJORSTUEN_GP))
    found = body(gp.get(f"/fhir/R4/QuestionnaireResponse?patient={sent.person_id}"))
    ids = [entry["resource"]["id"] for entry in found.get("entry", [])]
    assert ids == [f"form-{sent.pk}"]
    read = gp.get(f"/fhir/R4/QuestionnaireResponse/form-{sent.pk}")
    assert read.status_code == 200
    logged = AuditEvent.objects.filter(subject_id=sent.person_id, actor_client_id="epj-gp_office")
    assert set(logged.values_list("action", flat=True)) == {"api:messages:search", "api:messages:read"}
    resource = body(read)
    QuestionnaireResponse.model_validate(resource)
    assert resource["questionnaire"] == triage_form.canonical
    assert {
        "url": "urn:helseportal:forms:triage-outcome",
        "valueCoding": {"system": "http://hl7.org/fhir/request-priority", "code": "asap"},
    } in resource["extension"]
    by_form = body(gp.get(f"/fhir/R4/QuestionnaireResponse?questionnaire={triage_form.canonical}"))
    assert [e["resource"]["id"] for e in by_form.get("entry", [])] == [f"form-{sent.pk}"]
    assert gp.get(f"/fhir/R4/QuestionnaireResponse/form-{youth.pk}").status_code == 404  # the school nurse's
    nurse = api(system(personas.SHT_OSLO))
    assert nurse.get(f"/fhir/R4/QuestionnaireResponse/form-{youth.pk}").status_code == 200
    assert nurse.get(f"/fhir/R4/QuestionnaireResponse/form-{sent.pk}").status_code == 404


def test_a_citizens_app_sees_her_own_but_a_parents_app_not_the_youths(
    kari: Actor, nora_youth: Actor, triage_form: Form, nurse_form: Form
) -> None:
    sent = send(kari, triage_form, {"pustebesvaer": [{"valueBoolean": False}], "dager": [{"valueInteger": 2}]})
    youth = send(nora_youth, nurse_form, {"hva": [{"valueString": "Søvn"}]})
    assert api(app(personas.KARI)).get(f"/fhir/R4/QuestionnaireResponse/form-{sent.pk}").status_code == 200
    parent = api(app(personas.KARI, personas.NORA))
    assert parent.get(f"/fhir/R4/QuestionnaireResponse/form-{youth.pk}").status_code == 404
    assert api(app(personas.PER)).get(f"/fhir/R4/QuestionnaireResponse/form-{sent.pk}").status_code == 404


def test_the_questionnaire_by_url_and_version(triage_form: Form) -> None:
    client = api(system(personas.MAJORSTUEN_GP))
    found = body(client.get(f"/fhir/R4/Questionnaire?url={triage_form.url}&version=1.1.0"))
    assert [e["resource"]["id"] for e in found["entry"]] == [str(triage_form.pk)]
    assert body(client.get(f"/fhir/R4/Questionnaire/{triage_form.pk}"))["version"] == "1.1.0"

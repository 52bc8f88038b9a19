"""The e-consultation on the forms engine: open only at her GP office's copy while it offers the service; sent, it is a
thread to the office in Meldinger with the deadline and the co-payment, which the office answers there; the forms
inbox does not list it (this app takes it)."""

import pytest
from django.test import Client

from helseportal.access.models import AuditEvent
from helseportal.core.errors import Invalid, NotFound
from helseportal.demo import actors, personas
from helseportal.forms import services as forms
from helseportal.forms.models import Form, FormResponse
from helseportal.gp.tests.conftest import People
from helseportal.gpservices.services import e_consultation_sent
from helseportal.gpservices.survey import E_CONSULTATION_URL
from helseportal.gpservices.tests.conftest import turn_off
from helseportal.gpservices.tests.test_pages import shown_deadline
from helseportal.messaging import services as messaging
from helseportal.messaging.models import Message, Thread
from helseportal.offerings import kinds
from helseportal.organisations.models import Unit
from helseportal.records.tests.family import citizen, client_for

ANSWERS = {
    "tema": [{"valueCoding": {"system": "urn:helseportal:forms:demo:tema", "code": "provesvar"}}],
    "overskrift": [{"valueString": "Blodprøven i mai"}],
    "beskrivelse": [{"valueString": "Hva betyr den lave verdien?"}],
}
REPLY = {
    "svarform": [{"valueCoding": {"system": "urn:helseportal:forms:demo:svarform", "code": "melding"}}],
    "egenandel": [{"valueBoolean": True}],
}


def the_form(office: Unit) -> Form:
    return Form.objects.get(url=E_CONSULTATION_URL, unit=office)


def send(actor, form: Form) -> FormResponse:
    forms.start(actor, form.pk)
    forms.save_step(actor, form.pk, 1, ANSWERS, list(ANSWERS))
    forms.save_step(actor, form.pk, 2, REPLY, list(REPLY))
    return forms.submit(actor, form.pk)


@pytest.mark.dates
def test_a_sent_e_consultation_is_a_thread_to_her_office_with_deadline_and_co_payment(people: People, office: Unit):
    kari = citizen(people.kari)
    sent = send(kari, the_form(office))
    thread = Thread.objects.get(person=people.kari, unit=office)
    body = Message.objects.get(thread=thread).body
    assert thread.subject == "E-konsultasjon: Blodprøven i mai"
    assert f"Svarfrist: {shown_deadline(office)}." in body
    assert "Egenandel: 224 kr." in body
    assert "Beskriv hva du lurer på: Hva betyr den lave verdien?" in body
    event = AuditEvent.objects.get(action="gpservices:econsultation:sent", subject_id=people.kari.pk)
    assert event.resources == [f"QuestionnaireResponse/form-{sent.pk}", f"Thread/{thread.pk}"]


def test_the_office_answers_in_meldinger_and_she_reads_the_answer_there(people: People, office: Unit):
    send(citizen(people.kari), the_form(office))
    thread = Thread.objects.get(person=people.kari, unit=office)
    lars = actors.clinician(personas.LARS, personas.MAJORSTUEN_GP)
    staff = client_for(lars)
    assert "E-konsultasjon: Blodprøven i mai" in staff.get("/helsepersonell/meldinger/").content.decode()
    messaging.reply(lars, thread.pk, body="Verdien er normal for deg. Ingen ny prøve trengs.")
    page = client_for(citizen(people.kari)).get(f"/meldinger/{thread.pk}/").content.decode()
    assert "Verdien er normal for deg." in page
    # Taken by this app: not in the forms inbox as well.
    assert "Blodprøven" not in staff.get("/helsepersonell/skjemaer/").content.decode()


def test_the_form_is_closed_when_the_office_turns_the_service_off(people: People, office: Unit):
    form = the_form(office)
    kari = citizen(people.kari)
    forms.start(kari, form.pk)
    turn_off(office, kinds.GP_E_CONSULTATION)
    with pytest.raises(NotFound):
        forms.submit(kari, form.pk)
    assert client_for(kari).get(f"/skjemaer/{form.pk}/").status_code == 404


def test_the_form_is_not_listed_under_skjemaer(people: People, office: Unit):
    page = client_for(citizen(people.kari)).get("/skjemaer/").content.decode()
    assert f"/skjemaer/{the_form(office).pk}/" not in page


def test_another_offices_copy_is_not_open_to_her(people: People, office: Unit):
    elsewhere = Unit.objects.get(orgnr=personas.HEALTH_STATION.orgnr)
    resource = the_form(office).resource | {"version": "1.0.0-frogner"}  # a version is one unit's (forms engine)
    copy = forms.import_form(resource, unit=elsewhere)
    with pytest.raises(NotFound):
        forms.start(citizen(people.kari), copy.pk)


def test_a_sent_response_not_addressed_to_her_office_is_refused(people: People, office: Unit):
    recipient = {"url": "urn:helseportal:forms:recipient", "valueReference": {"identifier": {"value": "999999999"}}}
    response = {"extension": [recipient]}
    with pytest.raises(Invalid):
        e_consultation_sent(citizen(people.kari), response)


def test_the_front_page_still_answers(people: People):
    assert Client().get("/").status_code == 200

"""The receiving unit's inbox (issue 17 item 2): its clinicians see the responses sent to it, newest first or most
pressing first, unread and read; one opened shows the answers in the form's structure, the score, the priority and
who filled it in for whom; every read is audited; other units' staff get 404 (a youth's form to the school health
service reaches that service's staff only)."""

from typing import Any

import pytest
from django.test import Client

from helseportal.access.models import AuditEvent, Outcome
from helseportal.core.actor import Actor
from helseportal.core.testing import log_in
from helseportal.demo import actors, personas
from helseportal.forms import services
from helseportal.forms.models import Form, FormResponse

pytestmark = pytest.mark.django_db
INBOX = "/helsepersonell/skjemaer/"
BREATHLESS = {"pustebesvaer": [{"valueBoolean": True}], "dager": [{"valueInteger": 2}]}
MILD = {"pustebesvaer": [{"valueBoolean": False}], "dager": [{"valueInteger": 1}]}


def send(actor: Actor, form: Form, answers: dict[str, Any]) -> FormResponse:
    services.start(actor, form.pk)
    services.save_step(actor, form.pk, 1, answers, list(answers))
    return services.submit(actor, form.pk)


def client_for(actor: Actor) -> Client:
    client = Client()
    log_in(client, actor)
    return client


@pytest.fixture
def lars(demo: None) -> Client:
    return client_for(actors.clinician(personas.LARS, personas.MAJORSTUEN_GP))


@pytest.fixture
def ingrid(demo: None) -> Client:
    return client_for(actors.clinician(personas.INGRID, personas.SHT_OSLO))


def rows(html: str) -> list[str]:
    """The citizen names of the inbox's rows, in order."""
    body = html.split("<tbody>")[1].split("</tbody>")[0]
    return [row.split("<td>")[1].split("</td>")[0] for row in body.split("<tr>")[1:]]


def test_the_inbox_lists_newest_first_sorts_by_priority_and_marks_what_is_read(
    lars: Client, kari: Actor, kari_for_ola: Actor, triage_form: Form
) -> None:
    urgent = send(kari, triage_form, BREATHLESS)
    routine = send(kari_for_ola, triage_form, MILD)  # sent later, less pressing
    assert urgent.priority == "asap"
    assert routine.priority == "routine"
    newest = lars.get(INBOX).content.decode()
    assert rows(newest) == ["Ola Nordmann", "Kari Nordmann"]
    assert "Så snart som mulig" in newest
    assert "Rutine" in newest
    assert newest.count(">Ulest<") == 2
    assert rows(lars.get(f"{INBOX}?sorter=prioritet").content.decode()) == ["Kari Nordmann", "Ola Nordmann"]

    page = lars.get(f"{INBOX}svar/{routine.pk}/").content.decode()
    assert "Ola Nordmann" in page
    assert "Kari Nordmann, på vegne av den skjemaet gjelder" in page  # who filled it in for whom
    assert "Hvor mange dager har du hatt plagene?</dt>" in page
    assert "Poeng" in page  # the calculated score, in the form's structure
    assert "Rutine" in page
    unread = rows(lars.get(f"{INBOX}?ulest=1").content.decode())
    assert unread == ["Kari Nordmann"]
    assert FormResponse.objects.get(pk=routine.pk).read_by_unit_at is not None

    opened = AuditEvent.objects.get(action="forms:response:opened")
    assert opened.subject_id == routine.person_id
    assert opened.actor_hpr_number == personas.LARS.hpr_number
    assert opened.resources == [f"QuestionnaireResponse/form-{routine.pk}"]
    listed = set(AuditEvent.objects.filter(action="forms:inbox:read").values_list("subject_id", flat=True))
    assert listed == {urgent.person_id, routine.person_id}


def test_a_youths_form_to_the_school_health_service_reaches_its_staff_only(
    lars: Client, ingrid: Client, nora_youth: Actor, nurse_form: Form, demo: None
) -> None:
    sent = send(nora_youth, nurse_form, {"hva": [{"valueString": "Søvn"}]})
    assert "Nora" in ingrid.get(INBOX).content.decode()
    assert "Søvn" in ingrid.get(f"{INBOX}svar/{sent.pk}/").content.decode()
    assert "Nora" not in lars.get(INBOX).content.decode()
    assert lars.get(f"{INBOX}svar/{sent.pk}/").status_code == 404
    denied = AuditEvent.objects.get(action="forms:response:opened", outcome=Outcome.DENIED)
    assert denied.reason == "other_unit"
    assert denied.hidden_from_representatives
    at_the_youth_station = client_for(actors.clinician(personas.INGRID, personas.HFU_OSLO))
    assert at_the_youth_station.get(f"{INBOX}svar/{sent.pk}/").status_code == 404
    opened = AuditEvent.objects.get(action="forms:response:opened", outcome=Outcome.ALLOWED)
    assert opened.hidden_from_representatives  # a youth service's: not on her parents' view of the log


def test_only_the_units_clinicians_get_in(kari: Actor, triage_form: Form, demo: None) -> None:
    sent = send(kari, triage_form, MILD)
    at_her_station = client_for(actors.clinician(personas.METTE, personas.HEALTH_STATION))
    assert "Ingen skjemaer her." in at_her_station.get(INBOX).content.decode()  # her own unit's: none
    assert at_her_station.get(f"{INBOX}svar/{sent.pk}/").status_code == 404
    not_a_member = client_for(actors.clinician(personas.METTE, personas.MAJORSTUEN_GP))
    assert not_a_member.get(INBOX).status_code == 404
    assert not_a_member.get(f"{INBOX}svar/{sent.pk}/").status_code == 404
    assert client_for(kari).get(INBOX).status_code == 302  # a citizen: to HelseID
    assert Client().get(f"{INBOX}svar/{sent.pk}/").status_code == 302


def test_a_draft_is_never_in_the_inbox(lars: Client, kari: Actor, triage_form: Form) -> None:
    draft = services.start(kari, triage_form.pk)
    assert "Ingen skjemaer her." in lars.get(INBOX).content.decode()
    assert lars.get(f"{INBOX}svar/{draft.pk}/").status_code == 404


def test_odd_list_parameters_fall_back(lars: Client, kari: Actor, triage_form: Form) -> None:
    send(kari, triage_form, MILD)
    for query in ("?sorter=drop", "?side=-3", "?side=x", "?side=99999999999"):
        assert lars.get(f"{INBOX}{query}").status_code == 200

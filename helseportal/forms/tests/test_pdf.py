"""A sent response as PDF (issue 17 item 2), for the citizen and for the receiving unit's staff, from the pages'
templates; its text read back with `pdftotext` (poppler), the way a screen reader or a search would see it."""

import shutil
import subprocess
from typing import Any

import pytest
from django.test import Client

from helseportal.access.models import AuditEvent
from helseportal.core.actor import Actor
from helseportal.core.testing import log_in
from helseportal.demo import actors, personas
from helseportal.forms import services
from helseportal.forms.models import Form, FormResponse
from helseportal.forms.tests.conftest import person

pytestmark = pytest.mark.django_db
BREATHLESS = {
    "pustebesvaer": [{"valueBoolean": True}],
    "dager": [{"valueInteger": 9}],
    "kommentar": [{"valueString": "Hoster mest om natta"}],
}


def send(actor: Actor, form: Form, answers: dict[str, Any]) -> FormResponse:
    services.start(actor, form.pk)
    services.save_step(actor, form.pk, 1, answers, list(answers))
    return services.submit(actor, form.pk)


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF-")
    program = shutil.which("pdftotext")
    if program is None:  # poppler-utils is in the dev image and CI; say so if it is not
        pytest.fail("pdftotext (poppler-utils) is needed to read the PDF's text")
    done = subprocess.run([program, "-layout", "-", "-"], input=content, capture_output=True, check=True)  # noqa: S603
    return " ".join(done.stdout.decode().split())


def client_for(actor: Actor) -> Client:
    client = Client()
    log_in(client, actor)
    return client


def test_her_copy_has_her_answers_the_advice_and_her_full_fodselsnummer(kari: Actor, triage_form: Form) -> None:
    sent = send(kari, triage_form, BREATHLESS)
    client = client_for(kari)
    assert f"/skjemaer/svar/{sent.pk}/skjema.pdf" in client.get(f"/skjemaer/svar/{sent.pk}/").content.decode()
    response = client.get(f"/skjemaer/svar/{sent.pk}/skjema.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    text = pdf_text(response.content)
    assert "Symptomsjekk: feber og luftveisplager" in text
    assert "Har du pustebesvær i hvile? Ja" in text
    assert "Hoster mest om natta" in text
    assert "Hvor mange dager har du hatt plagene? 9" in text
    assert personas.KARI.pid in text
    assert "Råd fra Kirkeveien legesenter" in text
    assert "Prioritet" not in text  # the priority is the staff's
    event = AuditEvent.objects.get(action="forms:response:exported")
    assert event.subject_id == kari.person_id
    assert event.resources == [f"QuestionnaireResponse/form-{sent.pk}"]


def test_the_staffs_copy_has_the_priority_and_a_masked_fodselsnummer(kari_for_ola: Actor, triage_form: Form) -> None:
    sent = send(kari_for_ola, triage_form, BREATHLESS)
    lars = client_for(actors.clinician(personas.LARS, personas.MAJORSTUEN_GP))
    page = lars.get(f"/helsepersonell/skjemaer/svar/{sent.pk}/").content.decode()
    assert f"/helsepersonell/skjemaer/svar/{sent.pk}/skjema.pdf" in page
    text = pdf_text(lars.get(f"/helsepersonell/skjemaer/svar/{sent.pk}/skjema.pdf").content)
    assert "Ola Nordmann" in text
    assert "Kari Nordmann, på vegne av den skjemaet gjelder" in text
    assert "Prioritet Så snart som mulig" in text
    assert "Poeng" in text
    assert personas.OLA.pid not in text
    assert person(personas.OLA).masked_pid in text
    assert "Fødselsnummeret er skjult i denne kopien." in text
    exported = AuditEvent.objects.get(action="forms:response:exported")
    assert exported.actor_hpr_number == personas.LARS.hpr_number
    assert exported.subject_id == sent.person_id


def test_nynorsk_gives_the_form_in_nynorsk(kari: Actor, triage_form: Form) -> None:
    sent = send(kari, triage_form, BREATHLESS)
    client = client_for(kari)
    client.post("/i18n/setlang/", {"language": "nn"})
    text = pdf_text(client.get(f"/skjemaer/svar/{sent.pk}/skjema.pdf").content)
    assert "Symptomsjekk: feber og luftvegsplager" in text


def test_no_pdf_for_someone_else(
    kari: Actor, per: Actor, triage_form: Form, nora_youth: Actor, nurse_form: Form
) -> None:
    sent = send(kari, triage_form, BREATHLESS)
    assert client_for(per).get(f"/skjemaer/svar/{sent.pk}/skjema.pdf").status_code == 404
    youth = send(nora_youth, nurse_form, {"hva": [{"valueString": "Søvn"}]})
    kari_for_nora = kari.acting_for(person(personas.NORA).pk, kari.role.PARENT)
    assert client_for(kari_for_nora).get(f"/skjemaer/svar/{youth.pk}/skjema.pdf").status_code == 404
    lars = client_for(actors.clinician(personas.LARS, personas.MAJORSTUEN_GP))
    assert lars.get(f"/helsepersonell/skjemaer/svar/{youth.pk}/skjema.pdf").status_code == 404
    assert not AuditEvent.objects.filter(action="forms:response:exported", outcome="allowed").exists()

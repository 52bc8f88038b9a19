"""The citizen's steps with the test client: start, an error per field, next, back, a draft resumed in a new session,
the summary, sending, the receipt with the unit's advice, her list; and who may reach which form."""

import pytest
from django.test import Client

from helseportal.access.models import AuditEvent
from helseportal.core.actor import Actor
from helseportal.core.testing import log_in
from helseportal.forms.models import Form, FormResponse, ResponseStatus

pytestmark = pytest.mark.django_db


def client_for(actor: Actor) -> Client:
    client = Client()
    log_in(client, actor)
    return client


def test_the_triage_form_from_start_to_receipt(kari: Actor, triage_form: Form) -> None:
    client = client_for(kari)
    assert "Symptomsjekk: feber og luftveisplager" in client.get("/skjemaer/").content.decode()
    start = f"/skjemaer/{triage_form.pk}/"
    assert client.post(start).url == f"{start}steg/0/"
    page = client.post(f"{start}steg/0/", {"action": "next", "i1": "", "i4": "nitti"})
    assert page.status_code == 400
    html = page.content.decode()
    assert "Svar på dette spørsmålet." in html
    assert "Skriv et helt tall." in html
    answers = {"action": "next", "i1": "false", "i2": ["0", "2"], "i3": "38,5", "i4": "9", "i5": "false"}
    assert client.post(f"{start}steg/0/", answers).url == f"{start}steg/1/"
    step_two = client.get(f"{start}steg/1/").content.decode()
    assert "Poeng" in step_two
    assert ">4<" in step_two.replace(" ", "")
    back = client.post(f"{start}steg/1/", {"action": "back", "i9": "Hoster om natta"})
    assert back.url == f"{start}steg/0/"
    assert 'value="38,5"' in client.get(f"{start}steg/0/").content.decode()

    resumed = client_for(kari)  # another day, another session: the draft is where she left it
    assert "Fortsett utfyllingen" in resumed.get(start).content.decode()
    assert resumed.post(start).url == f"{start}steg/0/"
    assert resumed.post(f"{start}steg/0/", answers).url == f"{start}steg/1/"
    assert resumed.post(f"{start}steg/1/", {"action": "next", "i9": "Hoster om natta"}).url == f"{start}oppsummering/"
    summary = resumed.get(f"{start}oppsummering/").content.decode()
    assert "Hoster om natta" in summary
    assert "38,5 °C" in summary
    assert "Hoste, Hodepine" in summary
    sent = resumed.post(f"{start}oppsummering/")
    response = FormResponse.objects.get(form=triage_form, status=ResponseStatus.COMPLETED)
    assert sent.url == f"/skjemaer/svar/{response.pk}/"
    receipt = resumed.get(sent.url).content.decode()
    assert "Kvittering" in receipt
    assert "Legekontoret ser på svarene dine i dag" in receipt
    assert response.priority == "urgent"
    assert response.resource["questionnaire"] == "urn:helseportal:forms:demo:symptomsjekk-luftveier|1.1.0"
    assert triage_form.title in resumed.get("/skjemaer/svar/").content.decode()
    codes = list(
        AuditEvent.objects.filter(subject_id=kari.person_id, action__startswith="forms:").values_list(
            "action", flat=True
        )
    )
    assert {"forms:response:saved", "forms:response:submitted", "forms:response:read", "forms:list:read"} <= set(codes)


def test_a_required_question_on_a_step_that_opens_later_stops_the_sending(kari: Actor, econsultation: Form) -> None:
    client = client_for(kari)
    start = f"/skjemaer/{econsultation.pk}/"
    client.post(start)
    other = {"action": "next", "i1": "3", "i2": "Vondt i kneet", "i3": "Siden påske"}  # "annet": asks since when
    assert client.post(f"{start}steg/0/", other).url == f"{start}steg/0/"  # the answer opened a question here
    assert "Når startet plagene?" in client.get(f"{start}steg/0/").content.decode()
    page = client.post(f"{start}steg/0/", other)
    assert page.status_code == 400
    assert "Svar på dette spørsmålet." in page.content.decode()
    assert client.post(f"{start}steg/0/", other | {"i4": "2026-04-05"}).url == f"{start}steg/1/"
    assert client.post(f"{start}steg/1/", {"action": "next", "i8": "1", "i10": "true"}).url.endswith("steg/1/")
    assert client.post(f"{start}steg/1/", {"action": "next", "i8": "1", "i10": "true"}).status_code == 400  # phone
    assert client.post(f"{start}steg/1/", {"action": "next", "i8": "0", "i10": "true"}).url.endswith("steg/2/")
    assert client.post(f"{start}steg/2/", {"action": "next"}).url.endswith("oppsummering/")  # no medicines
    assert client.post(f"{start}oppsummering/").status_code == 302
    sent = FormResponse.objects.get(form=econsultation).resource
    links = [item["linkId"] for group in sent["item"] for item in group["item"]]
    assert links == ["tema", "overskrift", "beskrivelse", "siden", "svarform", "egenandel"]  # no medicine, no phone


def test_the_school_nurse_form_is_the_youths_own(nora_youth: Actor, kari_for_nora: Actor, nurse_form: Form) -> None:
    nora = client_for(nora_youth)
    assert "Før samtalen med helsesykepleier" in nora.get("/skjemaer/").content.decode()
    start = f"/skjemaer/{nurse_form.pk}/"
    nora.post(start)
    nora.post(f"{start}steg/0/", {"action": "next", "i1": "Søvn"})
    assert nora.post(f"{start}oppsummering/").status_code == 302
    response = FormResponse.objects.get(form=nurse_form)
    assert response.area == "youth"

    mother = client_for(kari_for_nora)
    assert "helsesykepleier" not in mother.get("/skjemaer/").content.decode()
    assert mother.get(start).status_code == 404
    assert mother.get(f"/skjemaer/svar/{response.pk}/").status_code == 404
    assert "Før samtalen" not in mother.get("/skjemaer/svar/").content.decode()
    events = AuditEvent.objects.filter(actor_person_id=response.person_id, action__startswith="forms:")
    assert events.exists()
    assert all(event.hidden_from_representatives for event in events)


def test_a_stranger_gets_404(kari: Actor, per: Actor, econsultation: Form, nurse_form: Form) -> None:
    client = client_for(kari)
    client.post(f"/skjemaer/{econsultation.pk}/")
    draft = FormResponse.objects.get(form=econsultation)
    FormResponse.objects.filter(pk=draft.pk).update(status=ResponseStatus.COMPLETED, resource={})
    stranger = client_for(per)
    assert stranger.get(f"/skjemaer/svar/{draft.pk}/").status_code == 404
    assert stranger.get(f"/skjemaer/{nurse_form.pk}/").status_code == 404  # not her school
    assert stranger.get("/skjemaer/999999/").status_code == 404


def test_a_parent_fills_in_a_form_for_a_small_child(kari_for_ola: Actor, econsultation: Form) -> None:
    client = client_for(kari_for_ola)
    assert client.post(f"/skjemaer/{econsultation.pk}/").status_code == 302
    draft = FormResponse.objects.get(form=econsultation)
    assert (draft.person_id, draft.author_id) == (kari_for_ola.subject_id, kari_for_ola.person_id)

"""A new version of a form does not hide her draft (review finding 12): the list leads to the newest version, its
start page says she has a draft of an earlier one, and starting it carries her answers over; the earlier draft is
kept as it was, also when the unit has retired that version."""

import copy
import re

import pytest
from django.test import Client

from helseportal.core.actor import Actor
from helseportal.core.testing import log_in
from helseportal.demo import personas
from helseportal.forms import services
from helseportal.forms.models import Form, FormResponse, FormStatus, ResponseStatus
from helseportal.forms.tests.conftest import unit

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("retire_old", [False, True])
def test_her_draft_carries_over_to_the_new_version(kari: Actor, triage_form: Form, retire_old: bool) -> None:
    client = Client()
    log_in(client, kari)
    old_start = f"/skjemaer/{triage_form.pk}/"
    client.post(old_start)
    client.post(f"{old_start}steg/0/", {"action": "next", "i1": "false", "i4": "3", "i5": "false"})
    before = FormResponse.objects.get(form=triage_form, status=ResponseStatus.IN_PROGRESS).answers
    assert before
    new = services.import_form(
        copy.deepcopy(triage_form.resource) | {"version": "1.0.1"}, unit=unit(personas.MAJORSTUEN_GP), public=True
    )
    if retire_old:
        Form.objects.filter(pk=triage_form.pk).update(status=FormStatus.RETIRED)

    listed = re.findall(r'href="/skjemaer/(\d+)/"', client.get("/skjemaer/").content.decode())
    assert str(new.pk) in listed
    start = client.get(f"/skjemaer/{new.pk}/").content.decode()
    assert "Du har et utkast til en tidligere versjon av skjemaet" in start
    assert client.post(f"/skjemaer/{new.pk}/").status_code == 302
    draft = FormResponse.objects.get(form=new, status=ResponseStatus.IN_PROGRESS)
    assert {link: draft.answers[link] for link in before} == before
    kept = FormResponse.objects.get(form=triage_form)
    assert kept.status == ResponseStatus.IN_PROGRESS
    assert kept.answers == before
    assert "Svarene dine tas med" not in client.get(f"/skjemaer/{new.pk}/").content.decode()


def test_an_answer_that_no_longer_fits_is_left_out(kari: Actor, econsultation: Form) -> None:
    from helseportal.forms.definition import load
    from helseportal.forms.owned import carried

    old = load(econsultation.resource)
    changed = copy.deepcopy(econsultation.resource) | {"version": "9"}
    svar = changed["item"][1]["item"][0]
    assert svar["linkId"] == "svarform"
    svar["answerOption"] = [option for option in svar["answerOption"] if option["valueCoding"]["code"] != "telefon"]
    answers = {
        "ukjent": [{"valueString": "x"}],  # not in the form
        "svarform": [{"valueCoding": {"code": "telefon"}}],  # no longer offered
        "overskrift": [{"valueString": "Vondt i kneet"}],
    }
    assert carried(answers, old, load(changed)) == {"overskrift": [{"valueString": "Vondt i kneet"}]}

"""A midwife with read-and-write access starts the card for a woman who has none (DOMAIN.md §3)."""

import datetime

import pytest
from django.db import transaction
from django.test import Client

from helseportal.access import sharing
from helseportal.access.models import AuditEvent, Outcome
from helseportal.core.actor import Actor
from helseportal.core.testing import log_in
from helseportal.core.time import today
from helseportal.demo import actors, personas
from helseportal.pregnancy.models import Pregnancy

pytestmark = pytest.mark.django_db


def share(kari: Actor, permission: str) -> None:
    with transaction.atomic():
        sharing.share_with_practitioner(
            kari,
            area="pregnancy",
            hpr_number=personas.METTE.hpr_number,
            family_name=personas.METTE.family_name,
            permission=permission,
            valid_to=today() + datetime.timedelta(days=30),
        )


def test_the_worklist_offers_to_start_a_card_she_shared_read_and_write(client: Client, kari: Actor, mette: Actor):
    share(kari, "read_write")
    log_in(client, mette)
    html = client.get("/helsepersonell/gravid/").content.decode()
    assert "Registrer svangerskap for Kari Nordmann" in html
    assert AuditEvent.objects.filter(action="pregnancy:worklist:read", subject_id=kari.subject_key).exists()


def test_the_midwife_starts_the_card_from_the_last_period(client: Client, kari: Actor, mette: Actor):
    share(kari, "read_write")
    log_in(client, mette)
    lmp = today() - datetime.timedelta(weeks=9)
    response = client.post(
        f"/helsepersonell/gravid/start/{kari.subject_key}/", {"lmp": lmp.strftime("%d.%m.%Y"), "fetuses": "1"}
    )
    pregnancy = Pregnancy.objects.get(person_id=kari.subject_key)
    assert response.status_code == 302
    assert response["Location"] == f"/helsepersonell/gravid/{pregnancy.pk}/"
    assert pregnancy.lmp == lmp
    assert pregnancy.due_date == lmp + datetime.timedelta(days=283)
    assert pregnancy.author_hpr_number == personas.METTE.hpr_number
    assert AuditEvent.objects.filter(action="pregnancy:pregnancy:started", subject_id=kari.subject_key).exists()
    # Started: she is on the worklist and no longer offered for a start.
    html = client.get("/helsepersonell/gravid/").content.decode()
    assert "Registrer svangerskap for Kari Nordmann" not in html
    assert f"/helsepersonell/gravid/{pregnancy.pk}/" in html


def test_an_empty_form_gets_a_norwegian_error_and_nothing_is_started(client: Client, kari: Actor, mette: Actor):
    share(kari, "read_write")
    log_in(client, mette)
    response = client.post(f"/helsepersonell/gravid/start/{kari.subject_key}/", {"fetuses": "1"})
    assert response.status_code == 400
    assert "Fyll ut første dag i siste menstruasjon eller termindato." in response.content.decode()
    assert not Pregnancy.objects.exists()


def test_a_second_ongoing_pregnancy_is_refused_with_a_clear_answer(client: Client, kari: Actor, mette: Actor):
    share(kari, "read_write")
    log_in(client, mette)
    url = f"/helsepersonell/gravid/start/{kari.subject_key}/"
    client.post(url, {"due_date": (today() + datetime.timedelta(weeks=20)).strftime("%d.%m.%Y"), "fetuses": "1"})
    response = client.post(
        url, {"due_date": (today() + datetime.timedelta(weeks=10)).strftime("%d.%m.%Y"), "fetuses": "1"}
    )
    assert response.status_code == 400
    assert "Det finnes allerede et pågående svangerskap." in response.content.decode()
    assert Pregnancy.objects.count() == 1


@pytest.mark.parametrize("who", ["read_only_grant", "no_grant", "other_gp"])
def test_without_a_read_and_write_grant_the_start_page_is_404_and_the_denial_audited(
    client: Client, kari: Actor, mette: Actor, who: str
):
    practitioner = mette
    if who == "read_only_grant":
        share(kari, "read")
    elif who == "other_gp":
        share(kari, "read_write")
        practitioner = actors.clinician(personas.LARS, personas.MAJORSTUEN_GP)
    log_in(client, practitioner)
    assert client.get(f"/helsepersonell/gravid/start/{kari.subject_key}/").status_code == 404
    assert "Registrer svangerskap" not in client.get("/helsepersonell/gravid/").content.decode()
    assert AuditEvent.objects.filter(
        action="pregnancy:pregnancy:started", subject_id=kari.subject_key, outcome=Outcome.DENIED
    ).exists()

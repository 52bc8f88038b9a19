"""The forms' audit (review findings 7 and 8): a draft read by someone acting for her is audited, and so is a draft
started; the pregnancy survey's events are in the card's area, so a proxy with a power for messages only never sees
them on «Hvem har sett opplysningene mine»."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from helseportal.access.audit.codes import area_of
from helseportal.access.models import AuditEvent, PowerOfAttorney
from helseportal.access.queries.log import visible_events
from helseportal.core.actor import Actor, Role
from helseportal.core.testing import log_in
from helseportal.demo import actors, personas
from helseportal.forms.models import Form
from helseportal.forms.tests.conftest import person
from helseportal.pregnancy.models import Pregnancy
from helseportal.pregnancy.tests.test_first_form import form as survey  # noqa: F401 (fixtures)
from helseportal.pregnancy.tests.test_first_form import pregnancy  # noqa: F401

pytestmark = pytest.mark.django_db


def client_for(actor: Actor) -> Client:
    client = Client()
    log_in(client, actor)
    return client


def per_for_kari() -> Actor:
    """Per with Kari's power of attorney for messages only."""
    kari, per = person(personas.KARI), person(personas.PER)
    PowerOfAttorney.objects.create(giver=kari, receiver=per, area="messages", valid_from=datetime.date(2026, 1, 1))
    return actors.citizen(personas.PER).acting_for(kari.pk, Role.PROXY)


def events(**where: object) -> list[tuple[str, int | None]]:
    rows = AuditEvent.objects.filter(**where).order_by("pk")
    return list(rows.values_list("action", "actor_person_id"))


def test_a_proxy_reading_her_draft_is_audited_her_own_reads_are_not(kari: Actor, econsultation: Form) -> None:
    start = f"/skjemaer/{econsultation.pk}/"
    own = client_for(kari)
    assert own.post(start).status_code == 302
    assert events(action="forms:draft:started") == [("forms:draft:started", kari.own_person_id)]
    own.post(f"{start}steg/0/", {"action": "next", "i1": "2", "i2": "Vondt i kneet", "i3": "Kari sin tekst"})
    assert own.get(f"{start}steg/0/").status_code == 200
    assert own.get(f"{start}oppsummering/").status_code == 200
    assert events(action="forms:draft:read") == []

    proxy = per_for_kari()
    page = client_for(proxy).get(f"{start}steg/0/")
    assert "Kari sin tekst" in page.content.decode()
    assert "Kari sin tekst" in client_for(proxy).get(f"{start}oppsummering/").content.decode()
    per_id = proxy.own_person_id
    assert events(action="forms:draft:read", subject_id=person(personas.KARI).pk) == [
        ("forms:draft:read", per_id),
        ("forms:draft:read", per_id),
    ]
    # Kari sees on her log that Per read her draft.
    assert ("forms:draft:read", per_id) in [(event.action, event.actor_person_id) for event in visible_events(kari)]
    assert "Så et utkast til et skjema" in client_for(kari).get(reverse("audit:log")).content.decode()


def test_a_draft_started_for_someone_else_is_audited(kari_for_ola: Actor, econsultation: Form) -> None:
    client = client_for(kari_for_ola)
    assert client.post(f"/skjemaer/{econsultation.pk}/").status_code == 302
    assert events(action="forms:draft:started", subject_id=person(personas.OLA).pk) == [
        ("forms:draft:started", kari_for_ola.own_person_id)
    ]


def test_a_messages_proxy_never_sees_the_pregnancy_surveys_events(
    kari: Actor,
    pregnancy: Pregnancy,  # noqa: F811
    survey: Form,  # noqa: F811
) -> None:
    client = client_for(kari)
    start = f"/skjemaer/{survey.pk}/"
    assert client.post(start).status_code == 302
    assert client.post(f"{start}steg/0/", {"action": "next", "i1": "norsk"}).status_code in (200, 302)
    written = [action for action, _ in events(subject_id=person(personas.KARI).pk)]
    assert "pregnancy:form:started" in written
    assert "pregnancy:form:saved" in written
    assert not [action for action in written if action.startswith("forms:")]
    assert {area_of(action) for action in written if action.startswith("pregnancy:form:")} == {"pregnancy"}

    proxy = per_for_kari()
    seen = [event.action for event in visible_events(proxy)]
    assert not [action for action in seen if action.startswith(("forms:", "pregnancy:"))]
    log = client_for(proxy).get(reverse("audit:log")).content.decode()
    assert "Lagret et utkast til et skjema" not in log
    assert "kartleggingsskjemaet" not in log

"""Marking an entry as entered in error is done for the person acted for, and logged so (issue 15, item 5).

Per has given Kari a power of attorney for every service. Acting for herself, Kari must not reach Per's card:
his entries do not exist for her there. Acting for Per (chosen in the person picker), she may correct his own
measurement, and the log says she did it on his behalf.
"""

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from helseportal.access.models import AuditEvent, PowerOfAttorney
from helseportal.core.actor import Actor
from helseportal.core.testing import log_in
from helseportal.core.time import today
from helseportal.demo import actors, personas
from helseportal.demo.loader import load_demo
from helseportal.identity.models import Person
from helseportal.pregnancy import services
from helseportal.pregnancy.models import OwnMeasurement

pytestmark = pytest.mark.django_db
ACTION = "pregnancy:entry:entered_in_error"


@pytest.fixture
def pers_measurement(db: None) -> OwnMeasurement:
    """Per's own weight on a card of his, and a power of attorney from Per to Kari for every service."""
    load_demo()
    per = actors.citizen(personas.PER)
    card = services.start_pregnancy(per, subject_id=per.own_person_id, lmp=today() - datetime.timedelta(days=70))
    entry = services.add_own_measurement(per, card, kind="weight", measured_at=_now(), value=Decimal("80.0"))
    PowerOfAttorney.objects.create(
        giver=_person(personas.PER), receiver=_person(personas.KARI), area="all", valid_from=today()
    )
    return entry


def _now() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(hours=1)


def _person(persona: personas.CitizenPersona) -> Person:
    return Person.objects.get(pid=persona.pid)


def _kari(acting_for: Person | None = None) -> Client:
    client = Client()
    log_in(client, actors.citizen(personas.KARI))
    if acting_for is not None:
        assert client.post("/velg-person/", {"person": str(acting_for.pk)}).status_code == 302
        assert Actor.from_session(client.session["actor"]).subject_id == acting_for.pk
    return client


def test_kari_acting_for_herself_cannot_mark_pers_entry_as_wrong(pers_measurement: OwnMeasurement):
    response = _kari().post(f"/gravid/feilregistrert/maling/{pers_measurement.pk}/")
    assert response.status_code == 404
    pers_measurement.refresh_from_db()
    assert pers_measurement.entered_in_error_at is None
    assert not AuditEvent.objects.filter(action=ACTION).exists()


def test_kari_acting_for_per_marks_his_entry_and_the_log_says_on_whose_behalf(pers_measurement: OwnMeasurement):
    per = _person(personas.PER)
    response = _kari(acting_for=per).post(f"/gravid/feilregistrert/maling/{pers_measurement.pk}/")
    assert response.status_code == 302
    pers_measurement.refresh_from_db()
    assert pers_measurement.entered_in_error_at is not None
    event = AuditEvent.objects.get(action=ACTION)
    assert (event.actor_person_id, event.subject_id, event.on_behalf_of_id) == (
        _person(personas.KARI).pk,
        per.pk,
        per.pk,
    )
    assert event.resources == [f"OwnMeasurement/{pers_measurement.pk}"]


def test_a_missing_entry_and_another_persons_entry_answer_alike(pers_measurement: OwnMeasurement):
    client = _kari()
    theirs = client.post(f"/gravid/feilregistrert/maling/{pers_measurement.pk}/")
    missing = client.post("/gravid/feilregistrert/maling/99999/")
    assert (theirs.status_code, missing.status_code) == (404, 404)
    assert _main(theirs.content) == _main(missing.content)


def _main(html: bytes) -> bytes:
    """The page's own content (the header holds a fresh CSRF token on every page)."""
    return html[html.index(b"<main") : html.index(b"</main>")]

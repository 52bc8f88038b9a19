"""Notifications of new vaccines and of a referral's steps (`records.notices`): told without content, to exactly those
`access` lets use the area for her today, per age band, consent, address and power of attorney; a reserved item to
no representative; once per record (or per referral step), never again on a re-send under new ids."""

import datetime
import uuid
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest

from helseportal.access import youth_access
from helseportal.access.tests.test_policy import child_of, person_born, power
from helseportal.core.actor import Actor, Role
from helseportal.core.ids import FNR_SYSTEM
from helseportal.core.time import today
from helseportal.demo import actors, personas
from helseportal.fhir.provider import Written
from helseportal.identity.models import ParentalResponsibility, Person
from helseportal.notify import tasks
from helseportal.notify.events import Event
from helseportal.notify.models import Delivery, OutboxMessage
from helseportal.notify.texts import text_for
from helseportal.records import fhir as records_fhir
from helseportal.records.referrals.status import ASSESSMENT_URL, DEADLINE_URL, RIGHT_TO_CARE
from helseportal.records.tests.conftest import URI_SYSTEM, person, system_client

pytestmark = pytest.mark.django_db
ATC = "http://www.whocc.no/atc"
RESERVED = {"meta": {"security": [{"system": "urn:helseportal:security-label", "code": "vergeinnsynsreservasjon"}]}}


@pytest.fixture
def source(demo: None) -> Actor:
    """The hospital's system: it sends both vaccinations and referrals here (the writer does not mind which unit)."""
    return replace(system_client(personas.HOSPITAL, "sykehus-epj"), scopes=frozenset())


def reachable(who: Person) -> Person:
    Person.objects.filter(pk=who.pk).update(mobile="41234567", notify_by_sms=True, notify_by_email=False)
    return who


def vaccination(label: str, whom: Person, **changes: Any) -> dict[str, Any]:
    return {
        "resourceType": "Immunization",
        "id": f"v-{label}",
        "identifier": [{"system": URI_SYSTEM, "value": f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, label)}"}],
        "status": "completed",
        "vaccineCode": {"coding": [{"system": ATC, "code": "J07BD52"}], "text": "Priorix"},
        "patient": {"identifier": {"system": FNR_SYSTEM, "value": whom.pid}},
        "occurrenceDateTime": "2026-05-21T11:00:00+02:00",
    } | changes


def referral(label: str, whom: Person, **changes: Any) -> dict[str, Any]:
    return {
        "resourceType": "ServiceRequest",
        "id": f"r-{label}",
        "identifier": [{"system": URI_SYSTEM, "value": f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, label)}"}],
        "status": "active",
        "intent": "order",
        "code": {"text": "Vurdering"},
        "reasonCode": [{"text": "Smerter i kneet"}],
        "subject": {"identifier": {"system": FNR_SYSTEM, "value": whom.pid}},
        "authoredOn": "2026-05-02",
    } | changes


def right_to_care(deadline: datetime.date) -> dict[str, Any]:
    return {
        "extension": [
            {"url": ASSESSMENT_URL, "valueCode": RIGHT_TO_CARE},
            {"url": DEADLINE_URL, "valueDate": deadline.isoformat()},
        ]
    }


def send(actor: Actor, resources: list[dict[str, Any]]) -> list[Written]:
    """What the API engine does with a transaction Bundle's run of creates of one type: the type's writer."""
    kind = records_fhir.IMMUNIZATION if resources[0]["resourceType"] == "Immunization" else records_fhir.SERVICE_REQUEST
    assert kind.writer is not None
    assert kind.writer.create_many is not None
    return kind.writer.create_many(actor, resources)


def told() -> list[tuple[int, str]]:
    return sorted(Delivery.objects.values_list("person_id", "event"))


# --- Who is told: per age band, consent, address and power of attorney ----------------------------------------------


def _parent_away(kari: Person, years: int) -> Person:
    """A child of `years` whose parent Kari does not live at the child's address."""
    child = person_born(child_of(kari, years).birth_date, "Borte")
    ParentalResponsibility.objects.create(parent=kari, child=child)
    return child


Setup = Callable[[Person], Person]
CASES: dict[str, Setup] = {
    "11": lambda kari: child_of(kari, 11),
    "12": lambda kari: child_of(kari, 12),
    "13 without consent": lambda kari: child_of(kari, 13),
    "13 with consent": lambda kari: _consented(kari, child_of(kari, 13)),
    "15 with consent": lambda kari: _consented(kari, child_of(kari, 15)),
    "16": lambda kari: child_of(kari, 16),
    "16 with a power for the area": lambda kari: _empowered(kari, child_of(kari, 16)),
    "11, parent not at the address": lambda kari: _parent_away(kari, 11),
    "15, parent not at the address": lambda kari: _parent_away(kari, 15),
}
_AREA: list[str] = []  # the area the current case's power of attorney names (set by the test)


def _consented(kari: Person, child: Person) -> Person:
    youth_access.give(actors.citizen(personas.KARI), child.pk)
    return child


def _empowered(kari: Person, child: Person) -> Person:
    power(child, kari, _AREA[0])
    return child


# (who is told: the child herself, the parent) per case, as access/rules.py's table says for each area.
VACCINES = {
    "11": (False, True),
    "12": (False, True),
    "13 without consent": (False, True),
    "13 with consent": (True, True),
    "15 with consent": (True, True),
    "16": (True, False),
    "16 with a power for the area": (True, True),
    "11, parent not at the address": (False, False),
    "15, parent not at the address": (False, False),
}
# Referrals: a parent at the child's address until she is 16 (issue 11 item 7), never the youth under 16 (not among
# the areas youth access opens).
REFERRALS = {
    "11": (False, True),
    "12": (False, True),
    "13 without consent": (False, True),
    "13 with consent": (False, True),
    "15 with consent": (False, True),
    "16": (True, False),
    "16 with a power for the area": (True, True),
    "11, parent not at the address": (False, False),
    "15, parent not at the address": (False, False),
}


def _case(case: str, area: str) -> tuple[Person, Person]:
    _AREA[:] = [area]
    kari = reachable(person(personas.KARI))
    child = reachable(CASES[case](kari))
    Delivery.objects.all().delete()
    return kari, child


def _expected(kari: Person, child: Person, herself: bool, parent: bool, event: Event) -> list[tuple[int, str]]:
    return sorted([(child.pk, event)] * herself + [(kari.pk, event)] * parent)


@pytest.mark.dates
@pytest.mark.parametrize("case", list(VACCINES))
def test_a_new_vaccine_tells_exactly_whom_the_rules_let_see_it(source: Actor, case: str):
    kari, child = _case(case, "vaccines")
    send(source, [vaccination(f"v-{case}", child), vaccination(f"v2-{case}", child)])
    assert told() == _expected(kari, child, *VACCINES[case], Event.NEW_VACCINE)  # a Bundle of two: one each


@pytest.mark.dates
@pytest.mark.parametrize("case", list(VACCINES))
def test_a_reserved_vaccine_tells_no_representative(source: Actor, case: str):
    kari, child = _case(case, "vaccines")
    send(source, [vaccination(f"reserved-{case}", child, **RESERVED)])
    assert told() == _expected(kari, child, VACCINES[case][0], False, Event.NEW_VACCINE)


@pytest.mark.dates
@pytest.mark.parametrize("case", list(REFERRALS))
def test_a_received_referral_tells_exactly_whom_the_rules_let_see_it(source: Actor, case: str):
    kari, child = _case(case, "referrals")
    send(source, [referral(f"r-{case}", child)])
    assert told() == _expected(kari, child, *REFERRALS[case], Event.REFERRAL_UPDATED)


@pytest.mark.dates
@pytest.mark.parametrize("case", list(REFERRALS))
def test_a_reserved_referral_tells_no_representative(source: Actor, case: str):
    kari, child = _case(case, "referrals")
    send(source, [referral(f"reserved-{case}", child, **RESERVED)])
    assert told() == _expected(kari, child, REFERRALS[case][0], False, Event.REFERRAL_UPDATED)


def test_a_reserved_referral_tells_her_at_16_and_not_her_proxy(source: Actor):
    _kari, child = _case("16 with a power for the area", "referrals")
    send(source, [referral("reserved-16", child, **RESERVED)])
    assert told() == [(child.pk, Event.REFERRAL_UPDATED)]


# --- What is told, and how often ------------------------------------------------------------------------------------


def test_the_texts_say_nothing_of_the_vaccine_or_the_referral(source: Actor):
    kari = reachable(person(personas.KARI))
    send(source, [vaccination("kari-flu", kari)])
    send(source, [referral("kari-knee", kari, **right_to_care(datetime.date(2026, 9, 1)))])
    for delivery in Delivery.objects.all():
        tasks.send(delivery.pk)
    texts = sorted(OutboxMessage.objects.values_list("text", flat=True))
    assert texts == sorted(
        [
            "En ny vaksine er registrert på helseportalen. Logg inn for å se den.",
            "Det er nytt om en henvisning på helseportalen. Logg inn for å se det.",
        ]
    )
    assert texts == sorted(text_for(e).body for e in (Event.NEW_VACCINE, Event.REFERRAL_UPDATED))
    for word in ("Priorix", "kne", "Oslo", "2026", "09", "sykehus"):
        assert all(word.lower() not in text.lower() for text in texts)


def test_the_register_re_sending_a_thousand_vaccines_under_new_ids_tells_nobody_again(source: Actor):
    kari = reachable(person(personas.KARI))
    first = [vaccination(f"bulk-{n}", kari) for n in range(1000)]
    send(source, first)
    assert told() == [(kari.pk, Event.NEW_VACCINE)]
    again = [resource | {"id": f"migrated-{n}"} for n, resource in enumerate(first)]
    assert {w.outcome for w in send(source, again)} == {"unchanged"}
    corrected = [first[0] | {"lotNumber": "AB123"}]
    assert {w.outcome for w in send(source, corrected)} == {"updated"}
    send(source, [vaccination("withdrawn", kari, status="entered-in-error")])
    send(source, [vaccination("not-given", kari, status="not-done")])
    assert told() == [(kari.pk, Event.NEW_VACCINE)]


def test_each_step_of_a_referral_that_matters_is_told_once(source: Actor):
    kari = reachable(person(personas.KARI))
    deadline = today() + datetime.timedelta(days=60)
    steps = [
        referral("knee", kari),  # received
        referral("knee", kari, id="re-keyed"),  # the same again under a new id: nothing
        referral("knee", kari, **{"extension": [{"url": ASSESSMENT_URL, "valueCode": "no-right-to-care"}]}),
        referral("knee", kari, **right_to_care(deadline)),  # right to health care, with its deadline
        referral("knee", kari, **right_to_care(deadline), note=[{"text": "Ny kommentar"}]),  # the same step
        referral("knee", kari, **right_to_care(deadline), occurrenceDateTime="2026-08-03T09:30:00+02:00"),
        referral("knee", kari, **right_to_care(deadline), occurrenceDateTime="2026-08-03T09:30:00+02:00"),
        referral("knee", kari, **right_to_care(deadline), status="completed"),
    ]
    for resource in steps:
        send(source, [resource])
    keys = sorted(Delivery.objects.values_list("key", flat=True))
    assert len(keys) == 3, keys  # received; right to health care; appointment given
    assert [k.split(":")[2].split("-", 1)[1] for k in keys] == [
        "appointment-202608030730",
        "received",
        f"right-{deadline.isoformat()}",
    ]


def test_a_referral_s_step_sent_by_update_is_told_too(source: Actor):
    kari = reachable(person(personas.KARI))
    [created] = send(source, [referral("update", kari)])
    writer = records_fhir.SERVICE_REQUEST.writer
    assert writer is not None
    assert writer.update is not None
    writer.update(source, created.row, referral("update", kari, occurrenceDateTime="2026-08-04T10:00:00+02:00"))
    assert len(told()) == 2
    assert source.role == Role.SYSTEM

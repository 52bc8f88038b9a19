"""Who sees what, per age band and consent state, at the pages (issue 11 item 7; "a test per age band and consent
state that parents and the youth see exactly what the rules allow").

The expected tables below are written from the issue and DOMAIN.md §2, not read from `access.rules`, so that a
change of the rules shows here: under 12 a parent at the child's address sees all six; from 12 no results and no
hospital journal, the other four still at the child's address; from 16 nothing without a power of attorney for the
area; a parent not at the address nothing; a youth of 13–15 with a parent's consent her
vaccines, her prescriptions and her GP (contacts), without it none; from 16 she herself everything. An item with
*vergeinnsynsreservasjon* is never a parent's (nor a proxy's), always hers where she may use the area.

The three built services (Prøvesvar, Vaksiner, Henvisninger) are read as pages: the status (200 or the 404 page) and
which of an open and a reserved item the page shows, and the parent's view of the child's log names no reserved
item afterwards. The three still to come (Legemidler, Pasientjournal, Helsekontakter) are checked at
`access.policy.check`, which their pages will ask through `records.pages`.
"""

import uuid
from dataclasses import dataclass
from typing import Any

import pytest

from helseportal.access import policy, youth_access
from helseportal.access.queries.log import visible_events
from helseportal.access.tests.test_policy import child_of, person_born, power
from helseportal.core.actor import Actor, Role
from helseportal.core.ids import FNR_SYSTEM
from helseportal.demo import actors, personas
from helseportal.fhir import codes
from helseportal.identity.models import ParentalResponsibility, Person
from helseportal.records import services
from helseportal.records.models import Record
from helseportal.records.tests.conftest import URI_SYSTEM, person, result, system_client
from helseportal.records.tests.family import citizen, client_for, parent

pytestmark = [pytest.mark.django_db, pytest.mark.dates]
RESERVED = {"meta": {"security": [{"system": "urn:helseportal:security-label", "code": "vergeinnsynsreservasjon"}]}}
PATHS = {"results": "/provesvar/", "vaccines": "/vaksiner/", "referrals": "/henvisninger/"}
AREAS = ("results", "vaccines", "referrals", "medicines", "documents", "contacts")


@dataclass(frozen=True)
class Case:
    years: int
    consent: bool = False
    power: bool = False  # a power of attorney from the child (16) to the parent, for the area read
    away: bool = False  # the parent is not registered at the child's address


CASES = {
    "11": Case(11),
    "11, parent not at the address": Case(11, away=True),
    "12": Case(12),
    "13 without consent": Case(13),
    "13 with consent": Case(13, consent=True),
    "15 without consent": Case(15),
    "15 with consent": Case(15, consent=True),
    "16 without a power": Case(16),
    "16 with a power for the area": Case(16, power=True),
}
# Per case, the areas the parent may use, and the areas the child herself may use (logged in with BankID).
P_UNDER_12 = set(AREAS)
P_12_TO_15 = {"vaccines", "medicines", "referrals", "contacts"}
Y_CONSENT = {"vaccines", "medicines", "contacts"}
EXPECTED: dict[str, tuple[set[str], set[str]]] = {
    "11": (P_UNDER_12, set()),
    "11, parent not at the address": (set(), set()),
    "12": (P_12_TO_15, set()),
    "13 without consent": (P_12_TO_15, set()),
    "13 with consent": (P_12_TO_15, Y_CONSENT),
    "15 without consent": (P_12_TO_15, set()),
    "15 with consent": (P_12_TO_15, Y_CONSENT),
    "16 without a power": (set(), set(AREAS)),
    "16 with a power for the area": (set(AREAS), set(AREAS)),
}


def make_child(kari: Person, name: str, area: str) -> Person:
    case = CASES[name]
    if case.away:
        child = person_born(child_of(kari, case.years).birth_date, "Borte")  # a second child, at another address
        ParentalResponsibility.objects.create(parent=kari, child=child)
    else:
        child = child_of(kari, case.years)
    if case.consent:
        youth_access.give(actors.citizen(personas.KARI), child.pk)
    if case.power:
        power(child, kari, area)
    return child


def _identifier(label: str) -> list[dict[str, str]]:
    return [{"system": URI_SYSTEM, "value": f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, label)}"}]


def item(area: str, label: str, child: Person, **changes: Any) -> dict[str, Any]:
    """One record of the family, named `label` where its page shows the name."""
    patient = {"identifier": {"system": FNR_SYSTEM, "value": child.pid}}
    if area == "results":
        coded = {"text": label, "coding": [{"system": codes.LOINC, "code": label}]}
        return result(label, child.pid, code=coded, identifier=_identifier(label), **changes)
    if area == "vaccines":
        resource = {"resourceType": "Immunization", "status": "completed", "vaccineCode": {"text": label}}
        resource |= {"patient": patient, "occurrenceDateTime": "2026-05-02T10:00:00+02:00"}
    else:
        resource = {"resourceType": "ServiceRequest", "status": "active", "intent": "order", "subject": patient}
        resource |= {"code": {"text": "Vurdering"}, "reasonCode": [{"text": label}], "authoredOn": "2026-05-02"}
    return resource | {"id": label, "identifier": _identifier(label)} | changes


def send(child: Person, area: str) -> tuple[str, str]:
    """An open and a reserved item of the family for the child, as the hospital's system sends them; their labels."""
    source = system_client(personas.HOSPITAL, "sykehus-epj")
    open_label, reserved_label = f"Open{area}{child.pk}", f"Reserved{area}{child.pk}"
    services.receive_many(source, [item(area, open_label, child), item(area, reserved_label, child, **RESERVED)])
    assert Record.objects.filter(person=child, guardian_reserved=True).count() == 1
    return open_label, reserved_label


def seen(actor: Actor, area: str, labels: tuple[str, str]) -> tuple[int, bool, bool]:
    """The page's status, and whether it shows the open and the reserved item."""
    response = client_for(actor).get(PATHS[area])
    body = response.content.decode()
    return response.status_code, labels[0] in body, labels[1] in body


@pytest.mark.parametrize("area", list(PATHS))
@pytest.mark.parametrize("name", list(CASES))
def test_the_pages_show_parent_and_youth_exactly_what_the_rules_allow(demo: None, name: str, area: str):
    kari = person(personas.KARI)
    child = make_child(kari, name, area)
    labels = send(child, area)
    parent_may, youth_may = EXPECTED[name][0], EXPECTED[name][1]
    as_parent = parent(kari, child) if not CASES[name].power else citizen(kari).acting_for(child.pk, Role.PROXY)
    assert seen(as_parent, area, labels) == ((200, True, False) if area in parent_may else (404, False, False))
    assert seen(citizen(child), area, labels) == ((200, True, True) if area in youth_may else (404, False, False))
    reserved = Record.objects.filter(person=child, guardian_reserved=True).values_list("pk", flat=True)
    names = {name for event in visible_events(as_parent) for name in event.resources}
    assert not names & {f"{kind}/{pk}" for kind in ("Observation", "Immunization", "ServiceRequest") for pk in reserved}


@pytest.mark.parametrize("name", list(CASES))
def test_the_rules_let_parent_and_youth_use_exactly_these_areas_of_all_six(demo: None, name: str):
    kari = person(personas.KARI)
    for area in AREAS:
        child = make_child(kari, name, area)
        as_parent = parent(kari, child) if not CASES[name].power else citizen(kari).acting_for(child.pk, Role.PROXY)
        parent_may, youth_may = EXPECTED[name]
        assert bool(policy.check(as_parent, subject_id=child.pk, area=area)) == (area in parent_may), (name, area)
        assert bool(policy.check(citizen(child), subject_id=child.pk, area=area)) == (area in youth_may), (name, area)
        assert not policy.item_visible(as_parent, reserved=True)
        assert policy.item_visible(citizen(child), reserved=True)

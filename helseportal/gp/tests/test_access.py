"""Who may see and switch whose GP (access.rules, the `gp` row): a parent for a child under 16 at her address (under
12 and 12–15), not away from it and not from 16; the 16-year-old herself; a youth 13–15 with consent sees but does
not switch; a power of attorney for `gp` (not for another area). Each denial is the 404 of a missing page, audited."""

import pytest

from helseportal.access import youth_access
from helseportal.access.models import AuditEvent, Outcome
from helseportal.access.tests.test_policy import child_of, power
from helseportal.core.actor import Role
from helseportal.core.errors import NotFound
from helseportal.gp import services
from helseportal.gp.tests.conftest import People
from helseportal.identity.models import ParentalResponsibility, Person
from helseportal.records.tests.family import citizen, client_for, parent

CONFIRM = "/fastlege/lister/100105/bytt/"


def moved_away(person: Person) -> None:
    person.street_address = "Et annet sted 1"
    person.save()


@pytest.mark.parametrize("years", [3, 11, 12, 15])
def test_a_parent_switches_for_a_child_under_16_at_her_address(people: People, years: int):
    child = child_of(people.kari, years)
    client = client_for(parent(people.kari, child))
    assert "Bekreft bytte" in client.get(CONFIRM).content.decode()
    response = client.post(CONFIRM, {})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action=services.SWITCHED, subject_id=child.pk, outcome=Outcome.ALLOWED).exists()


@pytest.mark.parametrize("years", [11, 14])
def test_a_parent_away_from_the_childs_address_gets_a_404_and_a_logged_denial(people: People, years: int):
    child = child_of(people.kari, years)
    moved_away(child)
    client = client_for(parent(people.kari, child))
    assert client.get("/fastlege/").status_code == 404
    assert client.post(CONFIRM, {}).status_code == 404
    denied = AuditEvent.objects.filter(subject_id=child.pk, outcome=Outcome.DENIED)
    assert {(e.action, e.reason) for e in denied} == {
        ("gp:overview:read", "no_parent_at_childs_address"),
        ("gp:list:read", "no_parent_at_childs_address"),  # the confirmation page reads the list first
    }
    with pytest.raises(NotFound):
        services.switch(parent(people.kari, child), "100105")
    assert denied.filter(action=services.SWITCHED, reason="no_parent_at_childs_address").exists()


@pytest.mark.parametrize("years", [3, 11, 12, 15])
def test_a_parent_away_from_the_child_sees_the_gp_but_does_not_switch_even_if_the_other_parent_lives_there(
    people: People, years: int
):
    """The other parent at the child's address opens the area to see; the switch is the acting parent's own
    address (access.rules `write_at_own_address`)."""
    child = child_of(people.kari, years)
    ParentalResponsibility.objects.create(parent=people.per, child=child)
    Person.objects.filter(pk=people.per.pk).update(street_address=child.street_address, postcode=child.postcode)
    moved_away(people.kari)
    client = client_for(parent(people.kari, child))
    page = client.get("/fastlege/").content.decode()
    assert "men ikke bytte" in page
    assert client.post(CONFIRM, {}).status_code == 404
    assert client.post("/fastlege/lister/100102/venteliste/").status_code == 404
    denied = AuditEvent.objects.filter(subject_id=child.pk, outcome=Outcome.DENIED)
    assert set(denied.values_list("action", "reason")) == {
        (services.SWITCHED, "acting_parent_not_at_childs_address"),
        (services.JOINED, "acting_parent_not_at_childs_address"),
    }
    assert client_for(parent(people.per, child)).post(CONFIRM, {}).status_code == 302


def test_from_16_the_youth_decides_and_her_parent_sees_nothing(people: People):
    youth = child_of(people.kari, 16)
    assert client_for(parent(people.kari, youth)).get("/fastlege/").status_code == 404
    response = client_for(citizen(youth)).post(CONFIRM, {})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action=services.SWITCHED, subject_id=youth.pk, actor_person_id=youth.pk).exists()


def test_a_youth_with_consent_sees_her_gp_but_does_not_switch(people: People):
    client = client_for(citizen(people.nora))
    assert client.get("/fastlege/").status_code == 404  # no consent yet
    youth_access.give(citizen(people.kari), people.nora.pk)
    page = client.get("/fastlege/").content.decode()
    assert "Lars Bakken" in page
    assert "men ikke bytte" in page
    assert client.post(CONFIRM, {}).status_code == 404
    assert client.post("/fastlege/lister/100102/venteliste/").status_code == 404


def test_a_power_of_attorney_for_gp_switches_and_one_for_another_area_does_not(people: People):
    power(people.kari, people.per, "appointments")
    per_for_kari = citizen(people.per).acting_for(people.kari.pk, Role.PROXY)
    assert client_for(per_for_kari).post(CONFIRM, {}).status_code == 404
    power(people.kari, people.per, "gp")
    assert client_for(per_for_kari).post(CONFIRM, {}).status_code == 302


def test_nobody_acts_for_a_stranger(people: People):
    per_for_kari = citizen(people.per).acting_for(people.kari.pk, Role.PROXY)
    for url in ("/fastlege/", "/fastlege/lister/", "/fastlege/lister/100105/", CONFIRM):
        assert client_for(per_for_kari).get(url).status_code == 404


@pytest.mark.parametrize(
    ("who", "pointed"), [("self", True), ("child_11", True), ("child_14", False), ("gp_power", False)]
)
def test_the_receipt_note_points_to_meldinger_only_for_one_who_may_open_it(people: People, who: str, pointed: bool):
    """Finding 12: a parent of a 12–15-year-old and a proxy with only a `gp` power have no Meldinger for her."""
    if who == "self":
        actor = citizen(people.kari)
    elif who == "gp_power":
        power(people.kari, people.per, "gp")
        actor = citizen(people.per).acting_for(people.kari.pk, Role.PROXY)
    else:
        child = child_of(people.kari, int(who.removeprefix("child_")))
        actor = parent(people.kari, child)
    page = client_for(actor).post(CONFIRM, {}, follow=True).content.decode()
    assert "Fastlegen er byttet" in page
    assert ("Du finner kvitteringen i Meldinger" in page) == pointed

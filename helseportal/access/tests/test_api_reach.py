"""The FHIR API's reach: which persons an API caller reaches (`api_persons`), which areas it reads (`api_may_read`),
and who shares an area with a system client's unit (`api_shared`), on the demo family and the register as stored."""

import datetime
from typing import Any

import pytest
from django.db.models import QuerySet

from helseportal.access import policy
from helseportal.access.models import SharingGrant
from helseportal.access.policy import api_may_read, api_persons, api_shared, register_tie
from helseportal.access.tests.api_testing import Demo, app, demo_fixture, system, unit  # noqa: F401 - fixtures
from helseportal.access.tests.test_policy import child_of, power
from helseportal.core.actor import Actor, Assurance, Role
from helseportal.core.time import today
from helseportal.demo import personas
from helseportal.identity.models import Person, Practitioner
from helseportal.organisations.models import SchoolEnrolment, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def pupils_tie(monkeypatch: pytest.MonkeyPatch) -> None:
    """A tie as a domain registers one (here: the pupils of a school), on its own list for the test."""
    monkeypatch.setattr(policy, "_TIES", [])

    def pupils(unit_id: int) -> QuerySet[Any]:
        return SchoolEnrolment.objects.filter(school_id=unit_id).values("person_id")

    register_tie(pupils)
    register_tie(pupils)  # once only, however often an app's ready() runs
    assert [pupils] == policy._TIES


def reached(actor: Actor) -> set[int]:
    return set(Person.objects.filter(pk__in=api_persons(actor)).values_list("pk", flat=True))


def share(person: Person, with_unit: Unit, area: str = "pregnancy", **kwargs: Any) -> SharingGrant:
    kwargs.setdefault("valid_to", today() + datetime.timedelta(days=30))
    return SharingGrant.objects.create(person=person, unit=with_unit, area=area, **kwargs)


# --- A citizen's app ---------------------------------------------------------------------------------------------


def test_her_app_reaches_her_and_every_area_but_the_youth_services(demo: Demo):
    mine = app(demo.kari, demo.kari)
    assert reached(mine) == {demo.kari.pk}
    assert all(api_may_read(mine, area) for area in ("appointments", "messages", "pregnancy", "records", "account"))
    assert not api_may_read(mine, "youth")


def test_her_app_for_ola_under_12_reaches_him_in_every_health_area(demo: Demo):
    for_ola = app(demo.kari, demo.ola, Role.PARENT)
    assert reached(for_ola) == {demo.ola.pk}
    assert all(api_may_read(for_ola, area) for area in ("appointments", "messages", "pregnancy", "records"))
    assert not api_may_read(for_ola, "youth")


def test_her_app_for_nora_at_15_reads_only_what_the_table_opens_for_that_band(demo: Demo):
    for_nora = app(demo.kari, demo.nora, Role.PARENT)
    assert reached(for_nora) == {demo.nora.pk}
    readable = {area for area in sorted(policy.AREAS) if api_may_read(for_nora, area)}
    # Never messages, the journal, her test results, her pregnancy card or the youth area; her prescriptions, vaccines,
    # referrals and contacts (without the items hidden from parents) while a parent lives at her address
    # (rules.PARENT_RULES).
    assert readable == {"appointments", "gp", "medicines", "vaccines", "referrals", "contacts"}


def test_a_parents_app_reaches_nobody_from_the_childs_16th_birthday_unless_the_youth_gives_a_power(demo: Demo):
    sixteen = child_of(demo.kari, 16)
    for_sixteen = app(demo.kari, sixteen, Role.PARENT)
    assert reached(for_sixteen) == set()
    assert not api_may_read(for_sixteen, "appointments")
    power(sixteen, demo.kari, "appointments")
    assert reached(for_sixteen) == {sixteen.pk}
    assert api_may_read(for_sixteen, "appointments")
    assert not api_may_read(for_sixteen, "messages")


def test_an_app_reaches_nobody_the_person_may_not_act_for(demo: Demo):
    assert reached(app(demo.per, demo.kari, Role.PROXY)) == set()
    assert reached(app(demo.kari, demo.per, Role.PROXY)) == set()
    assert not api_may_read(app(demo.per, demo.kari, Role.PROXY), "appointments")


def test_no_one_but_an_api_caller_reaches_anyone_through_the_api(demo: Demo):
    in_the_portal = Actor(role=Role.CITIZEN, assurance=Assurance.HIGH, person_id=demo.kari.pk, subject_id=demo.kari.pk)
    with_minid = Actor(
        role=Role.YOUTH,
        assurance=Assurance.SUBSTANTIAL,
        person_id=demo.nora.pk,
        subject_id=demo.nora.pk,
        client_id="helseapp",
    )
    no_unit = Actor(role=Role.SYSTEM, assurance=Assurance.HIGH, client_id="epj")
    for actor in (in_the_portal, with_minid, no_unit, Actor()):
        assert reached(actor) == set()
        assert not api_may_read(actor, "appointments")
        assert not api_may_read(actor, "youth")
    assert reached(in_the_portal.acting_for(demo.ola.pk, Role.PARENT)) == set()


# --- A system client ---------------------------------------------------------------------------------------------


def test_a_system_client_reaches_the_persons_tied_to_its_unit_and_no_other_units(demo: Demo, pupils_tie: None):
    school, station, gp = unit("school_oslo"), unit("health_station"), unit("gp_office")
    assert reached(system(school)) == {demo.nora.pk}  # the demo's pupil at Fjellhaug
    assert reached(system(station)) == set()  # Nora is tied only to the school: the health station never reaches her
    share(demo.kari, station)
    assert reached(system(station)) == {demo.kari.pk}
    assert reached(system(gp)) == set()
    assert api_may_read(system(station), "youth")  # its own rows, which its sources keep to


def test_only_a_grant_in_force_to_the_unit_itself_ties_a_person_to_it(demo: Demo, pupils_tie: None):
    station = unit("health_station")
    mette = Practitioner.objects.get(hpr_number=personas.METTE.hpr_number)  # she works at the health station
    SharingGrant.objects.create(person=demo.kari, practitioner=mette, area="pregnancy", valid_to=today())
    share(demo.ola, station, valid_to=today() - datetime.timedelta(days=1))
    share(demo.per, station, revoked_at=datetime.datetime.now(datetime.UTC))
    assert reached(system(station)) == set()


def test_api_shared_lists_who_shares_that_area_with_the_unit(demo: Demo):
    station, gp = unit("health_station"), unit("gp_office")
    share(demo.kari, station, "pregnancy")
    share(demo.per, station, "appointments")
    shared = set(Person.objects.filter(pk__in=api_shared(system(station), "pregnancy")).values_list("pk", flat=True))
    assert shared == {demo.kari.pk}
    assert not api_shared(system(gp), "pregnancy").exists()
    assert not api_shared(app(demo.kari, demo.kari), "pregnancy").exists()


def test_the_union_of_ties_is_one_query(demo: Demo, pupils_tie: None, django_assert_num_queries: Any):
    school = system(unit("school_oslo"))
    share(demo.kari, unit("school_oslo"))
    with django_assert_num_queries(1):
        assert reached(school) == {demo.kari.pk, demo.nora.pk}

"""policy.check and require: the rules applied to the register as stored, on today's date in Oslo."""

import datetime
from dataclasses import dataclass

import pytest

from helseportal.access.models import PowerOfAttorney
from helseportal.access.policy import check, require
from helseportal.core.actor import Actor, Assurance, Role
from helseportal.core.errors import NotFound
from helseportal.core.ids import synthetic_fnr
from helseportal.core.time import today
from helseportal.demo import personas
from helseportal.demo.loader import load_demo
from helseportal.identity.models import AddressProtection, ParentalResponsibility, Person

pytestmark = pytest.mark.django_db

HEALTH_AREAS = ["appointments", "messages", "pregnancy", "records"]
# The areas the next services bring (ServiceArea, the one list): open to a parent of a child under 12, and in the
# 12–15 band the GP (a parent changes the GP for a child under 16, DOMAIN.md §2), medicines and vaccines
# (helsenorge.no, cited in rules.py), referrals and contacts (issue 11 item 7: from 12 only test results and the
# hospital journal close); not results or documents.
NEW_AREAS = [
    "medicines",
    "results",
    "vaccines",
    "documents",
    "referrals",
    "contacts",
    "gp",
    "copayments",
    "patient_travel",
]


@dataclass(frozen=True)
class Family:
    kari: Person  # 32, mother of Ola and Nora, same address
    ola: Person  # 10: Kari may act for him
    nora: Person  # 15: Kari may act for her, without messages and journal
    per: Person  # unrelated to Kari


@pytest.fixture
def family(db: None) -> Family:
    load_demo()
    get = Person.objects.get
    return Family(
        kari=get(pid=personas.KARI.pid),
        ola=get(pid=personas.OLA.pid),
        nora=get(pid=personas.NORA.pid),
        per=get(pid=personas.PER.pid),
    )


def citizen(person: Person, assurance: Assurance = Assurance.HIGH, role: Role = Role.CITIZEN) -> Actor:
    return Actor(role=role, assurance=assurance, person_id=person.pk, subject_id=person.pk)


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def birthday(years: int, *, plus_days: int = 0) -> datetime.date:
    """The birth date of someone who turns `years` old `plus_days` days from today (Oslo)."""
    day = today()
    try:
        born = day.replace(year=day.year - years)
    except ValueError:  # today is 29 February; born 28 February they have had their birthday today
        born = day.replace(year=day.year - years, day=28)
    return born + days(plus_days)


def person_born(born: datetime.date, given_name: str, *, address_of: Person | None = None) -> Person:
    """A synthetic person; individual numbers from 900 give the right century for 1940–2039."""
    for individual in range(900, 950):
        pid = synthetic_fnr(born, individual)
        if not Person.objects.filter(pid=pid).exists():
            break
    return Person.objects.create(
        pid=pid,
        given_name=given_name,
        family_name="Testesen",
        street_address=address_of.street_address if address_of else "Testveien 1",
        postcode=address_of.postcode if address_of else "0150",
        post_place="Oslo",
    )


def child_of(parent: Person, years: int, *, plus_days: int = 0) -> Person:
    child = person_born(birthday(years, plus_days=plus_days), f"Barn{years}", address_of=parent)
    ParentalResponsibility.objects.create(parent=parent, child=child)
    return child


def power(
    giver: Person,
    receiver: Person,
    area: str = "all",
    *,
    valid_from: datetime.date | None = None,
    valid_to: datetime.date | None = None,
    revoked: bool = False,
) -> PowerOfAttorney:
    return PowerOfAttorney.objects.create(
        giver=giver,
        receiver=receiver,
        area=area,
        valid_from=valid_from or today(),
        valid_to=valid_to,
        revoked_at=datetime.datetime.now(datetime.UTC) if revoked else None,
    )


def outcome(actor: Actor, subject: Person, area: str) -> tuple[bool, str]:
    decision = check(actor, subject_id=subject.pk, area=area)
    return decision.allowed, decision.reason


# --- Parents -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("area", HEALTH_AREAS)
def test_kari_may_act_for_ola_in_every_health_area(family: Family, area: str):
    assert outcome(citizen(family.kari), family.ola, area) == (True, "parent_of_child_under_12")


@pytest.mark.parametrize("area", ["messages", "records", "pregnancy", "account"])
def test_kari_may_not_use_messages_the_journal_or_the_pregnancy_card_for_nora_at_15(family: Family, area: str):
    assert outcome(citizen(family.kari), family.nora, area) == (False, f"restricted_12_to_15:{area}")


def test_kari_may_still_use_appointments_for_nora_at_15(family: Family):
    assert outcome(citizen(family.kari), family.nora, "appointments") == (True, "parent_of_child_12_to_15")


# Every area × the child's age band, each band's edges on the register's birth dates: (years, plus_days) makes a
# child who turns `years` `plus_days` days from today, so (12, 1) is 11 until tomorrow and (12, 0) 12 today.
BAND_EDGES = {
    "newborn": (0, 0),
    "11, the day before turning 12": (12, 1),
    "12 today": (12, 0),
    "15, the day before turning 16": (16, 1),
    "16 today": (16, 0),
}
OPEN_TO_A_PARENT = {
    "newborn": {"appointments", "messages", "pregnancy", "records", "account", *NEW_AREAS},
    "11, the day before turning 12": {"appointments", "messages", "pregnancy", "records", "account", *NEW_AREAS},
    "12 today": {"appointments", "gp", "medicines", "vaccines", "referrals", "contacts"},
    "15, the day before turning 16": {"appointments", "gp", "medicines", "vaccines", "referrals", "contacts"},
    "16 today": set(),
}


@pytest.mark.parametrize("band", list(BAND_EDGES))
@pytest.mark.parametrize("area", [*HEALTH_AREAS, *NEW_AREAS, "account", "youth", "usage_statistics"])
def test_a_parent_may_use_each_area_exactly_as_the_table_says_at_each_age_edge(family: Family, band: str, area: str):
    years, plus_days = BAND_EDGES[band]
    child = child_of(family.kari, years, plus_days=plus_days)
    allowed, _reason = outcome(citizen(family.kari), child, area)
    assert allowed == (area in OPEN_TO_A_PARENT[band])


@pytest.mark.parametrize("band", list(BAND_EDGES))
def test_open_areas_lists_what_check_allows(family: Family, band: str):
    from helseportal.access.policy import open_areas

    years, plus_days = BAND_EDGES[band]
    child = child_of(family.kari, years, plus_days=plus_days)
    assert open_areas(citizen(family.kari).acting_for(child.pk, Role.PARENT)) == OPEN_TO_A_PARENT[band]


def test_nobody_may_use_the_youth_services_for_someone_else(family: Family):
    power(family.kari, family.per, "all")
    refusals = [
        outcome(citizen(family.kari), family.ola, "youth"),
        outcome(citizen(family.kari), family.nora, "youth"),
        outcome(citizen(family.per), family.kari, "youth"),
    ]
    assert refusals == [(False, "youth_services_are_private")] * 3


def test_per_is_refused_kari_as_if_she_did_not_exist(family: Family):
    per = citizen(family.per)
    assert outcome(per, family.kari, "appointments") == (False, "no_relation")
    with pytest.raises(NotFound):
        require(per, subject_id=family.kari.pk, area="appointments")


def test_require_returns_the_decision_when_allowed(family: Family):
    decision = require(citizen(family.kari), subject_id=family.ola.pk, area="appointments")
    assert decision.reason == "parent_of_child_under_12"


def test_a_person_who_does_not_exist_is_refused(family: Family):
    assert outcome(citizen(family.kari), Person(pk=10**9), "appointments") == (False, "unknown_person")


# --- Assurance and the youth role ----------------------------------------------------------------------------------


@pytest.mark.parametrize("area", HEALTH_AREAS)
def test_kari_logged_in_with_minid_is_refused_every_health_service(family: Family, area: str):
    kari = citizen(family.kari, Assurance.SUBSTANTIAL)
    assert outcome(kari, family.kari, area) == (False, "assurance_too_low")
    assert outcome(kari, family.ola, area) == (False, "assurance_too_low")


def test_kari_logged_in_with_minid_reaches_only_her_own_youth_services(family: Family):
    kari = citizen(family.kari, Assurance.SUBSTANTIAL)
    assert outcome(kari, family.kari, "youth") == (True, "self_youth")
    assert outcome(kari, family.nora, "youth") == (False, "assurance_too_low")


def test_an_actor_without_assurance_is_refused_even_her_own_youth_services(family: Family):
    assert outcome(citizen(family.kari, Assurance.NONE), family.kari, "youth") == (False, "assurance_too_low")


def test_nora_as_a_youth_may_use_only_her_own_youth_services(family: Family):
    nora = citizen(family.nora, Assurance.SUBSTANTIAL, Role.YOUTH)
    assert outcome(nora, family.nora, "youth") == (True, "self_youth")
    assert [outcome(nora, family.nora, area)[0] for area in HEALTH_AREAS] == [False] * 4
    assert outcome(nora, family.ola, "youth") == (False, "assurance_too_low")


def test_the_youth_role_is_limited_to_youth_services_even_with_high_assurance(family: Family):
    nora = citizen(family.nora, Assurance.HIGH, Role.YOUTH)
    assert outcome(nora, family.nora, "appointments") == (False, "assurance_too_low")


def test_kari_with_bankid_may_use_every_service_for_herself(family: Family):
    kari = citizen(family.kari)
    assert [outcome(kari, family.kari, area) for area in HEALTH_AREAS] == [(True, "self")] * 4


def test_a_practitioner_without_a_sharing_grant_sees_nothing(family: Family):
    mette = Actor(role=Role.PRACTITIONER, assurance=Assurance.HIGH, practitioner_id=1, hpr_number="9144889")
    assert outcome(mette, family.kari, "pregnancy") == (False, "no_grant")


def test_a_practitioner_without_hpr_is_no_clinician(family: Family):
    secretary = Actor(role=Role.PRACTITIONER, assurance=Assurance.HIGH, practitioner_id=1)
    assert outcome(secretary, family.kari, "pregnancy") == (False, "not_a_clinician")


# --- Protected address and the address rule ----------------------------------------------------------------------


@pytest.mark.parametrize("who", ["ola", "kari"])
@pytest.mark.parametrize("code", [AddressProtection.CONFIDENTIAL, AddressProtection.STRICTLY_CONFIDENTIAL])
def test_a_protected_address_on_either_side_refuses_the_parent(family: Family, who: str, code: str):
    Person.objects.filter(pk=getattr(family, who).pk).update(address_protection=code)
    assert outcome(citizen(family.kari), family.ola, "appointments") == (False, "protected_address")


def test_a_protected_address_voids_a_power_of_attorney(family: Family):
    power(family.kari, family.per)
    Person.objects.filter(pk=family.kari.pk).update(address_protection=AddressProtection.CONFIDENTIAL)
    assert outcome(citizen(family.per), family.kari, "appointments") == (False, "protected_address")


def move(person: Person, street_address: str, postcode: str) -> None:
    Person.objects.filter(pk=person.pk).update(street_address=street_address, postcode=postcode)


def test_a_parent_is_refused_when_no_parent_lives_at_the_childs_address(family: Family):
    move(family.ola, "Storgata 1", "0155")
    assert outcome(citizen(family.kari), family.ola, "appointments") == (False, "no_parent_at_childs_address")


def test_it_is_enough_that_the_other_parent_lives_with_the_child(family: Family):
    father = person_born(birthday(35), "Far")
    ParentalResponsibility.objects.create(parent=father, child=family.ola)
    move(family.ola, father.street_address, father.postcode)
    assert outcome(citizen(family.kari), family.ola, "appointments") == (True, "parent_of_child_under_12")


def test_the_address_comparison_ignores_letter_case(family: Family):
    move(family.ola, family.kari.street_address.upper(), family.kari.postcode)
    assert outcome(citizen(family.kari), family.ola, "appointments") == (True, "parent_of_child_under_12")


def test_a_child_and_parent_without_any_address_do_not_count_as_living_together(family: Family):
    move(family.ola, "", "")
    move(family.kari, "", "")
    assert outcome(citizen(family.kari), family.ola, "appointments") == (False, "no_parent_at_childs_address")


def test_the_same_street_in_another_postcode_is_another_address(family: Family):
    move(family.ola, family.kari.street_address, "5013")
    assert outcome(citizen(family.kari), family.ola, "appointments") == (False, "no_parent_at_childs_address")


# --- Birthdays, on today's date in Oslo ----------------------------------------------------------------------------


def test_a_parent_loses_access_on_the_childs_16th_birthday(family: Family):
    child = child_of(family.kari, 16)
    assert outcome(citizen(family.kari), child, "appointments") == (False, "child_is_16_or_older")


def test_a_parent_keeps_access_the_day_before_the_childs_16th_birthday(family: Family):
    child = child_of(family.kari, 16, plus_days=1)
    assert outcome(citizen(family.kari), child, "appointments") == (True, "parent_of_child_12_to_15")


def test_a_parent_loses_messages_on_the_childs_12th_birthday(family: Family):
    child = child_of(family.kari, 12)
    assert outcome(citizen(family.kari), child, "messages") == (False, "restricted_12_to_15:messages")


def test_a_parent_may_still_send_messages_the_day_before_the_childs_12th_birthday(family: Family):
    child = child_of(family.kari, 12, plus_days=1)
    assert outcome(citizen(family.kari), child, "messages") == (True, "parent_of_child_under_12")


# --- Powers of attorney --------------------------------------------------------------------------------------------


def test_a_power_for_appointments_lets_per_book_for_kari_and_nothing_else(family: Family):
    power(family.kari, family.per, "appointments")
    per = citizen(family.per)
    assert outcome(per, family.kari, "appointments") == (True, "power_of_attorney")
    assert [outcome(per, family.kari, a)[0] for a in ["messages", "pregnancy", "records"]] == [False] * 3


def test_a_power_for_all_services_covers_every_health_area(family: Family):
    power(family.kari, family.per, "all")
    per = citizen(family.per)
    assert [outcome(per, family.kari, area) for area in HEALTH_AREAS] == [(True, "power_of_attorney")] * 4


def test_a_power_that_starts_tomorrow_gives_nothing_today(family: Family):
    power(family.kari, family.per, valid_from=today() + days(1))
    assert outcome(citizen(family.per), family.kari, "appointments") == (False, "power_not_in_force")


def test_a_power_is_in_force_on_its_last_day(family: Family):
    power(family.kari, family.per, valid_from=today() - days(30), valid_to=today())
    assert outcome(citizen(family.per), family.kari, "appointments") == (True, "power_of_attorney")


def test_a_power_that_ended_yesterday_gives_nothing(family: Family):
    power(family.kari, family.per, valid_from=today() - days(30), valid_to=today() - days(1))
    assert outcome(citizen(family.per), family.kari, "appointments") == (False, "power_not_in_force")


def test_a_revoked_power_gives_nothing(family: Family):
    power(family.kari, family.per, revoked=True)
    assert outcome(citizen(family.per), family.kari, "appointments") == (False, "power_revoked")


def test_one_power_in_force_is_enough_among_expired_and_revoked_ones(family: Family):
    power(family.kari, family.per, valid_from=today() - days(30), valid_to=today() - days(1))
    power(family.kari, family.per, revoked=True)
    power(family.kari, family.per, "messages")
    assert outcome(citizen(family.per), family.kari, "messages") == (True, "power_of_attorney")


def test_a_power_works_one_way_only(family: Family):
    power(family.kari, family.per)
    assert outcome(citizen(family.kari), family.per, "appointments") == (False, "no_relation")


def test_a_power_from_someone_who_turned_16_today_is_valid(family: Family):
    giver = person_born(birthday(16), "Giver")
    power(giver, family.per)
    assert outcome(citizen(family.per), giver, "appointments") == (True, "power_of_attorney")


def test_a_power_from_someone_who_turns_16_tomorrow_is_void(family: Family):
    giver = person_born(birthday(16, plus_days=1), "Giver")
    power(giver, family.per)
    assert outcome(citizen(family.per), giver, "appointments") == (False, "giver_under_16")


def test_a_power_to_someone_who_turned_18_today_is_valid(family: Family):
    receiver = person_born(birthday(18), "Mottaker")
    power(family.kari, receiver)
    assert outcome(citizen(receiver), family.kari, "appointments") == (True, "power_of_attorney")


def test_a_power_to_someone_who_turns_18_tomorrow_is_void(family: Family):
    receiver = person_born(birthday(18, plus_days=1), "Mottaker")
    power(family.kari, receiver)
    assert outcome(citizen(receiver), family.kari, "appointments") == (False, "receiver_under_18")


def test_a_power_does_not_open_the_youth_services(family: Family):
    power(family.kari, family.per, "all")
    assert outcome(citizen(family.per), family.kari, "youth") == (False, "youth_services_are_private")


def test_a_parent_may_act_for_her_16_year_old_who_gave_her_a_power_of_attorney(family: Family):
    youth = Person.objects.create(
        pid=synthetic_fnr(today().replace(year=today().year - 17) - datetime.timedelta(days=3), 612),
        given_name="Emma",
        family_name="Nordmann",
        street_address=family.kari.street_address,
        postcode=family.kari.postcode,
    )
    ParentalResponsibility.objects.create(parent=family.kari, child=youth)
    assert outcome(citizen(family.kari), youth, "appointments") == (False, "child_is_16_or_older")
    power(youth, family.kari)
    assert outcome(citizen(family.kari), youth, "appointments") == (True, "power_of_attorney")

"""Youth access by parental consent (ungdomstilgang) and the record services' rules on the register as stored:
the youth on BankID or MinID around her 13th and 16th birthdays, with and without consent; the parent's own access
beside it, at and not at the child's address, and by power of attorney from 16; giving and withdrawing consent, on
the profile page and in the log."""

import datetime

import pytest
from django.db import NotSupportedError, transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helseportal.access import youth_access
from helseportal.access.models import AuditEvent, YouthAccessConsent
from helseportal.access.policy import check, open_areas
from helseportal.access.tests.test_policy import Family, birthday, child_of, citizen, move, person_born, power
from helseportal.core.actor import Actor, Assurance, Role
from helseportal.core.errors import NotFound, Refused
from helseportal.core.testing import log_in
from helseportal.demo import personas
from helseportal.demo.loader import load_demo
from helseportal.identity.models import AddressProtection, ParentalResponsibility, Person

pytestmark = pytest.mark.django_db

SIX = ["medicines", "results", "vaccines", "documents", "referrals", "contacts"]
WITH_CONSENT = {"gp", "contacts", "vaccines", "medicines"}
# (years, plus_days): a child who turns `years` `plus_days` days from today.
EDGES = {
    "12, the day before turning 13": (13, 1),
    "13 today": (13, 0),
    "15, the day before turning 16": (16, 1),
    "16 today": (16, 0),
}


@pytest.fixture
def family(db: None) -> Family:
    load_demo()
    get = Person.objects.get
    return Family(
        get(pid=personas.KARI.pid), get(pid=personas.OLA.pid), get(pid=personas.NORA.pid), get(pid=personas.PER.pid)
    )


def consent_for(parent: Person, child: Person) -> YouthAccessConsent:
    return youth_access.give(citizen(parent), child.pk)


def own(person: Person, area: str, assurance: Assurance = Assurance.HIGH, *, write: bool = False) -> bool:
    role = Role.CITIZEN if assurance == Assurance.HIGH else Role.YOUTH
    return check(citizen(person, assurance, role), subject_id=person.pk, area=area, write=write).allowed


# --- The youth herself ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("edge", list(EDGES))
@pytest.mark.parametrize("consented", [False, True])
def test_the_youth_on_bankid_sees_the_gp_vaccines_and_medicines_only_with_consent_from_13_until_16(
    family: Family, edge: str, consented: bool
):
    years, plus_days = EDGES[edge]
    child = child_of(family.kari, years, plus_days=plus_days)
    if consented:  # given while she was 13–15 (the day before 13 and from 16 it cannot be given: made directly)
        YouthAccessConsent.objects.create(
            child=child, given_by=family.kari, given_at=datetime.datetime.now(datetime.UTC)
        )
    age_13_to_15 = edge in ("13 today", "15, the day before turning 16")
    for area in [*SIX, "gp", "records"]:
        expected = edge == "16 today" or (consented and age_13_to_15 and area in WITH_CONSENT)
        assert own(child, area) == expected, area
    assert own(child, "youth")  # the youth services stay hers whatever the consent (offered from 13 to 16)


@pytest.mark.parametrize("area", sorted(WITH_CONSENT))
def test_with_minid_the_consent_opens_nothing(family: Family, area: str):
    consent_for(family.kari, family.nora)
    assert own(family.nora, area)
    assert not own(family.nora, area, Assurance.SUBSTANTIAL)
    assert own(family.nora, "youth", Assurance.SUBSTANTIAL)


def test_with_consent_she_sees_but_does_not_change(family: Family):
    consent_for(family.kari, family.nora)
    assert own(family.nora, "medicines")
    assert not own(family.nora, "medicines", write=True)
    reason = check(citizen(family.nora), subject_id=family.nora.pk, area="medicines", write=True).reason
    assert reason == "youth_access_read_only"


def test_her_open_areas_with_consent_are_the_consent_s_and_the_rest_of_her_own(family: Family):
    before = open_areas(citizen(family.nora))
    assert not before & {*SIX, "gp", "records"}
    consent_for(family.kari, family.nora)
    after = open_areas(citizen(family.nora))
    assert after - before == WITH_CONSENT


def test_withdrawn_consent_closes_her_services_at_once(family: Family):
    consent_for(family.kari, family.nora)
    youth_access.withdraw(citizen(family.kari), family.nora.pk)
    assert not any(own(family.nora, area) for area in WITH_CONSENT)


# --- The parents beside her ----------------------------------------------------------------------------------------


def parent_may(parent: Person, child: Person, area: str) -> bool:
    return check(citizen(parent), subject_id=child.pk, area=area).allowed


@pytest.mark.parametrize("consented", [False, True])
def test_a_parent_keeps_her_own_access_whatever_the_consent(family: Family, consented: bool):
    if consented:
        consent_for(family.kari, family.nora)
    # From 12 only her test results and the hospital journal close to a parent (issue 11 item 7).
    assert {area for area in [*SIX, "gp"] if parent_may(family.kari, family.nora, area)} == {
        "gp",
        "medicines",
        "vaccines",
        "referrals",
        "contacts",
    }


def test_a_parent_of_a_child_under_12_sees_all_six(family: Family):
    assert all(parent_may(family.kari, family.ola, area) for area in SIX)


def test_no_parent_at_the_address_closes_all_six_under_12_and_those_open_to_her_parent_from_12(family: Family):
    move(family.kari, "Annen gate 1", "0150")
    assert not any(parent_may(family.kari, family.ola, area) for area in SIX)
    assert not any(parent_may(family.kari, family.nora, area) for area in [*SIX, "gp"])
    assert parent_may(family.kari, family.nora, "appointments")  # no address rule is published for it


def test_the_other_parent_at_the_address_is_enough(family: Family):
    other = person_born(birthday(45), "Far", address_of=family.nora)
    ParentalResponsibility.objects.create(parent=other, child=family.nora)
    move(family.kari, "Annen gate 1", "0150")
    assert parent_may(family.kari, family.nora, "vaccines")


def test_at_16_a_parent_sees_only_what_her_power_of_attorney_names(family: Family):
    nora = child_of(family.kari, 16)
    assert not any(parent_may(family.kari, nora, area) for area in SIX)
    power(nora, family.kari, "medicines")
    assert [area for area in SIX if parent_may(family.kari, nora, area)] == ["medicines"]


# --- Giving and withdrawing ----------------------------------------------------------------------------------------


def test_giving_is_audited_in_the_child_s_log_and_the_parent_s(family: Family):
    consent = consent_for(family.kari, family.nora)
    events = AuditEvent.objects.filter(action="access:youth_access:given")
    assert sorted(e.subject_id for e in events) == sorted([family.nora.pk, family.kari.pk])
    assert {tuple(e.resources) for e in events} == {(f"YouthAccessConsent/{consent.pk}",)}
    assert {e.actor_person_id for e in events} == {family.kari.pk}


def test_either_parent_withdraws_the_consent_the_other_gave_and_nothing_is_deleted(family: Family):
    father = person_born(birthday(45), "Far", address_of=family.nora)
    ParentalResponsibility.objects.create(parent=father, child=family.nora)
    given = consent_for(family.kari, family.nora)
    assert youth_access.give(citizen(father), family.nora.pk) == given  # already in force: the same one
    withdrawn = youth_access.withdraw(citizen(father), family.nora.pk)
    assert withdrawn is not None
    assert withdrawn.pk == given.pk
    assert (withdrawn.given_by_id, withdrawn.withdrawn_by_id) == (family.kari.pk, father.pk)
    assert youth_access.withdraw(citizen(family.kari), family.nora.pk) is None  # nothing in force
    again = consent_for(family.kari, family.nora)
    assert YouthAccessConsent.objects.filter(child=family.nora).count() == 2
    assert again.pk != given.pk
    assert AuditEvent.objects.filter(action="access:youth_access:withdrawn", subject_id=family.nora.pk).count() == 1
    with pytest.raises(NotSupportedError):
        again.delete()


def test_only_a_parent_who_may_act_for_the_child_may_give_or_withdraw(family: Family):
    with pytest.raises(NotFound):
        youth_access.give(citizen(family.per), family.nora.pk)
    with pytest.raises(NotFound):
        youth_access.withdraw(citizen(family.per), family.nora.pk)
    with pytest.raises(NotFound):  # 16: no longer hers to decide for
        youth_access.give(citizen(family.kari), child_of(family.kari, 16).pk)
    Person.objects.filter(pk=family.nora.pk).update(address_protection=AddressProtection.CONFIDENTIAL)
    with pytest.raises(NotFound):
        youth_access.give(citizen(family.kari), family.nora.pk)


@pytest.mark.parametrize(("years", "plus_days"), [(10, 0), (13, 1)])
def test_a_child_under_13_is_refused_with_the_reason(family: Family, years: int, plus_days: int):
    with pytest.raises(Refused, match="fra barnet fyller 13 år"):
        youth_access.give(citizen(family.kari), child_of(family.kari, years, plus_days=plus_days).pk)


# --- The profile page ----------------------------------------------------------------------------------------------


def logged_in(client: Client, actor: Actor) -> Client:
    log_in(client, actor)
    return client


def test_the_profile_offers_youth_access_for_nora_and_not_for_ola(client: Client, family: Family):
    page = logged_in(client, citizen(family.kari)).get("/profil/").content.decode()
    section = page[page.index("Ungdomstilgang</h2>") :]
    assert "Nora Nordmann" in section
    assert "Ola Nordmann" not in section
    assert "reseptene sine: de som gjelder nå, og dem fra de siste 12 månedene" in section
    assert "Ungdomstilgang er ikke gitt." in section
    assert f'action="/profil/ungdomstilgang/{family.nora.pk}/gi/"' in section


def test_a_parent_without_children_of_13_to_15_sees_no_section(client: Client, family: Family):
    assert "Ungdomstilgang</h2>" not in logged_in(client, citizen(family.per)).get("/profil/").content.decode()


def test_giving_and_withdrawing_on_the_page(client: Client, family: Family):
    kari = logged_in(client, citizen(family.kari))
    given = kari.post(f"/profil/ungdomstilgang/{family.nora.pk}/gi/", follow=True)
    page = given.content.decode()
    assert "Nora har fått ungdomstilgang." in page
    assert "Ungdomstilgang er gitt av Kari Nordmann" in page
    assert own(family.nora, "vaccines")
    withdrawn = kari.post(f"/profil/ungdomstilgang/{family.nora.pk}/trekk-tilbake/", follow=True)
    assert "Ungdomstilgangen for Nora er trukket tilbake." in withdrawn.content.decode()
    assert not own(family.nora, "vaccines")
    assert kari.post(f"/profil/ungdomstilgang/{family.nora.pk}/trekk-tilbake/").status_code == 404


def test_the_page_answers_404_for_a_child_she_may_not_act_for_and_400_under_13(client: Client, family: Family):
    per = logged_in(Client(), citizen(family.per))
    assert per.post(f"/profil/ungdomstilgang/{family.nora.pk}/gi/").status_code == 404
    assert per.post(f"/profil/ungdomstilgang/{family.nora.pk}/trekk-tilbake/").status_code == 404
    kari = logged_in(client, citizen(family.kari))
    refused = kari.post(f"/profil/ungdomstilgang/{family.ola.pk}/gi/")
    assert refused.status_code == 400
    assert "fra barnet fyller 13 år" in refused.content.decode()
    assert kari.get(f"/profil/ungdomstilgang/{family.nora.pk}/gi/").status_code == 405
    acting = logged_in(Client(), citizen(family.kari).acting_for(family.nora.pk, Role.PARENT))
    assert acting.post(f"/profil/ungdomstilgang/{family.nora.pk}/gi/").status_code == 404
    assert not YouthAccessConsent.objects.exists()


def test_the_forms_need_the_csrf_token(family: Family):
    client = logged_in(Client(enforce_csrf_checks=True), citizen(family.kari))
    assert client.post(f"/profil/ungdomstilgang/{family.nora.pk}/gi/").status_code == 403
    assert not YouthAccessConsent.objects.exists()
    page = client.get("/profil/").content.decode()
    form = page[page.index(f'action="/profil/ungdomstilgang/{family.nora.pk}/gi/"') :]
    assert 'name="csrfmiddlewaretoken"' in form[: form.index("</form>")]


# --- Every edge at once, on the register as stored -----------------------------------------------------------------


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    birthday_at=st.sampled_from([12, 13, 16]),
    days=st.integers(min_value=-2, max_value=2),
    consented=st.booleans(),
    bankid=st.booleans(),
    lives_with=st.booleans(),
    area=st.sampled_from([*SIX, "gp", "appointments", "youth"]),
)
def test_the_youth_and_her_parent_see_what_the_sources_say_around_each_birthday(
    family: Family, birthday_at: int, days: int, consented: bool, bankid: bool, lives_with: bool, area: str
):
    with transaction.atomic():  # each example in a savepoint of its own, rolled back
        child = child_of(family.kari, birthday_at, plus_days=days)  # turns `birthday_at` in `days` days
        age = birthday_at - 1 if days > 0 else birthday_at
        if consented:
            YouthAccessConsent.objects.create(
                child=child, given_by=family.kari, given_at=datetime.datetime.now(datetime.UTC)
            )
        if not lives_with:
            move(family.kari, "Annen gate 1", "0150")
        youth = own(child, area, Assurance.HIGH if bankid else Assurance.SUBSTANTIAL)
        parent = parent_may(family.kari, child, area)
        transaction.set_rollback(True)
    if not bankid:  # MinID: the youth services only, whatever the consent
        assert youth == (area == "youth")
    elif age >= 16 or area in ("appointments", "youth"):
        assert youth
    else:
        assert youth == (consented and age >= 13 and area in WITH_CONSENT)
    if age >= 16 or area == "youth":
        assert not parent
    elif age < 12:
        assert parent == lives_with
    else:
        at_address = ("gp", "medicines", "vaccines", "referrals", "contacts")
        assert parent == (area == "appointments" or (lives_with and area in at_address))

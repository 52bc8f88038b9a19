"""The pure acting-for rules (DOMAIN.md §2) against an independent restatement of them, for every age and date.

The oracle below is written from DOMAIN.md, not from rules.py: it shares no table or constant with the code,
so a wrong boundary in either shows up as a disagreement Hypothesis can shrink to one example.
"""

import datetime

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from helseportal.access.models import ServiceArea
from helseportal.access.rules import (
    SERVICE_AREAS,
    Facts,
    Power,
    area_allowed,
    of_youth_age,
    parent_may_act,
    proxy_may_act,
)
from helseportal.core.ids import age_on

DAY = datetime.date(2026, 3, 1)
# The areas a service asks about: the concrete ones from the power-of-attorney list, the person's own use of the
# portal (what the audit log shows of logins, profile and powers), and the youth services.
ASKED_AREAS = ["appointments", "messages", "pregnancy", "records", "account", "youth"]
POWER_AREAS = ["all", "appointments", "messages", "pregnancy", "records"]


# --- The oracle: DOMAIN.md §2, restated as plainly as possible -------------------------------------------------


def oracle_parent(*, child_age: int, protected: bool, parent_lives_with_child: bool, area: str) -> bool:
    """May a parent with parental responsibility use `area` for their child?"""
    if protected:  # kode 6/7 on either side: nobody represents or is represented
        return False
    if area == "youth":  # the youth services are the youth's own
        return False
    if child_age >= 16:  # helserettslig myndig: the youth decides
        return False
    if child_age <= 11:  # under 12: only when a parent is registered at the child's address
        return parent_lives_with_child
    # 12–15: no messages on the child's behalf, no hospital journal or test results, and "the pregnancy card of
    # a 12–15-year-old is hers alone" (DOMAIN.md §3); her own use of the portal is hers too. Appointments stay.
    return area == "appointments"


def oracle_proxy(
    *,
    giver_age: int,
    receiver_age: int,
    protected: bool,
    power_area: str,
    valid_from: datetime.date,
    valid_to: datetime.date | None,
    revoked: bool,
    area: str,
    day: datetime.date,
) -> bool:
    """May the receiver of a power of attorney (fullmakt) use `area` for the giver on `day`?"""
    if protected or revoked or area == "youth":
        return False
    if giver_age < 16 or receiver_age < 18:
        return False
    in_force = valid_from <= day and (valid_to is None or day <= valid_to)
    covers = power_area == "all" or power_area == area
    return in_force and covers


# --- Strategies: every age, with extra weight on the days around the birthdays that matter --------------------

ages = st.integers(min_value=0, max_value=100) | st.sampled_from([11, 12, 13, 15, 16, 17, 18])
areas = st.sampled_from(ASKED_AREAS)
offsets = st.integers(min_value=-3, max_value=3)
# Protection and revocation end a decision at once; rarer, so that most examples reach the age and date rules.
rarely = st.sampled_from([False, False, False, True])
# The rules are pure and fast: enough examples to hit each boundary combination many times over.
many = settings(max_examples=1500)


def facts(age: int, protected: bool = False) -> Facts:
    return Facts(age=age, protected_address=protected)


# --- Properties ------------------------------------------------------------------------------------------------


@many
@given(
    parent_age=ages,
    child_age=ages,
    parent_protected=rarely,
    child_protected=rarely,
    lives_with=st.booleans(),
    area=areas,
)
@example(parent_age=32, child_age=11, parent_protected=False, child_protected=False, lives_with=False, area="pregnancy")
@example(parent_age=32, child_age=12, parent_protected=False, child_protected=False, lives_with=True, area="messages")
@example(
    parent_age=32, child_age=16, parent_protected=False, child_protected=False, lives_with=True, area="appointments"
)
@example(parent_age=32, child_age=15, parent_protected=False, child_protected=False, lives_with=True, area="records")
@example(parent_age=32, child_age=12, parent_protected=False, child_protected=False, lives_with=True, area="pregnancy")
@example(parent_age=32, child_age=11, parent_protected=False, child_protected=False, lives_with=True, area="pregnancy")
@example(parent_age=32, child_age=15, parent_protected=False, child_protected=False, lives_with=True, area="account")
@example(
    parent_age=32, child_age=12, parent_protected=False, child_protected=False, lives_with=False, area="appointments"
)
def test_a_parent_is_allowed_exactly_what_the_rules_grant(
    parent_age: int, child_age: int, parent_protected: bool, child_protected: bool, lives_with: bool, area: str
):
    decision = area_allowed(
        parent_may_act(
            facts(parent_age, parent_protected),
            facts(child_age, child_protected),
            a_responsible_parent_lives_with_child=lives_with,
        ),
        area,
    )
    expected = oracle_parent(
        child_age=child_age,
        protected=parent_protected or child_protected,
        parent_lives_with_child=lives_with,
        area=area,
    )
    assert decision.allowed == expected, decision.reason
    assert bool(decision) == decision.allowed


@many
@given(
    giver_age=ages,
    receiver_age=ages,
    giver_protected=rarely,
    receiver_protected=rarely,
    power_area=st.sampled_from(POWER_AREAS),
    from_offset=offsets,
    to_offset=st.none() | offsets,
    revoked=rarely,
    area=areas,
)
@example(16, 18, False, False, "all", 0, 0, False, "appointments")  # all at their lower bounds: allowed
@example(15, 18, False, False, "all", 0, None, False, "appointments")
@example(16, 17, False, False, "all", 0, None, False, "appointments")
@example(16, 18, False, False, "all", -3, -1, False, "appointments")
def test_a_proxy_is_allowed_exactly_what_the_power_of_attorney_grants(
    giver_age: int,
    receiver_age: int,
    giver_protected: bool,
    receiver_protected: bool,
    power_area: str,
    from_offset: int,
    to_offset: int | None,
    revoked: bool,
    area: str,
):
    valid_from = DAY + datetime.timedelta(days=from_offset)
    valid_to = None if to_offset is None else DAY + datetime.timedelta(days=to_offset)
    power = Power(power_area, valid_from, valid_to, revoked)
    decision = area_allowed(
        proxy_may_act(facts(receiver_age, receiver_protected), facts(giver_age, giver_protected), power, area, DAY),
        area,
    )
    expected = oracle_proxy(
        giver_age=giver_age,
        receiver_age=receiver_age,
        protected=giver_protected or receiver_protected,
        power_area=power_area,
        valid_from=valid_from,
        valid_to=valid_to,
        revoked=revoked,
        area=area,
        day=DAY,
    )
    assert decision.allowed == expected, decision.reason


@given(child_age=st.integers(min_value=12, max_value=15), lives_with=st.booleans())
def test_a_parent_of_a_child_aged_12_to_15_may_use_appointments_the_gp_medicines_vaccines_referrals_contacts_only(
    child_age: int, lives_with: bool
):
    decision = parent_may_act(facts(40), facts(child_age), a_responsible_parent_lives_with_child=lives_with)
    assert decision.allowed
    # The GP, medicines and vaccines only while a responsible parent lives at her address (helsenorge.no, Helfo);
    # referrals and contacts likewise (issue 11 item 7: from 12 only test results and the hospital journal close).
    at_address = {"gp", "medicines", "vaccines", "referrals", "contacts"}
    assert decision.areas == {"appointments", *(at_address if lives_with else ())}
    for area in at_address:
        assert area_allowed(decision, area).reason == (
            "parent_of_child_12_to_15" if lives_with else "no_parent_at_childs_address"
        )
    closed = ("messages", "pregnancy", "records", "account", "results", "documents")
    for area in (*closed, "copayments", "patient_travel"):
        assert area_allowed(decision, area).reason == f"restricted_12_to_15:{area}"


@pytest.mark.parametrize(("child_age", "band"), [(0, "under_12"), (11, "under_12"), (12, "12_to_15"), (15, "12_to_15")])
@pytest.mark.parametrize("acting_lives_with", [True, False])
def test_a_parent_switches_the_gp_only_for_a_child_at_her_own_address(
    child_age: int, band: str, acting_lives_with: bool
):
    """DOMAIN.md §2 "a parent switches for children under 16 at her address" (helsenorge.no): the other parent
    living with the child lets her see the GP, not change it; every other area is as before."""
    decision = parent_may_act(
        facts(40),
        facts(child_age),
        a_responsible_parent_lives_with_child=True,
        acting_parent_lives_with_child=acting_lives_with,
    )
    assert area_allowed(decision, "gp").reason == f"parent_of_child_{band}"
    changed = area_allowed(decision, "gp", write=True)
    assert changed.reason == (f"parent_of_child_{band}" if acting_lives_with else "acting_parent_not_at_childs_address")
    for area in decision.areas or ():
        if area != "gp":
            assert area_allowed(decision, area, write=True).allowed


def test_no_parent_at_the_address_still_closes_the_gp_first():
    decision = parent_may_act(facts(40), facts(14), a_responsible_parent_lives_with_child=False)
    assert area_allowed(decision, "gp", write=True).reason == "no_parent_at_childs_address"


@given(child_age=st.integers(min_value=0, max_value=11))
def test_a_parent_of_a_child_under_12_may_use_every_area_but_youth(child_age: int):
    decision = parent_may_act(facts(40), facts(child_age), a_responsible_parent_lives_with_child=True)
    assert decision.allowed
    assert decision.areas == {*SERVICE_AREAS, "account"}
    assert {"appointments", "messages", "pregnancy", "records", "medicines", "gp"} <= decision.areas
    assert "youth" not in decision.areas
    assert "usage_statistics" not in decision.areas


@given(
    area=st.text(max_size=12).filter(lambda a: a not in ASKED_AREAS) | st.sampled_from(["all", "", "Pregnancy"]),
    child_age=st.integers(min_value=0, max_value=15),
)
def test_an_area_the_table_does_not_know_is_refused_to_every_representative(area: str, child_age: int):
    parent = parent_may_act(facts(40), facts(child_age), a_responsible_parent_lives_with_child=True)
    proxy = proxy_may_act(facts(40), facts(40), Power(ServiceArea.ALL, DAY, None, False), area, DAY)
    assert area_allowed(parent, area).reason == "unknown_area"
    assert not area_allowed(proxy, area)


@given(child_age=ages, lives_with=st.booleans(), protected=st.booleans(), area=areas)
def test_narrowing_to_an_area_never_turns_a_refusal_into_an_allow(
    child_age: int, lives_with: bool, protected: bool, area: str
):
    decision = parent_may_act(facts(40), facts(child_age, protected), a_responsible_parent_lives_with_child=lives_with)
    narrowed = area_allowed(decision, area)
    assert narrowed.allowed <= decision.allowed
    if not decision:
        assert narrowed.reason == decision.reason


@given(area=areas)
def test_youth_services_are_never_open_to_a_representative(area: str):
    parent = parent_may_act(facts(40), facts(5), a_responsible_parent_lives_with_child=True)
    proxy = proxy_may_act(facts(40), facts(40), Power(ServiceArea.ALL, DAY, None, False), area, DAY)
    assert not area_allowed(parent, "youth")
    assert not area_allowed(proxy, "youth")
    assert area_allowed(proxy, "youth").reason == "youth_services_are_private"


# --- The edges, one example each -------------------------------------------------------------------------------


def parent(child_age: int, area: str = "appointments", *, lives_with: bool = True) -> tuple[bool, str]:
    decision = area_allowed(
        parent_may_act(facts(40), facts(child_age), a_responsible_parent_lives_with_child=lives_with), area
    )
    return decision.allowed, decision.reason


def test_a_parent_may_send_messages_for_an_11_year_old_but_not_for_a_12_year_old():
    assert parent(11, "messages") == (True, "parent_of_child_under_12")
    assert parent(12, "messages") == (False, "restricted_12_to_15:messages")


def test_a_parent_may_read_the_journal_of_an_11_year_old_but_not_of_a_12_year_old():
    assert parent(11, "records") == (True, "parent_of_child_under_12")
    assert parent(12, "records") == (False, "restricted_12_to_15:records")


def test_the_pregnancy_card_of_a_12_year_old_is_hers_alone():
    assert parent(11, "pregnancy") == (True, "parent_of_child_under_12")
    assert parent(12, "pregnancy") == (False, "restricted_12_to_15:pregnancy")
    assert parent(15, "pregnancy") == (False, "restricted_12_to_15:pregnancy")


def test_a_parent_sees_the_account_activity_of_an_11_year_old_but_not_of_a_12_year_old():
    assert parent(11, "account") == (True, "parent_of_child_under_12")
    assert parent(12, "account") == (False, "restricted_12_to_15:account")


def test_a_parent_may_book_appointments_for_a_15_year_old_but_loses_access_at_16():
    assert parent(15, "appointments") == (True, "parent_of_child_12_to_15")
    assert parent(16, "appointments") == (False, "child_is_16_or_older")


def test_a_parent_not_living_with_a_child_under_12_is_refused():
    assert parent(11, lives_with=False) == (False, "no_parent_at_childs_address")


@pytest.mark.parametrize(("parent_protected", "child_protected"), [(True, False), (False, True), (True, True)])
def test_a_protected_address_on_either_side_refuses_a_parent(parent_protected: bool, child_protected: bool):
    decision = parent_may_act(
        facts(40, parent_protected), facts(5, child_protected), a_responsible_parent_lives_with_child=True
    )
    assert (decision.allowed, decision.reason) == (False, "protected_address")


def proxy(
    *,
    giver_age: int = 40,
    receiver_age: int = 40,
    power_area: str = "all",
    valid_from: datetime.date = DAY,
    valid_to: datetime.date | None = None,
    revoked: bool = False,
    area: str = "appointments",
    giver_protected: bool = False,
    receiver_protected: bool = False,
) -> tuple[bool, str]:
    power = Power(power_area, valid_from, valid_to, revoked)
    decision = proxy_may_act(
        facts(receiver_age, receiver_protected), facts(giver_age, giver_protected), power, area, DAY
    )
    decision = area_allowed(decision, area)
    return decision.allowed, decision.reason


def test_a_power_from_a_15_year_old_is_void_and_from_a_16_year_old_valid():
    assert proxy(giver_age=15) == (False, "giver_under_16")
    assert proxy(giver_age=16) == (True, "power_of_attorney")


def test_a_power_to_a_17_year_old_is_void_and_to_an_18_year_old_valid():
    assert proxy(receiver_age=17) == (False, "receiver_under_18")
    assert proxy(receiver_age=18) == (True, "power_of_attorney")


def test_a_power_is_in_force_on_its_last_day_and_not_the_day_after():
    assert proxy(valid_from=DAY - datetime.timedelta(days=10), valid_to=DAY) == (True, "power_of_attorney")
    yesterday = DAY - datetime.timedelta(days=1)
    assert proxy(valid_from=DAY - datetime.timedelta(days=10), valid_to=yesterday) == (False, "power_not_in_force")


def test_a_power_is_in_force_from_its_first_day_and_not_the_day_before():
    assert proxy(valid_from=DAY) == (True, "power_of_attorney")
    assert proxy(valid_from=DAY + datetime.timedelta(days=1)) == (False, "power_not_in_force")


def test_a_revoked_power_gives_nothing():
    assert proxy(revoked=True) == (False, "power_revoked")


def test_a_power_for_appointments_does_not_cover_messages():
    assert proxy(power_area="appointments", area="appointments") == (True, "power_of_attorney")
    assert proxy(power_area="appointments", area="messages") == (False, "power_does_not_cover_area")


def test_only_a_power_for_all_services_covers_the_givers_own_use_of_the_portal():
    assert proxy(power_area="all", area="account") == (True, "power_of_attorney")
    assert proxy(power_area="pregnancy", area="account") == (False, "power_does_not_cover_area")


@pytest.mark.parametrize("area", ["appointments", "messages", "pregnancy", "records"])
def test_a_power_for_all_services_covers_every_area_but_youth(area: str):
    assert proxy(power_area=ServiceArea.ALL, area=area) == (True, "power_of_attorney")
    assert proxy(power_area=ServiceArea.ALL, area="youth") == (False, "youth_services_are_private")


@pytest.mark.parametrize(("giver_protected", "receiver_protected"), [(True, False), (False, True)])
def test_a_protected_address_on_either_side_voids_a_power(giver_protected: bool, receiver_protected: bool):
    result = proxy(giver_protected=giver_protected, receiver_protected=receiver_protected)
    assert result == (False, "protected_address")


BORN = datetime.date(2011, 5, 17)


@pytest.mark.parametrize(
    ("day", "youth"),
    [
        (datetime.date(2024, 5, 16), False),  # the day before her 13th birthday
        (datetime.date(2024, 5, 17), True),  # her 13th birthday
        (datetime.date(2027, 5, 16), True),  # the day before her 16th birthday: still 15
        (datetime.date(2027, 5, 17), False),  # her 16th birthday: the ordinary services are hers (issue 16)
    ],
)
def test_the_youth_services_are_for_the_13th_birthday_until_the_16th(day: datetime.date, youth: bool):
    assert of_youth_age(age_on(BORN, day)) is youth

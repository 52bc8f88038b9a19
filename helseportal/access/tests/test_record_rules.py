"""Who sees what in the six record services (issue 11 item 7), as pure rules, against an oracle restated from the
sources (DOMAIN.md §2; helsenorge.no's pages on children's prescriptions and vaccines; NHN on youth access).

The oracle shares no table or constant with rules.py, so a wrong edge in either shows up as a disagreement.
"""

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from helseportal.access.rules import Facts, area_allowed, item_visible, own_use, parent_may_act

SIX = ["medicines", "results", "vaccines", "documents", "referrals", "contacts"]
ASKED = [*SIX, "gp", "records", "appointments", "messages", "pregnancy", "account", "youth"]

# --- The oracle ----------------------------------------------------------------------------------------------------


def oracle_parent(*, child_age: int, lives_with: bool, area: str) -> bool:
    """A parent with parental responsibility, neither with a protected address."""
    if area == "youth" or child_age >= 16:
        return False
    if child_age < 12:  # every service, only with a parent at the child's address
        return lives_with
    # 12–15: prescriptions (without reserved ones) and vaccines, each "men bare hvis minst én av foreldrene er
    # folkeregistrert på samme adresse som barnet"; the GP switch for a child at her address (Helfo); referrals and
    # contacts at her address too (issue 11 item 7: "from 12 parents see no test results and no hospital journal",
    # nothing more closes); appointments.
    if area in ("medicines", "vaccines", "gp", "referrals", "contacts"):
        return lives_with
    return area == "appointments"


def oracle_own(*, age: int, consent: bool, area: str, write: bool) -> bool:
    """A citizen on BankID for herself: under 16, the record services and the GP only with consent from 13, to see."""
    if age >= 16:
        return True
    if area not in (*SIX, "gp", "records"):
        return True  # not the record services' rule: her messages, appointments, card and youth services
    return 13 <= age <= 15 and consent and area in ("gp", "contacts", "vaccines", "medicines") and not write


ages = st.integers(min_value=0, max_value=40) | st.sampled_from([11, 12, 13, 15, 16])
many = settings(max_examples=1500)


@many
@given(child_age=ages, lives_with=st.booleans(), area=st.sampled_from(ASKED))
@example(child_age=11, lives_with=True, area="results")
@example(child_age=12, lives_with=True, area="results")
@example(child_age=12, lives_with=True, area="documents")
@example(child_age=12, lives_with=True, area="medicines")
@example(child_age=12, lives_with=False, area="medicines")
@example(child_age=15, lives_with=True, area="vaccines")
@example(child_age=16, lives_with=True, area="vaccines")
@example(child_age=13, lives_with=True, area="referrals")
@example(child_age=13, lives_with=True, area="contacts")
@example(child_age=12, lives_with=False, area="referrals")
@example(child_age=15, lives_with=False, area="contacts")
@example(child_age=16, lives_with=True, area="referrals")
@example(child_age=14, lives_with=False, area="appointments")
def test_a_parent_sees_exactly_the_record_services_the_sources_allow(child_age: int, lives_with: bool, area: str):
    decision = area_allowed(
        parent_may_act(Facts(40), Facts(child_age), a_responsible_parent_lives_with_child=lives_with), area
    )
    assert decision.allowed == oracle_parent(child_age=child_age, lives_with=lives_with, area=area), decision.reason


@many
@given(age=ages, consent=st.booleans(), area=st.sampled_from(ASKED), write=st.booleans())
@example(age=12, consent=True, area="vaccines", write=False)
@example(age=13, consent=True, area="vaccines", write=False)
@example(age=13, consent=False, area="vaccines", write=False)
@example(age=15, consent=True, area="medicines", write=False)
@example(age=15, consent=True, area="medicines", write=True)
@example(age=15, consent=True, area="results", write=False)
@example(age=16, consent=False, area="results", write=False)
def test_a_youth_on_bankid_sees_exactly_what_her_consent_opens(age: int, consent: bool, area: str, write: bool):
    decision = own_use(Facts(age), area, consent=consent, write=write)
    assert decision.allowed == oracle_own(age=age, consent=consent, area=area, write=write), decision.reason


@pytest.mark.parametrize(
    ("age", "consent", "area", "reason"),
    [
        (12, True, "vaccines", "self_under_13"),
        (14, False, "vaccines", "youth_access_without_consent"),
        (14, True, "results", "youth_access_excludes:results"),
        (14, True, "medicines", "self_youth_access"),
        (16, False, "results", "self"),
    ],
)
def test_each_refusal_of_her_own_services_says_why(age: int, consent: bool, area: str, reason: str):
    assert own_use(Facts(age), area, consent=consent).reason == reason


def test_a_parent_not_at_the_address_is_told_why_the_gp_medicines_and_vaccines_are_closed():
    decision = parent_may_act(Facts(40), Facts(14), a_responsible_parent_lives_with_child=False)
    assert area_allowed(decision, "vaccines").reason == "no_parent_at_childs_address"
    assert area_allowed(decision, "appointments").reason == "parent_of_child_12_to_15"
    assert area_allowed(decision, "results").reason == "restricted_12_to_15:results"


@given(reserved=st.booleans(), acts_for_other=st.booleans())
def test_a_reserved_item_is_hidden_exactly_from_whoever_acts_for_her(reserved: bool, acts_for_other: bool):
    assert item_visible(reserved=reserved, acts_for_other=acts_for_other) == (not reserved or not acts_for_other)

"""Pasientreiser and Frikort og egenandeler for oneself under 16 (review finding 5): DOMAIN.md §2 gives a person under
16 only the youth services or the areas a parent's youth-access consent opens, and neither of these is one of them.
From 16 they are hers; a parent of a child under 12 still acts there for the child.

The oracle restates the rule without the rule table's constants."""

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from helseportal.access.policy import check
from helseportal.access.rules import Facts, own_use
from helseportal.access.tests.test_policy import citizen
from helseportal.core.actor import Role
from helseportal.demo import personas
from helseportal.demo.loader import load_demo
from helseportal.identity.models import Person

AREAS = ["patient_travel", "copayments"]


@given(
    age=st.integers(min_value=0, max_value=40), consent=st.booleans(), area=st.sampled_from(AREAS), write=st.booleans()
)
@example(age=13, consent=True, area="patient_travel", write=False)
@example(age=15, consent=True, area="copayments", write=False)
@example(age=15, consent=False, area="patient_travel", write=True)
@example(age=16, consent=False, area="patient_travel", write=True)
@example(age=16, consent=False, area="copayments", write=False)
def test_under_16_she_uses_neither_travel_nor_copayments_for_herself_even_with_consent(
    age: int, consent: bool, area: str, write: bool
):
    assert own_use(Facts(age), area, consent=consent, write=write).allowed == (age >= 16)


@pytest.mark.django_db
@pytest.mark.parametrize("area", AREAS)
def test_nora_15_on_bankid_is_refused_and_kari_and_kari_for_ola_are_not(area: str):
    load_demo()
    kari, ola, nora = (Person.objects.get(pid=p.pid) for p in (personas.KARI, personas.OLA, personas.NORA))
    assert not check(citizen(nora), subject_id=nora.pk, area=area).allowed
    assert check(citizen(kari), subject_id=kari.pk, area=area).allowed
    assert check(citizen(kari).acting_for(ola.pk, Role.PARENT), subject_id=ola.pk, area=area).allowed

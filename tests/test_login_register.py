"""A new synthetic person can log in with the dev IdP: the local register answers for any synthetic number.

Issue 15 item 9: docs/dev-idp.md said any synthetic number works, but a number not in the database got
"Vi fant deg ikke i folkeregisteret".
"""

import datetime
import html

import pytest
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.no import fodselsnummer

from helseportal.core.ids import parse_pid, synthetic_fnr
from helseportal.identity.models import Person
from helseportal.identity.register import LocalRegister
from helseportal.identity.synthetic import GIVEN_FEMALE, GIVEN_MALE
from tests.oidc_flow import HIDDEN, provider_over_wsgi, start  # noqa: F401  (fixture)

NEW_PID = synthetic_fnr(datetime.date(1991, 7, 23), 123)  # in no demo: the register never saw it


def real_looking(birth: str) -> str:
    """A fødselsnummer with valid check digits and a real month: what the local register must never invent."""
    for individual in range(100, 200):
        base = f"{birth}{individual}"
        first = fodselsnummer.calc_check_digit1(base)
        second = fodselsnummer.calc_check_digit2(base + first)
        if len(first) == 1 and len(second) == 1:
            return base + first + second
    raise AssertionError("no valid number")


def log_in_typed(client: Client, pid: str, method: str = "bankid"):
    flow = start(client)
    page = client.get(flow.authorize_url)
    fields = {name: html.unescape(value) for name, value in HIDDEN.findall(page.content.decode())}
    answer = client.post(flow.authorize_url.split("?")[0], {**fields, "login": f"typed:{method}", "pid": pid})
    assert answer.status_code == 302, answer.content[:400]
    return flow.callback(str(answer["Location"]))


@pytest.mark.django_db
@pytest.mark.usefixtures("provider_over_wsgi")
def test_a_new_synthetic_person_logs_in_and_is_the_same_person_next_time():
    client = Client()
    response = log_in_typed(client, NEW_PID)
    assert response.status_code == 302, response.content[:400]
    first = client.session["actor"]["display_name"]
    person = Person.objects.get(pid=NEW_PID)
    assert person.birth_date == datetime.date(1991, 7, 23)
    assert person.street_address
    assert person.postcode
    again = Client()
    log_in_typed(again, NEW_PID)
    assert again.session["actor"]["display_name"] == first
    assert Person.objects.filter(pid=NEW_PID).count() == 1


@pytest.mark.django_db
@pytest.mark.usefixtures("provider_over_wsgi")
def test_a_new_synthetic_person_sees_her_name_on_her_start_page():
    client = Client()
    log_in_typed(client, NEW_PID)
    name = Person.objects.get(pid=NEW_PID).full_name
    assert f"Hei, {name}" in client.get("/min-side/").content.decode()


@pytest.mark.django_db
def test_the_local_register_never_invents_a_real_person():
    real = real_looking("230791")
    assert parse_pid(real, allow_synthetic=False).synthetic is False
    assert LocalRegister().lookup(real) is None
    assert LocalRegister().lookup("12345678901") is None  # invalid check digits
    assert LocalRegister().lookup("") is None


# The individual number sets the century: 000–499 for 1900–1999, 500–999 for 2000–2039.
BIRTHS = st.one_of(
    st.tuples(st.dates(datetime.date(1900, 1, 1), datetime.date(1999, 12, 31)), st.integers(0, 440)),
    st.tuples(st.dates(datetime.date(2000, 1, 1), datetime.date(2039, 12, 31)), st.integers(500, 940)),
)


@pytest.mark.django_db
@settings(max_examples=200, deadline=None)
@given(birth_and_individual=BIRTHS)
def test_any_synthetic_number_gives_a_plausible_person_made_from_it(birth_and_individual):
    birth, individual = birth_and_individual
    pid = synthetic_fnr(birth, individual)
    assert parse_pid(pid, allow_synthetic=True).birth_date == birth
    found = LocalRegister().lookup(pid)
    assert found is not None
    assert found.given_name
    assert found.family_name
    assert found.street_address
    assert len(found.postcode) == 4
    assert found == LocalRegister().lookup(pid)  # the same number is the same person
    male = int(pid[8]) % 2 == 1
    assert found.given_name in (GIVEN_MALE if male else GIVEN_FEMALE)

"""The power-of-attorney form tells nothing about a fødselsnummer the giver does not already know (issue 15, item 6).

The receiver is named by number and family name. Unknown, another name, under 18, a protected address: each gets
the very same answer. Failed attempts are limited per giver and counted from the audit log, so the limit holds
across processes; each refusal is audited without the number.
"""

import datetime
import re

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helseportal.access.models import AuditEvent, Outcome, PowerOfAttorney
from helseportal.access.services import POA_FAILED_ATTEMPTS_PER_HOUR, _receiver_mismatch
from helseportal.core.ids import synthetic_fnr
from helseportal.core.testing import log_in
from helseportal.core.time import today
from helseportal.demo import actors, personas
from helseportal.demo.loader import load_demo
from helseportal.identity.models import Person

pytestmark = pytest.mark.django_db
SAME_ANSWER = (
    "Vi kan ikke gi fullmakt til denne personen. Sjekk at fødselsnummeret og etternavnet er riktige, "
    "og at personen er minst 18 år."
)
TOO_MANY = "Du har prøvd for mange ganger. Vent en time, og prøv igjen."
REFUSED = "access:power_of_attorney:refused"
CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')  # masked anew on every page


def giver(persona: personas.CitizenPersona = personas.KARI) -> Client:
    client = Client()
    log_in(client, actors.citizen(persona))
    return client


def attempt(client: Client, pid: str, family_name: str) -> tuple[int, str]:
    """Post the form; the status and the form's error block, the part of the page that answers."""
    data = {
        "power-receiver_pid": pid,
        "power-receiver_family_name": family_name,
        "power-area": "appointments",
        "power-valid_from": today().strftime("%d.%m.%Y"),
    }
    response = client.post("/profil/fullmakt/", data)
    html = response.content.decode()
    start = html.find('action="/profil/fullmakt/"')
    block = html[start : html.find("</form>", start)] if start >= 0 else ""
    return response.status_code, CSRF_TOKEN.sub("", block)


def seventeen_year_old() -> Person:
    born = today().replace(year=today().year - 18) + datetime.timedelta(days=1)
    return Person.objects.create(pid=synthetic_fnr(born, 900), given_name="Siri", family_name="Nordmann")


@pytest.fixture
def demo(db: None) -> None:
    load_demo()


@pytest.fixture
def only_the_database_register(settings) -> None:
    """The development register invents a person for any synthetic number; these tests need one it does not know."""
    settings.HELSEPORTAL_POPULATION_REGISTER = "helseportal.identity.register.DatabaseRegister"


def test_every_receiver_that_cannot_get_a_power_gets_the_same_answer(demo: None, only_the_database_register: None):
    Person.objects.filter(pid=personas.PER.pid).update(address_protection="7")
    cases = {
        "unknown": (synthetic_fnr(datetime.date(1970, 1, 1), 900), "Hansen"),
        "another name": (personas.PER.pid, "Nordmann"),
        "a child of 10": (personas.OLA.pid, personas.OLA.family_name),
        "17, turning 18 tomorrow": (seventeen_year_old().pid, "Nordmann"),
        "a protected address": (personas.PER.pid, personas.PER.family_name),
    }
    answers = {why: attempt(giver(), *case) for why, case in cases.items()}
    assert {status for status, _ in answers.values()} == {400}
    # The form shows back what was typed; apart from that, the answers must be the same to the byte.
    blocks = {
        block.replace(pid, "").replace(f'value="{name}"', "")
        for (_status, block), (pid, name) in zip(answers.values(), cases.values(), strict=True)
    }
    assert len(blocks) == 1, "the answers differ"
    assert SAME_ANSWER in blocks.pop()
    assert "Per Hansen" not in str(answers)
    assert "Ola" not in str(answers)
    assert not PowerOfAttorney.objects.exists()


def test_the_receivers_name_is_asked_for(demo: None):
    status, block = attempt(giver(), personas.PER.pid, "")
    assert status == 400
    assert "Skriv etternavnet til den som skal få fullmakt." in block
    assert not AuditEvent.objects.filter(action=REFUSED).exists()  # a form error, not an attempt


def test_the_family_name_is_compared_without_regard_to_case_or_spaces(demo: None):
    client = giver()
    response = client.post(
        "/profil/fullmakt/",
        {
            "power-receiver_pid": personas.PER.pid,
            "power-receiver_family_name": "  hANSEN ",
            "power-area": "appointments",
            "power-valid_from": today().strftime("%d.%m.%Y"),
        },
    )
    assert response.status_code == 302
    assert PowerOfAttorney.objects.get().receiver.pid == personas.PER.pid


def test_each_refusal_is_audited_with_a_reason_and_without_the_number(demo: None, only_the_database_register: None):
    unknown = synthetic_fnr(datetime.date(1970, 1, 1), 900)
    attempt(giver(), unknown, "Hansen")
    attempt(giver(), personas.PER.pid, "Olsen")
    attempt(giver(), personas.OLA.pid, "Nordmann")
    events = list(AuditEvent.objects.filter(action=REFUSED).order_by("id"))
    kari = Person.objects.get(pid=personas.KARI.pid)
    assert [(e.outcome, e.subject_id, e.actor_person_id) for e in events] == [(Outcome.DENIED, kari.pk, kari.pk)] * 3
    assert [e.reason for e in events] == ["receiver_unknown", "receiver_name_mismatch", "receiver_under_18"]
    for event in events:
        text = str([getattr(event, f.name) for f in AuditEvent._meta.fields])
        assert unknown not in text
        assert personas.PER.pid not in text
        assert personas.OLA.pid not in text
    assert not Person.objects.filter(pid=unknown).exists()  # asking created no one


def test_after_the_limit_even_a_right_answer_is_refused_until_an_hour_has_passed(demo: None):
    client = giver()
    for _ in range(POA_FAILED_ATTEMPTS_PER_HOUR):
        assert SAME_ANSWER in attempt(client, personas.PER.pid, "Olsen")[1]
    status, block = attempt(client, personas.PER.pid, personas.PER.family_name)
    assert (status, TOO_MANY in block) == (400, True)
    assert not PowerOfAttorney.objects.exists()
    assert AuditEvent.objects.filter(action=REFUSED, reason="too_many_attempts").count() == 1
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=61), tick=True):
        # A new login: the old session has been idle for longer than 30 minutes.
        assert attempt(giver(), personas.PER.pid, personas.PER.family_name)[0] == 302
    assert PowerOfAttorney.objects.get().receiver.pid == personas.PER.pid


def test_the_limit_is_per_giver(demo: None):
    kari = giver()
    for _ in range(POA_FAILED_ATTEMPTS_PER_HOUR):
        attempt(kari, personas.OLA.pid, "Olsen")
    assert TOO_MANY in attempt(kari, personas.PER.pid, personas.PER.family_name)[1]
    per = giver(personas.PER)
    assert attempt(per, personas.KARI.pid, personas.KARI.family_name)[0] == 302


def test_a_success_does_not_count_towards_the_limit(demo: None):
    kari = giver()
    for _ in range(POA_FAILED_ATTEMPTS_PER_HOUR - 1):
        attempt(kari, personas.OLA.pid, "Olsen")
    assert attempt(kari, personas.PER.pid, personas.PER.family_name)[0] == 302
    assert SAME_ANSWER in attempt(kari, personas.OLA.pid, "Olsen")[1]  # the fifth failure
    assert TOO_MANY in attempt(kari, personas.OLA.pid, "Olsen")[1]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.text(max_size=60))
def test_any_name_but_the_registers_is_the_same_mismatch(demo: None, name: str):
    """Whatever is typed, only Per's own family name (in any case, spacing or hyphenation) lets him through."""
    why = _receiver_mismatch(personas.PER.pid, name)
    matches = " ".join(name.replace("-", " ").split()).casefold() == personas.PER.family_name.casefold()
    assert why == ("" if matches else "receiver_name_mismatch")

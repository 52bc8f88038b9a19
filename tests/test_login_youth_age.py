"""The youth login: MinID opens the youth services from the 13th birthday until the 16th, not a day longer.

The age rule is access's (`access/rules.py` YOUTH_AGES); the login only says "MinID" (Role.YOUTH).

DOMAIN.md §2: "13–16 without parental consent" is the youth solution; from the 16th birthday the ordinary
services are hers (issue 16). Each case logs a person in through the OIDC flow against the dev IdP.
"""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from helseportal.access.policy import offered_areas
from helseportal.access.rules import YOUTH, YOUTH_AGES
from helseportal.core.actor import Actor, Role
from helseportal.core.ids import age_on, synthetic_fnr
from helseportal.core.time import today
from helseportal.identity.models import Person
from tests.oidc_flow import log_in, provider_over_wsgi  # noqa: F401  (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.dates, pytest.mark.usefixtures("provider_over_wsgi")]


def born_years_ago(years: int, days_later: int = 0) -> datetime.date:
    """The birth date of someone whose `years`th birthday is `days_later` days from today (0: today)."""
    birthday = today() + datetime.timedelta(days=days_later)
    if (birthday.month, birthday.day) == (2, 29):
        birthday -= datetime.timedelta(days=1)  # keep the example away from the leap day, tested on its own
    return birthday.replace(year=birthday.year - years)


def youth_services_after_minid_login(birth: datetime.date) -> bool:
    """Whether access offers the youth services to this person after a MinID login, and the login sends her there."""
    person = Person.objects.create(pid=synthetic_fnr(birth, 500), given_name="Ung", family_name="Test")
    client = Client()
    response = log_in(client, f"{person.pid}:minid")
    assert response.status_code == 302, response.content[:300]
    actor = Actor.from_session(client.session["actor"])
    assert actor.role == Role.YOUTH  # a MinID login: the youth services or nothing
    offered = YOUTH in offered_areas(actor)
    landing = client.get(reverse("access:after_login"))
    assert (landing["Location"] == reverse("youth:home")) is offered
    return offered


@pytest.mark.parametrize(
    ("years", "days_later", "youth"),
    [
        (13, 1, False),  # the day before her 13th birthday: 12
        (13, 0, True),  # on her 13th birthday
        (16, 1, True),  # the day before her 16th birthday: still 15
        (16, 0, False),  # on her 16th birthday: the ordinary services
        (16, -30, False),  # a month after: 16, which range(13, 17) let in
        (40, 0, False),  # an adult with MinID
    ],
)
def test_minid_opens_the_youth_services_from_the_13th_birthday_until_the_16th(years, days_later, youth):
    assert youth_services_after_minid_login(born_years_ago(years, days_later)) is youth


def test_a_16_year_old_with_minid_lands_on_the_ordinary_pages_not_the_youth_pages():
    person = Person.objects.create(
        pid=synthetic_fnr(born_years_ago(16, -30), 500), given_name="Ung", family_name="Seksten"
    )
    client = Client()
    log_in(client, f"{person.pid}:minid")
    page = client.get("/ungdom/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Disse sidene er for ungdom fra 13 til 16 år" in text
    assert "Timer og meldinger finner du i de vanlige tjenestene" in text


@pytest.mark.parametrize(
    ("day", "youth"),
    [
        (datetime.date(2025, 2, 28), False),  # 2025 has no 29 February: she turns 13 on 1 March
        (datetime.date(2025, 3, 1), True),
        (datetime.date(2028, 2, 28), True),  # 2028 has: she turns 16 on 29 February
        (datetime.date(2028, 2, 29), False),
    ],
)
def test_born_on_29_february_the_birthdays_count_from_1_march_in_common_years(day, youth):
    assert (age_on(datetime.date(2012, 2, 29), day) in YOUTH_AGES) is youth

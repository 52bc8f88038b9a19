"""Vaksiner's overview costs the same number of queries however many vaccines she has, on any page (issue 11,
"Speed": constant queries per page), for Kari herself and for Kari acting for Ola (the programme shown)."""

import datetime

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from helseportal.identity.models import Person
from helseportal.records.tests.family import Family, citizen, client_for, parent
from helseportal.records.vaccines.tests.test_pages import immunization

URL = "/vaksiner/"


def _queries(client: Client, **params: str) -> int:
    with CaptureQueriesContext(connection) as seen:
        assert client.get(URL, params).status_code == 200
    return len(seen)


def _vaccines(person: Person, count: int) -> None:
    start = datetime.date(2010, 1, 1)
    for n in range(count):
        immunization(person, "J07BB02", f"Influensa {n}", start + datetime.timedelta(days=n))


def _few_many_and_later(client: Client, person: Person) -> tuple[int, int, int]:
    client.get(URL)  # the session's first read is behind us
    few = _queries(client)
    _vaccines(person, 120)
    many = _queries(client)
    token = client.get(URL).context["listing"].next_token
    assert token
    return few, many, _queries(client, etter=token)


def test_her_own_overview_costs_the_same_with_few_or_many_vaccines_and_on_a_later_page(family: Family):
    few, many, later = _few_many_and_later(client_for(citizen(family.kari)), family.kari)
    assert few == many == later


def test_a_child_s_overview_with_the_programme_costs_the_same_with_few_or_many_vaccines(family: Family):
    few, many, later = _few_many_and_later(client_for(parent(family.kari, family.ola)), family.ola)
    assert few == many == later

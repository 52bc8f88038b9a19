"""Helsekontakter costs the same number of queries however many records she has and however many units they come
from (issue 11, "Speed": constant queries per page): the page reads her units in one grouped query and their unit
pages in one more, never one query per unit."""

import datetime

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from helseportal.demo import personas
from helseportal.organisations.models import Unit
from helseportal.records.contacts.tests.test_pages import URL, received
from helseportal.records.models import Record
from helseportal.records.tests.family import Family, citizen, client_for


def _queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as seen:
        assert client.get(URL).status_code == 200
    return len(seen)


def test_the_page_costs_the_same_with_one_unit_or_every_unit_and_many_records(family: Family):
    kari = client_for(citizen(family.kari))
    Record.objects.filter(person=family.kari).delete()
    day = datetime.date(2024, 1, 1)
    received(family.kari, personas.HOSPITAL.orgnr, day)
    kari.get(URL)
    few = _queries(kari)
    orgnrs = list(Unit.objects.values_list("orgnr", flat=True))
    for n in range(200):
        received(family.kari, orgnrs[n % len(orgnrs)], day - datetime.timedelta(days=n))
    many = _queries(kari)
    assert len(orgnrs) > 5
    assert few == many

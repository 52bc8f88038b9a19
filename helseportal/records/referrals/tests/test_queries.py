"""Henvisninger's list costs the same number of queries however many referrals she has, on any page (issue 11,
"Speed": constant queries per page)."""

import datetime

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from helseportal.records.referrals.tests.conftest import service_request
from helseportal.records.tests.family import Family, citizen, client_for

URL = "/henvisninger/"


def _queries(client: Client, **params: str) -> int:
    with CaptureQueriesContext(connection) as seen:
        assert client.get(URL, params).status_code == 200
    return len(seen)


def test_the_list_costs_the_same_with_few_or_many_referrals_and_on_a_later_page(family: Family):
    kari = client_for(citizen(family.kari))
    kari.get(URL)
    few = _queries(kari)
    start = datetime.date(2015, 1, 1)
    for n in range(120):
        service_request(family.kari, f"Henvisning {n}", start + datetime.timedelta(days=n))
    many = _queries(kari)
    token = kari.get(URL).context["listing"].next_token
    assert token
    assert few == many == _queries(kari, etter=token)

"""Every list page costs the same number of queries, whatever the number of results (the keyset pages of
`records.pages`, a report's results in one query)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from helseportal.core.time import OSLO
from helseportal.demo import personas
from helseportal.records.models import Record
from helseportal.records.results.tests.conftest import client_as, kari
from helseportal.records.tests.conftest import person, unit

START = datetime.datetime(2024, 1, 1, 8, 0, tzinfo=OSLO)
CODES = ("718-7", "2276-4", "14682-9", "1988-5")


def _many(count: int, *, reports_every: int = 0) -> None:
    owner, source = person(personas.KARI), unit(personas.MAJORSTUEN_GP)
    rows = []
    for n in range(count):
        code = CODES[n % len(CODES)]
        rows.append(
            Record(
                person=owner,
                resource_type="Observation",
                resource={
                    "resourceType": "Observation",
                    "status": "final",
                    "code": {"coding": [{"system": "http://loinc.org", "code": code}], "text": code},
                    "valueQuantity": {"value": 10 + n % 7, "unit": "g/dL"},
                    "referenceRange": [{"low": {"value": 11}, "high": {"value": 15}}],
                },
                code_system="http://loinc.org",
                code=code,
                effective=START + datetime.timedelta(hours=n),
                status="final",
                identifier_system="urn:ietf:rfc:3986",
                identifier_value=f"urn:uuid:q-{n}",
                source_unit=source,
                source_client="lab",
            )
        )
    made = Record.objects.bulk_create(rows)
    reports = [
        Record(
            person=owner,
            resource_type="DiagnosticReport",
            resource={
                "resourceType": "DiagnosticReport",
                "status": "final",
                "code": {"text": "Blodprøver"},
                "result": [{"reference": f"Observation/{row.pk}"} for row in made[n : n + 3]],
            },
            effective=made[n].effective,
            status="final",
            identifier_system="urn:ietf:rfc:3986",
            identifier_value=f"urn:uuid:r-{n}",
            source_unit=source,
            source_client="lab",
        )
        for n in range(0, count, reports_every or count + 1)
    ]
    Record.objects.bulk_create(reports)


def _queries(client, url: str, **params: str) -> int:
    with CaptureQueriesContext(connection) as seen:
        assert client.get(url, params).status_code == 200
    return len(seen)


@pytest.mark.parametrize("name", ["records:results", "records:results_analyses"])
def test_a_list_page_costs_the_same_with_ten_or_six_hundred_results(demo: None, name: str):
    client = client_as(kari())
    _many(10, reports_every=5)
    few = _queries(client, reverse(name))
    _many_more = _many  # the same rows again, later: 600 in all
    Record.objects.all().delete()
    _many_more(600, reports_every=5)
    assert _queries(client, reverse(name)) == few


def test_every_page_of_the_list_by_date_costs_the_same(demo: None, django_assert_max_num_queries):
    _many(600, reports_every=4)
    client = client_as(kari())
    first = client.get(reverse("records:results"))
    token = first.context["listing"].next_token
    later = _queries(client, reverse("records:results"), etter=token)
    with django_assert_max_num_queries(later):
        assert client.get(reverse("records:results")).status_code == 200


def test_an_analysis_page_costs_the_same_with_many_values(demo: None, django_assert_max_num_queries):
    client = client_as(kari())
    _many(8)
    first = Record.objects.filter(code=CODES[0]).first()
    few = _queries(client, reverse("records:results_analysis", args=[first.pk]))
    _many_more_rows = 800
    Record.objects.all().delete()
    _many(_many_more_rows)
    first = Record.objects.filter(code=CODES[0]).first()
    with django_assert_max_num_queries(few):
        assert client.get(reverse("records:results_analysis", args=[first.pk])).status_code == 200

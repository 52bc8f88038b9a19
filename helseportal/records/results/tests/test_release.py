"""The release time: a result is never shown to the citizen, nor served to her app, before the source releases it;
the source's own client reads it all along."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from helseportal.core.actor import Actor
from helseportal.core.errors import Invalid
from helseportal.core.time import OSLO
from helseportal.demo import personas
from helseportal.records import extract, queries
from helseportal.records.models import Record
from helseportal.records.results.tests.conftest import client_as, held_until, kari, observation, send
from helseportal.records.tests.conftest import citizen_app


def _held(gp: Actor, days: int = 2) -> tuple[Record, datetime.datetime]:
    release = timezone.now().astimezone(OSLO).replace(microsecond=0) + datetime.timedelta(days=days)
    [written] = send(gp, [observation("held", personas.KARI, 9.9, extension=held_until(release))])
    return written.row, release


def test_a_held_result_is_on_no_page_before_its_release_and_on_every_page_after(gp: Actor):
    row, release = _held(gp)
    assert row.released == release
    client = client_as(kari())
    assert "9,9 g/dL" not in client.get(reverse("records:results")).content.decode()
    assert client.get(reverse("records:result", args=[row.pk])).status_code == 404
    assert client.get(reverse("records:results_analysis", args=[row.pk])).status_code == 404
    assert "Hemoglobin" not in client.get(reverse("records:results_analyses")).content.decode()
    with time_machine.travel(release + datetime.timedelta(seconds=1)):
        client = client_as(kari())  # two days on: a new login
        assert "9,9 g/dL" in client.get(reverse("records:results")).content.decode()
        assert client.get(reverse("records:result", args=[row.pk])).status_code == 200


def test_her_app_does_not_get_it_before_the_release_the_source_does(gp: Actor):
    row, release = _held(gp)
    app = citizen_app(personas.KARI, personas.KARI)
    assert not queries.in_scope(app, "Observation").filter(pk=row.pk).exists()
    assert queries.in_scope(gp, "Observation").filter(pk=row.pk).exists()
    with time_machine.travel(release):
        assert queries.in_scope(app, "Observation").filter(pk=row.pk).exists()


def test_without_the_extension_a_result_is_released_when_received(gp: Actor):
    [written] = send(gp, [observation("now", personas.KARI)])
    assert abs(written.row.released - written.row.created) < datetime.timedelta(seconds=1)


def test_issued_is_not_the_release_to_the_patient(gp: Actor):
    later = (timezone.now() + datetime.timedelta(days=5)).isoformat()
    [written] = send(gp, [observation("issued", personas.KARI, issued=later)])
    assert written.row.released <= timezone.now()  # FHIR R4: `issued` is when providers got it, not the patient


def test_a_release_time_that_is_not_a_datetime_is_refused():
    with pytest.raises(Invalid):
        extract.released({"extension": [{"url": extract.RELEASE_EXTENSION, "valueString": "snart"}]})

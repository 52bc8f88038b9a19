"""A search by fødselsnummer for a person outside the caller's scope (`Patient?identifier=`, `subject:identifier=`)
answers an empty Bundle, the same as for a number nobody has; the probe is audited for her as a refused access
(`api:<area>:denied`), after the answer has left, and shown on her log page. A number that cannot be one costs no
look-up."""

import datetime

import pytest
from django.core.signals import request_finished
from django.db import close_old_connections, connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from helseportal.access.models import AuditEvent, Outcome, SharingGrant
from helseportal.access.tests.api_testing import (  # noqa: F401 - fixtures
    Demo,
    demo_fixture,
    system,
    unit,
)
from helseportal.core.ids import DNR_SYSTEM, FNR_SYSTEM, synthetic_fnr
from helseportal.core.testing import log_in
from helseportal.core.time import today
from helseportal.demo import actors, personas
from helseportal.fhir.api import views
from helseportal.fhir.testing import api

pytestmark = pytest.mark.django_db
BASE = "/fhir/R4"
NOBODY = synthetic_fnr(datetime.date(1990, 5, 17), 123)  # a valid number no one in the demo has


def by_fnr(pid: str, system_uri: str = FNR_SYSTEM) -> str:
    return f"{BASE}/Patient?identifier={system_uri}|{pid}"


def bundle_without_time(response) -> dict:
    assert response.status_code == 200, response.content
    bundle = response.json()
    bundle.pop("timestamp")
    for link in bundle["link"]:
        link["url"] = link["url"].replace(NOBODY, "N").replace(personas.KARI.pid, "N")
    return bundle


def refused() -> list[tuple[str, int, list[str]]]:
    events = AuditEvent.objects.filter(outcome=Outcome.DENIED).order_by("pk")
    return [(event.action, event.subject_id, event.resources) for event in events]


def test_a_probe_for_a_person_out_of_scope_answers_as_for_nobody_and_is_audited_for_her(demo: Demo):
    gp = api(system(unit("gp_office"), name="Kirkeveien EPJ"))  # Kari is no patient of the GP office's here
    hers = gp.get(by_fnr(personas.KARI.pid))
    nobodys = gp.get(by_fnr(NOBODY))
    assert bundle_without_time(hers) == bundle_without_time(nobodys)
    assert "entry" not in hers.json()
    assert hers.headers.keys() == nobodys.headers.keys()
    assert refused() == [("api:account:denied", demo.kari.pk, [f"Patient/{demo.kari.pk}"])]
    [event] = AuditEvent.objects.filter(outcome=Outcome.DENIED)
    assert event.actor_name == "Kirkeveien EPJ"
    assert personas.KARI.pid not in str(list(AuditEvent.objects.values()))


def test_a_probe_through_a_reference_is_audited_too(demo: Demo):
    gp = api(system(unit("gp_office")))
    for path in (
        f"Observation?subject:identifier={FNR_SYSTEM}|{personas.KARI.pid}",
        f"Appointment?patient:identifier={personas.KARI.pid}",
    ):
        answer = gp.get(f"{BASE}/{path}")
        assert answer.status_code == 200, answer.content
        assert "entry" not in answer.json()
    assert refused() == [("api:account:denied", demo.kari.pk, [f"Patient/{demo.kari.pk}"])] * 2


def test_a_person_in_scope_is_found_and_no_refusal_is_written(demo: Demo):
    SharingGrant.objects.create(
        person=demo.kari, unit=unit("health_station"), area="pregnancy", valid_to=today() + datetime.timedelta(days=9)
    )
    station = api(system(unit("health_station")))
    found = station.get(by_fnr(personas.KARI.pid)).json()
    assert [entry["resource"]["id"] for entry in found["entry"]] == [str(demo.kari.pk)]
    assert refused() == []


def test_a_number_that_cannot_be_one_costs_no_look_up_and_writes_nothing(demo: Demo):
    gp = api(system(unit("gp_office")))
    gp.get(by_fnr(NOBODY))  # warm: the first call loads what every call reuses

    def queries(path: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert gp.get(path).status_code == 200
        return len(captured.captured_queries)

    # The search's own query of the persons table, and nothing more, for what cannot be a person's number.
    baseline = queries(by_fnr("12345"))
    wrong_check_digits = personas.KARI.pid[:9] + str((int(personas.KARI.pid[9]) + 1) % 10) + personas.KARI.pid[10]
    for text in (wrong_check_digits, personas.KARI.pid + "0", "0" * 11):
        assert queries(by_fnr(text)) == baseline, text
    assert queries(by_fnr("Kari", system_uri="urn:other")) == 0  # another system's: nothing to ask at all
    assert queries(by_fnr(personas.KARI.pid, system_uri=DNR_SYSTEM)) == baseline + 1  # a number, of another kind
    assert queries(by_fnr(NOBODY)) == baseline + 1  # the look-up, after the answer
    assert refused() == []


def test_the_refusal_is_written_after_the_answer_has_left(demo: Demo):
    """The answer is made (and the client could have it) before the look-up and the audit run: they cost it no time."""
    request = RequestFactory().get(by_fnr(personas.KARI.pid), HTTP_ACCEPT="application/fhir+json")
    request.actor = system(unit("gp_office"))  # what the SMART middleware puts there
    response = views.type_level(request, type_name="Patient")
    assert response.status_code == 200
    assert refused() == []
    request_finished.disconnect(close_old_connections)  # as the test client does: keep the test's connection
    try:
        response.close()  # the server closes the response when the body has been sent
    finally:
        request_finished.connect(close_old_connections)
    assert refused() == [("api:account:denied", demo.kari.pk, [f"Patient/{demo.kari.pk}"])]


def test_she_sees_the_refused_probe_on_her_log_page(client, demo: Demo):
    api(system(unit("gp_office"), name="Kirkeveien EPJ")).get(by_fnr(personas.KARI.pid))
    log_in(client, actors.citizen(personas.KARI))
    page = client.get(reverse("audit:log")).content.decode()
    assert "Kirkeveien EPJ" in page
    assert "Ble nektet å hente opplysninger" in page

"""The kernel's types through the whole API stack (`fhir.testing.api`): a client of another unit cannot find or read
a person, a citizen's app reads her own, every access lands on her log naming the client, and reads of nothing
write nothing."""

import datetime
from typing import Any

import pytest
from django.urls import reverse

from helseportal.access.models import AuditEvent, SharingGrant
from helseportal.access.tests.api_testing import (  # noqa: F401 - fixtures
    Demo,
    app,
    assert_valid,
    demo_fixture,
    named_clients_fixture,
    system,
    unit,
)
from helseportal.core.actor import Role
from helseportal.core.ids import DNR_SYSTEM, FNR_SYSTEM, ORGNR_SYSTEM
from helseportal.core.testing import log_in
from helseportal.core.time import today
from helseportal.demo import actors, personas
from helseportal.fhir.testing import api
from helseportal.identity.models import Person

pytestmark = pytest.mark.django_db
BASE = "/fhir/R4"


def by_fnr(pid: str) -> str:
    return f"{BASE}/Patient?identifier={FNR_SYSTEM}|{pid}"


def entries(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.content
    bundle = response.json()
    assert bundle["resourceType"] == "Bundle"
    return [entry["resource"] for entry in bundle.get("entry", [])]


@pytest.fixture
def shared(demo: Demo) -> SharingGrant:
    """Kari shares her pregnancy card with Frogner helsestasjon: the only tie of hers to any unit."""
    return SharingGrant.objects.create(
        person=demo.kari, unit=unit("health_station"), area="pregnancy", valid_to=today() + datetime.timedelta(days=30)
    )


def test_a_client_of_another_unit_finds_nobody_by_fnr_and_reads_nothing_by_id(demo: Demo, shared: SharingGrant):
    gp = api(system(unit("gp_office")))
    assert entries(gp.get(by_fnr(personas.KARI.pid))) == []
    missing = gp.get(f"{BASE}/Patient/{demo.kari.pk}")
    absent = gp.get(f"{BASE}/Patient/999999")
    assert missing.status_code == absent.status_code == 404
    assert missing.json() == absent.json()  # nothing tells a person out of scope from a missing one
    assert gp.get(f"{BASE}/Consent/{shared.pk}").status_code == 404
    assert entries(gp.get(f"{BASE}/Consent?patient={demo.kari.pk}")) == []
    # The look-up by her number and each read by id of her rows are her log's refusals (outcome denied); the search
    # by reference that finds nothing writes nothing.
    assert [(e.action, e.subject_id, e.outcome) for e in AuditEvent.objects.order_by("id")] == [
        ("api:account:denied", demo.kari.pk, "denied"),
        ("api:account:denied", demo.kari.pk, "denied"),
        ("api:pregnancy:denied", demo.kari.pk, "denied"),
    ]


def test_the_unit_she_shares_with_finds_her_and_her_log_names_its_system(client, demo: Demo, shared: SharingGrant):
    station = api(system(unit("health_station"), name="Frogner EPJ"))
    [found] = entries(station.get(by_fnr(personas.KARI.pid)))
    assert_valid(found)
    assert found["id"] == str(demo.kari.pk)
    read = station.get(f"{BASE}/Patient/{demo.kari.pk}")
    assert read.status_code == 200
    [consent] = entries(station.get(f"{BASE}/Consent?patient={demo.kari.pk}"))
    assert consent["id"] == str(shared.pk)
    assert [(e.action, e.subject_id, e.actor_name) for e in AuditEvent.objects.order_by("id")] == [
        ("api:account:search", demo.kari.pk, "Frogner EPJ"),
        ("api:account:read", demo.kari.pk, "Frogner EPJ"),
        ("api:pregnancy:search", demo.kari.pk, "Frogner EPJ"),
    ]
    log_in(client, actors.citizen(personas.KARI))
    page = client.get(reverse("audit:log")).content.decode()
    assert "Frogner EPJ, Frogner helsestasjon" in page
    assert personas.KARI.pid not in str(list(AuditEvent.objects.values()))


def test_her_app_reads_herself_her_log_and_the_directory_but_not_another_person(demo: Demo, named_clients):
    mine = api(app(demo.kari, demo.kari))
    assert mine.get(f"{BASE}/Patient/{demo.kari.pk}").status_code == 200
    assert mine.get(f"{BASE}/Patient/{demo.per.pk}").status_code == 404
    assert entries(mine.get(by_fnr(personas.PER.pid))) == []
    log = entries(mine.get(f"{BASE}/AuditEvent?patient={demo.kari.pk}"))
    assert [event["type"]["code"] for event in log] == ["api:account:read"]  # her app's own read, just now
    app_agent, her = log[0]["agent"]
    assert (app_agent["name"], app_agent["who"]["identifier"]["value"], app_agent["requestor"]) == (
        "Gravidappen",
        "helseappen",
        True,
    )
    assert her == {"who": {"reference": f"Patient/{demo.kari.pk}", "type": "Patient"}, "requestor": False}
    for event in log:
        assert_valid(event)
    [gp] = entries(mine.get(f"{BASE}/Organization?identifier={ORGNR_SYSTEM}|{personas.MAJORSTUEN_GP.orgnr}"))
    assert gp["name"] == "Kirkeveien legesenter"
    services = entries(mine.get(f"{BASE}/HealthcareService?_count=50"))
    assert len(services) >= 5


def test_a_parents_app_reads_her_child_under_16_within_the_band_and_a_system_never_reads_the_log(demo: Demo):
    for_nora = api(app(demo.kari, demo.nora, Role.PARENT))
    assert for_nora.get(f"{BASE}/Patient/{demo.nora.pk}").status_code == 200
    assert entries(for_nora.get(f"{BASE}/Consent?patient={demo.nora.pk}")) == []  # pregnancy is closed at 15
    for_per = api(app(demo.kari, demo.per, Role.PROXY))
    assert for_per.get(f"{BASE}/Patient/{demo.per.pk}").status_code == 404
    station = api(system(unit("health_station")))
    assert entries(station.get(f"{BASE}/AuditEvent?patient={demo.kari.pk}")) == []


def test_a_d_number_is_found_under_its_own_system_or_none_and_never_under_the_fnr_system(demo: Demo):
    d_number = "41018036736"
    anna = Person.objects.create(pid=d_number, given_name="Anna", family_name="Kowalska")
    station = unit("health_station")
    SharingGrant.objects.create(person=anna, unit=station, area="pregnancy", valid_to=today())
    client = api(system(station))
    assert [p["id"] for p in entries(client.get(f"{BASE}/Patient?identifier={DNR_SYSTEM}|{d_number}"))] == [
        str(anna.pk)
    ]
    assert [p["id"] for p in entries(client.get(f"{BASE}/Patient?identifier={d_number}"))] == [str(anna.pk)]
    assert entries(client.get(by_fnr(d_number))) == []
    assert entries(client.get(f"{BASE}/Patient?identifier=urn:oid:1.2.3|{d_number}")) == []
    assert [p["id"] for p in entries(client.get(f"{BASE}/Patient?identifier={DNR_SYSTEM}|"))] == [str(anna.pk)]

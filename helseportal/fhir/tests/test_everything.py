"""`Patient/<id>/$everything`: the patient and every resource about her the caller may see, paged and audited."""

import pytest
from fhir.resources.R4B.bundle import Bundle

from helseportal.demo import personas
from helseportal.fhir.testing import api
from helseportal.fhir.tests.conftest import Audit, ask, book, citizen_app, person, system_client

pytestmark = pytest.mark.django_db
GP = personas.MAJORSTUEN_GP


def references(bundle: dict) -> list[str]:
    return [f"{e['resource']['resourceType']}/{e['resource']['id']}" for e in bundle["entry"]]


def test_a_citizen_app_gets_everything_about_its_patient_and_nothing_else(demo, served, audit: Audit):
    kari = person(personas.KARI)
    mine = book(personas.KARI, GP, days=1)
    other_unit = book(personas.KARI, personas.HEALTH_STATION, days=2)
    youth = book(personas.KARI, GP, days=3, via_youth_service=True)  # out of the app's scope (the test's rule)
    asked = ask(personas.KARI, GP)
    book(personas.OLA, GP, days=1)
    response = api(citizen_app(personas.KARI)).get(f"/fhir/R4/Patient/{kari.pk}/$everything")
    assert response.status_code == 200
    bundle = response.json()
    assert Bundle.model_validate(bundle).type == "searchset"
    assert references(bundle) == [
        f"Appointment/{mine.pk}",
        f"Appointment/{other_unit.pk}",
        f"Appointment/request-{asked.pk}",
        f"Patient/{kari.pk}",
    ]
    assert f"Appointment/{youth.pk}" not in references(bundle)
    [(_actor, action, resources, persons)] = audit.calls
    assert action == "everything"
    assert persons == [kari.pk]
    assert len(resources) == 4


def test_a_system_client_sees_only_its_units_rows_and_another_patient_is_a_404(demo, served):
    kari, per = person(personas.KARI), person(personas.PER)
    mine = book(personas.KARI, GP, days=1)
    book(personas.KARI, personas.HEALTH_STATION, days=2)
    client = api(system_client(GP))
    bundle = client.get(f"/fhir/R4/Patient/{kari.pk}/$everything").json()
    assert references(bundle) == [f"Appointment/{mine.pk}", f"Patient/{kari.pk}"]
    hidden = client.get(f"/fhir/R4/Patient/{per.pk}/$everything")
    missing = client.get("/fhir/R4/Patient/999999/$everything")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content
    assert api(citizen_app(personas.PER)).get(f"/fhir/R4/Patient/{kari.pk}/$everything").status_code == 404


def test_everything_pages_and_leaves_out_types_the_scopes_do_not_allow(demo, served):
    kari = person(personas.KARI)
    for day in range(5):
        book(personas.KARI, GP, days=day + 1)
    client = api(citizen_app(personas.KARI))
    seen: list[str] = []
    url: str | None = f"/fhir/R4/Patient/{kari.pk}/$everything?_count=2"
    while url:
        bundle = client.get(url.removeprefix("http://testserver")).json()
        seen += references(bundle)
        url = next((link["url"] for link in bundle["link"] if link["relation"] == "next"), None)
    assert len(seen) == len(set(seen)) == 6
    only_patient = api(citizen_app(personas.KARI, "patient/Patient.rs"))
    assert references(only_patient.get(f"/fhir/R4/Patient/{kari.pk}/$everything").json()) == [f"Patient/{kari.pk}"]
    typed = client.get(f"/fhir/R4/Patient/{kari.pk}/$everything?_type=Patient").json()
    assert references(typed) == [f"Patient/{kari.pk}"]
    assert (
        api(citizen_app(personas.KARI, "patient/Appointment.rs"))
        .get(f"/fhir/R4/Patient/{kari.pk}/$everything")
        .status_code
        == 403
    )

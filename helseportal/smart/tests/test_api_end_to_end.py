"""A token from the authorization server, through the whole stack, to the API engine: public metadata, 401 without
or with a bad token, 403 without the scope, 200 with it; for a system and for a citizen's app.

The registry holds the engine's test types for this test (`served`), whatever the domains register.
"""

import json
from typing import Any

import pytest
from django.test import Client as Browser
from joserfc.jwk import RSAKey

from helseportal.core.testing import log_in
from helseportal.demo import actors, personas
from helseportal.fhir.tests.conftest import audit, book, served  # noqa: F401  (fixtures)
from helseportal.smart.models import Client
from helseportal.smart.tests.conftest import assertion, client_credentials, json_body
from helseportal.smart.tests.test_app_launch import connect

pytestmark = pytest.mark.django_db

FHIR_JSON = "application/fhir+json"


def api_get(browser: Browser, path: str, token: str = "") -> Any:
    headers = {"Accept": FHIR_JSON}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return browser.get(path, headers=headers, secure=True)


@pytest.mark.usefixtures("served")
def test_a_system_token_reads_its_units_appointment_and_nothing_without_scope_or_token(
    client: Browser, system_client: Client, rsa_key: RSAKey
):
    appointment = book(personas.KARI, personas.MAJORSTUEN_GP, days=3)
    path = f"/fhir/R4/Appointment/{appointment.pk}"
    metadata = api_get(client, "/fhir/R4/metadata")
    assert metadata.status_code == 200
    assert json.loads(metadata.content)["resourceType"] == "CapabilityStatement"

    reader = json_body(client_credentials(client, assertion(system_client.client_id, rsa_key), "system/Appointment.rs"))
    read = api_get(client, path, reader["access_token"])
    assert read.status_code == 200, read.content
    assert json.loads(read.content)["id"] == str(appointment.pk)

    anonymous = api_get(client, path)
    assert anonymous.status_code == 401
    assert anonymous["WWW-Authenticate"].startswith("Bearer")
    assert api_get(client, path, "not-a-token").status_code == 401

    patients_only = json_body(
        client_credentials(client, assertion(system_client.client_id, rsa_key), "system/Patient.rs")
    )
    assert api_get(client, path, patients_only["access_token"]).status_code == 403


@pytest.mark.usefixtures("served")
def test_a_citizens_app_reads_her_appointment_but_her_session_cookie_alone_reads_nothing(
    client: Browser, public_app: Client
):
    appointment = book(personas.KARI, personas.MAJORSTUEN_GP, days=3)
    path = f"/fhir/R4/Appointment/{appointment.pk}"
    kari = actors.citizen(personas.KARI)
    log_in(client, kari)
    body = connect(client, public_app, kari.own_person_id)
    assert api_get(client, path).status_code == 401  # logged in, but no token
    read = api_get(client, path, body["access_token"])
    assert read.status_code == 200, read.content
    assert json.loads(read.content)["resourceType"] == "Appointment"

"""The OpenAPI document and the CapabilityStatement describe the API that answers: checked with Schemathesis
(in-process, as a system client) and with the R4B models."""

import os

import pytest
import schemathesis
from django.test import Client
from fhir.resources.R4B.capabilitystatement import CapabilityStatement
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from helseportal.demo import personas
from helseportal.fhir.testing import api, wsgi_app
from helseportal.fhir.tests.conftest import ask, book, system_client

pytestmark = pytest.mark.django_db
GP = personas.MAJORSTUEN_GP
OAUTH_URIS = "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris"
# A quick pass in the suite; `make fhir-fuzz` runs 1,000 per operation against a live server.
EXAMPLES = int(os.environ.get("HELSEPORTAL_FHIR_FUZZ_EXAMPLES", "150"))


def test_the_capability_statement_lists_what_is_registered_and_is_valid_r4(demo, served):
    response = Client().get("/fhir/R4/metadata")
    assert response.status_code == 200
    statement = CapabilityStatement.model_validate(response.json())
    assert statement.fhirVersion == "4.0.1"
    [rest] = statement.rest
    resources = {resource.type: resource for resource in rest.resource}
    assert set(resources) == {"Appointment", "Patient", "Practitioner"}
    appointment = resources["Appointment"]
    codes = {interaction.code for interaction in appointment.interaction}
    assert {"read", "vread", "search-type", "create", "update", "history-instance"} <= codes
    [search] = [interaction for interaction in appointment.interaction if interaction.code == "search-type"]
    assert "POST [type]/_search" in search.documentation
    assert "create" not in {interaction.code for interaction in resources["Patient"].interaction}
    params = {param.name: param.type for param in appointment.searchParam}
    assert params["date"] == "date"
    assert params["patient"] == "reference"
    assert appointment.searchInclude == ["Appointment:practitioner"]
    assert resources["Patient"].operation[0].name == "everything"
    assert rest.security.service[0].coding[0].code == "SMART-on-FHIR"
    [oauth] = [extension for extension in rest.security.extension if extension.url == OAUTH_URIS]
    urls = {extension.url: extension.valueUri for extension in oauth.extension}
    assert urls == {"token": "http://testserver/oauth/token", "authorize": "http://testserver/oauth/authorize"}
    assert "application/fhir+json" in statement.format


def test_the_openapi_document_names_every_operation(demo, served):
    document = Client().get("/fhir/R4/openapi.json").json()
    assert document["openapi"] == "3.1.0"
    operations = {
        op["operationId"]
        for path in document["paths"].values()
        for op in path.values()
        if isinstance(op, dict) and "operationId" in op
    }
    assert {
        "searchAppointment",
        "searchByPostAppointment",
        "readAppointment",
        "createAppointment",
        "updateAppointment",
        "readPatient",
        "everything",
        "transaction",
    } <= operations
    assert "createPatient" not in operations
    form = document["paths"]["/Appointment/_search"]["post"]["requestBody"]["content"]
    assert set(form) == {"application/x-www-form-urlencoded"}
    properties = form["application/x-www-form-urlencoded"]["schema"]["properties"]
    assert {"patient", "date", "_count", "_include"} <= set(properties)


def test_schemathesis_finds_no_server_error_or_schema_violation(demo, served):
    for day in range(3):
        book(personas.KARI, GP, days=day + 1)
    ask(personas.KARI, GP)
    document = api(system_client(GP)).get("/fhir/R4/openapi.json").json()
    document.pop("security")  # the pinned actor stands in for the token here
    schema = schemathesis.openapi.from_dict(document)
    app = wsgi_app(system_client(GP))
    strategy = st.one_of(
        schema.as_strategy(generation_mode=GenerationMode.POSITIVE),
        schema.as_strategy(generation_mode=GenerationMode.NEGATIVE),
    )

    @settings(max_examples=EXAMPLES, suppress_health_check=list(HealthCheck), database=None, deadline=None)
    @given(case=strategy)
    def holds(case) -> None:
        # A resource is described loosely (FHIR's own definitions are the contract): a body that fits the loose
        # schema may still be refused as invalid FHIR, so writes are not held to "schema-valid means accepted".
        writes = case.operation.method.upper() in ("POST", "PUT")
        excluded = [positive_data_acceptance] if writes else []
        case.call_and_validate(app=app, headers={"Accept-Encoding": "identity"}, excluded_checks=excluded)

    holds()

"""Schemathesis against the whole FHIR API as the domains registered it (the engine's own test,
helseportal/fhir/tests/test_openapi.py, fuzzes the engine with test types only).

Every operation of the OpenAPI document gets its own positive and negative cases, so the count is per operation:
`HELSEPORTAL_FHIR_FUZZ_PER_OPERATION` (a quick 8 in the suite; `make fhir-fuzz` runs 1,000). Two callers: a
record system of the health station the demo card is shared with, and Kari's app. Checked on every answer: no
server error, and the answer fits the document (status, content type, schema). A body that fits the loose
resource schema may still be refused as invalid FHIR, so writes are not held to "schema-valid means accepted".
"""

import datetime
import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from helseportal.access import sharing
from helseportal.core.actor import Actor, Assurance, Role
from helseportal.core.time import today
from helseportal.demo import actors, personas
from helseportal.demo.appointments import load_appointments
from helseportal.demo.loader import load_demo
from helseportal.demo.messaging import load_messaging
from helseportal.demo.pregnancy import load_pregnancy
from helseportal.fhir.testing import api, wsgi_app
from helseportal.identity.models import Person
from helseportal.organisations.models import Unit

pytestmark = pytest.mark.django_db
PER_OPERATION = int(os.environ.get("HELSEPORTAL_FHIR_FUZZ_PER_OPERATION", "8"))


def station() -> Actor:
    return Actor(
        role=Role.SYSTEM,
        assurance=Assurance.HIGH,
        client_id="fuzz-station",
        unit_id=Unit.objects.get(orgnr=personas.HEALTH_STATION.orgnr).pk,
        scopes=frozenset({"system/*.cruds"}),
    )


def karis_app() -> Actor:
    kari = Person.objects.get(pid=personas.KARI.pid).pk
    return Actor(
        role=Role.CITIZEN,
        assurance=Assurance.HIGH,
        person_id=kari,
        subject_id=kari,
        client_id="fuzz-app",
        scopes=frozenset({"patient/*.rs"}),
    )


@pytest.mark.parametrize("caller", [station, karis_app], ids=["record-system", "citizen-app"])
def test_every_operation_answers_without_a_server_error_and_as_documented(caller):
    load_demo()
    load_pregnancy()
    load_appointments()
    load_messaging()
    health_station = Unit.objects.get(orgnr=personas.HEALTH_STATION.orgnr).pk
    until = today() + datetime.timedelta(days=60)
    kari = actors.citizen(personas.KARI)
    sharing.share_with_unit(kari, area="pregnancy", unit_id=health_station, permission="read", valid_to=until)
    actor = caller()
    document = api(actor).get("/fhir/R4/openapi.json").json()
    document.pop("security")  # the pinned actor stands in for the token here
    schema = schemathesis.openapi.from_dict(document)
    app = wsgi_app(actor)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20, [op.label for op in operations]
    for operation in operations:
        fuzz(operation, app)


def fuzz(operation, app) -> None:
    """Positive and negative cases for one operation, each answer checked against the document."""
    strategy = st.one_of(
        operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
        operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
    )
    excluded = [positive_data_acceptance] if operation.method.upper() in ("POST", "PUT") else []

    @settings(max_examples=PER_OPERATION, suppress_health_check=list(HealthCheck), database=None, deadline=None)
    @given(case=strategy)
    def holds(case) -> None:
        case.call_and_validate(app=app, headers={"Accept-Encoding": "identity"}, excluded_checks=excluded)

    holds()

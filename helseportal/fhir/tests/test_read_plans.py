"""A read by id compiled once (`fhir.api.plans`): only for a source that declares its scope pure for the actor's
role, only when the sentinels show that the actor's values go into the statement as they are, and then serving
exactly what the ORM's read serves, each actor in its own scope."""

from typing import Any

import pytest

from helseportal.core.actor import Actor, Role
from helseportal.demo import personas
from helseportal.fhir import provider
from helseportal.fhir.api import plans, versions
from helseportal.fhir.provider import Source
from helseportal.fhir.testing import api
from helseportal.records import fhir as records_fhir
from helseportal.records.models import Record
from helseportal.records.tests.conftest import citizen_app, demo, gp, result, station

__all__ = ["demo", "gp", "station"]  # the records' fixtures, used here
pytestmark = pytest.mark.django_db
BASE = "/fhir/R4"


def received(actor: Actor, label: str) -> tuple[Source, int, str]:
    """A result the actor's unit sent for Kari: its source, row key and logical id."""
    created = api(actor).post(f"{BASE}/Observation", result(label, personas.KARI.pid))
    assert created.status_code == 201, created.content
    logical_id = created.json()["id"]
    observation = provider.lookup("Observation")
    assert observation is not None
    found = observation.source_for(logical_id)
    assert found is not None
    return found[0], int(found[1]), logical_id


def test_a_system_clients_read_is_compiled_once_and_is_the_orms_read(gp: Actor):
    source, key, logical_id = received(gp, "plan")
    plan = plans.read_plan(source, "Observation", gp)
    assert plan is not None
    assert plans.read_plan(source, "Observation", gp) is plan  # compiled once
    row = plan.fetch(gp, key, logical_id)
    [orm] = plans.read_queryset(source, "Observation", gp, key, logical_id)
    assert source.to_fhir(row) == source.to_fhir(orm)
    assert versions.newest(row) == versions.newest(orm) == (True, versions.newest(orm)[1])
    assert row.person.full_name == orm.person.full_name  # the select_related row came with it


def test_one_plan_serves_each_unit_its_own_rows(gp: Actor, station: Actor):
    source, _key, logical_id = received(gp, "isolated")
    assert plans.read_plan(source, "Observation", gp) is plans.read_plan(source, "Observation", station)
    assert api(gp).get(f"{BASE}/Observation/{logical_id}").status_code == 200
    assert api(station).get(f"{BASE}/Observation/{logical_id}").status_code == 404


def test_a_citizens_app_gets_no_plan(gp: Actor):
    source, _key, _logical_id = received(gp, "app")
    app = citizen_app(personas.KARI, personas.KARI)
    assert plans.read_plan(source, "Observation", app) is None  # the rule table's answer reads the database


def pure(scope: Any) -> Source:
    return Source(Record, scope, records_fhir.to_fhir, select_related=("person",), scope_pure_for=(Role.SYSTEM,))


@pytest.mark.parametrize(
    "scope",
    [
        # a value computed from the actor's, not the actor's value itself
        lambda actor: Record.objects.filter(source_unit_id=actor.unit_id + 1),
        # a shape that depends on the actor's value
        lambda actor: Record.objects.filter(
            **({"source_unit_id": actor.unit_id} if actor.unit_id < 1_900_000_050 else {"person_id": actor.unit_id})
        ),
        # reaches nothing: the ORM's path answers without a query
        lambda actor: Record.objects.none(),
    ],
    ids=["computed", "shaped", "nothing"],
)
def test_a_scope_the_sentinels_catch_gets_no_plan(gp: Actor, scope: Any):
    assert plans.read_plan(pure(scope), "Observation", gp) is None


def test_an_undeclared_source_gets_no_plan(gp: Actor):
    undeclared = Source(Record, lambda actor: Record.objects.filter(source_unit_id=actor.unit_id), dict)
    assert plans.read_plan(undeclared, "Observation", gp) is None
    declared = pure(lambda actor: Record.objects.filter(source_unit_id=actor.unit_id))
    assert plans.read_plan(declared, "Observation", gp) is not None

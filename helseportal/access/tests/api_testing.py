"""API callers as SMART's middleware makes them, the demo family, and R4B validation, for the FHIR API's tests.

Test modules import the fixtures by their function names (`demo_fixture`), which pytest registers as `demo`.
"""

import json
from dataclasses import dataclass
from typing import Any

import pytest
from fhir.resources.R4B import get_fhir_model_class

from helseportal.access.audit import clients
from helseportal.core.actor import Actor, Assurance, Role
from helseportal.demo import personas
from helseportal.demo.loader import load_demo
from helseportal.fhir import provider
from helseportal.identity.models import Person
from helseportal.organisations.models import Unit


@dataclass(frozen=True)
class Demo:
    kari: Person  # 32, mother of Ola and Nora
    ola: Person  # 10: Kari may act for him in every area
    nora: Person  # 15: Kari may use appointments and the GP for her; the youth area is Nora's alone
    per: Person  # unrelated


@pytest.fixture(name="demo")
def demo_fixture(db: None) -> Demo:
    load_demo()
    get = Person.objects.get
    return Demo(
        kari=get(pid=personas.KARI.pid),
        ola=get(pid=personas.OLA.pid),
        nora=get(pid=personas.NORA.pid),
        per=get(pid=personas.PER.pid),
    )


def unit(key: str) -> Unit:
    return Unit.objects.get(orgnr=next(p.orgnr for p in personas.UNITS if p.key == key))


APP = "helseappen"  # the client id of the citizen's app in these tests; `named_clients` calls it "Gravidappen"


def app(person: Person, subject: Person, role: Role = Role.CITIZEN) -> Actor:
    """A citizen's app after a standalone patient launch, as SMART's middleware makes it (`display_name`: the
    person's name, as in the portal's header)."""
    return Actor(
        role=role,
        assurance=Assurance.HIGH,
        person_id=person.pk,
        subject_id=subject.pk,
        client_id=APP,
        scopes=frozenset({"patient/*.rs"}),
        display_name=person.full_name,
        subject_name=subject.full_name,
    )


@pytest.fixture(name="named_clients")
def named_clients_fixture(monkeypatch: pytest.MonkeyPatch) -> None:
    """The client names as `helseportal.smart` registers them (`audit.clients.register_client_names`)."""
    monkeypatch.setattr(clients, "_names", [])
    clients.register_client_names({APP: "Gravidappen"}.get)


def system(of: Unit, *, name: str = "Journalsystemet") -> Actor:
    """A record system's backend client of one unit; `display_name` is the client's name, as SMART sets it."""
    return Actor(
        role=Role.SYSTEM,
        assurance=Assurance.HIGH,
        unit_id=of.pk,
        client_id=f"epj-{of.pk}",
        scopes=frozenset({"system/*.cruds"}),
        display_name=name,
    )


def assert_valid(resource: dict[str, Any]) -> None:
    """Validate with the R4B model of its type; model → JSON → dict must give back what we made."""
    model = get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    assert json.loads(model.model_dump_json()) == resource


def page(type_name: str, actor: Actor, **filters: Any) -> list[dict[str, Any]]:
    """A page of 20 as the engine reads one: each source's scope, its related rows, then the mapper per row."""
    resource_type = provider.lookup(type_name)
    assert resource_type is not None, f"{type_name} is not provided"
    found = []
    for source in resource_type.sources:
        rows = source.scope(actor).filter(**filters)
        if source.select_related:
            rows = rows.select_related(*source.select_related)
        if source.prefetch_related:
            rows = rows.prefetch_related(*source.prefetch_related)
        found += [source.to_fhir(row) for row in rows.order_by("pk")[:20]]
    return found

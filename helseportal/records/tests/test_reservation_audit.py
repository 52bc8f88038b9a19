"""*Vergeinnsynsreservasjon* in the log: an audit event that names a reserved item is on no log line a parent (or a
parent's app, or the receiver of a power of attorney) reaches, whoever caused it: the source that wrote or read it,
her own app, or the parent's app that asked for it by id and was refused. The events about her other records stay
on the parent's view of the child's log ("Hvem har sett opplysningene mine")."""

from dataclasses import replace
from typing import Any

import pytest

from helseportal.access import youth_access
from helseportal.access.models import AuditEvent
from helseportal.access.queries.log import visible_events
from helseportal.access.tests.test_policy import child_of, power
from helseportal.core.actor import Actor, Role
from helseportal.demo import personas
from helseportal.fhir.testing import api
from helseportal.identity.models import Person
from helseportal.records.tests.conftest import person, result
from helseportal.records.tests.family import citizen, client_for, parent
from helseportal.records.tests.test_reservation import LABEL, app_for, reserved
from helseportal.records.tests.test_who_sees_what import RESERVED, item

pytestmark = pytest.mark.django_db
BASE = "/fhir/R4"


def parent_view(parent: Person, child: Person, role: Role = Role.PARENT) -> Actor:
    return Actor(role=Role.CITIZEN, assurance=app_for(parent, child).assurance, person_id=parent.pk).acting_for(
        child.pk, role
    )


def named(events: Any) -> set[str]:
    """Every resource the events name."""
    return {name for event in events for name in event.resources}


def app_log(actor: Actor, child: Person) -> set[str]:
    """The resources the child's log names through the FHIR API (AuditEvent.entity), as the app reads it."""
    bundle = api(actor).get(f"{BASE}/AuditEvent?patient=Patient/{child.pk}&_count=200").json()
    return {
        entity["what"]["reference"]
        for entry in bundle.get("entry", [])
        for entity in entry["resource"].get("entity", [])
        if "reference" in entity.get("what", {})
    }


def post(actor: Actor, resource: dict[str, Any]) -> str:
    answer = api(actor).post(f"{BASE}/{resource['resourceType']}", resource)
    assert answer.status_code == 201, answer.content
    return f"{resource['resourceType']}/{answer.json()['id']}"


def test_the_source_s_write_and_read_of_a_reserved_result_are_not_on_the_parent_s_log(gp: Actor):
    kari, ola = person(personas.KARI), person(personas.OLA)  # Ola is 10: Kari sees his results, and his log
    hidden = post(gp, reserved("ola-hidden", ola.pid))
    shown = post(gp, result("ola-shown", ola.pid))
    assert api(gp).get(f"{BASE}/{hidden}").status_code == 200  # the source reads back what it sent
    api(gp).get(f"{BASE}/Observation?patient=Patient/{ola.pk}")
    assert hidden in named(AuditEvent.objects.filter(subject_id=ola.pk))  # in Ola's log, for himself later
    as_kari = parent_view(kari, ola)
    assert hidden not in named(visible_events(as_kari))
    assert shown in named(visible_events(as_kari))  # what she may see stays
    kari_app = replace(app_for(kari, ola), scopes=frozenset({"patient/*.rs"}))
    assert hidden not in app_log(kari_app, ola)
    assert shown in app_log(kari_app, ola)


def test_the_parent_s_app_asking_for_the_reserved_result_by_id_leaves_no_line_naming_it(gp: Actor):
    kari, ola = person(personas.KARI), person(personas.OLA)
    hidden = post(gp, reserved("asked", ola.pid))
    kari_app = app_for(kari, ola)
    assert api(kari_app).get(f"{BASE}/{hidden}").status_code == 404
    assert hidden in named(AuditEvent.objects.filter(subject_id=ola.pk, action__endswith=":denied"))
    assert hidden not in named(visible_events(parent_view(kari, ola)))


def test_a_reserved_vaccine_of_a_twelve_year_old_is_not_on_her_parent_s_log(gp: Actor):
    kari = person(personas.KARI)
    twelve = child_of(kari, 12)  # from 12 a parent still sees vaccines (not the reserved ones), and the log of them
    station = replace(gp, scopes=frozenset({"system/Immunization.cruds"}))
    vaccine = {
        "resourceType": "Immunization",
        "identifier": [{"system": "urn:ietf:rfc:3986", "value": "urn:uuid:5b0c2a55-0d41-4d7e-8a7e-1f7c8f0a1201"}],
        "status": "completed",
        "vaccineCode": {"text": "Gardasil 9"},
        "patient": {"identifier": {"system": "urn:oid:2.16.578.1.12.4.1.4.1", "value": twelve.pid}},
        "occurrenceDateTime": "2026-05-02T10:00:00+02:00",
    }
    hidden = post(station, vaccine | {"meta": {"security": [LABEL]}})
    other = [{"system": "urn:ietf:rfc:3986", "value": "urn:uuid:5b0c2a55-0d41-4d7e-8a7e-1f7c8f0a1202"}]
    shown = post(station, vaccine | {"identifier": other})
    as_kari = parent_view(kari, twelve)
    assert hidden not in named(visible_events(as_kari))
    assert shown in named(visible_events(as_kari))


def test_the_youth_s_own_certificate_naming_her_reserved_vaccine_is_not_on_her_parent_s_log(gp: Actor):
    kari = person(personas.KARI)
    thirteen = child_of(kari, 13)  # by youth access she sees (and prints) her reserved vaccine; her parent never
    youth_access.give(citizen(kari), thirteen.pk)
    station = replace(gp, scopes=frozenset({"system/Immunization.cruds"}))
    hidden = post(station, item("vaccines", "certificate-hidden", thirteen, **RESERVED))
    shown = post(station, item("vaccines", "certificate-shown", thirteen))
    response = client_for(citizen(thirteen)).get("/vaksiner/attest/?sprak=nb")
    assert response.status_code == 200
    exported = AuditEvent.objects.filter(subject_id=thirteen.pk, action="records:vaccines:exported")
    assert hidden in named(exported)  # in her own log
    as_kari = parent_view(kari, thirteen)
    assert hidden not in named(visible_events(as_kari, include_own=True))  # her own events, as the log can list them
    client_for(parent(kari, thirteen)).get("/vaksiner/attest/?sprak=nb")  # the parent's own copy, without it
    assert shown in named(visible_events(as_kari, include_own=True).filter(action="records:vaccines:exported"))


def test_her_own_app_reading_her_reserved_result_at_16_is_not_on_her_proxy_s_log(gp: Actor):
    kari = person(personas.KARI)
    sixteen = child_of(kari, 16)
    power(sixteen, kari, "all")
    hidden = post(gp, reserved("own-16", sixteen.pid))
    shown = post(gp, result("open-16", sixteen.pid))
    her_app = replace(app_for(sixteen, sixteen), role=Role.CITIZEN)
    assert api(her_app).get(f"{BASE}/{hidden}").status_code == 200
    api(her_app).get(f"{BASE}/Observation?patient=Patient/{sixteen.pk}")
    api(her_app).get(f"{BASE}/Patient/{sixteen.pk}/$everything")
    mine = AuditEvent.objects.filter(subject_id=sixteen.pk, actor_client_id="helseapp")
    assert hidden in named(mine)
    as_proxy = parent_view(kari, sixteen, Role.PROXY)
    assert hidden not in named(visible_events(as_proxy))
    assert shown in named(visible_events(as_proxy))  # the events of her other results stay on the proxy's log


@pytest.mark.parametrize("kind", ["Immunization", "ServiceRequest"])
def test_a_parent_s_app_finds_no_reserved_vaccine_or_referral_by_search_total_id_or_everything(gp: Actor, kind: str):
    kari, ola = person(personas.KARI), person(personas.OLA)
    area = {"Immunization": "vaccines", "ServiceRequest": "referrals"}[kind]
    source = replace(gp, scopes=frozenset({f"system/{kind}.cruds"}))
    hidden = post(source, item(area, f"hidden{kind}", ola, **RESERVED))
    shown = post(source, item(area, f"shown{kind}", ola))
    client = api(app_for(kari, ola))
    searched = client.get(f"{BASE}/{kind}?patient=Patient/{ola.pk}&_total=accurate&_include={kind}:patient").json()
    assert [f"{kind}/{e['resource']['id']}" for e in searched["entry"] if e["resource"]["resourceType"] == kind] == [
        shown
    ]
    assert searched["total"] == 1
    assert client.get(f"{BASE}/{hidden}").status_code == 404
    everything = client.get(f"{BASE}/Patient/{ola.pk}/$everything").json()
    served = {f"{e['resource']['resourceType']}/{e['resource']['id']}" for e in everything["entry"]}
    assert shown in served
    assert hidden not in served
    assert hidden not in named(visible_events(parent_view(kari, ola)))

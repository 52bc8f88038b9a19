"""Receiving records from source systems: one row per business identifier, whatever the source's keys say."""

import time
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from helseportal.core.actor import Actor, Role
from helseportal.core.errors import Invalid, Refused
from helseportal.core.ids import DNR_SYSTEM, FNR_SYSTEM
from helseportal.demo import personas
from helseportal.fhir.provider import Outcome
from helseportal.identity.models import Person
from helseportal.records import fhir, services
from helseportal.records.models import Record
from helseportal.records.tests.conftest import URI_SYSTEM, citizen_app, key, person, result

pytestmark = pytest.mark.django_db
PIDS = (personas.KARI.pid, personas.OLA.pid, personas.NORA.pid, personas.PER.pid)


def batch(prefix: str, count: int = 1000) -> list[dict[str, Any]]:
    """`count` results for the four personas, each under a source key starting with `prefix`."""
    return [result(f"sample-{n}", PIDS[n % 4], id=f"{prefix}-{n}") for n in range(count)]


def test_resending_a_thousand_results_under_new_source_keys_makes_no_duplicates(gp: Actor):
    started = time.perf_counter()
    first = services.receive_many(gp, batch("epj-old"))
    sent = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        again = services.receive_many(gp, batch("epj-new"))  # an EPJ migration: every key new, identifiers kept
    resent = time.perf_counter()
    assert {w.outcome for w in first} == {Outcome.CREATED}
    assert {w.outcome for w in again} == {Outcome.UNCHANGED}
    assert Record.objects.count() == 1000
    assert [w.row.pk for w in again] == [w.row.pk for w in first]
    assert len(queries) <= 10  # looked up in bulk, not one query per result
    print(f"\n1,000 results: first sent in {sent - started:.2f} s, re-sent re-keyed in {resent - sent:.2f} s")

    changed = batch("epj-new")
    for resource in changed[:10]:
        resource["valueQuantity"] = {**resource["valueQuantity"], "value": 7.3}
    outcomes = [w.outcome for w in services.receive_many(gp, changed)]
    assert (outcomes.count(Outcome.UPDATED), outcomes.count(Outcome.UNCHANGED)) == (10, 990)
    assert Record.objects.count() == 1000
    assert Record.objects.get(identifier_value=key("sample-0")).resource["valueQuantity"]["value"] == 7.3


def test_the_same_identifier_from_another_unit_is_another_record(gp: Actor, station: Actor):
    services.receive(gp, result("a", personas.KARI.pid))
    services.receive(station, result("a", personas.KARI.pid))
    assert Record.objects.count() == 2
    assert services.receive(gp, result("a", personas.KARI.pid, id="moved")).outcome == Outcome.UNCHANGED


def test_the_first_identifier_is_the_business_key_as_documented(gp: Actor):
    """docs/fhir-api.md: the first identifier with system and value is the key; keep the order on a re-send. A second
    identifier added after it changes nothing; another one put first is another record (the documented edge)."""
    lab = {"system": "urn:oid:2.16.578.1.12.4.1.2.9999", "value": "PRØVE-1"}
    first = result("ordered", personas.KARI.pid)
    services.receive(gp, first)
    added = result("ordered", personas.KARI.pid, identifier=[*first["identifier"], lab])
    assert services.receive(gp, added).outcome == Outcome.UPDATED
    assert Record.objects.count() == 1
    no_system = result("ordered", personas.KARI.pid, identifier=[{"value": "x"}, *added["identifier"]])
    assert services.receive(gp, no_system).row.identifier_value == key("ordered")  # one without a system is skipped
    assert Record.objects.count() == 1
    reordered = result("ordered", personas.KARI.pid, identifier=[lab, *first["identifier"]])
    assert services.receive(gp, reordered).outcome == Outcome.CREATED
    assert sorted(Record.objects.values_list("identifier_value", flat=True)) == sorted([key("ordered"), "PRØVE-1"])


def test_a_result_sent_twice_in_one_batch_is_one_record(gp: Actor):
    final = result("twice", personas.KARI.pid, status="final")
    preliminary = result("twice", personas.KARI.pid, status="preliminary", id="other")
    outcomes = [w.outcome for w in services.receive_many(gp, [preliminary, final, final])]
    assert outcomes == [Outcome.CREATED, Outcome.UPDATED, Outcome.UNCHANGED]
    assert Record.objects.get().status == "final"


def test_a_result_is_kept_as_received_with_our_id_and_patient(gp: Actor):
    written = services.receive(gp, result("kept", personas.KARI.pid, meta={"versionId": "9", "source": "lab"}))
    row = Record.objects.select_related("person").get()
    assert (written.outcome, written.row.pk) == (Outcome.CREATED, row.pk)
    assert not {"id", "meta"} & row.resource.keys()
    served = fhir.to_fhir(row)
    assert served["id"] == str(row.pk)
    assert served["subject"]["reference"] == f"Patient/{person(personas.KARI).pk}"
    assert served["subject"]["identifier"] == {"system": FNR_SYSTEM, "value": personas.KARI.pid}
    assert served["valueQuantity"]["value"] == 7.2
    assert (row.code_system, row.code, row.category, row.status) == ("http://loinc.org", "718-7", "laboratory", "final")
    assert (row.identifier_system, row.identifier_value) == (URI_SYSTEM, key("kept"))
    assert row.effective.isoformat() == "2026-06-01T06:30:00+00:00"
    assert (row.source_unit_id, row.source_client) == (gp.unit_id, "gp-epj")


def test_entered_in_error_from_the_source_marks_the_record_and_keeps_it(gp: Actor):
    services.receive(gp, result("wrong", personas.KARI.pid))
    withdrawn = services.receive(gp, result("wrong", personas.KARI.pid, status="entered-in-error", id="x"))
    assert withdrawn.outcome == Outcome.UPDATED
    row = Record.objects.get()
    assert (row.entered_in_error, row.status) == (True, "entered-in-error")
    assert row.resource["valueQuantity"]["value"] == 7.2  # the value stays, for the versions and the audit


def test_a_person_named_by_number_is_found_or_made_from_the_register(gp: Actor):
    d_number = "41829050046"  # a synthetic D-nummer (born 1 February 1990) nobody in the demo has
    named = {"identifier": {"system": DNR_SYSTEM, "value": d_number}, "display": "As the lab spells it"}
    services.receive(gp, result("d", d_number, subject=named))
    services.receive(gp, result("k", personas.KARI.pid))
    made = Person.objects.get(pid=d_number)
    assert sorted(Record.objects.values_list("person_id", flat=True)) == sorted([made.pk, person(personas.KARI).pk])
    served = fhir.to_fhir(Record.objects.select_related("person").get(person=made))
    assert served["subject"]["identifier"] == {"system": DNR_SYSTEM, "value": d_number}
    assert served["subject"]["display"] == made.full_name


def test_a_patient_named_by_our_key_must_be_tied_to_the_unit(gp: Actor, station: Actor):
    kari = person(personas.KARI)
    by_key = result("by-key", "", subject={"reference": f"Patient/{kari.pk}"})
    with pytest.raises(Invalid, match="Fant ingen pasient"):
        services.receive(gp, by_key)  # Kari is nothing to the GP office yet: her key looks like no key
    services.receive(gp, result("first", personas.KARI.pid))  # the first result by number ties her to the unit
    assert services.receive(gp, by_key).outcome == Outcome.CREATED
    with pytest.raises(Invalid, match="Fant ingen pasient"):
        services.receive(station, by_key | {"identifier": [{"system": URI_SYSTEM, "value": "x"}]})
    conditional = result("cond", "", subject={"reference": f"Patient?identifier={FNR_SYSTEM}|{personas.PER.pid}"})
    assert services.receive(station, conditional).row.person_id == person(personas.PER).pk


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"identifier": []}, "må gi hver opplysning sin egen identifikator"),
        ({"identifier": [{"value": "no-system"}]}, "må gi hver opplysning sin egen identifikator"),
        ({"identifier": [{"system": URI_SYSTEM, "value": "x" * 201}]}, "for lang"),
        ({"subject": None}, "hvilken pasient"),
        ({"subject": {"reference": "Patient/999999"}}, "Fant ingen pasient"),
        ({"subject": {"reference": "Group/1"}}, "Fant ingen pasient"),
        ({"subject": {"identifier": {"system": "urn:oid:1.2.3", "value": "1"}}}, "fødselsnummer eller D-nummer"),
        ({"subject": {"identifier": {"system": FNR_SYSTEM, "value": "12345678901"}}}, "Kontrollsifrene"),
        (
            {"subject": {"reference": "Patient/KARI", "identifier": {"system": FNR_SYSTEM, "value": personas.PER.pid}}},
            "ulike personer",
        ),
        ({"resourceType": "Appointment"}, "tar ikke imot denne ressurstypen"),
    ],
)
def test_it_refuses_what_it_cannot_keep_with_a_clear_message(gp: Actor, changes: dict[str, Any], message: str):
    resource = {k: v for k, v in (result("refused", personas.KARI.pid) | changes).items() if v is not None}
    if resource.get("subject", {}).get("reference") == "Patient/KARI":  # her key is known only now
        resource["subject"] = resource["subject"] | {"reference": f"Patient/{person(personas.KARI).pk}"}
    with pytest.raises(Invalid, match=message):
        services.receive(gp, resource)
    assert not Record.objects.exists()


def test_only_a_unit_s_source_system_may_send(demo: None, gp: Actor):
    for actor in (citizen_app(personas.KARI, personas.KARI), Actor(role=Role.SYSTEM, client_id="lab")):
        with pytest.raises(Refused, match="Bare kildesystemer"):
            services.receive(actor, result("r", personas.KARI.pid))
    with pytest.raises(Invalid, match="stemmer ikke med adressen"):
        fhir.writer("Observation").create(gp, {**result("r", personas.KARI.pid), "resourceType": "Immunization"})  # type: ignore[misc]
    assert not Record.objects.exists()


def test_an_update_keeps_the_identifier(gp: Actor, station: Actor):
    row = services.receive(gp, result("u", personas.KARI.pid)).row
    update = fhir.writer("Observation").update
    assert update is not None
    assert update(gp, row, result("u", personas.KARI.pid, status="amended")).outcome == Outcome.UPDATED
    with pytest.raises(Invalid, match="Identifikatoren kan ikke endres"):
        update(gp, row, result("v", personas.KARI.pid))
    with pytest.raises(Refused):
        update(station, row, result("u", personas.KARI.pid))
    assert Record.objects.get().status == "amended"

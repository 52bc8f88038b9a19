"""*Vergeinnsynsreservasjon* follows references (`records.links`, `records.reservation`): a record that names a
reserved record of the same person is reserved with it, whatever its own label says and in whatever order the two
arrive. (a) a source's access log naming a reserved document, (b) a pharmacy's dispensing made on a reserved
prescription, (c) a report grouping a reserved result: none reaches a parent's app, and (b) moves no date on
Helsekontakter; the source's own reads and the person herself still get them, with the label in `meta.security`."""

import re
from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from helseportal.core.actor import Actor, Assurance, Role
from helseportal.core.ids import FNR_SYSTEM
from helseportal.demo import personas
from helseportal.fhir.provider import Outcome
from helseportal.fhir.testing import api
from helseportal.identity.models import Person
from helseportal.records import links, services
from helseportal.records.extract import SOURCE_IDENTIFIER_EXTENSION
from helseportal.records.models import Record, RecordLink
from helseportal.records.tests.conftest import URI_SYSTEM, key, person, result, unit
from helseportal.records.tests.family import client_for, parent
from helseportal.records.tests.test_reservation import LABEL, app_for, reserved

pytestmark = pytest.mark.django_db
BASE = "/fhir/R4"
RESERVED = {"meta": {"security": [LABEL]}}


def system(where: personas.UnitPersona, client_id: str) -> Actor:
    return Actor(
        role=Role.SYSTEM,
        client_id=client_id,
        unit_id=unit(where).pk,
        scopes=frozenset({"system/*.cruds"}),
        assurance=Assurance.HIGH,
    )


@pytest.fixture
def gp(demo: None) -> Actor:
    """Kirkeveien legesenter's record system: prescriptions, and (as the demo's stand-in for the e-resept
    intermediary) dispensings."""
    return system(personas.MAJORSTUEN_GP, "gp-epj")


@pytest.fixture
def pharmacy(demo: None) -> Actor:
    """Another unit's system standing in for a pharmacy (no pharmacy is among the demo's units): it knows a
    prescription only by its business identifier, and sends no label."""
    return system(personas.HEALTH_STATION, "apotek")


@pytest.fixture
def hospital(demo: None) -> Actor:
    return system(personas.HOSPITAL, "hospital-epj")


def patient(who: Person) -> dict[str, Any]:
    return {"identifier": {"system": FNR_SYSTEM, "value": who.pid}}


def prescription(label: str, who: Person, **changes: Any) -> dict[str, Any]:
    return {
        "resourceType": "MedicationRequest",
        "identifier": [{"system": URI_SYSTEM, "value": key(label)}],
        "status": "active",
        "intent": "order",
        "medicationCodeableConcept": {"text": f"Legemiddel {label}"},
        "subject": patient(who),
        "authoredOn": "2026-05-02",
    } | changes


def dispensing(label: str, who: Person, on: dict[str, Any], handed_over: str = "2026-06-05T12:00:00+02:00") -> Any:
    """A dispensing made on the prescription `on` names (a reference or an identifier), without a label."""
    return {
        "resourceType": "MedicationDispense",
        "identifier": [{"system": URI_SYSTEM, "value": key(label)}],
        "status": "completed",
        "medicationCodeableConcept": {"text": f"Utlevert {label}"},
        "subject": patient(who),
        "authorizingPrescription": [on],
        "whenHandedOver": handed_over,
    }


def by_identifier(label: str) -> dict[str, Any]:
    return {"identifier": {"system": URI_SYSTEM, "value": key(label)}}


def post(actor: Actor, resource: dict[str, Any]) -> str:
    answer = api(actor).post(f"{BASE}/{resource['resourceType']}", resource)
    assert answer.status_code in (200, 201), answer.content
    return str(answer.json()["id"])


def searched(actor: Actor, kind: str, who: Person) -> tuple[list[str], str]:
    """The ids a search for `who`'s records of `kind` serves `actor`, and the whole answer's text."""
    answer = api(actor).get(f"{BASE}/{kind}?patient=Patient/{who.pk}&_count=200&_total=accurate")
    assert answer.status_code == 200, answer.content
    body = answer.json()
    return [
        e["resource"]["id"] for e in body.get("entry", []) if e["resource"]["resourceType"] == kind
    ], answer.content.decode()


def labelled(actor: Actor, path: str) -> bool:
    served = api(actor).get(f"{BASE}/{path}").json()
    return LABEL in served.get("meta", {}).get("security", [])


# --- (a) a source's access log of a reserved document ----------------------------------------------------------------


def access_event(label: str, who: Person, what: dict[str, Any]) -> dict[str, Any]:
    return {
        "resourceType": "AuditEvent",
        "extension": [
            {"url": SOURCE_IDENTIFIER_EXTENSION, "valueIdentifier": {"system": URI_SYSTEM, "value": key(label)}}
        ],
        "type": {"system": "http://terminology.hl7.org/CodeSystem/audit-event-type", "code": "rest"},
        "action": "R",
        "recorded": "2026-05-03T08:00:00+02:00",
        "agent": [{"who": {"display": "Ida Berg"}, "requestor": True}],
        "source": {"observer": {"display": "Oslo sykehus"}},
        "entity": [{"what": patient(who)}, {"what": what}],
    }


def note(label: str, who: Person, **changes: Any) -> dict[str, Any]:
    return {
        "resourceType": "DocumentReference",
        "identifier": [{"system": URI_SYSTEM, "value": key(label)}],
        "status": "current",
        "type": {"text": "Journalnotat"},
        "subject": patient(who),
        "date": "2026-05-02T10:00:00+02:00",
        "content": [{"attachment": {"contentType": "text/plain", "data": "RXQgbm90YXQuCg==", "title": label}}],
    } | changes


def test_a_source_s_log_of_a_reserved_document_is_not_served_to_a_parent_s_app(
    hospital: Actor, settings: Any, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    kari, ola = person(personas.KARI), person(personas.OLA)  # Ola is 10: Kari reads his journal and its log
    hidden = post(hospital, note("hidden-note", ola, **RESERVED))
    post(hospital, note("open-note", ola))
    by_key = post(hospital, access_event("read-by-key", ola, by_identifier("hidden-note") | {"display": "Hemmelig"}))
    by_id = post(hospital, access_event("read-by-id", ola, {"reference": f"DocumentReference/{hidden}"}))
    shown = post(hospital, access_event("read-open", ola, by_identifier("open-note")))
    ids, body = searched(app_for(kari, ola), "AuditEvent", ola)
    assert shown in ids  # `source-<n>`
    assert by_key not in ids
    assert by_id not in ids
    assert key("hidden-note") not in body
    assert "Hemmelig" not in body
    assert f"DocumentReference/{hidden}" not in body
    assert api(app_for(kari, ola)).get(f"{BASE}/AuditEvent/{by_key}").status_code == 404
    assert labelled(hospital, f"AuditEvent/{by_key}")  # the source reads it back, marked as its document is
    assert not labelled(hospital, f"AuditEvent/{shown}")


# --- (b) a dispensing made on a reserved prescription -----------------------------------------------------------------


def test_a_pharmacy_s_dispensing_of_a_reserved_prescription_is_not_served_to_a_parent_s_app(gp: Actor, pharmacy: Actor):
    kari, nora = person(personas.KARI), person(personas.NORA)  # Nora is 15: Kari sees her prescriptions, not these
    post(gp, prescription("p-hidden", nora, **RESERVED))
    post(gp, prescription("p-open", nora))
    hidden = post(pharmacy, dispensing("d-hidden", nora, by_identifier("p-hidden")))
    shown = post(pharmacy, dispensing("d-open", nora, by_identifier("p-open")))
    ids, body = searched(app_for(kari, nora), "MedicationDispense", nora)
    assert ids == [shown]
    assert "Utlevert d-hidden" not in body
    assert api(app_for(kari, nora)).get(f"{BASE}/MedicationDispense/{hidden}").status_code == 404
    assert labelled(pharmacy, f"MedicationDispense/{hidden}")
    assert not labelled(pharmacy, f"MedicationDispense/{shown}")


def test_a_dispensing_that_arrived_first_is_reserved_when_its_reserved_prescription_comes(gp: Actor, pharmacy: Actor):
    kari, nora = person(personas.KARI), person(personas.NORA)
    hidden = post(pharmacy, dispensing("d-early", nora, by_identifier("p-late")))
    assert searched(app_for(kari, nora), "MedicationDispense", nora)[0] == [hidden]  # nothing reserved is named yet
    post(gp, prescription("p-late", nora, **RESERVED))
    assert searched(app_for(kari, nora), "MedicationDispense", nora)[0] == []
    assert Record.objects.get(pk=hidden).guardian_reserved


def test_a_prescription_that_becomes_reserved_re_marks_its_dispensings_and_a_correction_lifts_it(gp: Actor):
    kari, nora = person(personas.KARI), person(personas.NORA)
    written = post(gp, prescription("p", nora))
    named = post(gp, dispensing("d-ref", nora, {"reference": f"MedicationRequest/{written}"}))
    own = post(gp, dispensing("d-own", nora, {"reference": f"MedicationRequest/{written}"}) | RESERVED)
    parent_app = app_for(kari, nora)
    assert searched(parent_app, "MedicationDispense", nora)[0] == [named]
    post(gp, prescription("p", nora, **RESERVED))  # the youth and her doctor reserve it after it was dispensed
    assert searched(parent_app, "MedicationDispense", nora)[0] == []
    post(gp, prescription("p", nora))  # a correction: the label lifted
    assert searched(parent_app, "MedicationDispense", nora)[0] == [named]
    assert Record.objects.get(pk=own).guardian_reserved  # its own label stays


def test_the_dispensing_moves_no_contact_date_for_kari_acting_for_nora(gp: Actor):
    kari, nora = person(personas.KARI), person(personas.NORA)
    Record.objects.filter(person=nora).delete()
    post(gp, prescription("p-open", nora, authoredOn="2026-03-02"))  # the last contact Kari may know of
    post(gp, prescription("p-hidden", nora, authoredOn="2026-05-02", **RESERVED))
    hidden = post(gp, dispensing("d-hidden", nora, by_identifier("p-hidden"), "2026-06-05T12:00:00+02:00"))
    page = client_for(parent(kari, nora)).get("/helsekontakter/")
    assert page.status_code == 200
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.content.decode()))
    contacts = text[text.index("Steder det har vært kontakt med") :]
    assert "Kirkeveien legesenter" in contacts
    assert "Siste kontakt 2. mars 2026" in contacts
    assert "5. juni 2026" not in contacts
    assert f"MedicationDispense/{hidden}" not in str(
        [e.resources for e in apps.get_model("access", "AuditEvent").objects.filter(action="records:contacts:read")]
    )


# --- (c) a report that groups a reserved result ----------------------------------------------------------------------


def report(label: str, who: Person, results: list[str]) -> dict[str, Any]:
    return {
        "resourceType": "DiagnosticReport",
        "identifier": [{"system": URI_SYSTEM, "value": key(label)}],
        "status": "final",
        "code": {"text": "Blodprøver"},
        "subject": patient(who),
        "effectiveDateTime": "2026-06-01T08:30:00+02:00",
        "result": [{"reference": f"Observation/{pk}"} for pk in results],
    }


def test_a_report_grouping_a_reserved_result_is_reserved_as_a_whole(hospital: Actor):
    kari, ola = person(personas.KARI), person(personas.OLA)  # Ola is 10: Kari sees his results
    secret = post(hospital, reserved("secret", ola.pid))
    plain = post(hospital, result("plain", ola.pid))
    grouped = post(hospital, report("with-secret", ola, [plain, secret]))
    open_report = post(hospital, report("open", ola, [plain]))
    ids, body = searched(app_for(kari, ola), "DiagnosticReport", ola)
    assert ids == [open_report]
    assert f"Observation/{secret}" not in body
    assert api(app_for(kari, ola)).get(f"{BASE}/DiagnosticReport/{grouped}").status_code == 404
    assert labelled(hospital, f"DiagnosticReport/{grouped}")
    # and the log of who read the report is held back with it (a link to a record reserved by a link)
    event = post(hospital, access_event("read-report", ola, {"reference": f"DiagnosticReport/{grouped}"}))
    assert Record.objects.get(pk=int(event.removeprefix("source-"))).guardian_reserved


def test_the_result_reserved_later_takes_its_report_and_that_report_s_log_with_it(hospital: Actor):
    ola = person(personas.OLA)
    value = post(hospital, result("later", ola.pid))
    grouped = post(hospital, report("r", ola, [value]))
    event = post(hospital, access_event("read-r", ola, {"reference": f"DiagnosticReport/{grouped}"}))
    post(hospital, reserved("later", ola.pid))
    rows = Record.objects.in_bulk([int(grouped), int(event.removeprefix("source-"))])
    assert all(row.guardian_reserved for row in rows.values())
    post(hospital, result("later", ola.pid))  # lifted again
    assert not any(row.guardian_reserved for row in Record.objects.filter(pk__in=rows))


# --- The write: idempotent, batched, the same person only -------------------------------------------------------------


def test_a_re_send_is_unchanged_and_keeps_one_set_of_links(gp: Actor):
    nora = person(personas.NORA)
    services.receive(gp, prescription("p", nora, **RESERVED))
    sent = dispensing("d", nora, by_identifier("p"))
    assert services.receive(gp, sent).outcome == Outcome.CREATED
    assert services.receive(gp, sent | {"id": "re-keyed"}).outcome == Outcome.UNCHANGED
    row = Record.objects.get(resource_type="MedicationDispense")
    assert row.guardian_reserved
    assert not row.guardian_labelled
    assert RecordLink.objects.filter(record=row).count() == 1


def test_another_person_s_reserved_record_with_the_same_identifier_reserves_nothing(gp: Actor):
    kari, nora = person(personas.KARI), person(personas.NORA)
    services.receive(gp, prescription("p", kari, **RESERVED))
    services.receive(gp, dispensing("d", nora, by_identifier("p")))
    assert not Record.objects.get(resource_type="MedicationDispense").guardian_reserved


def _bundle_queries(gp: Actor, pharmacy: Actor, count: int) -> int:
    nora = person(personas.NORA)
    services.receive_many(gp, [prescription(f"p{count}-{n}", nora, **RESERVED) for n in range(count)])
    sent = [dispensing(f"d{count}-{n}", nora, by_identifier(f"p{count}-{n}")) for n in range(count)]
    with CaptureQueriesContext(connection) as queries:
        services.receive_many(pharmacy, sent)
    assert Record.objects.filter(resource_type="MedicationDispense", guardian_reserved=True).count() >= count
    return len(queries)


def test_a_bundle_of_a_hundred_dispensings_costs_what_a_bundle_of_ten_does(gp: Actor, pharmacy: Actor):
    assert _bundle_queries(gp, pharmacy, 100) == _bundle_queries(gp, pharmacy, 10)


def test_a_hundred_prescriptions_reserved_at_once_re_mark_their_dispensings_in_a_few_queries(
    gp: Actor, pharmacy: Actor
):
    nora = person(personas.NORA)
    services.receive_many(gp, [prescription(f"p-{n}", nora) for n in range(100)])
    services.receive_many(pharmacy, [dispensing(f"d-{n}", nora, by_identifier(f"p-{n}")) for n in range(100)])
    with CaptureQueriesContext(connection) as queries:
        services.receive_many(gp, [prescription(f"p-{n}", nora, **RESERVED) for n in range(100)])
    assert Record.objects.filter(resource_type="MedicationDispense", guardian_reserved=True).count() == 100
    assert len(queries) <= 12


# --- The table -------------------------------------------------------------------------------------------------------


def test_the_links_are_in_layers_and_name_stored_types():
    order = links.layered()
    assert set(order) == set(links.LINKS)
    for link in links.LINKS.values():
        assert link.source not in link.targets


def test_a_cycle_in_the_table_is_refused(monkeypatch: pytest.MonkeyPatch):
    looped = {**links.LINKS, "Observation": links.Link("Observation", "hasMember", frozenset({"DiagnosticReport"}))}
    monkeypatch.setattr(links, "LINKS", looped)
    with pytest.raises(ValueError, match="cycle"):
        links.layered()


@pytest.mark.parametrize(
    ("reference", "expected"),
    [
        ({"reference": "MedicationRequest/17"}, [links.Named("MedicationRequest", key=17)]),
        ({"reference": "Observation/17"}, []),  # not a type a dispensing names
        ({"reference": "urn:uuid:0b1f"}, []),
        ({"identifier": {"system": "s", "value": "v"}}, [links.Named("", system="s", value="v")]),
        (
            {
                "type": "http://hl7.org/fhir/StructureDefinition/MedicationRequest",
                "identifier": {"system": "s", "value": "v"},
            },
            [links.Named("MedicationRequest", system="s", value="v")],
        ),
        ({"type": "Observation", "identifier": {"system": "s", "value": "v"}}, []),
        ({"identifier": {"system": "s", "value": "v" * 201}}, []),
        ("MedicationRequest/17", []),
    ],
)
def test_what_a_dispensing_names(reference: Any, expected: list[links.Named]):
    resource = {"resourceType": "MedicationDispense", "authorizingPrescription": [reference]}
    assert links.references("MedicationDispense", resource) == expected


def test_the_migration_marks_the_rows_kept_before(gp: Actor):
    """Rows written before the links (the label alone, no `RecordLink`) are linked and marked by the migration."""
    nora = person(personas.NORA)
    services.receive(gp, prescription("p", nora, **RESERVED))
    services.receive(gp, dispensing("d", nora, by_identifier("p")))
    Record.objects.update(guardian_labelled=False)
    Record.objects.filter(resource_type="MedicationDispense").update(guardian_reserved=False)
    RecordLink.objects.all().delete()
    backfill = __import__(
        "helseportal.records.migrations.0004_record_guardian_labelled_recordlink", fromlist=["backfill"]
    ).backfill
    backfill(apps, None)
    rows = {row.resource_type: row for row in Record.objects.all()}
    assert rows["MedicationRequest"].guardian_labelled
    assert rows["MedicationRequest"].guardian_reserved
    assert rows["MedicationDispense"].guardian_reserved
    assert not rows["MedicationDispense"].guardian_labelled
    assert RecordLink.objects.count() == 1

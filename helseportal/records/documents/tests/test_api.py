"""DocumentReference, its Binary and the source's AuditEvents on the FHIR API: the document's bytes are taken out of
the JSON and served as `Binary/document-<n>` with the document's access rules; a bad attachment is an
OperationOutcome; a re-send under new ids makes no duplicate; the access log is stored once per identifier."""

import base64
from typing import Any

import pytest

from helseportal.core.actor import Actor, Assurance, Role
from helseportal.demo import personas
from helseportal.demo.loader import load_demo
from helseportal.fhir.testing import api
from helseportal.records.documents.tests.conftest import PDF_BYTES, document
from helseportal.records.extract import SOURCE_IDENTIFIER_EXTENSION
from helseportal.records.models import Record
from helseportal.records.tests.conftest import URI_SYSTEM, citizen_app, key, unit

BASE = "/fhir/R4"
SCOPES = frozenset(
    {"system/DocumentReference.cruds", "system/AuditEvent.cruds", "system/Binary.rs", "system/Patient.rs"}
)


@pytest.fixture
def hospital(db: None) -> Actor:
    load_demo()
    return Actor(
        role=Role.SYSTEM,
        client_id="hospital-epj",
        unit_id=unit(personas.HOSPITAL).pk,
        scopes=SCOPES,
        assurance=Assurance.HIGH,
    )


def refused(response: Any) -> str:
    assert response.status_code in (400, 422), (response.status_code, response.content[:500])
    body = response.json()
    assert body["resourceType"] == "OperationOutcome"
    return " ".join(issue.get("details", {}).get("text", "") for issue in body["issue"])


def test_a_pdf_is_kept_beside_the_row_and_served_as_a_binary(hospital: Actor):
    client = api(hospital)
    created = client.post(
        f"{BASE}/DocumentReference", document("epi", personas.KARI.pid, data=PDF_BYTES, content_type="application/pdf")
    )
    assert created.status_code == 201, created.content
    row = Record.objects.get(resource_type="DocumentReference")
    attachment = row.resource["content"][0]["attachment"]
    assert "data" not in attachment
    assert attachment["size"] == len(PDF_BYTES)
    served = client.get(f"{BASE}/DocumentReference/{row.pk}").json()
    assert served["content"][0]["attachment"]["url"] == f"Binary/document-{row.pk}"
    raw = client.get(f"{BASE}/Binary/document-{row.pk}", headers={"Accept": "application/pdf"})
    assert raw.status_code == 200
    assert (raw.content, raw["Content-Type"], raw["Content-Disposition"]) == (
        PDF_BYTES,
        "application/pdf",
        "attachment",
    )
    as_fhir = client.get(f"{BASE}/Binary/document-{row.pk}", headers={"Accept": "application/fhir+json"}).json()
    assert base64.b64decode(as_fhir["data"]) == PDF_BYTES
    assert as_fhir["securityContext"] == {"reference": f"DocumentReference/{row.pk}"}
    # What was read back, sent back as it is (the url instead of the bytes), changes nothing.
    again = client.put(f"{BASE}/DocumentReference/{row.pk}", served, headers={"If-Match": 'W/"1"'})
    assert again.status_code == 200, again.content
    assert again.json()["meta"]["versionId"] == "1"


def test_the_binary_follows_the_document_s_access_rules(hospital: Actor):
    client = api(hospital)
    client.post(
        f"{BASE}/DocumentReference",
        document(
            "nora",
            personas.NORA.pid,
            meta={"security": [{"system": "urn:helseportal:security-label", "code": "vergeinnsynsreservasjon"}]},
        ),
    )
    client.post(f"{BASE}/DocumentReference", document("ola", personas.OLA.pid))
    nora = Record.objects.get(person__pid=personas.NORA.pid)
    ola = Record.objects.get(person__pid=personas.OLA.pid)
    kari_for_ola = api(citizen_app(personas.KARI, personas.OLA, Role.PARENT))
    assert kari_for_ola.get(f"{BASE}/Binary/document-{ola.pk}").status_code == 200
    assert kari_for_ola.get(f"{BASE}/Binary/document-{nora.pk}").status_code == 404
    kari_for_nora = api(citizen_app(personas.KARI, personas.NORA, Role.PARENT))
    assert kari_for_nora.get(f"{BASE}/Binary/document-{nora.pk}").status_code == 404
    assert kari_for_nora.get(f"{BASE}/DocumentReference/{nora.pk}").status_code == 404
    gp = Actor(
        role=Role.SYSTEM,
        client_id="gp",
        unit_id=unit(personas.MAJORSTUEN_GP).pk,
        scopes=SCOPES,
        assurance=Assurance.HIGH,
    )
    assert api(gp).get(f"{BASE}/Binary/document-{ola.pk}").status_code == 404  # another unit's document


@pytest.mark.parametrize(
    ("attachment", "says"),
    [
        ({"contentType": "application/pdf", "data": base64.b64encode(b"MZ\x90\x00 not a pdf").decode()}, "PDF"),
        ({"contentType": "text/html", "data": base64.b64encode(b"<script>alert(1)</script>").decode()}, "PDF"),
        ({"contentType": "text/plain", "data": base64.b64encode(b"\xff\xfe bad utf-8").decode()}, "UTF-8"),
        ({"contentType": "text/plain", "data": base64.b64encode(PDF_BYTES).decode()}, "PDF"),
        ({"contentType": "application/pdf", "data": "JVBERi0!!!not base64"}, "base64"),
        ({"contentType": "application/pdf", "url": "https://example.org/epikrise.pdf"}, "base64"),
        ({"contentType": "application/pdf", "url": "urn:helseportal:document-content:" + "0" * 64}, "url"),
        ({"contentType": "text/plain", "data": base64.b64encode(b"ok").decode(), "size": 3}, "size"),
        ({"contentType": "text/plain", "data": base64.b64encode(b"ok").decode(), "hash": "AAAA"}, "hash"),
    ],
)
def test_a_bad_attachment_is_an_outcome_and_nothing_is_stored(hospital: Actor, attachment: dict[str, Any], says: str):
    sent = document("bad", personas.KARI.pid) | {"content": [{"attachment": attachment}]}
    assert says in refused(api(hospital).post(f"{BASE}/DocumentReference", sent))
    assert not Record.objects.exists()


def test_two_documents_in_one_reference_or_none_are_refused(hospital: Actor):
    one = document("x", personas.KARI.pid)["content"][0]
    assert "ett dokument" in refused(
        api(hospital).post(f"{BASE}/DocumentReference", document("x", personas.KARI.pid) | {"content": [one, one]})
    )


def test_a_document_larger_than_the_limit_is_refused(hospital: Actor, settings: Any):
    settings.HELSEPORTAL_DOCUMENT_MAX_BYTES = 1024 * 1024
    big = b"%PDF-1.4\n" + b"0" * (1024 * 1024)
    says = refused(
        api(hospital).post(
            f"{BASE}/DocumentReference", document("big", personas.KARI.pid, data=big, content_type="application/pdf")
        )
    )
    assert "større enn 1 MB" in says
    assert not Record.objects.exists()


def _bundle(resources: list[dict[str, Any]], salt: str) -> dict[str, Any]:
    return {
        "resourceType": "Bundle",
        "type": "transaction",
        "entry": [
            {
                "fullUrl": f"urn:uuid:{key(salt + str(n))[9:]}",
                "resource": resource | {"id": f"{salt}-{n}"},
                "request": {"method": "POST", "url": "DocumentReference"},
            }
            for n, resource in enumerate(resources)
        ],
    }


def test_re_sending_under_new_ids_makes_no_duplicate(hospital: Actor):
    client = api(hospital)
    documents = [document(f"doc-{n}", personas.KARI.pid, data=f"Notat {n}\n".encode()) for n in range(30)]
    first = client.post(f"{BASE}/", _bundle(documents, "first"))
    assert first.status_code == 200, first.content
    again = client.post(f"{BASE}/", _bundle(documents, "re-keyed"))
    assert again.status_code == 200, again.content
    assert {entry["response"]["status"][:3] for entry in again.json()["entry"]} == {"200"}
    assert Record.objects.filter(resource_type="DocumentReference").count() == 30


def event(label: str, pid: str, document_label: str) -> dict[str, Any]:
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
        "entity": [
            {"what": {"identifier": {"system": "urn:oid:2.16.578.1.12.4.1.4.1", "value": pid}}},
            {"what": {"identifier": {"system": URI_SYSTEM, "value": key(document_label)}}},
        ],
    }


def test_the_source_s_access_log_is_stored_once_and_served_beside_the_portal_s_own_log(hospital: Actor):
    client = api(hospital)
    assert client.post(f"{BASE}/AuditEvent", event("e1", personas.KARI.pid, "d")).status_code == 201
    assert client.post(f"{BASE}/AuditEvent", event("e1", personas.KARI.pid, "d") | {"id": "x"}).status_code == 200
    row = Record.objects.get(resource_type="AuditEvent")
    assert row.person.pid == personas.KARI.pid
    assert row.resource["entity"][0]["what"] == {"reference": f"Patient/{row.person_id}"}
    served = client.get(f"{BASE}/AuditEvent/source-{row.pk}").json()
    assert served["entity"][0]["what"]["reference"] == f"Patient/{row.person_id}"
    assert served["entity"][1] == event("e1", personas.KARI.pid, "d")["entity"][1]
    app = api(citizen_app(personas.KARI, personas.KARI))
    found = app.get(f"{BASE}/AuditEvent?_count=100").json()
    assert f"source-{row.pk}" in [entry["resource"]["id"] for entry in found.get("entry", [])]


def test_an_access_log_without_a_patient_or_identifier_is_refused(hospital: Actor):
    no_patient = event("e2", personas.KARI.pid, "d")
    no_patient["entity"] = no_patient["entity"][1:]
    assert "pasient" in refused(api(hospital).post(f"{BASE}/AuditEvent", no_patient))
    no_key = event("e3", personas.KARI.pid, "d")
    del no_key["extension"]
    assert "identifikator" in refused(api(hospital).post(f"{BASE}/AuditEvent", no_key))
    assert not Record.objects.exists()


def test_a_body_over_the_server_s_limit_is_an_outcome_not_a_server_error(hospital: Actor, settings: Any):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024
    big = b"%PDF-1.4\n" + b"0" * (128 * 1024)
    sent = document("big", personas.KARI.pid, data=big, content_type="application/pdf")
    response = api(hospital).post(f"{BASE}/DocumentReference", sent)
    assert response.status_code == 413
    assert response.json()["issue"][0]["code"] == "too-long"
    assert not Record.objects.exists()

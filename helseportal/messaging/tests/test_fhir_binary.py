"""A message's attachment read back through the FHIR API: `contentAttachment.url` names a `Binary` that the same
caller reads with the message's access rules, audited as a read of messages; FHIR JSON gives the Binary resource
(base64 `data`), any other `Accept` the PDF itself (R4 binary.html). Read by id only: no search, no $everything."""

import base64

import pytest
import requests
from django.test import Client as Browser
from fhir.resources.R4B.binary import Binary
from fhirpy import SyncFHIRClient

from helseportal.access.models import AuditEvent, Outcome
from helseportal.core.actor import Actor, Assurance, Role
from helseportal.demo import personas
from helseportal.fhir.testing import api
from helseportal.fhir.tests.test_fhirpy import DjangoAdapter
from helseportal.messaging.models import Attachment, Thread
from helseportal.messaging.tests.conftest import PDF, person, unit
from helseportal.messaging.tests.test_fhir_writes import letter, with_pdf
from tests.fhir_tokens import FHIR_JSON, register_system, signing_key, system_token

pytestmark = pytest.mark.django_db
BASE = "/fhir/R4"


def epj(where: personas.UnitPersona, scopes: str = "system/Communication.cruds system/Binary.r") -> Actor:
    return Actor(
        role=Role.SYSTEM,
        client_id=f"epj-{where.key}",
        unit_id=unit(where).pk,
        scopes=frozenset(scopes.split()),
        assurance=Assurance.HIGH,
    )


def karis_app() -> Actor:
    kari = person(personas.KARI).pk
    return Actor(
        role=Role.CITIZEN,
        assurance=Assurance.HIGH,
        person_id=kari,
        subject_id=kari,
        client_id="app",
        scopes=frozenset({"patient/*.rs"}),
    )


@pytest.fixture
def sent(kari: Actor, karis_thread: Thread) -> dict:
    """The GP office's record system sends Kari a letter with a PDF; what a read of it gives back."""
    gp = api(epj(personas.MAJORSTUEN_GP))
    created = gp.post(f"{BASE}/Communication", with_pdf(letter("B-1")))
    assert created.status_code == 201, created.content
    return gp.get(f"{BASE}/Communication/{created.json()['id']}").json()


def url_of(communication: dict) -> str:
    [attachment] = [p["contentAttachment"] for p in communication["payload"] if "contentAttachment" in p]
    return attachment["url"]


def test_the_attachment_url_gives_the_binary_resource_or_the_pdf_itself(sent: dict):
    url = url_of(sent)
    assert url == f"Binary/attachment-{Attachment.objects.get(message_id=sent['id']).pk}"
    gp = api(epj(personas.MAJORSTUEN_GP))
    resource = gp.get(f"{BASE}/{url}")  # the test client asks for application/fhir+json
    assert resource.status_code == 200, resource.content
    assert resource["Content-Type"].startswith("application/fhir+json")
    binary = resource.json()
    Binary.model_validate(binary)
    assert base64.b64decode(binary["data"]) == PDF
    assert (binary["contentType"], binary["securityContext"]) == (
        "application/pdf",
        {"reference": f"Communication/{sent['id']}"},
    )
    for accept in ("application/pdf", "*/*", ""):
        raw = gp.get(f"{BASE}/{url}", HTTP_ACCEPT=accept)
        assert raw.status_code == 200, (accept, raw.content)
        assert raw["Content-Type"] == "application/pdf"
        assert raw.content == PDF
        assert raw["Content-Disposition"] == "attachment"
        assert raw["X-Security-Context"] == f"Communication/{sent['id']}"
        assert raw["ETag"] == resource["ETag"]
    unchanged = gp.get(f"{BASE}/{url}", HTTP_ACCEPT="application/pdf", HTTP_IF_NONE_MATCH=resource["ETag"])
    assert unchanged.status_code == 304
    assert gp.get(f"{BASE}/{url}?_format=json", HTTP_ACCEPT="application/pdf").json()["resourceType"] == "Binary"


def test_reading_the_file_is_audited_as_a_read_of_her_messages(sent: dict):
    before = AuditEvent.objects.filter(action="api:messages:read").count()
    api(karis_app()).get(f"{BASE}/{url_of(sent)}", HTTP_ACCEPT="application/pdf")
    [event] = AuditEvent.objects.filter(action="api:messages:read").order_by("pk")[before:]
    assert (event.subject_id, event.resources, event.actor_client_id) == (
        person(personas.KARI).pk,
        [url_of(sent)],
        "app",
    )


def test_her_app_reads_it_another_unit_gets_the_missing_files_404_and_the_refusal_is_audited(sent: dict):
    url = url_of(sent)
    assert api(karis_app()).get(f"{BASE}/{url}", HTTP_ACCEPT="application/pdf").content == PDF
    other = api(epj(personas.HEALTH_STATION))
    for accept in (FHIR_JSON, "application/pdf"):
        foreign, missing = (
            other.get(f"{BASE}/{url}", HTTP_ACCEPT=accept),
            other.get(f"{BASE}/Binary/attachment-999999", HTTP_ACCEPT=accept),
        )
        assert foreign.status_code == missing.status_code == 404
        assert foreign.json() == missing.json()
        assert foreign["Content-Type"].startswith("application/fhir+json")
    refused = AuditEvent.objects.filter(action="api:messages:denied", outcome=Outcome.DENIED)
    assert [(e.subject_id, e.resources) for e in refused] == [(person(personas.KARI).pk, [url])] * 2
    no_scope = api(epj(personas.MAJORSTUEN_GP, "system/Communication.cruds"))
    assert no_scope.get(f"{BASE}/{url}", HTTP_ACCEPT="application/pdf").status_code == 403


def test_a_binary_is_read_by_id_only(sent: dict):
    gp = api(epj(personas.MAJORSTUEN_GP, "system/*.cruds"))
    for path in ("Binary", "Binary/_history", "Binary?_id=attachment-1"):
        answer = gp.get(f"{BASE}/{path}")
        assert answer.status_code == 405, (path, answer.content)
        assert answer.json()["issue"][0]["code"] == "not-supported"
    form = "application/x-www-form-urlencoded"
    assert gp.post(f"{BASE}/Binary/_search", "_id=x", content_type=form).status_code == 405
    everything = api(karis_app()).get(f"{BASE}/Patient/{person(personas.KARI).pk}/$everything?_count=100").json()
    assert "Binary" not in {e["resource"]["resourceType"] for e in everything.get("entry", [])}
    statement = Browser().get(f"{BASE}/metadata").json()
    [binary] = [r for r in statement["rest"][0]["resource"] if r["type"] == "Binary"]
    assert [i["code"] for i in binary["interaction"]] == ["read", "vread", "history-instance"]
    document = Browser().get(f"{BASE}/openapi.json").json()
    assert "/Binary" not in document["paths"]
    assert "/Binary/{id}" in document["paths"]


def test_a_correction_may_send_the_message_back_as_it_was_read(sent: dict):
    """Read back, the attachment has a `url` and no `data`: a PUT of it with a corrected text changes the text."""
    gp = api(epj(personas.MAJORSTUEN_GP))
    path = f"{BASE}/Communication/{sent['id']}"
    fixed = {k: v for k, v in sent.items() if k != "meta"}
    fixed["payload"] = [{"contentString": "Rettet tekst."}, *sent["payload"][1:]]
    answer = gp.put(path, fixed, HTTP_IF_MATCH=f'W/"{sent["meta"]["versionId"]}"')
    assert answer.status_code == 200, answer.content
    assert answer.json()["payload"][0] == {"contentString": "Rettet tekst."}
    assert url_of(answer.json()) == url_of(sent)
    resent = gp.post(f"{BASE}/Communication", {k: v for k, v in fixed.items() if k not in ("id",)})
    assert resent.status_code in (200, 400), resent.content  # the same identifier: the message it made, or refused
    assert resent.status_code != 500


def test_a_record_system_with_a_real_token_fetches_the_pdf(kari: Actor, karis_thread: Thread):
    key = signing_key()
    scopes = "system/Communication.cruds system/Binary.r"
    client = register_system("Majorstuen EPJ", personas.MAJORSTUEN_GP.orgnr, key, tuple(scopes.split()))
    token = system_token(Browser(), client, key, scopes)
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {token}", "secure": True}
    made = Browser().post(f"{BASE}/Communication", with_pdf(letter("B-9")), content_type=FHIR_JSON, **bearer)
    assert made.status_code == 201, made.content
    pdf = Browser().get(f"{BASE}/{url_of(made.json())}", HTTP_ACCEPT="application/pdf", **bearer)
    assert (pdf.status_code, pdf.content) == (200, PDF)


def test_a_published_fhir_client_follows_the_url_to_the_file(sent: dict, monkeypatch: pytest.MonkeyPatch):
    """fhirpy (PyPI) reads the message, then the `Binary` its attachment's `url` names (asking for FHIR JSON)."""
    session = requests.Session()
    session.mount("http://testserver/", DjangoAdapter(api(epj(personas.MAJORSTUEN_GP))))
    monkeypatch.setattr("fhirpy.base.lib_sync.requests.request", session.request)
    client = SyncFHIRClient("http://testserver/fhir/R4")
    message = client.reference("Communication", sent["id"]).to_resource()
    [attachment] = [p["contentAttachment"] for p in message["payload"] if "contentAttachment" in p]
    binary = client.reference(reference=attachment["url"]).to_resource()
    assert binary["contentType"] == attachment["contentType"] == "application/pdf"
    assert base64.b64decode(binary["data"]) == PDF

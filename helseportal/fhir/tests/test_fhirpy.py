"""A published FHIR client (fhirpy, from PyPI) drives read, search with paging, and create against the engine.

fhirpy speaks HTTP through `requests`; here a transport adapter hands each request it prepares to the Django test
client (pinned as a system client), so the whole portal stack answers while URLs, headers, bodies, Bundles and the
`next` links are fhirpy's own doing.
"""

from urllib.parse import urlsplit

import pytest
import requests
from fhirpy import SyncFHIRClient
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

from helseportal.appointments.models import Appointment
from helseportal.demo import personas
from helseportal.fhir.testing import ApiClient, api
from helseportal.fhir.tests.conftest import book, system_client
from helseportal.fhir.tests.test_writes import appointment

pytestmark = pytest.mark.django_db
GP = personas.MAJORSTUEN_GP


class DjangoAdapter(BaseAdapter):
    def __init__(self, client: ApiClient) -> None:
        super().__init__()
        self.client = client

    def send(self, request: requests.PreparedRequest, **kwargs) -> requests.Response:  # type: ignore[override]
        parts = urlsplit(request.url or "")
        headers = {k: v for k, v in request.headers.items() if k.lower() not in ("content-length", "accept-encoding")}
        content_type = headers.pop("Content-Type", "application/fhir+json")
        answer = self.client.generic(
            str(request.method),
            parts.path + (f"?{parts.query}" if parts.query else ""),
            data=request.body or b"",
            content_type=content_type,
            headers=headers,
        )
        response = requests.Response()
        response.status_code = answer.status_code
        response._content = answer.content
        response.headers = CaseInsensitiveDict(dict(answer.items()))
        response.url, response.request, response.encoding = str(request.url), request, "utf-8"
        return response

    def close(self) -> None:
        pass


@pytest.fixture
def fhir_client(demo, served, monkeypatch: pytest.MonkeyPatch) -> SyncFHIRClient:
    session = requests.Session()
    session.mount("http://testserver/", DjangoAdapter(api(system_client(GP))))
    monkeypatch.setattr("fhirpy.base.lib_sync.requests.request", session.request)
    return SyncFHIRClient("http://testserver/fhir/R4")


def test_fhirpy_reads_searches_pages_and_creates(fhir_client: SyncFHIRClient):
    rows = [book(personas.KARI, GP, days=day + 1) for day in range(7)]
    read = fhir_client.reference("Appointment", str(rows[0].pk)).to_resource()
    assert read["status"] == "booked"
    assert read["meta"]["versionId"] == "1"
    everything = fhir_client.resources("Appointment").search(status="booked").sort("date").limit(3).fetch_all()
    assert [item["id"] for item in everything] == [str(row.pk) for row in rows]  # three pages, in order
    created = fhir_client.resource("Appointment", **appointment("EPJ-42"))
    created.save()
    assert created["id"] == str(Appointment.objects.get(place="EPJ-42").pk)
    assert created["meta"]["versionId"] == "1"

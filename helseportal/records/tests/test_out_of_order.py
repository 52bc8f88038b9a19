"""A source that re-sends an older version after a newer one: the newer stays (409 `conflict` for the older)."""

import pytest

from helseportal.core.actor import Actor
from helseportal.demo import personas
from helseportal.fhir.testing import api
from helseportal.records.models import Record
from helseportal.records.tests.conftest import result

pytestmark = pytest.mark.django_db
BASE = "/fhir/R4"
PRELIMINARY = {"status": "preliminary", "issued": "2026-06-01T09:00:00+02:00", "valueQuantity": {"value": 7.0}}
FINAL = {"status": "final", "issued": "2026-06-01T12:00:00+02:00"}


def version(**changes: object) -> dict:
    resource = result("hb", personas.KARI.pid, **changes)
    resource["valueQuantity"] = {**result("hb", personas.KARI.pid)["valueQuantity"], **changes.get("valueQuantity", {})}
    return resource


def kept() -> tuple[str, float]:
    row = Record.objects.get()
    return row.status, row.resource["valueQuantity"]["value"]


def test_in_order_the_newer_version_replaces_the_older(gp: Actor):
    client = api(gp)
    assert client.post(f"{BASE}/Observation", version(**PRELIMINARY)).status_code == 201
    newer = client.post(f"{BASE}/Observation", version(**FINAL, id="re-keyed"))
    assert newer.status_code == 200, newer.content
    assert newer.json()["meta"]["versionId"] == "2"
    assert kept() == ("final", 7.2)


def test_out_of_order_the_older_version_is_refused_and_the_newer_stays(gp: Actor):
    client = api(gp)
    created = client.post(f"{BASE}/Observation", version(**FINAL))
    assert created.status_code == 201
    older = client.post(f"{BASE}/Observation", version(**PRELIMINARY))
    assert older.status_code == 409, older.content
    [issue] = older.json()["issue"]
    assert (issue["code"], issue["expression"]) == ("conflict", ["Observation.issued"])
    assert "eldre versjon enn den vi har" in issue["details"]["text"]
    assert kept() == ("final", 7.2)
    # By its id too (PUT), and in a transaction Bundle: refused, and the whole transaction with it.
    logical = created.json()["id"]
    put = client.put(f"{BASE}/Observation/{logical}", version(**PRELIMINARY, id=logical))
    assert put.status_code == 409
    other = result("other", personas.KARI.pid)
    bundle = {
        "resourceType": "Bundle",
        "type": "transaction",
        "entry": [
            {"resource": r, "request": {"method": "POST", "url": "Observation"}}
            for r in (other, version(**PRELIMINARY))
        ],
    }
    assert client.post(f"{BASE}/", bundle).status_code == 409
    assert kept() == ("final", 7.2)
    assert client.get(f"{BASE}/Observation/{logical}").json()["meta"]["versionId"] == "1"
    # The same version again is no conflict: nothing changed.
    assert client.post(f"{BASE}/Observation", version(**FINAL, id="again")).status_code == 200

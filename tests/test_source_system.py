"""The sample source system (examples/source_system/) against a live portal: over real HTTP, with a real client
assertion, a real token and fhirpy, it sends the demo lab results twice; the second time changes nothing.

This is the issue's "a third-party FHIR client library drives read, search, create and paging" from outside the
process's test client, and the proof that the example an integrator copies works as written.
"""

import importlib.util
import io
import re
from pathlib import Path
from types import ModuleType

import pytest
from django.core.management import call_command
from fhirpy import SyncFHIRClient

from helseportal.demo import personas
from helseportal.demo.loader import load_demo
from helseportal.records.models import Record

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "source_system" / "source_system.py"
SCOPE = "system/Observation.cruds system/DiagnosticReport.cruds system/Patient.rs"


def example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("source_system", EXAMPLE)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.django_db(transaction=True)
def test_the_sample_lab_sends_its_results_once_and_fhirpy_reads_them_back(live_server, tmp_path: Path):
    load_demo()
    lab = example()
    lab.keygen(tmp_path)
    out = io.StringIO()
    call_command(
        "fhir-client", "add", "--name", "Demolaboratoriet", "--kind", "system", "--unit",
        personas.MAJORSTUEN_GP.orgnr, "--jwks-file", str(tmp_path / "jwks.json"), "--scope", SCOPE, stdout=out,
    )  # fmt: skip
    client_id = re.search(r"[A-Za-z0-9]{16,}", out.getvalue())
    assert client_id, out.getvalue()
    base = f"{live_server.url}/fhir/R4"
    key = tmp_path / "private.jwk.json"

    bundles = lab.demo_bundles(lab.DEMO_UNIT)  # the unit's demo Bundles, as `helseportal demo` loads them
    bundle = next(b for b in bundles if any(e["resource"]["resourceType"] == "DiagnosticReport" for e in b["entry"]))
    first = lab.send(base, client_id.group(0), key, bundle, SCOPE)
    assert [entry["response"]["status"][:3] for entry in first["entry"]] == ["201"] * len(bundle["entry"])
    again = lab.send(base, client_id.group(0), key, bundle, SCOPE)
    assert all(entry["response"]["status"].startswith("200") for entry in again["entry"])
    assert Record.objects.count() == len(bundle["entry"])  # the second sending made no duplicate

    fhir = SyncFHIRClient(base, authorization=f"Bearer {lab.token(base, client_id.group(0), key, SCOPE)}")
    hemoglobin = fhir.resources("Observation").search(code="http://loinc.org|718-7").sort("-date").limit(1)
    pages = hemoglobin.fetch_all()  # one per page: fhirpy follows the `next` links
    # Kari's haemoglobin in the demo file, newest first (synthetic values, seven over two years: the trend)
    assert [o["valueQuantity"]["value"] for o in pages] == [11.9, 12.4, 11.4, 12.0, 12.5, 12.9, 13.2]
    one = fhir.reference("Observation", pages[0]["id"]).to_resource()
    assert one["code"]["coding"][0]["code"] == "718-7"
    assert one["subject"]["reference"].startswith("Patient/")

"""The record services' demo data (issue 11), sent through the FHIR API the way a source system sends it.

`data/records/<orgnr>/*.json` are transaction Bundles, one folder per sending unit (its organisasjonsnummer), each
entry a conditional create on the source's own identifier, patients named by fødselsnummer: exactly what the
sample source system (`examples/source_system/`) sends over HTTP with `send --demo`. `load_records()` hands each
Bundle to the API engine in this process, as that unit's system client, so `make run` needs no running server and
the demo exercises the same path as a record system: validation, idempotency by identifier, the ties to the unit,
the audit ("Sendte inn opplysninger" on the person's log). Sending them again changes nothing.

Synthetic values for demonstration, not clinical reference data.
"""

import json
from pathlib import Path

from django.db import transaction

from helseportal.core.actor import Actor, Assurance, Role
from helseportal.core.errors import DomainError
from helseportal.fhir.api import bundles
from helseportal.fhir.api.calls import Call
from helseportal.organisations.models import Unit

DATA = Path(__file__).resolve().parent / "data" / "records"
DEMO_CLIENT = "demo-source-system"  # the client id the demo's events name; no token is issued for it
DEMO_BASE = "https://helseportal.invalid/fhir/R4"  # only for the locations in the answers, which nobody reads


class DemoBundleRefused(RuntimeError):
    """A demo Bundle the API refused: the demo data and the API disagree, and a test must say so."""


def load_records(folder: Path = DATA) -> int:
    """Send every demo Bundle through the API engine; the number of entries sent (created or unchanged)."""
    sent = 0
    for unit_folder in sorted(path for path in folder.iterdir() if path.is_dir()):
        unit = Unit.objects.get(orgnr=unit_folder.name)
        for path in sorted(unit_folder.glob("*.json")):
            sent += _send(unit, json.loads(path.read_text(encoding="utf-8")), path.name)
    return sent


def _send(unit: Unit, bundle: dict[str, object], name: str) -> int:
    actor = Actor(
        role=Role.SYSTEM,
        client_id=DEMO_CLIENT,
        unit_id=unit.pk,
        scopes=frozenset({"system/*.cruds"}),
        assurance=Assurance.HIGH,
    )
    call = Call(actor, DEMO_BASE)
    try:
        with transaction.atomic():
            answer = bundles.process(call, bundle)
            call.audit()
    except DomainError as error:
        raise DemoBundleRefused(f"{unit.orgnr}/{name}: {error}") from error
    statuses = [entry["response"]["status"] for entry in (answer.body or {}).get("entry", [])]
    refused = [status for status in statuses if not status.startswith("2")]
    if refused:
        raise DemoBundleRefused(f"{unit.orgnr}/{name}: {refused}")
    return len(statuses)

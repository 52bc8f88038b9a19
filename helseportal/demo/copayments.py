"""Frikort og egenandeler's demo data (issue 12 item 4), sent through the FHIR API as the providers' systems send it.

Kari's co-payments this year reach the cap (3,278 kr in 2026, `copayments.caps`) and pass it, so her page shows the
card and an amount to be paid back; one co-payment is corrected (the amount replaced) and one withdrawn
(`entered-in-error`), and last year has a few. Ola (10) has one, shown but not counted: children under 16 pay none.
Each is a `ChargeItem` in a transaction Bundle from the unit that gave the service (Kari's GP office and the hospital,
both already tied to her by the demo records, `demo.records`), handed to the API engine as that unit's system client,
like `demo.records.load_records`: validation, idempotency by identifier, the audit, the card issued on the way.

The dates are this year's and last year's, counted from today, so the page is full whenever the demo is loaded: never
after today, never before 1 January. Synthetic amounts and services for demonstration, not Helfo's tariffs.
"""

import datetime
import uuid
from typing import Any

from django.db import transaction

from helseportal.core.actor import Actor, Assurance, Role
from helseportal.core.errors import DomainError
from helseportal.core.ids import FNR_SYSTEM
from helseportal.core.time import today
from helseportal.demo import personas
from helseportal.demo.records import DEMO_BASE, DEMO_CLIENT, DemoBundleRefused
from helseportal.fhir import JSON
from helseportal.fhir.api import bundles
from helseportal.fhir.api.calls import Call
from helseportal.organisations.models import Unit

SYSTEM = "urn:oid:2.16.578.1.12.4.1.1.9999"  # the providers' own identifiers (illustrative)
NOTE = "Syntetiske demodata for helseportal, ikke en ekte egenandel."
GP, HOSPITAL = personas.MAJORSTUEN_GP.orgnr, personas.HOSPITAL.orgnr

GP_VISIT = "Konsultasjon hos fastlege"
LAB = "Laboratorieprøver"
OUTPATIENT = "Poliklinisk konsultasjon"
IMAGING = "Røntgenundersøkelse"

# (key, days after 1 January, unit, service, kroner) for Kari this year: 3,587 kr counted, the cap reached by the last.
KARI_THIS_YEAR = (
    ("k1", 9, GP, GP_VISIT, 175),
    ("k2", 9, GP, LAB, 62),
    ("k3", 35, HOSPITAL, OUTPATIENT, 375),
    ("k4", 50, GP, GP_VISIT, 175),
    ("k5", 73, HOSPITAL, OUTPATIENT, 375),
    ("k6", 91, HOSPITAL, IMAGING, 375),
    ("k7", 111, GP, GP_VISIT, 175),
    ("k8", 131, HOSPITAL, OUTPATIENT, 375),
    ("k9", 140, HOSPITAL, OUTPATIENT, 375),
    ("k10", 145, HOSPITAL, OUTPATIENT, 375),
    ("k11", 150, HOSPITAL, OUTPATIENT, 375),
    ("k12", 155, HOSPITAL, IMAGING, 375),
)
KARI_WITHDRAWN = ("k-dup", 35, HOSPITAL, OUTPATIENT, 375)  # registered twice by mistake, then withdrawn
KARI_CORRECTED = ("k4", 275)  # first sent as 275 kr, corrected to the 175 kr above
KARI_LAST_YEAR = (
    ("l1", 40, GP, GP_VISIT, 175),
    ("l2", 40, GP, LAB, 62),
    ("l3", 200, HOSPITAL, OUTPATIENT, 375),
)
OLA_THIS_YEAR = (("o1", 60, HOSPITAL, OUTPATIENT, 375),)


def load_copayments(on: datetime.date | None = None) -> int:
    """Send the demo co-payments (again: nothing changes); the number of entries sent."""
    day = on or today()
    kari, ola = personas.KARI.pid, personas.OLA.pid
    first = [
        *_items(kari, day.year - 1, KARI_LAST_YEAR, day),
        *_items(kari, day.year, _corrected_first(), day),
        *_items(kari, day.year, (KARI_WITHDRAWN,), day),
        *_items(ola, day.year, OLA_THIS_YEAR, day),
    ]
    later = [
        *_items(kari, day.year, KARI_THIS_YEAR, day),
        *_items(kari, day.year, (KARI_WITHDRAWN,), day, status="entered-in-error"),
    ]
    return sum(_send(orgnr, bundle) for sending in (first, later) for orgnr, bundle in _bundles(sending))


def _corrected_first() -> tuple[tuple[str, int, str, str, int], ...]:
    key, wrong = KARI_CORRECTED
    return tuple((k, d, u, s, wrong if k == key else kr) for k, d, u, s, kr in KARI_THIS_YEAR)


def _items(pid: str, year: int, rows: Any, day: datetime.date, status: str = "billed") -> list[tuple[str, JSON]]:
    return [
        (unit, charge_item(pid, key, _date(year, offset, day), service, kroner, status))
        for key, offset, unit, service, kroner in rows
    ]


def _date(year: int, offset: int, day: datetime.date) -> datetime.date:
    """`offset` days into `year`, but never after today (the demo loaded early in January) nor outside the year."""
    found = datetime.date(year, 1, 1) + datetime.timedelta(days=offset)
    return min(found, day, datetime.date(year, 12, 31))


def charge_item(pid: str, key: str, on: datetime.date, service: str, kroner: int, status: str = "billed") -> JSON:
    value = str(uuid.uuid5(uuid.NAMESPACE_URL, f"helseportal-demo-copayment:{pid}:{on.year}:{key}"))
    return {
        "resourceType": "ChargeItem",
        "identifier": [{"system": SYSTEM, "value": f"urn:uuid:{value}"}],
        "status": status,
        "code": {"text": service},
        "subject": {"identifier": {"system": FNR_SYSTEM, "value": pid}},
        "occurrenceDateTime": on.isoformat(),
        "priceOverride": {"value": kroner, "currency": "NOK"},
        "note": [{"text": NOTE}],
    }


def _bundles(items: list[tuple[str, JSON]]) -> list[tuple[str, JSON]]:
    by_unit: dict[str, list[JSON]] = {}
    for orgnr, resource in items:
        by_unit.setdefault(orgnr, []).append(resource)
    return [
        (
            orgnr,
            {
                "resourceType": "Bundle",
                "type": "transaction",
                "entry": [{"resource": r, "request": {"method": "POST", "url": "ChargeItem"}} for r in resources],
            },
        )
        for orgnr, resources in sorted(by_unit.items())
    ]


def send(orgnr: str, resources: list[JSON]) -> int:
    """Send co-payments as the unit's system, in one transaction Bundle (the browser test's crossing of the cap)."""
    [(_orgnr, bundle)] = _bundles([(orgnr, resource) for resource in resources])
    return _send(orgnr, bundle)


def _send(orgnr: str, bundle: JSON) -> int:
    unit = Unit.objects.get(orgnr=orgnr)
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
        raise DemoBundleRefused(f"{orgnr}/copayments: {error}") from error
    statuses = [entry["response"]["status"] for entry in (answer.body or {}).get("entry", [])]
    refused = [status for status in statuses if not status.startswith("2")]
    if refused:
        raise DemoBundleRefused(f"{orgnr}/copayments: {refused}")
    return len(statuses)

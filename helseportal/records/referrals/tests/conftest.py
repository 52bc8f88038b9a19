"""Fixtures for Henvisninger: the personas with the demo's referrals sent through the FHIR API, logged-in clients,
and a referral as the store keeps it."""

import datetime
import uuid
from typing import Any

import pytest

from helseportal.core.time import OSLO
from helseportal.demo import personas
from helseportal.identity.models import Person
from helseportal.organisations.models import Unit
from helseportal.records.models import Record
from helseportal.records.referrals.status import ASSESSMENT_URL, DEADLINE_URL, RIGHT_TO_CARE
from helseportal.records.tests.family import Family, load_family


@pytest.fixture
def family(db: None) -> Family:
    return load_family()


def service_request(
    person: Person,
    reason: str,
    authored: datetime.date,
    *,
    deadline: datetime.date | None = None,
    appointment: datetime.datetime | None = None,
    status: str = "active",
    **fields: Any,
) -> Record:
    """A received referral as the store keeps it (the FHIR path is tested by demo/tests/test_records.py)."""
    resource: dict[str, Any] = {
        "resourceType": "ServiceRequest",
        "status": status,
        "intent": "order",
        "code": {"text": "Vurdering"},
        "subject": {"reference": f"Patient/{person.pk}"},
        "authoredOn": authored.isoformat(),
        "performer": [{"display": "Oslo sykehus, testpoliklinikk"}],
        "reasonCode": [{"text": reason}],
    }
    if deadline is not None:
        resource["extension"] = [
            {"url": ASSESSMENT_URL, "valueCode": RIGHT_TO_CARE},
            {"url": DEADLINE_URL, "valueDate": deadline.isoformat()},
        ]
    if appointment is not None:
        resource["occurrenceDateTime"] = appointment.isoformat()
    return Record.objects.create(
        person=person,
        resource_type="ServiceRequest",
        resource=resource,
        effective=datetime.datetime.combine(authored, datetime.time(10), OSLO),
        status=status,
        identifier_system="urn:ietf:rfc:3986",
        identifier_value=f"urn:uuid:{uuid.uuid4()}",
        source_unit=Unit.objects.get(orgnr=personas.HOSPITAL.orgnr),
        source_client="hospital-epj",
        **fields,
    )

"""Fixtures for Legemidler: the personas with the demo's prescriptions sent through the FHIR API, a GP register test
double (the real fake, `LocalGpRegister`, is another helper's), and a prescription as the store keeps it."""

import datetime
import uuid
from collections.abc import Iterator
from typing import Any, ClassVar

import pytest
from django.test import override_settings

from helseportal.core.time import OSLO, today
from helseportal.demo import personas
from helseportal.identity.models import Person
from helseportal.organisations.gp_register import Doctor, GpList, GpRegisterUnavailable, Membership
from helseportal.organisations.models import Unit
from helseportal.records.models import Record
from helseportal.records.tests.family import Family, load_family

HERE = "helseportal.records.medicines.tests.conftest."
NOT_ON_PORTAL = "974589095"  # a valid-looking organisasjonsnummer no demo unit has


class KirkeveienRegister:
    """The GP register double: everyone is on Lars Bakken's list at Kirkeveien legesenter (or at `orgnr`)."""

    orgnr: ClassVar[str] = personas.MAJORSTUEN_GP.orgnr
    name: ClassVar[str] = "Kirkeveien legesenter"

    def current(self, pid: str, on: datetime.date) -> Membership | None:
        doctor = Doctor(hpr=personas.LARS.hpr_number, name="Lars Bakken")
        gp_list = GpList("test-list", doctor, self.orgnr, self.name, "0301", capacity=1200, members=1100)
        return Membership(gp_list, since=datetime.date(2020, 1, 1))

    def history(self, pid: str) -> list[Membership]:
        found = self.current(pid, today())
        return [found] if found else []

    def lists(self, municipality_number: str) -> list[GpList]:
        return []


class NoGpRegister(KirkeveienRegister):
    def current(self, pid: str, on: datetime.date) -> Membership | None:
        return None


class DownRegister(KirkeveienRegister):
    def current(self, pid: str, on: datetime.date) -> Membership | None:
        raise GpRegisterUnavailable("FLR did not answer")


class ElsewhereRegister(KirkeveienRegister):
    orgnr = NOT_ON_PORTAL
    name = "Fjernt legesenter"


@pytest.fixture(autouse=True)
def gp_register() -> Iterator[None]:
    with override_settings(HELSEPORTAL_GP_REGISTER=HERE + "KirkeveienRegister"):
        yield


@pytest.fixture
def family(db: None) -> Family:
    return load_family()


def medication_request(
    person: Person,
    name: str,
    authored: datetime.date,
    valid_to: datetime.date | None,
    *,
    repeats: int | None = 2,
    status: str = "active",
    **fields: Any,
) -> Record:
    """A received prescription as the store keeps it (the FHIR path is tested by demo/tests/test_records.py)."""
    request: dict[str, Any] = {}
    if valid_to is not None:
        request["validityPeriod"] = {"start": authored.isoformat(), "end": valid_to.isoformat()}
    if repeats is not None:
        request["numberOfRepeatsAllowed"] = repeats
    resource = {
        "resourceType": "MedicationRequest",
        "status": status,
        "intent": "order",
        "medicationCodeableConcept": {"text": name},
        "subject": {"reference": f"Patient/{person.pk}"},
        "authoredOn": authored.isoformat(),
        "requester": {"display": "Testlege"},
        "dosageInstruction": [{"text": "1 tablett daglig"}],
        "dispenseRequest": request,
    }
    return Record.objects.create(
        person=person,
        resource_type="MedicationRequest",
        resource=resource,
        effective=datetime.datetime.combine(authored, datetime.time(10), OSLO),
        status=status,
        identifier_system="urn:ietf:rfc:3986",
        identifier_value=f"urn:uuid:{uuid.uuid4()}",
        source_unit=Unit.objects.get(orgnr=personas.MAJORSTUEN_GP.orgnr),
        source_client="gp-epj",
        **fields,
    )

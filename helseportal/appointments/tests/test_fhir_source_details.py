"""What a record system says of a time beyond our own fields (description, service type, specialty, the Location,
the practitioner) is kept, read back as it sent it, and shown to the citizen; a change of it alone tells her
nothing, and the same record sent back as read changes nothing."""

from typing import Any

import pytest
from django.test import Client as Browser

from helseportal.appointments.models import Appointment, AppointmentStatus
from helseportal.appointments.tests.conftest import at
from helseportal.appointments.tests.test_fhir_api import booking, notices, system
from helseportal.core.actor import Actor
from helseportal.core.ids import HPR_SYSTEM
from helseportal.core.testing import log_in
from helseportal.demo import personas
from helseportal.fhir.testing import api
from helseportal.identity.models import Person

pytestmark = pytest.mark.django_db

SERVICE = {"text": "Svangerskapskontroll"}  # as a record system names its service, in words
SPECIALTY = {"text": "Allmennmedisin"}
ROOM = {"reference": "Location/rom-3", "display": "Rom 3, 2. etasje"}  # an id on the source's own server


def client() -> Actor:
    scopes = frozenset({"system/Appointment.cruds"})
    return Actor(**{**system(personas.MAJORSTUEN_GP).__dict__, "scopes": scopes})


def detailed(number: str, description: str = "Ta med urinprøve. Kom fastende.") -> dict[str, Any]:
    resource = booking(number, at(9, 10), description=description, serviceType=[SERVICE], specialty=[SPECIALTY])
    resource["participant"].append({"actor": ROOM, "status": "accepted"})
    return resource


def test_the_details_a_record_system_sends_are_kept_and_read_back(demo: None):
    gp = client()
    created = api(gp).post("/fhir/R4/Appointment", detailed("D-1"))
    assert created.status_code == 201, created.content
    read = created.json()
    assert read["description"] == "Ta med urinprøve. Kom fastende."
    assert SERVICE in read["serviceType"]  # beside our own type code
    assert read["specialty"] == [SPECIALTY]
    actors = [p["actor"] for p in read["participant"]]
    assert {"type": "Location", "display": "Rom 3, 2. etasje"} in actors  # the source's own id names nothing here
    assert read["comment"] == "Rom 3, 2. etasje"  # the place, where the record names no other
    practitioner = next(a for a in actors if a.get("identifier", {}).get("system") == HPR_SYSTEM)
    assert practitioner["identifier"]["value"] == personas.LARS.hpr_number
    path = f"/fhir/R4/Appointment/{read['id']}"
    back = api(gp).put(path, read, HTTP_IF_MATCH=created["ETag"])  # what was read, sent back as it is
    assert back.status_code == 200, back.content
    assert back.json()["meta"]["versionId"] == "1"  # nothing changed: equal in meaning
    assert api(gp).post("/fhir/R4/Appointment", detailed("D-1")).json()["meta"]["versionId"] == "1"


def test_a_new_description_alone_is_kept_quietly_and_the_citizen_reads_it(kari: Actor):
    Person.objects.filter(pid=personas.KARI.pid).update(mobile="91234567", notify_by_sms=True)
    gp = client()
    first = api(gp).post("/fhir/R4/Appointment", detailed("D-2")).json()
    told = notices(personas.KARI)
    again = api(gp).post("/fhir/R4/Appointment", detailed("D-2", "Ta med urinprøve."))
    assert again.status_code == 200
    assert again.json()["description"] == "Ta med urinprøve."
    assert again.json()["meta"]["versionId"] == "2"
    appointment = Appointment.objects.get(pk=first["id"])
    assert (
        appointment.status == AppointmentStatus.BOOKED
    )  # not "changed": the time, place and clinician are as they were
    assert notices(personas.KARI) == told
    browser = Browser()
    log_in(browser, kari)
    page = browser.get(f"/timeavtaler/{appointment.pk}/").content.decode()
    assert "Ta med urinprøve." in page
    assert "Svangerskapskontroll" in page
    assert "Allmennmedisin" in page
    assert "Rom 3, 2. etasje" in page

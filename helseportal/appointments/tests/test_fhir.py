"""Appointments as FHIR: every resource validates with the R4B models and carries HL7 Norway identifiers."""

import pytest
from fhir.resources.R4B import get_fhir_model_class

from helseportal.appointments import fhir, services
from helseportal.appointments.tests.conftest import at, free_time, unit
from helseportal.core.actor import Actor
from helseportal.core.ids import FNR_SYSTEM, HPR_SYSTEM, ORGNR_SYSTEM
from helseportal.demo import personas

pytestmark = pytest.mark.django_db


def validate(resource: dict) -> None:
    get_fhir_model_class(resource["resourceType"]).model_validate(resource)


def test_a_booked_appointment_maps_to_a_valid_fhir_appointment(kari: Actor, lars: Actor):
    request = services.request_appointment(
        kari, unit_id=unit(personas.MAJORSTUEN_GP).pk, meeting_form="video", phone="91234567", reason="Hemmelig"
    )
    assert fhir.request(request)["status"] == "proposed"
    validate(fhir.request(request))
    slot = free_time(personas.LARS, personas.MAJORSTUEN_GP, at(3, 10))
    booked = services.answer_request(lars, request.pk, meeting_form="video", free_time_id=slot.pk)
    resource = fhir.appointment(booked)
    validate(resource)
    assert resource["status"] == "booked"
    assert resource["appointmentType"]["coding"][0]["code"] == "video"
    patient, practitioner = (p["actor"] for p in resource["participant"])
    assert patient["identifier"]["system"] == FNR_SYSTEM
    assert practitioner["identifier"] == {"system": HPR_SYSTEM, "value": personas.LARS.hpr_number}
    assert resource["supportingInformation"][0]["identifier"]["system"] == ORGNR_SYSTEM
    assert "Hemmelig" not in str(resource)
    assert "Hemmelig" not in str(fhir.request(request))
    services.cancel(kari, booked.pk)
    booked.refresh_from_db()
    assert fhir.appointment(booked)["status"] == "cancelled"

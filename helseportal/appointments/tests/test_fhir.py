"""Appointments as FHIR: every resource validates with the R4B models and carries HL7 Norway identifiers."""

import datetime

import pytest
from fhir.resources.R4B import get_fhir_model_class

from helseportal.appointments import fhir, services
from helseportal.appointments.models import Appointment, AppointmentRequest
from helseportal.appointments.tests.conftest import at, free_time, unit
from helseportal.core.actor import Actor
from helseportal.core.ids import FNR_SYSTEM, HPR_SYSTEM, ORGNR_SYSTEM
from helseportal.demo import personas
from helseportal.fhir import registry

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
    # The reason was written for the unit: the request carries it, for the unit's record system and her own app.
    request.refresh_from_db()
    answered = fhir.request(request)
    validate(answered)
    assert answered["reasonCode"] == [{"text": "Hemmelig"}]
    assert answered["status"] == "booked"
    assert {"reference": f"Appointment/{booked.pk}"} in answered["supportingInformation"]
    services.cancel(kari, booked.pk)
    booked.refresh_from_db()
    assert fhir.appointment(booked)["status"] == "cancelled"


def test_the_mappers_are_registered_for_the_fhir_api(kari: Actor, lars: Actor):
    request = services.request_appointment(
        kari, unit_id=unit(personas.MAJORSTUEN_GP).pk, meeting_form="phone", phone="91234567"
    )
    assert registry.to_resource(request) == fhir.request(request)
    slot = free_time(personas.LARS, personas.MAJORSTUEN_GP, at(3, 10))
    booked = services.answer_request(lars, request.pk, meeting_form="phone", free_time_id=slot.pk)
    assert registry.to_resource(booked) == fhir.appointment(booked)
    assert {m.model for m in registry.mappers_for("Appointment")} >= {Appointment, AppointmentRequest}


def test_times_are_oslo_instants_and_local_codes_are_ours(kari: Actor, lars: Actor):
    request = services.request_appointment(
        kari, unit_id=unit(personas.MAJORSTUEN_GP).pk, meeting_form="phone", phone="91234567"
    )
    slot = free_time(personas.LARS, personas.MAJORSTUEN_GP, at(3, 10))
    resource = fhir.appointment(services.answer_request(lars, request.pk, meeting_form="phone", free_time_id=slot.pk))
    assert datetime.datetime.fromisoformat(resource["start"]) == slot.starts_at
    assert resource["start"].endswith(("+01:00", "+02:00"))
    assert resource["serviceType"][0]["coding"][0]["system"] == "urn:helseportal:appointment-type"
    assert resource["appointmentType"]["coding"][0]["system"] == "urn:helseportal:appointment-meeting-form"

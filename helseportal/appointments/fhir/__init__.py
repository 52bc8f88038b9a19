"""Appointments in the FHIR R4 API: the mapping (`mapping`), what the API serves (`api`) and how a record system's
Appointment becomes a row (`writer`).

`register()`, called from `AppointmentsConfig.ready()`, puts the mappers in `helseportal.fhir`'s registry, provides
the `Appointment` resource type to the API engine and tells `access` which persons an appointment ties to a unit
(a system client of that unit may reach them).
"""

from helseportal.access import policy
from helseportal.appointments.fhir.api import APPOINTMENT, tied_by_appointments, tied_by_requests
from helseportal.appointments.fhir.mapping import appointment, request
from helseportal.appointments.models import Appointment, AppointmentRequest
from helseportal.fhir import provider, registry

__all__ = ["APPOINTMENT", "appointment", "register", "request"]


def register() -> None:
    """Register the mappers, the resource type and the ties (once, at the app's `ready()`)."""
    registry.register("Appointment", Appointment, appointment)
    registry.register("Appointment", AppointmentRequest, request)
    provider.provide(APPOINTMENT)
    policy.register_tie(tied_by_appointments)
    policy.register_tie(tied_by_requests)

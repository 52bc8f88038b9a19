"""Every write to appointments: checked by `access`, audited in the same transaction, the citizen notified.

- `requests`: Timeønske: `request_appointment` (the citizen), `answer_request`, `propose_change`, `decline`
  (the unit's clinicians);
- `bookings`: a booked time's life: `cancel` (the citizen or the unit), `complete`, `reschedule` (the unit);
- `free_times`: `create_free_times` (the unit);
- `from_source`: the unit's record system through the FHIR API: `record_booking` (idempotent by the source's
  business identifier), `update_booking`, `answer_request` (a system client at its own unit).

Citizens pass `access.policy.require_subject` for the path's area (`rules.area`: the youth service's area never
audits a denial, so a parent leaves no trace of it); staff pass `access.policy.require_unit_role` (a clinician at
the unit they act for). A denial raises `NotFound`; bad input `Invalid`; a rule of the service `Refused`, with a
message in Norwegian. Other apps import this package, never its modules.
"""

from helseportal.appointments.models import AppointmentType as AppointmentType
from helseportal.appointments.models import MeetingForm as MeetingForm
from helseportal.appointments.rules import place_of as place_of
from helseportal.appointments.services import from_source as from_source
from helseportal.appointments.services.bookings import cancel as cancel
from helseportal.appointments.services.bookings import complete as complete
from helseportal.appointments.services.bookings import reminder_key as reminder_key
from helseportal.appointments.services.bookings import reschedule as reschedule
from helseportal.appointments.services.bookings import time_taken as time_taken
from helseportal.appointments.services.free_times import create_free_times as create_free_times
from helseportal.appointments.services.requests import answer_request as answer_request
from helseportal.appointments.services.requests import decline as decline
from helseportal.appointments.services.requests import propose_change as propose_change
from helseportal.appointments.services.requests import request_appointment as request_appointment

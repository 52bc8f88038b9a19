"""Every read of appointments and requests: checked by `access`, recorded in the audit log in the same transaction.

- `citizen`: her appointments and requests on one path (`youth=False`: the ordinary pages; `youth=True`: the
  youth pages in `youth`), one appointment, its .ics file, and the units she may ask;
- `staff`: the unit's inbox, one request or appointment, the calendar, free times and clinicians.

The ordinary path never returns anything made through the youth service, and the youth path nothing else: a
parent acting for a 15-year-old sees her ordinary appointments, and no trace of the youth service. A denial, or
a record that is not there, raises `NotFound`. Other apps import this package (and `services`), never `models`
or `forms`: the enums and limits they need are re-exported here.
"""

from helseportal.appointments.models import REASON_MAX_LENGTH as REASON_MAX_LENGTH
from helseportal.appointments.models import AppointmentStatus as AppointmentStatus
from helseportal.appointments.models import AppointmentType as AppointmentType
from helseportal.appointments.models import MeetingForm as MeetingForm
from helseportal.appointments.models import RequestStatus as RequestStatus
from helseportal.appointments.queries.citizen import LIST_LIMIT as LIST_LIMIT
from helseportal.appointments.queries.citizen import AppointmentList as AppointmentList
from helseportal.appointments.queries.citizen import appointment_for as appointment_for
from helseportal.appointments.queries.citizen import appointments_for as appointments_for
from helseportal.appointments.queries.citizen import ics as ics
from helseportal.appointments.queries.citizen import past_appointment_on as past_appointment_on
from helseportal.appointments.queries.citizen import request_units as request_units
from helseportal.appointments.queries.citizen import requests_for as requests_for
from helseportal.appointments.queries.staff import INBOX_LIMIT as INBOX_LIMIT
from helseportal.appointments.queries.staff import Calendar as Calendar
from helseportal.appointments.queries.staff import Day as Day
from helseportal.appointments.queries.staff import FreeDay as FreeDay
from helseportal.appointments.queries.staff import appointment_at_unit as appointment_at_unit
from helseportal.appointments.queries.staff import calendar as calendar
from helseportal.appointments.queries.staff import clinicians as clinicians
from helseportal.appointments.queries.staff import free_days as free_days
from helseportal.appointments.queries.staff import free_times as free_times
from helseportal.appointments.queries.staff import request_at_unit as request_at_unit
from helseportal.appointments.queries.staff import unit_inbox as unit_inbox
from helseportal.appointments.queries.staff import unit_of as unit_of

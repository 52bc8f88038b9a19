"""What the portal counts. An event is a thing that happened, never who it happened to.

`VIEW` is a page view of a service (the service is the counter's `service`); the rest are completed transactions,
each counted once when its transaction commits. Add an event here, with its label, before counting it; an event is
never renamed (counters keep it for years), like audit codes.
"""

import enum

from django.utils.translation import gettext_lazy as _


class Event(enum.StrEnum):
    VIEW = "view"  # a service's page was shown (GET, 200) to a citizen or someone acting for one
    LOGIN = "login"  # detail: the assurance level ("substantial", "high") or "helseid"
    MESSAGE_SENT = "message_sent"  # by a citizen or a unit; detail: "citizen" or "unit"
    APPOINTMENT_REQUESTED = "appointment_requested"  # a Timeønske was sent; detail: the appointment type's code
    APPOINTMENT_BOOKED = "appointment_booked"  # detail: the appointment type's code
    REQUEST_ANSWERED = "request_answered"  # a unit answered a Timeønske
    CARD_SHARED = "card_shared"  # a citizen shared a service area with a practitioner or unit
    PDF_EXPORTED = "pdf_exported"  # detail: what the PDF is ("pregnancy_card", "vaccines", …)
    FORM_SUBMITTED = "form_submitted"  # detail: the form's canonical url


LABELS = {
    Event.VIEW: _("Sidevisninger"),
    Event.LOGIN: _("Innlogginger"),
    Event.MESSAGE_SENT: _("Meldinger sendt"),
    Event.APPOINTMENT_REQUESTED: _("Timeønsker sendt"),
    Event.APPOINTMENT_BOOKED: _("Timeavtaler"),
    Event.REQUEST_ANSWERED: _("Timeønsker besvart"),
    Event.CARD_SHARED: _("Delinger med helsepersonell"),
    Event.PDF_EXPORTED: _("PDF-er lastet ned"),
    Event.FORM_SUBMITTED: _("Skjemaer sendt"),
}

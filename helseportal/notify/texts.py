"""The fixed texts of the notifications: one per event, and nothing else.

A notification goes to a phone or a mailbox others may see, so it never says who, where, when or why: no unit,
no practitioner, no time, no reason. The texts therefore take no arguments: `text_for` gets the event and the
language, nothing the caller knows can reach it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from helseportal.notify.events import Event

SUBJECT = _("Varsel fra helseportalen")

_BODIES: dict[Event, Promise] = {
    Event.NEW_MESSAGE: _("Du har en ny melding på helseportalen. Logg inn for å lese den."),
    Event.APPOINTMENT_ANSWERED: _("Du har fått svar på et timeønske. Logg inn på helseportalen."),
    Event.APPOINTMENT_BOOKED: _("Du har fått en ny time. Logg inn på helseportalen for å se den."),
    Event.APPOINTMENT_CHANGED: _("En av timene dine er endret. Logg inn på helseportalen for å se den."),
    Event.APPOINTMENT_CANCELLED: _("En av timene dine er avlyst. Logg inn på helseportalen for å se mer."),
    Event.APPOINTMENT_REMINDER: _("Du har en time i morgen. Logg inn på helseportalen for å se den."),
    Event.NEW_RESULT: _("Du har fått et nytt prøvesvar på helseportalen. Logg inn for å se det."),
    Event.NEW_VACCINE: _("En ny vaksine er registrert på helseportalen. Logg inn for å se den."),
    Event.REFERRAL_UPDATED: _("Det er nytt om en henvisning på helseportalen. Logg inn for å se det."),
    Event.EXEMPTION_CARD_ISSUED: _("Du har fått frikort for helsetjenester. Logg inn på helseportalen for å se det."),
    Event.EXEMPTION_CARD_WITHDRAWN: _("Frikortet ditt er endret. Logg inn på helseportalen for å se mer."),
    Event.TRAVEL_CLAIM_DECIDED: _(
        "Det er fattet vedtak i en sak om pasientreise. Logg inn på helseportalen for å se det."
    ),
    Event.TRAVEL_CLAIM_PAID: _("En pasientreise er utbetalt. Logg inn på helseportalen for å se mer."),
}


@dataclass(frozen=True)
class Text:
    subject: str
    body: str


def text_for(event: Event, language: str = "") -> Text:
    """The subject and body for `event` in `language` (bokmål when empty or unknown)."""
    known = {code for code, _name in settings.LANGUAGES}
    with translation.override(language if language in known else settings.LANGUAGE_CODE):
        return Text(subject=str(SUBJECT), body=str(_BODIES[Event(event)]))

"""Every write of Fastlegetjenester: «Kontakt legekontoret» and the e-consultation, both threads in Meldinger.

Both go to her GP office today and only while it offers the service (`queries.offer_for`; otherwise `NotFound`, or
for a sent form `Invalid`: the draft stays). The thread is started through `messaging.services.start_thread`, which
asks `access` for the `messages` area (a parent of a 12–15-year-old has none) and audits the message; the office's
staff answer in their Meldinger inbox, as any message, and the answer reaches her there with its notification.

The e-consultation is a form on the forms engine that this app owns (`fhir.questionnaires`, registered at
`ready()`): it is open only at her GP office's copy while the office offers it (`units`), and this app *takes* the
sent response: the thread is the office's copy (not the forms inbox), and `gpservices:econsultation:sent` ties the
response to the thread in the engine's transaction. The message carries the answer deadline (the office's answer
time in its open days: `rules.answer_deadline`) and the co-payment she accepted, in bokmål for the office.
"""

import datetime

from django.db import transaction
from django.utils import formats, translation
from django.utils.translation import gettext as _

from helseportal.access import audit
from helseportal.core.actor import Actor
from helseportal.core.errors import Invalid, NotFound
from helseportal.core.time import today
from helseportal.fhir import JSON, questionnaires
from helseportal.gpservices import rules, survey
from helseportal.gpservices.queries import offer_for, offering_unit
from helseportal.messaging import services as messaging
from helseportal.offerings import queries as offerings
from helseportal.offerings.queries import Offer
from helseportal.organisations import hours
from helseportal.organisations.models import Unit

__all__ = ["E_CONSULTATION_SENT", "contact", "deadline", "e_consultation_sent", "register"]

E_CONSULTATION_SENT = "gpservices:econsultation:sent"
STAFF_LANGUAGE = "nb"  # the office reads the message in bokmål, whatever language she uses the portal in


def deadline(unit: Unit, offer: Offer, sent_on: datetime.date) -> datetime.date | None:
    """The day the office answers by (None for a service without an answer time)."""
    if offer.answer_days is None:
        return None
    return rules.answer_deadline(sent_on, offer.answer_days, lambda day: not hours.hours_on(unit, day).closed)


def contact(actor: Actor, *, subject: str, body: str) -> int:
    """«Kontakt legekontoret»: start a thread with her GP office; its key."""
    _person, unit, _offer = offer_for(actor, offerings.GP_CONTACT)
    return messaging.start_thread(actor, unit_id=unit.pk, subject=subject, body=body).pk


def _open_units(actor: Actor) -> list[int]:
    """Her GP office, when it offers the e-consultation: the one unit whose copy of the form is open to her."""
    unit_id = offering_unit(actor, offerings.GP_E_CONSULTATION)
    return [unit_id] if unit_id is not None else []


def e_consultation_sent(actor: Actor, response: JSON) -> None:
    """The engine's hook: the sent e-consultation as a thread to her office, in the engine's transaction."""
    try:
        _person, unit, offer = offer_for(actor, offerings.GP_E_CONSULTATION)
    except NotFound:
        unit, offer = None, None
    if unit is None or offer is None or unit.orgnr != survey.recipient_orgnr(response):
        raise Invalid(
            _("Fastlegekontoret ditt tar ikke imot e-konsultasjoner her nå. Svarene dine er lagret som utkast.")
        )
    sent_on = today()
    with translation.override(STAFF_LANGUAGE):
        subject = _("E-konsultasjon: %(subject)s") % {"subject": survey.subject_of(response)}
        body = "\n".join([*_terms(unit, offer, sent_on), "", *survey.lines(response)])
    with transaction.atomic():
        thread = messaging.start_thread(
            actor, unit_id=unit.pk, subject=subject, body=body, uploads=list(survey.attachments(response))
        )
        identifier = (response.get("identifier") or {}).get("value")
        audit.record(
            actor,
            E_CONSULTATION_SENT,
            subject_id=thread.person_id,
            resources=[f"QuestionnaireResponse/form-{identifier}", f"Thread/{thread.pk}"],
        )


def _terms(unit: Unit, offer: Offer, sent_on: datetime.date) -> list[str]:
    found = [_("E-konsultasjon sendt fra helseportalen %(date)s.") % {"date": formats.date_format(sent_on, "j. F Y")}]
    by = deadline(unit, offer, sent_on)
    if by is not None:
        found.append(_("Svarfrist: %(date)s.") % {"date": formats.date_format(by, "l j. F Y")})
    if offer.price is not None:
        found.append(_("Egenandel: %(price)s kr.") % {"price": offer.price})
    return found


def register() -> None:
    """Tell the forms engine that this app owns the e-consultation (once, at the app's `ready()`)."""
    questionnaires.register(
        survey.E_CONSULTATION_URL,
        on_submit=e_consultation_sent,
        units=_open_units,
        takes=True,
        receiver=survey.RECEIVER,
    )

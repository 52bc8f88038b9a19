"""«Be om fornyelse»: a request to her GP office, through Meldinger, to renew a prescription.

records sits above messaging (ADR 0014), so the request is a thread started with `messaging.services.start_thread`:
the office's staff find it in their inbox and answer there, as any message. Where it goes: her GP office today
(`organisations.gp_register`: her list's office by organisasjonsnummer), if that office is on the portal. Who may
send it: whoever may both act in `medicines` to change something (`write`: the youth by consent reads only,
`access.rules.own_use`) and use Meldinger for the person (a parent of a 12–15-year-old has no Meldinger for her).
The page offers the button only then; a request that comes anyway is refused in words and audited.

The thread names the medication, strength and dosage as the prescription says them: that health data stays inside
the thread (never in a URL, a log line or a notification). The thread is audited by messaging
(`messaging:message:sent`); `records:medicines:renewal_requested` ties it to the prescription it is about. A thread
about a reserved prescription is hidden from her representatives (as the prescription is). Asked again while the
earlier request is open and under a day old, the earlier thread is the answer (`records.repeats`), not a second.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import formats, translation
from django.utils.translation import gettext as _

from helseportal.access import audit, policy
from helseportal.access.models import Outcome, ServiceArea
from helseportal.core.actor import Actor
from helseportal.core.errors import Refused
from helseportal.identity.models import Person
from helseportal.messaging import services as messaging
from helseportal.organisations.gp_register import GpRegisterUnavailable, gp_register
from helseportal.organisations.models import Unit
from helseportal.records import repeats
from helseportal.records.medicines import FAMILY, RENEWAL_REQUESTED
from helseportal.records.medicines.prescriptions import Prescription
from helseportal.records.models import Record

STAFF_LANGUAGE = "nb"  # the office reads the request in bokmål, whatever language the citizen uses the portal in


@dataclass(frozen=True)
class Receipt:
    """A request sent: its thread in Meldinger and the office it went to."""

    thread_id: int
    office: str
    repeated: bool = False  # asked again while the earlier request is open (`records.repeats`): no second thread


@dataclass(frozen=True)
class Offer:
    """Where a renewal request would go (`unit`), or why none can be sent (`refusal`, for the page, with `reason`
    for the audit record)."""

    unit: Unit | None = None
    refusal: str = ""
    reason: str = ""


def offer(actor: Actor, subject_id: int, item: Prescription, day: datetime.date) -> Offer:
    """Whether «Be om fornyelse» is offered on `item`, and to which unit."""
    may = _may_request(actor, subject_id)
    if may.refusal:
        return may
    if not item.renewable(day):
        return Offer(refusal=_("Denne resepten kan ikke fornyes herfra. Kontakt legen som skrev den ut."),
                     reason="not_renewable")  # fmt: skip
    person = Person.objects.only("pid").get(pk=subject_id)
    try:
        membership = gp_register().current(person.pid, day)
    except GpRegisterUnavailable:
        return Offer(
            refusal=_("Fastlegeregisteret svarer ikke akkurat nå, så forespørselen kan ikke sendes. Prøv igjen senere, "
                      "eller kontakt fastlegekontoret ditt."),
            reason="gp_register_unavailable",
        )  # fmt: skip
    if membership is None:
        return Offer(
            refusal=_("Fastlegeregisteret har ingen fastlege registrert, så forespørselen kan ikke sendes herfra. "
                      "Kontakt legen som skrev ut resepten."),
            reason="no_gp",
        )  # fmt: skip
    office = membership.gp_list
    unit = Unit.objects.filter(orgnr=office.office_orgnr).first()
    if unit is None:
        return Offer(
            refusal=_("%(office)s er ikke på helseportalen, så forespørselen kan ikke sendes herfra. "
                      "Kontakt legekontoret direkte.") % {"office": office.office_name},
            reason="office_not_on_portal",
        )  # fmt: skip
    return Offer(unit=unit)


def _may_request(actor: Actor, subject_id: int) -> Offer:
    medicines = policy.check(actor, subject_id=subject_id, area=FAMILY.area, write=True)
    if not medicines:
        if medicines.reason == "youth_access_read_only":
            text = _("Med ungdomstilgang kan du se reseptene dine, men ikke be om fornyelse her. "
                     "Kontakt fastlegekontoret ditt.")  # fmt: skip
        else:
            text = _("Du kan ikke be om fornyelse av resepter for denne personen.")
        return Offer(refusal=text, reason=medicines.reason)
    messages = policy.check(actor, subject_id=subject_id, area=ServiceArea.MESSAGES.value, write=True)
    if not messages:
        return Offer(
            refusal=_("Du kan ikke sende meldinger for denne personen, og derfor ikke be om fornyelse her. "
                      "Kontakt fastlegekontoret."),
            reason=messages.reason,
        )  # fmt: skip
    return Offer()


def request(actor: Actor, subject_id: int, item: Prescription, day: datetime.date) -> Receipt:
    """Send the renewal request to her GP office: a thread in Meldinger, audited with the prescription it is about.

    `Refused` (with the page's words) when it cannot be sent; the refusal is audited."""
    found = offer(actor, subject_id, item, day)
    if found.unit is None:
        with transaction.atomic():
            audit.record(actor, RENEWAL_REQUESTED, subject_id=subject_id, outcome=Outcome.DENIED, reason=found.reason,
                         hidden_from_representatives=item.row.guardian_reserved)  # fmt: skip
        raise Refused(found.refusal)
    with translation.override(STAFF_LANGUAGE):
        subject, body = _("Fornyelse av resept"), message(item)
    resource = f"MedicationRequest/{item.row.pk}"
    with transaction.atomic():
        list(Record.objects.select_for_update().filter(pk=item.row.pk))  # two posts at once: one thread
        earlier = repeats.earlier_thread(actor, RENEWAL_REQUESTED, subject_id=subject_id, resource=resource)
        if earlier is not None:
            return Receipt(earlier.thread_id, earlier.unit, repeated=True)
        # A thread about a reserved prescription is hidden from her representatives whatever the office's kind.
        thread = messaging.start_thread(actor, unit_id=found.unit.pk, subject=subject, body=body,
                                        hidden_from_representatives=item.row.guardian_reserved)  # fmt: skip
        audit.record(
            actor,
            RENEWAL_REQUESTED,
            subject_id=subject_id,
            resources=[resource, f"Thread/{thread.pk}"],
            hidden_from_representatives=thread.hidden_from_representatives,
        )
    return Receipt(thread.pk, found.unit.shown_name)


def message(item: Prescription) -> str:
    """The request's text: the medication, strength and dosage as the prescription says them, and who wrote it."""
    lines = [_("Jeg ber om fornyelse av denne resepten:"), _("Legemiddel: %(name)s") % {"name": item.medication}]
    if item.strength:
        lines.append(_("Styrke: %(strength)s") % {"strength": item.strength})
    if item.dosage:
        lines.append(_("Dosering: %(dosage)s") % {"dosage": item.dosage})
    if item.authored:
        written = formats.date_format(item.authored, "j. F Y")
        if item.prescriber:
            lines.append(_("Skrevet ut %(date)s av %(prescriber)s") % {"date": written, "prescriber": item.prescriber})
        else:
            lines.append(_("Skrevet ut %(date)s") % {"date": written})
    if item.valid_to:
        lines.append(_("Gyldig til %(date)s") % {"date": formats.date_format(item.valid_to, "j. F Y")})
    return "\n".join(lines)

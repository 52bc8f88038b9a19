"""Every write of Bytte fastlege: the switch, and joining or leaving a waiting list.

Each asks `access` first, to change (`policy.require_subject(..., write=True)`, before the transaction, so that a
denial's audit record stands: CONTRIBUTING rule 3): herself from 16, a parent for a child under 16 at her own address,
a power of attorney holder for `gp`; never a youth under 16 herself (she reads, with consent) and never a parent of
a 16-year-old. The register then decides by the rules (`organisations.gp_rules`) under its row locks; what it
refuses is audited as denied, with the rule's code as the reason, and answered with the rule's text (`Refused`).
What it does is audited in the same transaction as the register's rows and the receipt in Meldinger.

The receipt comes from the new GP's office (Meldinger's threads are with units) when that office is on the portal;
for an office the portal does not have, the page is the receipt (our choice; Helfo also sends a letter).
"""

import datetime
from dataclasses import dataclass, replace

from django.db import transaction
from django.utils import formats
from django.utils.translation import gettext as _

from helseportal.access import audit, policy
from helseportal.access.models import Outcome, ServiceArea
from helseportal.core.actor import Actor, Role
from helseportal.core.errors import Refused
from helseportal.core.time import today
from helseportal.gp.queries import AREA
from helseportal.identity.models import Person
from helseportal.messaging import services as messaging
from helseportal.organisations.gp_register import (
    GpList,
    GpRegisterReadOnly,
    GpRegisterUnavailable,
    GpSwitchRefused,
    Membership,
    gp_register,
)
from helseportal.organisations.models import MembershipReason, Unit

__all__ = ["Receipt", "join_waiting_list", "leave_waiting_list", "switch", "waiting_list_filled"]

SWITCHED = "gp:switch:requested"
# The switch a waiting list's opening makes: the register acts (Helfo, for the real one), no citizen.
WAITING_LIST_ACTOR = Actor(
    role=Role.SYSTEM, client_id="gp:waiting-list", display_name="Fastlegeregisteret (venteliste)"
)
WAITING_LIST_REASON = "waiting_list"
JOINED = "gp:waiting:joined"
LEFT = "gp:waiting:left"


@dataclass(frozen=True)
class Receipt:
    """What was done: the list, from which day (a switch) or the place in the queue (a waiting list), the
    receipt's thread in Meldinger (None when the office is not on the portal), and whether the actor may open it
    there (`readable`: not a parent of a 12–15-year-old, nor a proxy without a power for `messages`)."""

    gp_list: GpList
    effective: datetime.date | None = None
    ahead: int = 0
    thread_id: int | None = None
    readable: bool = False


def switch(actor: Actor, list_id: str, *, moved: bool = False) -> Receipt:
    """Switch the person acted for to `list_id` from the first of next month; `moved`: she has moved (an extra
    switch, not one of the two; the register may also find the GP left her list, another extra one)."""
    person = _person(policy.require_subject(actor, AREA, write=True, audit_action=SWITCHED))
    register, on = gp_register(), today()
    reason = MembershipReason.MOVED if moved else MembershipReason.SWITCH
    try:
        with transaction.atomic():
            membership = register.switch(person.pid, list_id, on, reason.value)
            thread = _receipt(actor, membership.gp_list, _switch_text(membership.gp_list, membership.since))
            resources = [f"GpList/{list_id}", *([f"Thread/{thread}"] if thread else [])]
            audit.record(actor, SWITCHED, subject_id=person.pk, resources=resources, reason=membership.reason)
    except GpSwitchRefused as refused:
        raise _refused(actor, SWITCHED, person, list_id, refused) from None
    except GpRegisterUnavailable as error:
        raise _unavailable(error) from None
    return Receipt(membership.gp_list, effective=membership.since, thread_id=thread, readable=_readable(actor, thread))


def join_waiting_list(actor: Actor, list_id: str) -> Receipt:
    """Put the person acted for on a full list's waiting list: one at a time."""
    person = _person(policy.require_subject(actor, AREA, write=True, audit_action=JOINED))
    register = gp_register()
    try:
        with transaction.atomic():
            place = register.join_waiting_list(person.pid, list_id, today())
            text = _("Du står nå på ventelisten til %(doctor)s ved %(office)s. Foran deg i køen: %(ahead)s.") % {
                "doctor": _doctor(place.gp_list),
                "office": place.gp_list.office_name,
                "ahead": place.ahead,
            }
            thread = _receipt(actor, place.gp_list, text, subject=_("Kvittering: venteliste hos fastlege"))
            resources = [f"GpList/{list_id}", *([f"Thread/{thread}"] if thread else [])]
            audit.record(actor, JOINED, subject_id=person.pk, resources=resources)
    except GpSwitchRefused as refused:
        raise _refused(actor, JOINED, person, list_id, refused) from None
    except GpRegisterUnavailable as error:
        raise _unavailable(error) from None
    return Receipt(place.gp_list, ahead=place.ahead, thread_id=thread, readable=_readable(actor, thread))


def leave_waiting_list(actor: Actor) -> Receipt:
    """Take the person acted for off the waiting list she is on."""
    person = _person(policy.require_subject(actor, AREA, write=True, audit_action=LEFT))
    register = gp_register()
    try:
        with transaction.atomic():
            place = register.leave_waiting_list(person.pid, today())
            audit.record(actor, LEFT, subject_id=person.pk, resources=[f"GpList/{place.gp_list.list_id}"])
    except GpSwitchRefused as refused:
        raise _refused(actor, LEFT, person, "", refused) from None
    except GpRegisterUnavailable as error:
        raise _unavailable(error) from None
    return Receipt(place.gp_list)


def waiting_list_filled(pid: str, membership: Membership) -> None:
    """A place opened on the list she waited for, and the register switched her (`LocalGpRegister.fill_waiting_list`,
    in its transaction): audited as a switch by the register itself (`WAITING_LIST_ACTOR`), not by anyone acting for
    her, with the receipt in her Meldinger from the new office."""
    person = Person.objects.filter(pid=pid).only("pk").first()
    if person is None:
        return
    actor = replace(WAITING_LIST_ACTOR, subject_id=person.pk)
    text = _("Du har fått plass hos fastlegen du sto på venteliste til.") + " "
    thread = _receipt(actor, membership.gp_list, text + _switch_text(membership.gp_list, membership.since))
    resources = [f"GpList/{membership.gp_list.list_id}", *([f"Thread/{thread}"] if thread else [])]
    audit.record(actor, SWITCHED, subject_id=person.pk, resources=resources, reason=WAITING_LIST_REASON)


def _readable(actor: Actor, thread: int | None) -> bool:
    """Whether the actor may open the receipt's thread in Meldinger for the person (asked without an audit record:
    it only decides whether the page points there)."""
    return thread is not None and policy.may_use(actor, ServiceArea.MESSAGES.value)


def _person(subject_id: int) -> Person:
    return Person.objects.get(pk=subject_id)


def _refused(actor: Actor, action: str, person: Person, list_id: str, refused: GpSwitchRefused) -> Refused:
    """Audit the register's refusal (its own transaction: the work it refused never happened) and say why."""
    with transaction.atomic():
        resources = [f"GpList/{list_id}"] if list_id else []
        audit.record(
            actor, action, subject_id=person.pk, outcome=Outcome.DENIED, reason=refused.refusal, resources=resources
        )
    return Refused(refused.refusal.message)


def _unavailable(error: GpRegisterUnavailable) -> Refused:
    if isinstance(error, GpRegisterReadOnly):
        return Refused(_("Bytte av fastlege er ikke tilgjengelig her ennå. Bytt på helsenorge.no eller ring Helfo."))
    return Refused(_("Fastlegeregisteret svarer ikke nå. Ingenting er endret. Prøv igjen om litt."))


def _doctor(gp_list: GpList) -> str:
    return gp_list.doctor.name if gp_list.doctor and gp_list.doctor.name else _("listen uten fast lege")


def _switch_text(gp_list: GpList, since: datetime.date) -> str:
    return _("Fastlegen er byttet til %(doctor)s ved %(office)s fra %(date)s.") % {
        "doctor": _doctor(gp_list),
        "office": gp_list.office_name,
        "date": formats.date_format(since, "j. F Y"),
    }


def _receipt(actor: Actor, gp_list: GpList, body: str, *, subject: str = "") -> int | None:
    """The receipt in Meldinger from the list's office, when the office is on the portal; its thread's key."""
    unit = Unit.objects.filter(orgnr=gp_list.office_orgnr).only("pk").first() if gp_list.office_orgnr else None
    if unit is None:
        return None
    thread = messaging.send_receipt(
        actor, unit_id=unit.pk, subject=subject or _("Kvittering: bytte av fastlege"), body=body
    )
    return thread.pk

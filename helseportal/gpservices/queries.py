"""What Fastlegetjenester's pages read: her GP office today and the services it offers, each with whether the actor
may use it for the person acted for.

The page is in the `gp` area (`policy.require_subject`: herself, a parent for a child under 16 at her address, a
youth 13–15 with her parents' consent, a power of attorney for `gp`; a denial is the portal's 404, audited). Each
service is then asked in its own area, to change (`policy.check(…, write=True)`): booking and flu vaccination in
`appointments`, the e-consultation and «Kontakt legekontoret» in `messages` (a parent of a 12–15-year-old has
neither), renewal in `medicines`. The register's answer is read and audited (`gpservices:office:read`) in one
transaction; what the office offers is the unit's public master data (`offerings.queries`).
"""

from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from helseportal.access import audit, policy
from helseportal.access.models import ServiceArea
from helseportal.core.actor import Actor
from helseportal.core.errors import NotFound, Refused
from helseportal.core.time import today
from helseportal.fhir import questionnaires
from helseportal.gpservices.survey import E_CONSULTATION_URL
from helseportal.identity.models import Person
from helseportal.offerings import queries as offerings
from helseportal.organisations.gp_register import GpList, GpRegisterUnavailable, gp_register
from helseportal.organisations.models import Unit, UnitKind

__all__ = ["AREA", "OFFICE_READ", "Office", "Service", "offer_for", "offering_unit", "office"]

AREA = ServiceArea.GP.value
OFFICE_READ = "gpservices:office:read"
# Each service's access area, and the page it is used on (a Timeønske, Legemidler, or this app's own).
AREAS = {
    offerings.GP_BOOKING: ServiceArea.APPOINTMENTS.value,
    offerings.GP_FLU_VACCINE: ServiceArea.APPOINTMENTS.value,
    offerings.GP_RENEWAL: ServiceArea.MEDICINES.value,
    offerings.GP_E_CONSULTATION: ServiceArea.MESSAGES.value,
    offerings.GP_CONTACT: ServiceArea.MESSAGES.value,
}
PAGES = {
    offerings.GP_BOOKING: "appointments:request",
    offerings.GP_FLU_VACCINE: "appointments:request",
    offerings.GP_RENEWAL: "records:medications",
    offerings.GP_E_CONSULTATION: "gpservices:e_consultation",
    offerings.GP_CONTACT: "gpservices:contact",
}


@dataclass(frozen=True)
class Service:
    """One service her office offers, as the actor may use it: `url` when she may, else `refusal` in words."""

    offer: offerings.Offer
    url: str = ""
    refusal: str = ""


@dataclass(frozen=True)
class Office:
    person: Person
    gp_list: GpList | None  # her list today; None: no GP in the register
    unit: Unit | None  # the office on the portal; None: not on the portal
    services: list[Service]


def _subject(actor: Actor) -> Person:
    return Person.objects.get(pk=policy.require_subject(actor, AREA, audit_action=OFFICE_READ))


def _office_of(person: Person) -> tuple[GpList | None, Unit | None]:
    """Her list today and its office when the office is on the portal (the register's answer, not audited here)."""
    membership = gp_register().current(person.pid, today())
    if membership is None:
        return None, None
    orgnr = membership.gp_list.office_orgnr
    unit = Unit.objects.filter(orgnr=orgnr, kind=UnitKind.GP_OFFICE).first() if orgnr else None
    return membership.gp_list, unit


def _current(actor: Actor, person: Person) -> tuple[GpList | None, Unit | None]:
    """Her list and its office (on the portal) today, read and audited in one transaction."""
    try:
        with transaction.atomic():
            gp_list, unit = _office_of(person)
            shown = [f"GpList/{gp_list.list_id}"] if gp_list else []
            audit.record(actor, OFFICE_READ, subject_id=person.pk, resources=shown)
    except GpRegisterUnavailable:
        raise Refused(_("Fastlegeregisteret svarer ikke nå. Prøv igjen om litt.")) from None
    return gp_list, unit


def offering_unit(actor: Actor, code: str) -> int | None:
    """Her GP office's key when it offers `code` and the actor may use it for her; None otherwise. Asked without an
    audit record (it opens or closes a form's pages, which audit what they show: the forms engine's gate)."""
    if actor.subject_id is None or not actor.is_citizen:
        return None
    subject_id = actor.subject_id
    if not policy.check(actor, subject_id=subject_id, area=AREA) or not policy.check(
        actor, subject_id=subject_id, area=AREAS[code], write=True
    ):
        return None
    try:
        _gp_list, unit = _office_of(Person.objects.get(pk=subject_id))
    except GpRegisterUnavailable:
        return None
    return unit.pk if unit is not None and offerings.offer(unit.pk, code) is not None else None


def _refusal(actor: Actor, person: Person, code: str) -> str:
    decision = policy.check(actor, subject_id=person.pk, area=AREAS[code], write=code != offerings.GP_RENEWAL)
    if decision:
        return ""
    if decision.reason == "youth_access_read_only":
        return _("Med ungdomstilgang kan du se fastlegen din, men ikke bruke denne tjenesten her.")
    return _("Du kan ikke bruke denne tjenesten for denne personen.")


def _url(code: str, unit: Unit) -> str:
    if code == offerings.GP_E_CONSULTATION and questionnaires.page_of(E_CONSULTATION_URL, unit.pk) is None:
        return ""  # the office offers it but has not published the form: shown without a link
    return reverse(PAGES[code])


def office(actor: Actor) -> Office:
    """Her GP office and the services it offers (none when it is not on the portal)."""
    person = _subject(actor)
    gp_list, unit = _current(actor, person)
    if unit is None:
        return Office(person, gp_list, None, [])
    services = []
    for code, offer in offerings.offered(unit.pk).items():
        if code not in PAGES:
            continue
        refusal = _refusal(actor, person, code)
        services.append(Service(offer, "" if refusal else _url(code, unit), refusal))
    return Office(person, gp_list, unit, services)


def offer_for(actor: Actor, code: str) -> tuple[Person, Unit, offerings.Offer]:
    """The person, her GP office and its offer of `code`, for the page of one service; `NotFound` when she has no
    office on the portal, the office does not offer it, or the actor may not use it for her (asked in the service's
    area, audited as a denied read of her office)."""
    person = _subject(actor)
    policy.require_subject(actor, AREAS[code], write=True, audit_action=OFFICE_READ)
    _gp_list, unit = _current(actor, person)
    found = offerings.offer(unit.pk, code) if unit is not None else None
    if unit is None or found is None:
        raise NotFound
    return person, unit, found

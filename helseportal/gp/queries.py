"""What Bytte fastlege's pages read, for the person acted for: her GP, the lists of a municipality, one list.

Each asks `access` who is acted for (`policy.require_subject` in the area `gp`: herself, a child under 16 at her
address, a giver of a power of attorney for `gp`; a denial is the portal's 404, audited) and writes its audit event
in a transaction around the register's answer. Whether she may also switch (`may_switch`) is the same question asked
to change (`write=True`): a youth 13–15 with her parents' consent sees her GP but does not switch (access.rules).
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from helseportal.access import audit, policy
from helseportal.access.models import ServiceArea
from helseportal.core.actor import Actor
from helseportal.core.errors import NotFound, Refused
from helseportal.core.time import today
from helseportal.identity.models import Person
from helseportal.organisations import gp_rules
from helseportal.organisations.gp_register import (
    GpList,
    GpRegister,
    GpRegisterUnavailable,
    Membership,
    WaitingPlace,
    gp_register,
)
from helseportal.organisations.models import Postcode

__all__ = ["AREA", "Browse", "Filters", "ListView", "Overview", "browse", "municipalities", "one_list", "overview"]

AREA = ServiceArea.GP.value
OVERVIEW_READ = "gp:overview:read"
LISTS_READ = "gp:lists:read"
LIST_READ = "gp:list:read"


@dataclass(frozen=True)
class Overview:
    person: Person
    current: Membership | None
    pending: Membership | None  # a switch asked for, in force from `pending.since`
    earlier: list[Membership]
    waiting: WaitingPlace | None
    switches_left: int | None  # None: the register does not tell (`GpRegister.tells_switches`)
    may_switch: bool


@dataclass(frozen=True)
class Filters:
    """The browse page's choices (GET parameters: no personal data in them)."""

    municipality: str
    gender: str = ""
    language: str = ""
    free_only: bool = False

    def keeps(self, gp_list: GpList) -> bool:
        doctor = gp_list.doctor
        if self.gender and (doctor is None or doctor.gender != self.gender):
            return False
        if self.language and (doctor is None or self.language not in doctor.languages):
            return False
        return not (self.free_only and (not gp_list.counted or gp_list.free_places == 0))


@dataclass(frozen=True)
class Browse:
    person: Person
    lists: list[GpList]
    languages: list[str]  # the languages the municipality's doctors speak, for the filter
    own_list_id: str


@dataclass(frozen=True)
class ListView:
    person: Person
    gp_list: GpList
    own: bool  # she is on it now
    waiting: WaitingPlace | None  # her waiting place, on any list
    switches_left: int | None  # None: the register does not tell
    effective: datetime.date  # the day a switch asked for today takes effect
    may_switch: bool


def _subject(actor: Actor, action: str) -> Person:
    return Person.objects.get(pk=policy.require_subject(actor, AREA, audit_action=action))


def may_switch(actor: Actor) -> bool:
    """Whether the actor may switch for the person acted for (asked without an audit record: it shows a button)."""
    if actor.subject_id is None:
        return False
    return bool(policy.check(actor, subject_id=actor.subject_id, area=AREA, write=True))


def _unavailable() -> Refused:
    return Refused(_("Fastlegeregisteret svarer ikke nå. Prøv igjen om litt."))


def overview(actor: Actor) -> Overview:
    person, on = _subject(actor, OVERVIEW_READ), today()
    register = gp_register()
    try:
        with transaction.atomic():
            history = register.history(person.pid)
            waiting = register.waiting_place(person.pid)
            shown = [f"GpList/{m.gp_list.list_id}" for m in history]
            audit.record(actor, OVERVIEW_READ, subject_id=person.pk, resources=list(dict.fromkeys(shown)))
    except GpRegisterUnavailable:
        raise _unavailable() from None
    current = _current(history, on)
    pending = next((m for m in history if m.since > on), None)
    earlier = [m for m in history if m is not current and m is not pending]
    left = _switches_left(register, history, on)
    return Overview(person, current, pending, earlier, waiting, left, may_switch(actor))


def browse(actor: Actor, municipality: str | None) -> Browse:
    """The lists of `municipality` (hers when None), each to be kept or not by the page's `Filters`."""
    person, on = _subject(actor, LISTS_READ), today()
    register = gp_register()
    try:
        with transaction.atomic():
            found = register.lists(municipality or person.municipality_number)
            current = register.current(person.pid, on)
            audit.record(actor, LISTS_READ, subject_id=person.pk)
    except GpRegisterUnavailable:
        raise _unavailable() from None
    languages = sorted({code for item in found if item.doctor for code in item.doctor.languages})
    own = current.gp_list.list_id if current else ""
    return Browse(person, found, languages, own)


def one_list(actor: Actor, list_id: str) -> ListView:
    """One list's page (and the switch's confirmation page); `NotFound` for a list the register does not know."""
    person, on = _subject(actor, LIST_READ), today()
    register = gp_register()
    try:
        with transaction.atomic():
            found = register.gp_list(list_id)
            if found is None:
                raise NotFound
            history = register.history(person.pid)
            waiting = register.waiting_place(person.pid)
            audit.record(actor, LIST_READ, subject_id=person.pk, resources=[f"GpList/{found.list_id}"])
    except GpRegisterUnavailable:
        raise _unavailable() from None
    current = _current(history, on)  # by date: a switch waiting to take effect is not hers yet
    own = current is not None and current.gp_list.list_id == found.list_id
    left = _switches_left(register, history, on)
    return ListView(person, found, own, waiting, left, gp_rules.effective_date(on), may_switch(actor))


def _switches_left(register: GpRegister, history: list[Membership], on: datetime.date) -> int | None:
    """Her switches left this year; None when the register does not say why and when she switched (FLR)."""
    if not register.tells_switches:
        return None
    return gp_rules.switches_left([gp_rules.Past(m.reason, m.requested_on) for m in history], on)


def _current(history: list[Membership], on: datetime.date) -> Membership | None:
    """The membership in force on `on`: the overview's GP and the one a list page calls hers."""
    return next((m for m in history if m.since <= on and (m.until is None or m.until >= on)), None)


def municipalities() -> list[tuple[str, str]]:
    """(number, name) of the municipalities the postcode directory knows, by name: the browse page's choice."""
    rows = Postcode.objects.values_list("municipality_number", "municipality_name").distinct()
    return sorted(set(rows), key=lambda row: (row[1], row[0]))

"""Bytte fastlege's rules as data, each with its source, as pure functions over plain facts (Hypothesis tries them).

The register enforces them (Helfo does for the real one; `gp_register.LocalGpRegister` does for the fake, under row
locks), and Bytte fastlege's pages show them before she confirms: how many switches are left this year and from
which day the new GP is hers. Sources, read in session 23 (DOMAIN.md §2):

- Two ordinary switches a calendar year: pasient- og brukerrettighetsloven § 2-1c andre ledd («rett til å skifte
  fastlege inntil to ganger i året», Helsedirektoratet's commentary to § 2-1c); the detailed rules are in forskrift
  om pasient- og brukerrettigheter i fastlegeordningen (FOR-2012-08-29-843). *Which § of that regulation holds the
  switch rule we could not read in full here: unverified.*
- Switches because she moves, or her GP leaves or reduces the list, come in addition: «I tillegg kommer bytte av
  fastlege ved flytting og når fastlegen slutter eller reduserer listen» (Norsk helsenett, ordbok «Fastlege»).
- The new GP from the first day of the next month: «Byte av fastlege gjeld frå den første dagen i månaden etter at
  det er registrert» (Fitjar kommune, «Fastlege»; Larvik kommune says the same).
- A switch is counted in the calendar year of the day it was asked for (`requested_on`): our reading of «per
  kalenderår» (a switch asked for on 31 December and in force on 1 January is the old year's).
- A parent chooses and switches the GP for a child under 16 (regjeringen.no, «Barn og fastlege»); whether she may,
  for this child, is `access`'s decision (the `gp` row of the parent table, at the child's address).
- A child under 16 of a list member may join the list even when it is full; one waiting list at a time: DOMAIN.md
  §2 (Helfo). *Not verified against a primary source here.*
- A second switch while one is waiting to take effect is refused (our choice: the register keeps one future list
  per person; she can switch again once the first is in force). Waiting only for a full list (our choice: with a
  free place she switches at once).
"""

import datetime
import enum
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from helseportal.organisations.models import MembershipReason

ORDINARY_SWITCHES_PER_YEAR = 2
ORDINARY = MembershipReason.SWITCH.value  # only these count towards the two
# Reasons that come in addition to the two (a move the population register shows; the GP leaving or reducing the
# list: the register's).
EXTRA_REASONS = frozenset({MembershipReason.MOVED.value, MembershipReason.GP_LEFT.value,
                           MembershipReason.LIST_REDUCED.value})  # fmt: skip
CHILD_OF_MEMBER_BELOW_AGE = 16

SOURCES = {
    "switches": "pasient- og brukerrettighetsloven § 2-1c andre ledd; forskrift om pasient- og brukerrettigheter i "
    "fastlegeordningen (FOR-2012-08-29-843)",
    "extra": "Norsk helsenett, ordbok «Fastlege»: bytte ved flytting, når fastlegen slutter eller reduserer listen",
    "effective": "Fitjar kommune, «Fastlege»: «frå den første dagen i månaden etter at det er registrert»",
    "children": "regjeringen.no, «Barn og fastlege»; DOMAIN.md §2 (Helfo) for a full list: unverified",
    "waiting": "DOMAIN.md §2 (Helfo): one waiting list at a time; unverified",
}


class Refusal(enum.StrEnum):
    """Why the register will not do it; the value is the audit reason, `message` the citizen's text."""

    NO_SWITCHES_LEFT = "no_switches_left"
    LIST_FULL = "list_full"
    SAME_LIST = "same_list"
    SWITCH_PENDING = "switch_pending"
    UNKNOWN_LIST = "unknown_list"
    UNKNOWN_PERSON = "unknown_person"
    ALREADY_WAITING = "already_waiting"
    WAITING_ELSEWHERE = "waiting_elsewhere"
    HAS_FREE_PLACES = "has_free_places"
    NOT_WAITING = "not_waiting"
    UNKNOWN_REASON = "unknown_reason"

    @property
    def message(self) -> str:
        return str(MESSAGES[self])


MESSAGES = {
    Refusal.NO_SWITCHES_LEFT: _(
        "Du har allerede byttet fastlege to ganger i år. Du kan bytte igjen fra 1. januar, eller tidligere hvis du "
        "flytter, eller hvis fastlegen din slutter eller reduserer listen."
    ),
    Refusal.LIST_FULL: _("Listen er full. Du kan sette deg på venteliste."),
    Refusal.SAME_LIST: _("Du står allerede på denne listen."),
    Refusal.SWITCH_PENDING: _(
        "Du har allerede byttet fastlege, og byttet har ikke trådt i kraft ennå. Du kan bytte igjen når det har det."
    ),
    Refusal.UNKNOWN_LIST: _("Vi finner ikke denne fastlegelisten."),
    Refusal.UNKNOWN_PERSON: _("Fastlegeregisteret kjenner ikke personen."),
    Refusal.ALREADY_WAITING: _("Du står allerede på ventelisten til denne legen."),
    Refusal.WAITING_ELSEWHERE: _(
        "Du står allerede på en annen venteliste. Du kan bare stå på én venteliste om gangen: meld deg av den først."
    ),
    Refusal.HAS_FREE_PLACES: _("Listen har ledige plasser. Du kan bytte til legen med en gang."),
    Refusal.NOT_WAITING: _("Du står ikke på noen venteliste."),
    Refusal.UNKNOWN_REASON: _("Velg hvorfor du bytter."),
}


@dataclass(frozen=True)
class Past:
    """One of her memberships as the rules need it: why she came onto the list and when she asked."""

    reason: str
    requested_on: datetime.date | None


def effective_date(requested_on: datetime.date) -> datetime.date:
    """The first day of the month after `requested_on`: the day the new GP is hers."""
    if requested_on.month == 12:
        return datetime.date(requested_on.year + 1, 1, 1)
    return datetime.date(requested_on.year, requested_on.month + 1, 1)


def switches_used(past: Iterable[Past], year: int) -> int:
    """Her ordinary switches asked for in calendar year `year` (moves, a GP leaving or reducing: not counted)."""
    return sum(1 for p in past if p.reason == ORDINARY and p.requested_on is not None and p.requested_on.year == year)


def switches_left(past: Iterable[Past], on: datetime.date) -> int:
    return max(ORDINARY_SWITCHES_PER_YEAR - switches_used(past, on.year), 0)


def has_moved(address_now: str, address_at_last_switch: str) -> bool:
    """Whether the population register shows a move since her last switch: both addresses known, and different.
    Her word alone does not make a switch extra («hvis du melder flytting til folkeregisteret», helsenorge.no
    «Bytte fastlege»): a move the register does not show is counted (our reading)."""
    return bool(address_now) and bool(address_at_last_switch) and address_now != address_at_last_switch


def may_join_full_list(child_age: int, *, a_parent_on_the_list: bool) -> bool:
    """A child under 16 of a list member joins the list even when it is full."""
    return child_age < CHILD_OF_MEMBER_BELOW_AGE and a_parent_on_the_list


def switch_refusal(
    past: Iterable[Past],
    *,
    requested_on: datetime.date,
    reason: str,
    same_list: bool,
    pending: bool,
    free_places: int,
    child_of_member: bool,
) -> Refusal | None:
    """Why a switch asked for on `requested_on` is refused, None when it is not. The count comes first: a refused
    third switch says so, whatever else is wrong."""
    if reason != ORDINARY and reason not in EXTRA_REASONS:
        return Refusal.UNKNOWN_REASON
    if reason == ORDINARY and switches_left(past, requested_on) == 0:
        return Refusal.NO_SWITCHES_LEFT
    if same_list:
        return Refusal.SAME_LIST
    if pending:
        return Refusal.SWITCH_PENDING
    if free_places <= 0 and not child_of_member:
        return Refusal.LIST_FULL
    return None


def waiting_refusal(*, waiting_for: str | None, list_id: str, on_the_list: bool, free_places: int) -> Refusal | None:
    """Why joining `list_id`'s waiting list is refused: one waiting list at a time, and only for a full list."""
    if waiting_for == list_id:
        return Refusal.ALREADY_WAITING
    if waiting_for is not None:
        return Refusal.WAITING_ELSEWHERE
    if on_the_list:
        return Refusal.SAME_LIST
    if free_places > 0:
        return Refusal.HAS_FREE_PLACES
    return None

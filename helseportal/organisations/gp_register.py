"""The GP register (fastlegeregisteret) behind an interface: whose list a person is on, and the lists there are.

Helfo keeps the register; Norsk helsenett serves it to health services (the FLR service). The portal asks it
through `gp_register()`, which builds the class named by HELSEPORTAL_GP_REGISTER, like the population register
(`identity.register`). Helsekontakter (issue 11, `records/contacts/`) shows her GP from `current`; Legemidler's
«Be om fornyelse» goes to that GP's office; Bytte fastlege (issue 12) browses `lists` and switches.

Bytte fastlege (issue 12) adds the writes to the same Protocol: `switch`, `join_waiting_list`, `leave_waiting_list`.
The register enforces the rules (`gp_rules`: two ordinary switches a calendar year, from the first of the next month,
one waiting list at a time, a member's child under 16 onto a full list), as Helfo does for the real one; a refusal
is `GpSwitchRefused` with its `gp_rules.Refusal`. The fake for development, tests and the demo, and the client for
the real register's read service (which cannot switch: `GpRegisterReadOnly`), are in this module beside the Protocol.
"""

import datetime
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Protocol
from xml.etree import ElementTree

import httpx2 as httpx
from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils.module_loading import import_string

from helseportal.core import time
from helseportal.core.ids import age_on
from helseportal.identity.models import ParentalResponsibility, Person
from helseportal.identity.register import population_register
from helseportal.organisations import gp_rules
from helseportal.organisations.gp_rules import Refusal
from helseportal.organisations.models import GpListMembership, GpWaitingListEntry, MembershipReason, RegisteredGpList


@dataclass(frozen=True)
class Doctor:
    """The GP who holds a list (fastlege), as the register names her: HPR number, name, gender, languages."""

    hpr: str
    name: str
    gender: str = ""  # "female" / "male" as the register says; "" when not stated
    languages: tuple[str, ...] = ()  # ISO 639-1 codes besides Norwegian


@dataclass(frozen=True)
class GpList:
    """One list (fastlegeliste) at a GP office: its doctor (None while the list has none), the office by
    organisasjonsnummer, the municipality, and its size."""

    list_id: str
    doctor: Doctor | None
    office_orgnr: str
    office_name: str
    municipality_number: str
    capacity: int  # listetak
    members: int  # on the list on the day a switch asked for today takes effect (the first of next month)
    waiting: int = 0  # on the list's waiting list
    counted: bool = True  # False: the register says nothing of `members` and `waiting` (FLR); pages hide them

    @property
    def free_places(self) -> int:
        return max(self.capacity - self.members, 0)


@dataclass(frozen=True)
class Membership:
    """A person on a list from `since`, until `until` (None: still on it)."""

    gp_list: GpList
    since: datetime.date
    until: datetime.date | None = None
    reason: str = ""  # MembershipReason; "" when the register does not say
    requested_on: datetime.date | None = None  # the day a switch was asked for


@dataclass(frozen=True)
class WaitingPlace:
    """A person on a list's waiting list since `joined_on`, `ahead` people before her in the queue."""

    gp_list: GpList
    joined_on: datetime.date
    ahead: int = 0
    left_on: datetime.date | None = None


class GpRegister(Protocol):
    # Whether `history` says why and when she asked for each switch, so that the switches left can be counted.
    tells_switches: bool

    def current(self, pid: str, on: datetime.date) -> Membership | None:
        """The list the person is on, on `on`; None when she has no GP (or the register does not know her)."""
        ...

    def history(self, pid: str) -> list[Membership]:
        """Her lists, newest first, the current one included."""
        ...

    def lists(self, municipality_number: str) -> list[GpList]:
        """The lists in a municipality (Bytte fastlege browses them)."""
        ...

    def gp_list(self, list_id: str) -> GpList | None:
        """One list by the register's id; None when there is none."""
        ...

    def waiting_place(self, pid: str) -> WaitingPlace | None:
        """The waiting list she is on now; None when she waits for none."""
        ...

    def switch(self, pid: str, list_id: str, requested_on: datetime.date, reason: str) -> Membership:
        """Move her to `list_id` from the first day of the month after `requested_on` (`gp_rules`); the new
        membership, or `GpSwitchRefused`."""
        ...

    def join_waiting_list(self, pid: str, list_id: str, on: datetime.date) -> WaitingPlace:
        """Put her on a full list's waiting list (one at a time); `GpSwitchRefused` when the rules say no."""
        ...

    def leave_waiting_list(self, pid: str, on: datetime.date) -> WaitingPlace:
        """Take her off the waiting list she is on; `GpSwitchRefused` (NOT_WAITING) when she is on none."""
        ...


class GpRegisterUnavailable(Exception):
    """The register did not answer (or answered something we cannot read): the page says so and carries on."""


class GpRegisterReadOnly(GpRegisterUnavailable):
    """The register this deployment reaches can only be read: the switch is not available through it."""


class GpSwitchRefused(Exception):
    """The register will not switch (or change the waiting list): `refusal` says why."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.value)
        self.refusal = refusal


# --- The local fake: lists in this database ---------------------------------------------------------------------


class LocalGpRegister:
    """The GP register as this database keeps it (`RegisteredGpList`, `GpListMembership`, `GpWaitingListEntry`):
    the fake for development, tests and the demo. Production refuses it (settings.refuse_unsafe_deployment)."""

    tells_switches = True

    def current(self, pid: str, on: datetime.date) -> Membership | None:
        row = (
            _memberships()
            .filter(person__pid=pid, since__lte=on)
            .filter(Q(until__isnull=True) | Q(until__gte=on))
            .order_by("-since")
            .first()
        )
        return _membership(row, _counted([row.gp_list_id], on)) if row else None

    def history(self, pid: str) -> list[Membership]:
        rows = list(_memberships().filter(person__pid=pid).order_by("-since", "-pk"))
        counts = _counted([row.gp_list_id for row in rows], _switch_day())
        return [_membership(row, counts) for row in rows]

    def lists(self, municipality_number: str) -> list[GpList]:
        rows = RegisteredGpList.objects.filter(municipality_number=municipality_number).select_related("office")
        found = list(rows.order_by("list_id"))
        counts = _counted([row.pk for row in found], _switch_day())
        return [_gp_list(row, counts.get(row.pk, (0, 0))) for row in found]

    def gp_list(self, list_id: str) -> GpList | None:
        row = RegisteredGpList.objects.filter(list_id=list_id).select_related("office").first()
        return _gp_list(row, _counted([row.pk], _switch_day())[row.pk]) if row else None

    def waiting_place(self, pid: str) -> WaitingPlace | None:
        row = (
            GpWaitingListEntry.objects.filter(person__pid=pid, left_on__isnull=True)
            .select_related("gp_list__office")
            .first()
        )
        return _waiting_place(row) if row else None

    def switch(self, pid: str, list_id: str, requested_on: datetime.date, reason: str) -> Membership:
        """The rules are checked and the rows written in one transaction, under row locks taken in one order
        (the person, then the list): two switches of one person, or two people taking a list's last place, wait
        for each other, and the second sees what the first wrote (PostgreSQL; SQLite writes one at a time)."""
        effective = gp_rules.effective_date(requested_on)
        with transaction.atomic():
            person, target = _locked(pid, list_id)
            rows = list(GpListMembership.objects.select_for_update().filter(person=person).order_by("since"))
            current = next((row for row in rows if row.until is None), None)
            address = _registered_address(pid)
            if reason == MembershipReason.MOVED.value and not gp_rules.has_moved(
                address, current.address if current is not None else ""
            ):
                reason = gp_rules.ORDINARY  # the population register shows no move since her last switch: counted
            if reason == gp_rules.ORDINARY and current is not None and _without_doctor(current.gp_list):
                reason = MembershipReason.GP_LEFT.value  # her GP has left the list: an extra switch, not one of two
            refusal = gp_rules.switch_refusal(
                [gp_rules.Past(row.reason, row.requested_on) for row in rows],
                requested_on=requested_on,
                reason=reason,
                same_list=current is not None and current.gp_list_id == target.pk,
                pending=current is not None and current.since > requested_on,
                free_places=target.capacity - _members_on(target, effective),
                child_of_member=_child_of_member(person, target, requested_on, effective),
            )
            if refusal is not None:
                raise GpSwitchRefused(refusal)
            if current is not None:
                current.until = effective - datetime.timedelta(days=1)
                current.save(update_fields=["until"])
            row = GpListMembership.objects.create(
                gp_list=target,
                person=person,
                since=effective,
                reason=reason,
                requested_on=requested_on,
                address=address,
            )
            if current is not None and current.gp_list_id != target.pk:
                left = current.gp_list.list_id  # a place opens there: its waiting list gets it, after this commits
                transaction.on_commit(lambda: self.fill_waiting_list(left, requested_on), robust=True)
            # Her waiting is over, for this list and any other: a place she no longer wants is never filled unasked.
            waiting = GpWaitingListEntry.objects.filter(person=person, left_on__isnull=True)
            waiting.filter(joined_on__lte=requested_on).update(left_on=requested_on)
        return _membership(row, _counted([target.pk], effective))

    def join_waiting_list(self, pid: str, list_id: str, on: datetime.date) -> WaitingPlace:
        with transaction.atomic():
            person, target = _locked(pid, list_id)
            waiting = GpWaitingListEntry.objects.filter(person=person, left_on__isnull=True).select_related("gp_list")
            found = waiting.first()
            on_the_list = GpListMembership.objects.filter(person=person, gp_list=target, until__isnull=True).exists()
            refusal = gp_rules.waiting_refusal(
                waiting_for=found.gp_list.list_id if found else None,
                list_id=target.list_id,
                on_the_list=on_the_list,
                free_places=target.capacity - _members_on(target, gp_rules.effective_date(on)),
            )
            if refusal is not None:
                raise GpSwitchRefused(refusal)
            row = GpWaitingListEntry.objects.create(gp_list=target, person=person, joined_on=on)
        return _waiting_place(row)

    def leave_waiting_list(self, pid: str, on: datetime.date) -> WaitingPlace:
        with transaction.atomic():
            Person.objects.select_for_update().filter(pid=pid).first()
            row = (
                GpWaitingListEntry.objects.select_for_update(of=("self",))  # not the office: an outer join
                .filter(person__pid=pid, left_on__isnull=True)
                .select_related("gp_list__office")
                .first()
            )
            if row is None:
                raise GpSwitchRefused(Refusal.NOT_WAITING)
            row.left_on = max(on, row.joined_on)
            row.save(update_fields=["left_on"])
        return _waiting_place(row)

    def fill_waiting_list(self, list_id: str, on: datetime.date) -> list[Membership]:
        """Give the places free on a list from the first of next month to its waiting list, first come first
        served: what Helfo does when a place opens. Run after a switch away from a list (`switch`, once it commits).

        Each place is a switch asked for on `on` (our choice: it counts as one of her two); one who has no switch
        left this year, or a switch waiting to take effect, keeps her place in the queue and the next one gets it.
        The queue's people are locked before the list, in key order, as every write here locks a person first."""
        effective = gp_rules.effective_date(on)
        queued = GpWaitingListEntry.objects.filter(gp_list__list_id=list_id, left_on__isnull=True)
        moved: list[Membership] = []
        with transaction.atomic():
            list(Person.objects.select_for_update().filter(pk__in=queued.values("person_id")).order_by("pk"))
            target = RegisteredGpList.objects.select_for_update().filter(list_id=list_id).first()
            if target is None:
                return moved
            for entry in queued.select_related("person").order_by("joined_on", "pk"):
                if target.capacity - _members_on(target, effective) <= 0:
                    break
                try:
                    membership = self.switch(entry.person.pid, list_id, on, MembershipReason.SWITCH.value)
                except GpSwitchRefused:
                    continue  # her turn passes; she keeps her place
                moved.append(membership)
                for told in _FILLED:  # the audit record and the receipt (gp.services), in this transaction
                    told(entry.person.pid, membership)
        return moved


# Who is told of a switch `fill_waiting_list` made (pid, the new membership), in its transaction: registered by the
# layer above at its app's `ready()` (the register sits below `access` and `messaging`), as `policy.register_tie`.
Filled = Callable[[str, Membership], None]
_FILLED: list[Filled] = []


def on_filled(told: Filled) -> Filled:
    """Register `told(pid, membership)` for each switch a waiting list's opening makes (once per callable)."""
    if told not in _FILLED:
        _FILLED.append(told)
    return told


def _locked(pid: str, list_id: str) -> tuple[Person, RegisteredGpList]:
    """The person's and the list's rows, locked in that order (every write here takes them so)."""
    person = Person.objects.select_for_update().filter(pid=pid).first()
    if person is None:
        raise GpSwitchRefused(Refusal.UNKNOWN_PERSON)
    target = RegisteredGpList.objects.select_for_update().filter(list_id=list_id).first()
    if target is None:
        raise GpSwitchRefused(Refusal.UNKNOWN_LIST)
    return person, target


def _registered_address(pid: str) -> str:
    """Her address as the population register gives it now (`identity.register`), "street|postcode" in lower case;
    "" when the register does not know her."""
    found = population_register().lookup(pid)
    return f"{found.street_address}|{found.postcode}".lower() if found is not None else ""


def _without_doctor(gp_list: RegisteredGpList) -> bool:
    return not (gp_list.doctor_hpr or gp_list.doctor_name)


def _members_on(gp_list: RegisteredGpList, on: datetime.date) -> int:
    """Those on the list on `on` (those who join then included, those who leave the day before not)."""
    named = gp_list.memberships.filter(since__lte=on).filter(Q(until__isnull=True) | Q(until__gte=on)).count()
    return named + gp_list.other_members


def _child_of_member(person: Person, gp_list: RegisteredGpList, on: datetime.date, effective: datetime.date) -> bool:
    """Whether she is under 16 on `on` and a parent with parental responsibility is on the list when she joins."""
    parents = ParentalResponsibility.objects.filter(child=person).values("parent_id")
    on_list = gp_list.memberships.filter(person_id__in=parents, since__lte=effective).filter(
        Q(until__isnull=True) | Q(until__gte=effective)
    )
    return gp_rules.may_join_full_list(age_on(person.birth_date, on), a_parent_on_the_list=on_list.exists())


def _waiting_place(row: GpWaitingListEntry) -> WaitingPlace:
    queue = GpWaitingListEntry.objects.filter(gp_list_id=row.gp_list_id, left_on__isnull=True)
    ahead = queue.filter(Q(joined_on__lt=row.joined_on) | Q(joined_on=row.joined_on, pk__lt=row.pk)).count()
    counts = _counted([row.gp_list_id], _switch_day())
    return WaitingPlace(_gp_list(row.gp_list, counts[row.gp_list_id]), row.joined_on, ahead, row.left_on)


def _switch_day() -> datetime.date:
    """The day a list's places are counted for the pages: the day a switch asked for today takes effect, as
    `switch` and `join_waiting_list` count them, so a list is never shown free and refused as full (or the reverse)."""
    return gp_rules.effective_date(time.today())


def _memberships() -> QuerySet[GpListMembership]:
    return GpListMembership.objects.select_related("gp_list__office")


def _counted(list_ids: list[int], on: datetime.date) -> dict[int, tuple[int, int]]:
    """For each list, its members on `on` and the people waiting for it now: one query."""
    on_list = Q(memberships__since__lte=on) & (Q(memberships__until__isnull=True) | Q(memberships__until__gte=on))
    rows = RegisteredGpList.objects.filter(pk__in=list_ids).annotate(
        members=Count("memberships", filter=on_list, distinct=True),
        waiting=Count("waiting_entries", filter=Q(waiting_entries__left_on__isnull=True), distinct=True),
    )
    return {pk: (members, waiting) for pk, members, waiting in rows.values_list("pk", "members", "waiting")}


def _membership(row: GpListMembership, counts: dict[int, tuple[int, int]]) -> Membership:
    gp_list = _gp_list(row.gp_list, counts.get(row.gp_list_id, (0, 0)))
    return Membership(gp_list, row.since, row.until, row.reason, row.requested_on)


def _gp_list(row: RegisteredGpList, counts: tuple[int, int]) -> GpList:
    doctor = None
    if row.doctor_hpr or row.doctor_name:
        doctor = Doctor(row.doctor_hpr, row.doctor_name, row.doctor_gender, tuple(row.doctor_languages))
    return GpList(
        list_id=row.list_id,
        doctor=doctor,
        office_orgnr=row.orgnr,
        office_name=row.office_shown_name,
        municipality_number=row.municipality_number,
        capacity=row.capacity,
        members=counts[0] + row.other_members,
        waiting=counts[1],
    )


# --- The real register: Norsk helsenett's FLR service -----------------------------------------------------------

FLR_NAMESPACE = "http://register.nhn.no/Flr"
_SOAP = "http://www.w3.org/2003/05/soap-envelope"
_ADDRESSING = "http://www.w3.org/2005/08/addressing"
# FLR's codes for a doctor's role on a list (kodeverk flrv2_relationship as we read it): the list's own GP first.
_OWN_GP = "LFast"
_SEX = {"1": "male", "2": "female"}  # kodeverk 3101 (kjønn): 1 mann, 2 kvinne


class FlrGpRegister:
    """Norsk helsenett's fastlegeregister (FLR) read service, `IFlrReadOperations`: SOAP 1.2 with WS-Addressing
    over HTTPS, HTTP basic authentication with the account NHN issues.

    *Unverified against the live service*: this machine cannot reach Helsenettet. The operations and element names
    follow NHN's published data contracts as we read them (`GetPatientGPDetails`, `GetPatientGPHistory`,
    `QueryGPContracts`; `PatientToGPContractAssociation`, `GPContract`, `GPOnContractAssociation`); the reader
    matches elements by local name, so a namespace we have wrong does not hide the data. The register says
    nothing of a doctor's languages, and these operations not how many are on a list or waiting: those come back
    empty (0), and Bytte fastlege must not offer a free place on that alone: its lists are not `counted` (the
    pages hide free places and the waiting list), and it does not tell the switches (`tells_switches`: no reason,
    no day asked for, so the pages do not say how many are left). An answer with a date or a number that is none
    is `GpRegisterUnavailable`, like no answer. Configure HELSEPORTAL_FLR_URL, HELSEPORTAL_FLR_USERNAME and
    HELSEPORTAL_FLR_PASSWORD.
    """

    tells_switches = False

    def __init__(
        self,
        base_url: str | None = None,
        username: str | None = None,
        password: str | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.url = base_url or settings.HELSEPORTAL_FLR_URL
        self.auth = (username or settings.HELSEPORTAL_FLR_USERNAME, password or settings.HELSEPORTAL_FLR_PASSWORD)
        self.transport = transport

    def current(self, pid: str, on: datetime.date) -> Membership | None:
        if on != time.today():
            return next((m for m in self.history(pid) if _covers(m, on)), None)
        found = self._call("GetPatientGPDetails", f"<flr:patientNin>{_text(pid)}</flr:patientNin>")
        association = _first(found, "GetPatientGPDetailsResult")
        with _reading("GetPatientGPDetails"):
            return _flr_membership(association) if association is not None and _has_contract(association) else None

    def history(self, pid: str) -> list[Membership]:
        found = self._call("GetPatientGPHistory", f"<flr:patientNin>{_text(pid)}</flr:patientNin>")
        with _reading("GetPatientGPHistory"):
            rows = [_flr_membership(a) for a in _all(found, "PatientToGPContractAssociation") if _has_contract(a)]
        return sorted(rows, key=lambda m: m.since, reverse=True)

    def lists(self, municipality_number: str) -> list[GpList]:
        query = f"<flr:queryParameters><flr:MunicipalityId>{_text(municipality_number)}</flr:MunicipalityId>"
        found = self._call("QueryGPContracts", query + "</flr:queryParameters>")
        with _reading("QueryGPContracts"):
            return [_flr_list(contract) for contract in _all(found, "GPContract")]

    def gp_list(self, list_id: str) -> GpList | None:
        """One contract by its id (`GetGPContract`, *unverified* like the rest)."""
        found = self._call("GetGPContract", f"<flr:gpContractId>{_text(list_id)}</flr:gpContractId>")
        contract = _first(found, "GetGPContractResult")
        with _reading("GetGPContract"):
            return _flr_list(contract) if contract is not None and _value(contract, "Id") else None

    def waiting_place(self, pid: str) -> WaitingPlace | None:
        return None  # the read service says nothing of waiting lists

    def switch(self, pid: str, list_id: str, requested_on: datetime.date, reason: str) -> Membership:
        raise GpRegisterReadOnly("switch")

    def join_waiting_list(self, pid: str, list_id: str, on: datetime.date) -> WaitingPlace:
        raise GpRegisterReadOnly("join_waiting_list")

    def leave_waiting_list(self, pid: str, on: datetime.date) -> WaitingPlace:
        raise GpRegisterReadOnly("leave_waiting_list")

    def _call(self, operation: str, body: str) -> ElementTree.Element | None:
        """One operation; None for the register's fault (a person it does not know), `GpRegisterUnavailable` for
        no answer or one we cannot read."""
        action = f"{FLR_NAMESPACE}/IFlrReadOperations/{operation}"
        envelope = (
            f'<s:Envelope xmlns:s="{_SOAP}" xmlns:a="{_ADDRESSING}" xmlns:flr="{FLR_NAMESPACE}">'
            f"<s:Header><a:Action>{action}</a:Action><a:To>{_text(self.url)}</a:To></s:Header>"
            f"<s:Body><flr:{operation}>{body}</flr:{operation}></s:Body></s:Envelope>"
        )
        headers = {"Content-Type": f'application/soap+xml; charset=utf-8; action="{action}"'}
        try:
            with httpx.Client(transport=self.transport, timeout=10.0, auth=self.auth) as client:
                response = client.post(self.url, content=envelope.encode(), headers=headers)
            root = _parse(response.content)
        except (httpx.HTTPError, ElementTree.ParseError) as error:
            raise GpRegisterUnavailable(operation) from error
        if _first(root, "Fault") is not None:
            return None
        if response.status_code != 200:
            raise GpRegisterUnavailable(operation)
        return root


@contextmanager
def _reading(operation: str) -> Iterator[None]:
    """Reading an answer: a date or a number in it that is none (`ValueError`) is an answer we cannot read."""
    try:
        yield
    except ValueError as error:
        raise GpRegisterUnavailable(operation) from error


def _parse(content: bytes) -> ElementTree.Element:
    """The answer's XML, refused with a DTD: SOAP has none, and a DTD is where entity expansion attacks live
    (expat resolves no external entity)."""
    if b"<!DOCTYPE" in content or b"<!ENTITY" in content:
        raise ElementTree.ParseError("a DTD in a SOAP answer")
    return ElementTree.fromstring(content)  # noqa: S314 (no DTD, checked above)


def _text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _local(element: ElementTree.Element) -> str:
    return element.tag.rsplit("}", 1)[-1]


def _first(element: ElementTree.Element | None, name: str) -> ElementTree.Element | None:
    if element is None:
        return None
    return next((e for e in element.iter() if _local(e) == name and e is not element), None)


def _all(element: ElementTree.Element | None, name: str) -> list[ElementTree.Element]:
    return [] if element is None else [e for e in element.iter() if _local(e) == name]


def _value(element: ElementTree.Element | None, *path: str) -> str:
    for name in path:
        element = next((e for e in element if _local(e) == name), None) if element is not None else None
    return (element.text or "").strip() if element is not None else ""


def _date(value: str) -> datetime.date | None:
    return datetime.date.fromisoformat(value[:10]) if value else None


def _covers(membership: Membership, on: datetime.date) -> bool:
    return membership.since <= on and (membership.until is None or membership.until >= on)


def _has_contract(association: ElementTree.Element) -> bool:
    return _child(association, "GPContract") is not None


def _child(element: ElementTree.Element, name: str) -> ElementTree.Element | None:
    return next((e for e in element if _local(e) == name), None)


def _flr_membership(association: ElementTree.Element) -> Membership:
    contract = _child(association, "GPContract")
    assert contract is not None  # _has_contract
    gp_list = _flr_list(contract, _child(association, "DoctorCycles"))
    since = _date(_value(association, "Period", "From")) or datetime.date.min
    return Membership(gp_list, since, _date(_value(association, "Period", "To")))


def _flr_list(contract: ElementTree.Element, cycles: ElementTree.Element | None = None) -> GpList:
    office = _child(contract, "GPOffice")
    office = office if office is not None else _child(contract, "TreatmentCenter")
    return GpList(
        list_id=_value(contract, "Id"),
        doctor=_flr_doctor(cycles if cycles is not None else _child(contract, "DoctorCycles")),
        office_orgnr=_value(office, "OrganizationNumber").zfill(9) if office is not None else "",
        office_name=_value(office, "Name"),
        municipality_number=_value(contract, "Municipality", "CodeValue").zfill(4),
        capacity=int(_value(contract, "MaxPatients") or 0),
        members=0,
        counted=False,
    )


def _flr_doctor(cycles: ElementTree.Element | None) -> Doctor | None:
    """The list's own GP (relationship LFast) of its doctor cycles, else the first doctor named; None for none."""
    found = _all(cycles, "GPOnContractAssociation")
    own = [c for c in found if _value(c, "Relationship", "CodeValue") == _OWN_GP]
    if not found:
        return None
    cycle = own[0] if own else found[0]
    person = _child(cycle, "GP")
    names = (_value(person, "FirstName"), _value(person, "MiddleName"), _value(person, "LastName"))
    return Doctor(
        hpr=_value(cycle, "HprNumber"),
        name=" ".join(n for n in names if n),
        gender=_SEX.get(_value(person, "Sex", "CodeValue"), ""),
    )


def gp_register() -> GpRegister:
    """The register this deployment talks to (HELSEPORTAL_GP_REGISTER)."""
    register: GpRegister = import_string(settings.HELSEPORTAL_GP_REGISTER)()
    return register

"""The switch and the waiting list through the services and the local register: the receipt in Meldinger, the
third switch refused (and audited so), the year's end, a full list and a member's child, one waiting list at a time,
a read-only register."""

import datetime

import pytest
from django.test import override_settings

from helseportal.access.models import AuditEvent, Outcome
from helseportal.core.actor import Role
from helseportal.core.errors import NotFound, Refused
from helseportal.core.time import today
from helseportal.gp import services
from helseportal.gp.tests.conftest import People
from helseportal.identity.models import Person
from helseportal.messaging.models import Message, Thread, ThreadStatus
from helseportal.organisations.gp_register import GpSwitchRefused, LocalGpRegister
from helseportal.organisations.gp_rules import Refusal
from helseportal.organisations.models import GpListMembership, GpWaitingListEntry, MembershipReason, RegisteredGpList
from helseportal.records.tests.family import citizen, parent

JULY = datetime.date(2026, 7, 1)  # the test clock is 10 June 2026


def on_list(person: Person, list_id: str, day: datetime.date) -> bool:
    return LocalGpRegister().current(person.pid, day).gp_list.list_id == list_id  # type: ignore[union-attr]


def test_kari_switches_from_the_first_of_next_month_with_a_receipt_in_meldinger(people: People):
    receipt = services.switch(citizen(people.kari), "100105")
    assert receipt.effective == JULY
    assert on_list(people.kari, "100101", datetime.date(2026, 6, 30))
    assert on_list(people.kari, "100105", JULY)
    thread = Thread.objects.get(pk=receipt.thread_id)
    assert (thread.person_id, thread.status, thread.unread_by_citizen) == (people.kari.pk, ThreadStatus.CLOSED, True)
    body = Message.objects.get(thread=thread).body
    assert "Maria Berg" in body
    assert "1. juli 2026" in body
    event = AuditEvent.objects.filter(action=services.SWITCHED).latest("pk")
    assert (event.subject_id, event.outcome) == (people.kari.pk, Outcome.ALLOWED)
    assert event.resources == ["GpList/100105", f"Thread/{thread.pk}"]
    assert AuditEvent.objects.filter(action="messaging:receipt:sent", subject_id=people.kari.pk).exists()


def test_an_office_not_on_the_portal_gives_no_thread_but_the_switch_stands(people: People):
    receipt = services.switch(citizen(people.kari), "100104")
    assert receipt.thread_id is None
    assert on_list(people.kari, "100104", JULY)


def test_the_third_switch_in_a_year_is_refused_in_words_and_audited(people: People):
    kari = people.kari
    GpListMembership.objects.filter(person=kari, until__isnull=True).update(until=datetime.date(2026, 2, 28))
    GpListMembership.objects.create(
        person=kari, gp_list=RegisteredGpList.objects.get(list_id="100104"), since=datetime.date(2026, 3, 1),
        reason=MembershipReason.SWITCH, requested_on=datetime.date(2026, 2, 10),
    )  # fmt: skip
    services.switch(citizen(kari), "100105")  # the second this year
    with pytest.raises(Refused) as refused:
        services.switch(citizen(kari), "100103")
    assert "to ganger i år" in refused.value.message
    denied = AuditEvent.objects.filter(action=services.SWITCHED, outcome=Outcome.DENIED).get()
    assert (denied.subject_id, denied.reason) == (kari.pk, Refusal.NO_SWITCHES_LEFT.value)
    assert on_list(kari, "100105", JULY)


def test_a_move_gives_an_extra_switch_after_the_two(people: People):
    register, kari = LocalGpRegister(), people.kari
    register.switch(kari.pid, "100103", datetime.date(2026, 1, 5), MembershipReason.SWITCH)
    register.switch(kari.pid, "100104", datetime.date(2026, 3, 5), MembershipReason.SWITCH)
    with pytest.raises(GpSwitchRefused):
        register.switch(kari.pid, "100105", datetime.date(2026, 5, 5), MembershipReason.SWITCH)
    Person.objects.filter(pk=kari.pk).update(street_address="Nyveien 3", postcode="0460")  # Folkeregisteret
    moved = register.switch(kari.pid, "100105", datetime.date(2026, 5, 5), MembershipReason.MOVED)
    assert (moved.since, moved.reason) == (datetime.date(2026, 6, 1), MembershipReason.MOVED)


def test_two_switches_by_new_years_eve_and_a_third_on_new_years_day(people: People):
    register, kari = LocalGpRegister(), people.kari
    register.switch(kari.pid, "100103", datetime.date(2026, 7, 5), MembershipReason.SWITCH)
    register.switch(kari.pid, "100104", datetime.date(2026, 11, 5), MembershipReason.SWITCH)
    with pytest.raises(GpSwitchRefused) as refused:
        register.switch(kari.pid, "100105", datetime.date(2026, 12, 31), MembershipReason.SWITCH)
    assert refused.value.refusal == Refusal.NO_SWITCHES_LEFT
    new_year = register.switch(kari.pid, "100105", datetime.date(2027, 1, 1), MembershipReason.SWITCH)
    assert new_year.since == datetime.date(2027, 2, 1)


def test_a_second_switch_before_the_first_is_in_force_is_refused(people: People):
    services.switch(citizen(people.kari), "100105")
    with pytest.raises(Refused) as refused:
        services.switch(citizen(people.kari), "100103")
    assert "ikke trådt i kraft" in refused.value.message


def test_a_full_list_is_refused_and_the_last_place_is_taken_once(people: People):
    with pytest.raises(Refused) as refused:
        services.switch(citizen(people.kari), "100102")
    assert "Listen er full" in refused.value.message
    last = RegisteredGpList.objects.get(list_id="100105")
    last.other_members = last.capacity - 1
    last.save()
    services.switch(citizen(people.kari), "100105")
    with pytest.raises(Refused) as full:
        services.switch(citizen(people.per), "100105")  # Kari took the last place from July
    assert "Listen er full" in full.value.message
    services.switch(parent(people.kari, people.ola), "100105")  # her son under 16 still may (Kari is on it then)


def test_a_members_child_under_16_joins_a_full_list(people: People):
    full = RegisteredGpList.objects.get(list_id="100102")
    GpListMembership.objects.filter(person=people.kari, until__isnull=True).update(until=datetime.date(2026, 5, 31))
    GpListMembership.objects.create(person=people.kari, gp_list=full, since=datetime.date(2026, 6, 1),
                                    reason=MembershipReason.SWITCH, requested_on=datetime.date(2026, 5, 2))  # fmt: skip
    receipt = services.switch(parent(people.kari, people.ola), "100102")
    assert receipt.effective == JULY
    assert full.capacity < full.other_members + GpListMembership.objects.filter(gp_list=full).count()


def test_a_member_who_is_not_her_parent_does_not_open_a_full_list(people: People):
    GpListMembership.objects.filter(person=people.per, until__isnull=True).update(until=datetime.date(2026, 5, 31))
    GpListMembership.objects.create(person=people.per, gp_list=RegisteredGpList.objects.get(list_id="100102"),
                                    since=datetime.date(2026, 6, 1))  # fmt: skip
    with pytest.raises(Refused):
        services.switch(parent(people.kari, people.ola), "100102")


def test_one_waiting_list_at_a_time(people: People):
    kari = citizen(people.kari)
    receipt = services.join_waiting_list(kari, "100102")
    assert receipt.ahead == 1  # Per is before her
    assert receipt.thread_id is not None
    with pytest.raises(Refused) as again:
        services.join_waiting_list(kari, "100102")
    assert "allerede på ventelisten" in again.value.message
    full = RegisteredGpList.objects.get(list_id="100104")
    full.other_members = full.capacity
    full.save()
    with pytest.raises(Refused) as elsewhere:
        services.join_waiting_list(kari, "100104")
    assert "én venteliste om gangen" in elsewhere.value.message
    services.leave_waiting_list(kari)
    services.join_waiting_list(kari, "100104")
    assert GpWaitingListEntry.objects.filter(person=people.kari).count() == 2
    assert GpWaitingListEntry.objects.filter(person=people.kari, left_on__isnull=True).get().gp_list.list_id == "100104"


def test_a_list_with_free_places_has_no_waiting_list_for_her(people: People):
    with pytest.raises(Refused) as refused:
        services.join_waiting_list(citizen(people.kari), "100105")
    assert "ledige plasser" in refused.value.message


def test_leaving_when_on_no_waiting_list_is_refused_and_audited(people: People):
    with pytest.raises(Refused):
        services.leave_waiting_list(citizen(people.kari))
    assert AuditEvent.objects.filter(action=services.LEFT, outcome=Outcome.DENIED, reason="not_waiting").exists()


def test_a_waiting_place_ends_when_she_switches_to_that_list(people: People):
    full = RegisteredGpList.objects.get(list_id="100102")
    services.join_waiting_list(citizen(people.kari), "100102")
    full.other_members -= 5  # places open on the list
    full.save()
    services.switch(citizen(people.kari), "100102")
    assert GpWaitingListEntry.objects.get(person=people.kari).left_on == today()


def test_an_unknown_list_is_refused_without_a_500(people: People):
    with pytest.raises(Refused):
        services.switch(citizen(people.kari), "999999")


@override_settings(HELSEPORTAL_GP_REGISTER="helseportal.organisations.gp_register.FlrGpRegister")
def test_the_read_service_cannot_switch_and_the_page_says_so(people: People):
    with pytest.raises(Refused) as refused:
        services.switch(citizen(people.kari), "100105")
    assert "ikke tilgjengelig" in refused.value.message


def test_a_stranger_cannot_switch_for_kari(people: People):
    with pytest.raises(NotFound):
        services.switch(citizen(people.per).acting_for(people.kari.pk, Role.PROXY), "100105")


def test_a_place_opening_goes_to_the_first_on_the_waiting_list(people: People, django_capture_on_commit_callbacks):
    full = RegisteredGpList.objects.get(list_id="100102")
    GpListMembership.objects.filter(person=people.kari, until__isnull=True).update(until=datetime.date(2026, 5, 31))
    GpListMembership.objects.create(person=people.kari, gp_list=full, since=datetime.date(2026, 6, 1))
    full.other_members -= 1  # Kari holds the list's last place
    full.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.switch(citizen(people.kari), "100105")  # she leaves it from July: Per, first in the queue, gets it
    assert on_list(people.per, "100102", JULY)
    assert GpWaitingListEntry.objects.get(person=people.per).left_on == today()
    assert on_list(people.per, "460101", datetime.date(2026, 6, 30))


def test_one_without_a_switch_left_keeps_her_place_and_the_next_gets_it(people: People):
    register, full = LocalGpRegister(), RegisteredGpList.objects.get(list_id="100102")
    for requested in (datetime.date(2026, 1, 5), datetime.date(2026, 3, 5)):
        register.switch(people.per.pid, "100103" if requested.month == 1 else "100104", requested, "switch")
    register.join_waiting_list(people.kari.pid, "100102", today())  # after Per
    full.other_members -= 1
    full.save()
    moved = register.fill_waiting_list("100102", today())
    assert [m.gp_list.list_id for m in moved] == ["100102"]
    assert on_list(people.kari, "100102", JULY)
    assert GpWaitingListEntry.objects.get(person=people.per).left_on is None  # Per still waits


def test_a_list_full_from_next_month_is_shown_full_and_takes_a_waiting_list(people: People):
    """Finding 3: the pages, the switch and the waiting list count the places on the day a switch takes effect."""
    last = RegisteredGpList.objects.get(list_id="100105")
    last.other_members = last.capacity - 1
    last.save()
    services.switch(citizen(people.kari), "100105")  # the last place, from July; today one is still free
    register = LocalGpRegister()
    assert register.gp_list("100105").free_places == 0  # type: ignore[union-attr]
    assert next(item for item in register.lists("0301") if item.list_id == "100105").free_places == 0
    with pytest.raises(Refused):
        services.switch(citizen(people.per), "100105")
    services.leave_waiting_list(citizen(people.per))  # he waits for Sofie Lund's list in the demo
    receipt = services.join_waiting_list(citizen(people.per), "100105")
    assert receipt.gp_list.free_places == 0


def test_a_list_free_from_next_month_offers_the_switch_and_no_waiting_list(people: People):
    full = RegisteredGpList.objects.get(list_id="100102")
    full.other_members = full.capacity - 1
    full.save()
    GpListMembership.objects.create(person=people.nora, gp_list=full, since=datetime.date(2026, 1, 1),
                                    until=datetime.date(2026, 6, 30), reason=MembershipReason.SWITCH)  # fmt: skip
    register = LocalGpRegister()
    assert register.gp_list("100102").free_places == 1  # type: ignore[union-attr]  # full today, one free in July
    with pytest.raises(GpSwitchRefused) as refused:
        register.join_waiting_list(people.ola.pid, "100102", today())
    assert refused.value.refusal == Refusal.HAS_FREE_PLACES


def test_a_switch_ends_every_waiting_place_so_none_is_filled_unasked(
    people: People, django_capture_on_commit_callbacks
):
    """Finding 10: Per waits for Sofie Lund's list, then switches to Maria Berg's: his wait is over."""
    services.switch(citizen(people.per), "100105")
    assert GpWaitingListEntry.objects.get(person=people.per).left_on == today()
    full = RegisteredGpList.objects.get(list_id="100102")
    full.other_members -= 1
    full.save()
    assert LocalGpRegister().fill_waiting_list("100102", today()) == []
    assert on_list(people.per, "100105", JULY)


def test_an_automatic_switch_from_the_waiting_list_is_audited_with_a_receipt(people: People):
    full = RegisteredGpList.objects.get(list_id="100102")
    full.other_members -= 1
    full.save()
    moved = LocalGpRegister().fill_waiting_list("100102", today())
    assert [m.gp_list.list_id for m in moved] == ["100102"]
    event = AuditEvent.objects.get(action=services.SWITCHED, subject_id=people.per.pk)
    assert (event.outcome, event.reason, event.actor_person_id) == (Outcome.ALLOWED, "waiting_list", None)
    thread = Thread.objects.get(person=people.per, pk=int(event.resources[1].removeprefix("Thread/")))
    body = Message.objects.get(thread=thread).body
    assert "venteliste" in body
    assert "Sofie Lund" in body
    assert "1. juli 2026" in body


def test_saying_she_moved_without_a_move_in_the_population_register_is_counted(people: People):
    """Finding 6: the «flyttet» box alone does not lift the two a year; a move since her last switch does."""
    register, kari = LocalGpRegister(), people.kari
    register.switch(kari.pid, "100103", datetime.date(2026, 1, 5), MembershipReason.MOVED)
    register.switch(kari.pid, "100104", datetime.date(2026, 3, 5), MembershipReason.MOVED)
    with pytest.raises(GpSwitchRefused) as refused:
        register.switch(kari.pid, "100105", datetime.date(2026, 5, 5), MembershipReason.MOVED)
    assert refused.value.refusal == Refusal.NO_SWITCHES_LEFT
    assert list(
        GpListMembership.objects.filter(person=kari, requested_on__year=2026).values_list("reason", flat=True)
    ) == [
        MembershipReason.SWITCH,
        MembershipReason.SWITCH,
    ]


def test_the_flyttet_box_on_the_page_counts_unless_the_register_shows_a_move(people: People):
    services.switch(citizen(people.kari), "100105", moved=True)
    assert GpListMembership.objects.get(person=people.kari, since=JULY).reason == MembershipReason.SWITCH

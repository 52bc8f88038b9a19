"""The GP register's local fake (lists, memberships, a waiting list in this database) and the demo's lists."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.test import override_settings

from helseportal.demo import personas
from helseportal.demo.loader import load_demo
from helseportal.identity.models import Person
from helseportal.organisations.gp_register import LocalGpRegister, gp_register
from helseportal.organisations.models import GpListMembership, GpWaitingListEntry, RegisteredGpList

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 6, 10)


@pytest.fixture
def register() -> LocalGpRegister:
    load_demo()
    return LocalGpRegister()


def test_the_default_register_is_the_local_fake():
    assert isinstance(gp_register(), LocalGpRegister)


def test_kari_is_on_lars_bakkens_list_at_kirkeveien(register: LocalGpRegister):
    found = register.current(personas.KARI.pid, DAY)
    assert found is not None
    assert (found.since, found.until) == (datetime.date(2024, 1, 1), None)
    gp_list = found.gp_list
    assert gp_list.doctor is not None
    assert (gp_list.doctor.name, gp_list.doctor.hpr, gp_list.doctor.gender) == ("Lars Bakken", "9100023", "male")
    assert (gp_list.office_orgnr, gp_list.office_name, gp_list.municipality_number) == (
        personas.MAJORSTUEN_GP.orgnr, "Kirkeveien legesenter", "0301",
    )  # fmt: skip
    assert (gp_list.capacity, gp_list.members, gp_list.free_places) == (1100, 815, 285)  # 812 + Kari, Ola, Nora


def test_the_membership_that_ended_is_current_on_its_last_day_and_not_the_next(register: LocalGpRegister):
    last_day = register.current(personas.KARI.pid, datetime.date(2023, 12, 31))
    assert last_day is not None
    assert last_day.gp_list.doctor.name == "Amir Haddad"  # type: ignore[union-attr]
    assert last_day.gp_list.office_orgnr == "910030108"  # an office not on the portal: orgnr and name only
    assert register.current(personas.KARI.pid, datetime.date(2024, 1, 1)).gp_list.list_id == "100101"  # type: ignore[union-attr]
    assert register.current(personas.KARI.pid, datetime.date(2019, 2, 28)) is None  # before her first list


def test_history_is_newest_first_with_the_current_one(register: LocalGpRegister):
    history = register.history(personas.KARI.pid)
    assert [(m.gp_list.list_id, m.since, m.until) for m in history] == [
        ("100101", datetime.date(2024, 1, 1), None),
        ("100103", datetime.date(2019, 3, 1), datetime.date(2023, 12, 31)),
    ]


def test_an_unknown_person_has_no_gp(register: LocalGpRegister):
    assert register.current("01010112345", DAY) is None
    assert register.history("01010112345") == []


def test_the_lists_of_a_municipality_with_size_gender_languages_and_waiting(register: LocalGpRegister):
    lists = {item.list_id: item for item in register.lists("0301")}
    assert sorted(lists) == ["100101", "100102", "100103", "100104", "100105"]
    full = lists["100102"]
    assert (full.free_places, full.waiting, full.doctor.gender, full.doctor.languages) == (0, 1, "female", ("en", "pl"))  # type: ignore[union-attr]
    assert lists["100103"].doctor.languages == ("ar", "en", "fr")  # type: ignore[union-attr]
    assert {item.capacity for item in lists.values()} == {1100, 900, 1200, 700, 1000}
    assert [item.list_id for item in register.lists("4601")] == ["460101"]
    assert register.lists("9999") == []


def test_a_membership_ending_frees_a_place_from_the_next_day(register: LocalGpRegister):
    nora = Person.objects.get(pid=personas.NORA.pid)
    GpListMembership.objects.filter(person=nora, until=None).update(until=datetime.date(2026, 6, 30))
    before = {item.list_id: item for item in register.lists("0301")}["100101"]
    # Counted on the day a switch asked for today takes effect (1 July; the clock is 10 June): her place is free.
    assert before.members == 814
    assert register.current(personas.NORA.pid, datetime.date(2026, 7, 1)) is None
    assert register.current(personas.NORA.pid, datetime.date(2026, 6, 30)) is not None


def test_one_open_membership_and_one_waiting_list_at_a_time(register: LocalGpRegister):
    kari = Person.objects.get(pid=personas.KARI.pid)
    other = RegisteredGpList.objects.get(list_id="100104")
    with pytest.raises(IntegrityError), transaction.atomic():
        GpListMembership.objects.create(person=kari, gp_list=other, since=DAY)
    per = Person.objects.get(pid=personas.PER.pid)
    with pytest.raises(IntegrityError), transaction.atomic():
        GpWaitingListEntry.objects.create(person=per, gp_list=other, joined_on=DAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        GpListMembership.objects.create(person=kari, gp_list=other, since=DAY, until=DAY - datetime.timedelta(days=1))


def test_loading_the_demo_again_changes_nothing(register: LocalGpRegister):
    counts = (RegisteredGpList.objects.count(), GpListMembership.objects.count(), GpWaitingListEntry.objects.count())
    load_demo()
    assert counts == (6, 5, 1)
    assert counts == (
        RegisteredGpList.objects.count(), GpListMembership.objects.count(), GpWaitingListEntry.objects.count()
    )  # fmt: skip


class Double:
    pass


def test_the_setting_chooses_the_class():
    with override_settings(HELSEPORTAL_GP_REGISTER=f"{__name__}.Double"):
        assert isinstance(gp_register(), Double)


def test_the_operator_lists_the_gp_lists_and_opens_one(register: LocalGpRegister, admin_client):
    response = admin_client.get("/admin/organisations/registeredgplist/")
    assert response.status_code == 200
    assert "Sofie Lund" in response.content.decode()
    row = RegisteredGpList.objects.get(list_id="100101")
    page = admin_client.get(f"/admin/organisations/registeredgplist/{row.pk}/change/")
    assert page.status_code == 200

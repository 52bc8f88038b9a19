"""The demo's GP lists (fastlegelister) in the GP register's local fake (organisations/gp_register.py).

Oslo (0301) has five lists of differing size, doctor's gender and languages, one of them full with a waiting list
and one with free places at Kirkeveien legesenter, so that a switch in Bytte fastlege (`gp`) shows its receipt in
Meldinger (the other offices are not on the portal);
Kari, Ola and Nora are on Lars Bakken's list at Kirkeveien legesenter (910000004), Kari since she switched to it
from Amir Haddad's at the start of 2024; Per is on a list in Bergen and waits for a place on the full Oslo list.
Two offices are not on the portal: the register names them by organisasjonsnummer and name only. Every row is
matched on its natural key, so loading again changes nothing.
"""

import datetime
from dataclasses import dataclass

from helseportal.demo import personas
from helseportal.identity.models import Person
from helseportal.organisations.models import (
    GpListMembership,
    GpWaitingListEntry,
    MembershipReason,
    RegisteredGpList,
    Unit,
)


@dataclass(frozen=True)
class DemoList:
    list_id: str
    doctor: tuple[str, str, str, tuple[str, ...]]  # HPR, name, gender, languages
    office: tuple[str, str]  # orgnr, name (the name is used only for an office not on the portal)
    municipality_number: str
    capacity: int
    other_members: int


KIRKEVEIEN = (personas.MAJORSTUEN_GP.orgnr, personas.MAJORSTUEN_GP.name)
MAJORSTUEN, GRUNERLOKKA = (
    ("910030108", "Majorstuen legekontor"),
    ("910030205", "Grünerløkka legesenter"),
)  # not on the portal
LISTS = (
    DemoList("100101", (personas.LARS.hpr_number, "Lars Bakken", "male", ("en",)), KIRKEVEIEN, "0301", 1100, 812),
    DemoList("100102", ("9100104", "Sofie Lund", "female", ("en", "pl")), KIRKEVEIEN, "0301", 900, 900),
    DemoList("100103", ("9100201", "Amir Haddad", "male", ("ar", "en", "fr")), MAJORSTUEN, "0301", 1200, 1150),
    DemoList("100104", ("9100317", "Hanne Solberg", "female", ("en", "es")), GRUNERLOKKA, "0301", 700, 655),
    DemoList("100105", ("9100155", "Maria Berg", "female", ("en", "so")), KIRKEVEIEN, "0301", 1000, 780),
    DemoList("460101", ("9100422", "Jon Vik", "male", ()), ("910030302", "Bryggen legekontor"), "4601", 1000, 900),
)
# (persona, list, since, until, reason, requested on)
MEMBERSHIPS = (
    (personas.KARI, "100103", datetime.date(2019, 3, 1), datetime.date(2023, 12, 31), MembershipReason.ASSIGNED, None),
    (personas.KARI, "100101", datetime.date(2024, 1, 1), None, MembershipReason.SWITCH, datetime.date(2023, 11, 20)),
    (personas.OLA, "100101", datetime.date(2024, 1, 1), None, MembershipReason.SWITCH, datetime.date(2023, 11, 20)),
    (personas.NORA, "100101", datetime.date(2024, 1, 1), None, MembershipReason.SWITCH, datetime.date(2023, 11, 20)),
    (personas.PER, "460101", datetime.date(2015, 8, 1), None, MembershipReason.ASSIGNED, None),
)
WAITING = ((personas.PER, "100102", datetime.date(2026, 5, 2)),)


def load_gp_lists() -> None:
    lists = {item.list_id: _list(item) for item in LISTS}
    persons = {p.pid: Person.objects.get(pid=p.pid) for p in personas.CITIZENS}
    for persona, list_id, since, until, reason, requested_on in MEMBERSHIPS:
        person = persons[persona.pid]
        address = f"{person.street_address}|{person.postcode}".lower()  # where she lived then: a move needs another
        GpListMembership.objects.update_or_create(
            person=person,
            since=since,
            defaults={
                "gp_list": lists[list_id], "until": until, "reason": reason, "requested_on": requested_on,
                "address": address,
            },
        )  # fmt: skip
    for persona, list_id, joined_on in WAITING:
        GpWaitingListEntry.objects.update_or_create(
            person=persons[persona.pid], left_on=None, defaults={"gp_list": lists[list_id], "joined_on": joined_on}
        )


def _list(item: DemoList) -> RegisteredGpList:
    hpr, name, gender, languages = item.doctor
    orgnr, office_name = item.office
    office = Unit.objects.filter(orgnr=orgnr).first()
    row, _ = RegisteredGpList.objects.update_or_create(
        list_id=item.list_id,
        defaults={
            "doctor_hpr": hpr,
            "doctor_name": name,
            "doctor_gender": gender,
            "doctor_languages": list(languages),
            "office": office,
            "office_orgnr": "" if office else orgnr,
            "office_name": "" if office else office_name,
            "municipality_number": item.municipality_number,
            "capacity": item.capacity,
            "other_members": item.other_members,
        },
    )
    return row

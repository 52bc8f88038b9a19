"""Benchmark cases for issue 5: "Mine timer" and the staff inboxes with 10,000 appointments and 50,000 messages.

One throwaway database (as in `bench/pregnancy.py`) is filled once with `bulk_create` and shared by every case
here; the last case drops it. The data is spread the way a municipality's portal would hold it:

- 3,000 persons with synthetic fødselsnummer (about one in six aged 13–19), plus the personas;
- six units (Lars's GP office, the health station, two school health services, two youth health stations),
  each with its demo clinicians plus four more;
- 10,000 appointments, 20 minutes in school/office hours from 180 days back to 60 days ahead, never two for
  one practitioner at once (the rule of migration 0002 is installed and checked after the load); past ones
  completed or cancelled, coming ones booked, changed or cancelled; the youth units' ones via the youth service;
- 5,000 appointment requests: 4,000 confirmed (tied to an appointment), 600 declined, 400 still open;
- 10,000 threads with 50,000 messages (3 to 7 each), most closed, the open ones half assigned to a colleague.

The measured actors have what a real one has: Kari six GP appointments, one open request and three threads;
Nora (15) four youth appointments; Lars's GP office a sixth of everything (about 1,800 appointments,
68 open requests and 1,700 threads with 8,300 messages). Import this module after `django.setup()`.
"""

import atexit
import datetime
import random
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, replace
from importlib import import_module

from django.db import connection, transaction
from django.urls import Resolver404, resolve
from django.utils import timezone
from stdnum.no import fodselsnummer

from bench.harness import Result, checked, compare, logged_in
from bench.pregnancy import throwaway_database
from helseportal.appointments import rules, services
from helseportal.appointments.models import (
    Appointment,
    AppointmentRequest,
    AppointmentStatus,
    MeetingForm,
    RequestStatus,
)
from helseportal.core.actor import Actor, Assurance, Role
from helseportal.core.ids import parse_pid
from helseportal.core.time import OSLO
from helseportal.demo import actors, personas
from helseportal.demo.loader import load_demo
from helseportal.identity.models import Person, Practitioner
from helseportal.messaging.models import Message, Side, Thread, ThreadStatus
from helseportal.organisations.models import Membership, Unit
from helseportal.organisations.models import Role as UnitRole

PERSONS = 3_000
UNIT_KEYS = ("gp_office", "health_station", "sht_oslo", "hfu_oslo", "sht_bergen", "hfu_bergen")
EXTRA_CLINICIANS = 4
APPOINTMENTS = 10_000
CONFIRMED_REQUESTS, DECLINED_REQUESTS, OPEN_REQUESTS = 4_000, 600, 400
THREADS = 10_000
MESSAGES_PER_THREAD = (3, 4, 5, 6, 7)  # cycled: 50,000 messages in all
DAYS_BACK, DAYS_AHEAD = 180, 60
DAY_HOURS, SLOT = (datetime.time(8), datetime.time(15)), datetime.timedelta(minutes=20)
YOUTH_PATH = "/ungdom/mine-timer/"
INBOX_RUNS = 50  # the request inbox writes one audit record per open request: 5 blocks of 10 keep `make bench` short

RULE = import_module("helseportal.appointments.migrations.0002_no_double_booking")

DOUBLE_BOOKINGS_SQL = """
    SELECT COUNT(*) FROM appointments_appointment a JOIN appointments_appointment b
      ON a.practitioner_id = b.practitioner_id AND a.id < b.id
     AND a.status <> 'cancelled' AND b.status <> 'cancelled'
     AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at
"""


def double_bookings() -> int:
    """Pairs of non-cancelled appointments of one practitioner that overlap, counted by the database."""
    with connection.cursor() as cursor:
        cursor.execute(DOUBLE_BOOKINGS_SQL)
        row = cursor.fetchone()
    return int(row[0])


@dataclass
class World:
    kari: Actor
    nora: Actor
    lars: Actor


# --- The data ------------------------------------------------------------------------------------------------


def synthetic_pids(count: int, rng: random.Random, taken: set[str]) -> Iterator[str]:
    """Valid synthetic (Tenor, month + 80) fødselsnummer; about one in six born 13 to 19 years ago."""
    today = timezone.localdate()
    made = 0
    while made < count:
        years = rng.randint(13, 19) if rng.random() < 0.17 else rng.randint(20, 85)
        born = today - datetime.timedelta(days=years * 365 + rng.randrange(365))
        individual = rng.randrange(500) if born.year < 2000 else 500 + rng.randrange(500)
        base = f"{born.day:02d}{born.month + 80:02d}{born.year % 100:02d}{individual:03d}"
        first = fodselsnummer.calc_check_digit1(base)
        if len(first) != 1:
            continue
        second = fodselsnummer.calc_check_digit2(base + first)
        pid = base + first + second
        if len(second) != 1 or pid in taken:
            continue
        taken.add(pid)
        made += 1
        yield pid


def _persons(rng: random.Random) -> tuple[list[Person], list[Person]]:
    """Bulk-create the persons; (everyone, those aged 13–19)."""
    taken = set(Person.objects.values_list("pid", flat=True))
    given = ("Ada", "Emil", "Ingrid", "Jonas", "Leah", "Noah", "Sara", "Aksel", "Nora", "Olav", "Maja", "Filip")
    family = ("Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Kristiansen", "Berg")
    rows = [
        Person(
            pid=pid,
            given_name=rng.choice(given),
            family_name=rng.choice(family),
            birth_date=parse_pid(pid, allow_synthetic=True).birth_date,
            mobile=f"9{rng.randrange(10_000_000):07d}",
        )
        for pid in synthetic_pids(PERSONS, rng, taken)
    ]
    people = Person.objects.bulk_create(rows)
    today = timezone.localdate()
    young = [p for p in people if 13 <= p.age_on(today) <= 19]
    return people, young


def _clinicians(units: dict[str, Unit]) -> dict[int, list[Practitioner]]:
    """Four more clinicians per unit; the clinicians of each unit by unit id (demo ones included)."""
    extra = [
        Practitioner(
            hpr_number=f"97{u:02d}{i:03d}",
            given_name=f"Behandler {i + 1}",
            family_name=unit.shown_name.split()[0],
            profession="Lege" if unit.kind == "gp_office" else "Helsesykepleier",
        )
        for u, unit in enumerate(units.values())
        for i in range(EXTRA_CLINICIANS)
    ]
    created = Practitioner.objects.bulk_create(extra)
    Membership.objects.bulk_create(
        Membership(practitioner=p, unit=unit, role=UnitRole.CLINICIAN)
        for n, unit in enumerate(units.values())
        for p in created[n * EXTRA_CLINICIANS : (n + 1) * EXTRA_CLINICIANS]
    )
    by_unit: dict[int, list[Practitioner]] = {unit.pk: [] for unit in units.values()}
    for member in Membership.objects.filter(unit__in=units.values(), role=UnitRole.CLINICIAN).select_related(
        "practitioner"
    ):
        by_unit[member.unit_id].append(member.practitioner)
    for clinicians in by_unit.values():
        clinicians.sort(key=lambda p: p.pk)
    return by_unit


def _slots() -> list[datetime.datetime]:
    """Every 20-minute start on weekdays in office hours, from DAYS_BACK days ago to DAYS_AHEAD days ahead."""
    today = timezone.localdate()
    starts = []
    for offset in range(-DAYS_BACK, DAYS_AHEAD + 1):
        day = today + datetime.timedelta(days=offset)
        if day.weekday() >= 5:
            continue
        at = datetime.datetime.combine(day, DAY_HOURS[0], tzinfo=OSLO)
        end = datetime.datetime.combine(day, DAY_HOURS[1], tzinfo=OSLO)
        while at + SLOT <= end:
            starts.append(at)
            at += SLOT
    return starts


def _status(starts_at: datetime.datetime, now: datetime.datetime, rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.1:
        return AppointmentStatus.CANCELLED
    if starts_at < now:
        return AppointmentStatus.COMPLETED
    return AppointmentStatus.CHANGED if roll < 0.15 else AppointmentStatus.BOOKED


@dataclass(frozen=True)
class Crowd:
    """The synthetic population the rows are drawn for: the units, their clinicians, adults, youths and Kari."""

    units: dict[str, Unit]
    clinicians: dict[int, list[Practitioner]]
    people: list[Person]
    young: list[Person]
    kari: Person


def _appointments(rng: random.Random, crowd: Crowd) -> list[Appointment]:
    """10,000 appointments; each practitioner's times are drawn without replacement from one pool of slots."""
    slots = _slots()
    free = {p.pk: rng.sample(slots, len(slots)) for group in crowd.clinicians.values() for p in group}
    pairs = [(unit, p) for unit in crowd.units.values() for p in crowd.clinicians[unit.pk]]
    now = timezone.now()
    rows = []
    for n in range(APPOINTMENTS):
        unit, practitioner = pairs[n % len(pairs)]
        youth = unit.kind in rules.YOUTH_UNIT_KINDS
        starts_at = free[practitioner.pk].pop()
        form = rng.choice((MeetingForm.PHYSICAL, MeetingForm.PHYSICAL, MeetingForm.PHONE, MeetingForm.VIDEO))
        status = _status(starts_at, now, rng)
        rows.append(
            Appointment(
                person=rng.choice(crowd.young if youth else crowd.people),
                unit=unit,
                practitioner=practitioner,
                practitioner_name=practitioner.full_name,
                practitioner_hpr=practitioner.hpr_number,
                starts_at=starts_at,
                ends_at=starts_at + SLOT,
                place=services.place_of(unit, form),
                meeting_form=form,
                type=rules.appointment_type(unit.kind, youth=youth),
                status=status,
                via_youth_service=youth,
                cancellable_until=rules.cancellable_until(unit.kind, starts_at),
                cancelled_at=now if status == AppointmentStatus.CANCELLED else None,
            )
        )
    return rows


def _give(rows: list[Appointment], unit: Unit, person: Person, past: int, coming: int, now: datetime.datetime) -> None:
    """Make `past` + `coming` of the unit's non-cancelled appointments the measured person's."""
    wanted = {True: past, False: coming}
    for row in rows:
        if row.unit_id == unit.pk and row.status != AppointmentStatus.CANCELLED and wanted[row.starts_at < now] > 0:
            wanted[row.starts_at < now] -= 1
            row.person = person
        if not any(wanted.values()):
            return


def _requests(rng: random.Random, appointments: list[Appointment], crowd: Crowd) -> None:
    now = timezone.now()
    confirmed = rng.sample([a for a in appointments if a.status != AppointmentStatus.CANCELLED], CONFIRMED_REQUESTS)
    rows = [
        AppointmentRequest(
            person_id=a.person_id,
            unit_id=a.unit_id,
            meeting_form=a.meeting_form,
            phone=f"4{rng.randrange(10_000_000):07d}",
            status=RequestStatus.CONFIRMED,
            answer="Velkommen.",
            answered_by_id=a.practitioner_id,
            answered_by_name=a.practitioner_name,
            answered_at=now,
            appointment=a,
            via_youth_service=a.via_youth_service,
        )
        for a in confirmed
    ]
    unit_list = list(crowd.units.values())
    for n in range(DECLINED_REQUESTS + OPEN_REQUESTS):
        unit = unit_list[n % len(unit_list)]
        youth = unit.kind in rules.YOUTH_UNIT_KINDS
        if n < DECLINED_REQUESTS:
            status = RequestStatus.DECLINED
        else:
            status = RequestStatus.CHANGE_PROPOSED if rng.random() < 0.25 else RequestStatus.PENDING
        answered = status != RequestStatus.PENDING
        rows.append(
            AppointmentRequest(
                person=rng.choice(crowd.young if youth else crowd.people),
                unit=unit,
                meeting_form=rng.choice(MeetingForm.values),
                phone=f"9{rng.randrange(10_000_000):07d}",
                reason=rng.choice(("", "Vondt i halsen", "Fornye resept", "Samtale")),
                status=status,
                answer="Ring oss gjerne." if answered else "",
                answered_at=now if answered else None,
                via_youth_service=youth,
            )
        )
    gp = crowd.units["gp_office"]
    rows.append(AppointmentRequest(person=crowd.kari, unit=gp, meeting_form=MeetingForm.PHONE, phone="91234567"))
    AppointmentRequest.objects.bulk_create(rows)


def _threads(rng: random.Random, crowd: Crowd) -> None:
    """10,000 threads with 50,000 messages; Kari has three of them at her GP office."""
    now = timezone.now()
    unit_list = list(crowd.units.values())
    subjects = ("Spørsmål om prøvesvar", "Resept", "Time neste uke", "Vaksine", "Sykmelding", "Spørsmål")
    threads = []
    for n in range(THREADS):
        unit = unit_list[n % len(unit_list)]
        youth = unit.kind in rules.YOUTH_UNIT_KINDS
        person = (
            crowd.kari
            if unit == crowd.units["gp_office"] and n < 3 * len(unit_list)
            else rng.choice(crowd.young if youth else crowd.people)
        )
        started = now - datetime.timedelta(minutes=rng.randrange(365 * 24 * 60))
        last = started + datetime.timedelta(hours=MESSAGES_PER_THREAD[n % 5] * 3)
        is_open = last > now - datetime.timedelta(days=30) or rng.random() < 0.05
        assigned = rng.choice(crowd.clinicians[unit.pk]) if is_open and rng.random() < 0.5 else None
        threads.append(
            Thread(
                person=person,
                unit=unit,
                subject=rng.choice(subjects),
                created_by=Side.CITIZEN,
                created_by_person=person,
                created_at=started,
                status=ThreadStatus.OPEN if is_open else ThreadStatus.CLOSED,
                closed_at=None if is_open else last,
                assigned_to=assigned,
                hidden_from_representatives=youth,
                last_message_at=last,
                citizen_read_at=last,
                unit_read_at=None if is_open else last,
                unread_by_unit=is_open and rng.random() < 0.4,
            )
        )
    Thread.objects.bulk_create(threads)
    messages = []
    for n, thread in enumerate(threads):
        count = MESSAGES_PER_THREAD[n % 5]
        for k in range(count):
            citizen = k % 2 == 0
            author = thread.assigned_to or crowd.clinicians[thread.unit_id][k % len(crowd.clinicians[thread.unit_id])]
            messages.append(
                Message(
                    thread=thread,
                    person_id=thread.person_id,
                    side=Side.CITIZEN if citizen else Side.UNIT,
                    author_person_id=thread.person_id if citizen else None,
                    author_practitioner=None if citizen else author,
                    author_unit_id=None if citizen else thread.unit_id,
                    author_name="Innbygger" if citizen else author.full_name,
                    body="Hei! Takk for svaret. " * rng.randint(1, 12),
                    sent_at=thread.created_at + datetime.timedelta(hours=3 * k),
                )
            )
    Message.objects.bulk_create(messages, batch_size=5_000)


@transaction.atomic
def build() -> World:
    """Fill the throwaway database; the measured actors."""
    load_demo()
    rng = random.Random(5)  # noqa: S311 -- synthetic data, seeded so every run loads the same
    by_key = {p.key: p for p in personas.UNITS}
    units = {key: Unit.objects.get(orgnr=by_key[key].orgnr) for key in UNIT_KEYS}
    people, young = _persons(rng)
    clinicians = _clinicians(units)
    kari = Person.objects.get(pid=personas.KARI.pid)
    nora = Person.objects.get(pid=personas.NORA.pid)
    crowd = Crowd(units, clinicians, people, young, kari)
    rows = _appointments(rng, crowd)
    now = timezone.now()
    _give(rows, units["gp_office"], kari, past=3, coming=3, now=now)
    _give(rows, units["sht_oslo"], nora, past=2, coming=2, now=now)
    appointments = Appointment.objects.bulk_create(rows, batch_size=5_000)
    _requests(rng, appointments, crowd)
    _threads(rng, crowd)
    return World(
        kari=actors.citizen(personas.KARI),
        nora=replace(actors.citizen(personas.NORA, Assurance.SUBSTANTIAL), role=Role.YOUTH),
        lars=actors.clinician(personas.LARS, personas.MAJORSTUEN_GP),
    )


def _check_world() -> None:
    """The load is what the cases claim: the counts, and no practitioner booked twice at once."""
    counts = {
        "appointments": Appointment.objects.count(),
        "messages": Message.objects.count(),
    }
    if counts["appointments"] < APPOINTMENTS or counts["messages"] < sum(MESSAGES_PER_THREAD) * THREADS // 5:
        raise RuntimeError(f"the load is short: {counts}")
    if overlapping := double_bookings():
        raise RuntimeError(f"the load double-books {overlapping} pairs of appointments")


# --- The cases -----------------------------------------------------------------------------------------------


class _Shared:
    """The one database every case here uses: built by the first case, dropped after the last."""

    stack: ExitStack | None = None
    world: World | None = None
    left = 0

    @classmethod
    def get(cls) -> World:
        if cls.world is None:
            cls.stack = ExitStack()
            cls.stack.enter_context(throwaway_database())
            RULE.install_rule(connection)
            cls.world = build()
            _check_world()
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # the planner's statistics, as a database in use has them
            atexit.register(cls.close)
        return cls.world

    @classmethod
    def done(cls) -> None:
        cls.left -= 1
        if cls.left <= 0:
            cls.close()

    @classmethod
    def close(cls) -> None:
        if cls.stack is not None:
            stack, cls.stack, cls.world = cls.stack, None, None
            stack.close()


def _case(name: str, path: str, who: Callable[[World], Actor], runs: int = 200) -> Callable[[], Result]:
    def case() -> Result:
        try:
            client = logged_in(who(_Shared.get()))
            return compare(name, checked(client, path), lambda: client.get("/bench-baseline/"), runs=runs)
        finally:
            _Shared.done()

    case.__name__ = case.__qualname__ = name.replace(" ", "_")
    return case


def youth_pages_exist() -> bool:
    try:
        resolve(YOUTH_PATH)
    except Resolver404:
        return False
    return True


CASES = [
    _case("Mine timer, Kari (10k appts)", "/timeavtaler/", lambda w: w.kari),
    _case("staff request inbox, GP (10k appts)", "/helsepersonell/timeavtaler/", lambda w: w.lars, INBOX_RUNS),
    _case("staff messages, unassigned (50k msgs)", "/helsepersonell/meldinger/", lambda w: w.lars),
    _case("staff messages, all (50k msgs)", "/helsepersonell/meldinger/?vis=alle", lambda w: w.lars),
    _case("Meldinger, Kari (50k msgs)", "/meldinger/", lambda w: w.kari),
]
if youth_pages_exist():
    CASES.insert(1, _case("youth Mine timer, Nora (10k appts)", YOUTH_PATH, lambda w: w.nora))
_Shared.left = len(CASES)

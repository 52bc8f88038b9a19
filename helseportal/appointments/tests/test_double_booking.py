"""No double booking: the database refuses overlapping active appointments of one practitioner (ADR 0006)."""

import datetime
import sqlite3
import threading
from importlib import import_module

import pytest
from django.db import IntegrityError, OperationalError, close_old_connections, connection, transaction
from django.utils import timezone

from helseportal.appointments import services
from helseportal.appointments.models import Appointment, AppointmentStatus, MeetingForm
from helseportal.appointments.tests.conftest import at, person, practitioner, unit
from helseportal.core.errors import Refused
from helseportal.demo import actors, personas

pytestmark = pytest.mark.django_db

RULE = import_module("helseportal.appointments.migrations.0002_no_double_booking")

MINUTES_20 = datetime.timedelta(minutes=20)


def insert(
    start: datetime.datetime, end: datetime.datetime, *, who: personas.CitizenPersona = personas.KARI
) -> Appointment:
    lars = practitioner(personas.LARS)
    return Appointment.objects.create(
        person=person(who),
        unit=unit(personas.MAJORSTUEN_GP),
        practitioner=lars,
        practitioner_name=lars.full_name,
        practitioner_hpr=lars.hpr_number,
        starts_at=start,
        ends_at=end,
        place="Kirkeveien legesenter",
        meeting_form=MeetingForm.PHYSICAL,
    )


def refused(start: datetime.datetime, end: datetime.datetime) -> bool:
    try:
        with transaction.atomic():
            insert(start, end, who=personas.PER)
    except IntegrityError:
        return True
    return False


def test_an_overlapping_appointment_is_refused_by_the_database(demo: None):
    insert(at(3, 10), at(3, 10, 20))
    assert refused(at(3, 10, 10), at(3, 10, 30))  # overlaps the end
    assert refused(at(3, 9, 50), at(3, 10, 10))  # overlaps the start
    assert refused(at(3, 10, 5), at(3, 10, 15))  # inside
    assert refused(at(3, 9), at(3, 11))  # around
    assert refused(at(3, 10), at(3, 10, 20))  # the same


def test_touching_times_are_allowed(demo: None):
    insert(at(3, 10), at(3, 10, 20))
    assert not refused(at(3, 10, 20), at(3, 10, 40))  # starts when the first ends
    assert not refused(at(3, 9, 40), at(3, 10))  # ends when the first starts


def test_a_cancelled_appointment_frees_the_time(demo: None):
    first = insert(at(3, 10), at(3, 10, 20))
    first.status = AppointmentStatus.CANCELLED
    first.save()
    assert not refused(at(3, 10), at(3, 10, 20))


def test_moving_an_appointment_onto_another_is_refused(demo: None):
    insert(at(3, 10), at(3, 10, 20))
    second = insert(at(3, 11), at(3, 11, 20))
    second.starts_at, second.ends_at = at(3, 10, 10), at(3, 10, 30)
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()


def test_reopening_a_cancelled_appointment_over_a_booked_one_is_refused(demo: None):
    first = insert(at(3, 10), at(3, 10, 20))
    first.status = AppointmentStatus.CANCELLED
    first.save()
    insert(at(3, 10), at(3, 10, 20))
    first.status = AppointmentStatus.BOOKED
    with pytest.raises(IntegrityError), transaction.atomic():
        first.save()


def test_another_practitioner_may_have_the_same_time(demo: None):
    insert(at(3, 10), at(3, 10, 20))
    mette = practitioner(personas.METTE)
    Appointment.objects.create(
        person=person(personas.PER),
        unit=unit(personas.HEALTH_STATION),
        practitioner=mette,
        practitioner_name=mette.full_name,
        practitioner_hpr=mette.hpr_number,
        starts_at=at(3, 10),
        ends_at=at(3, 10, 20),
        place="Frogner helsestasjon",
        meeting_form=MeetingForm.PHYSICAL,
    )
    assert Appointment.objects.filter(starts_at=at(3, 10)).count() == 2


def test_the_service_answers_a_taken_time_in_norwegian(demo: None):
    lars = actors.clinician(personas.LARS, personas.MAJORSTUEN_GP)
    insert(at(3, 10), at(3, 10, 20))
    request = services.request_appointment(
        actors.citizen(personas.PER), unit_id=unit(personas.MAJORSTUEN_GP).pk, meeting_form="physical", phone="91234567"
    )
    with pytest.raises(Refused) as refusal:
        services.answer_request(
            lars,
            request.pk,
            meeting_form="physical",
            starts_at=at(3, 10, 10),
            ends_at=at(3, 10, 30),
            practitioner_id=practitioner(personas.LARS).pk,
        )
    assert refusal.value.message == "Tiden er ikke lenger ledig. Velg en annen tid."
    request.refresh_from_db()
    assert request.status == "pending"


class Deadlock(Exception):
    sqlstate = "40P01"  # what psycopg puts on the error PostgreSQL raises to break a deadlock


@pytest.mark.parametrize(("sqlstate", "refused"), [("40P01", True), ("53300", False)])
def test_a_deadlock_between_two_bookings_is_answered_like_a_taken_time(
    demo: None, monkeypatch: pytest.MonkeyPatch, sqlstate: str, refused: bool
):
    """Two inserts checking the exclusion constraint against each other at once: PostgreSQL aborts one as a
    deadlock (bench/booking.py saw it). That one lost the time; any other database error is not hidden."""
    lars = actors.clinician(personas.LARS, personas.MAJORSTUEN_GP)
    request = services.request_appointment(
        actors.citizen(personas.PER), unit_id=unit(personas.MAJORSTUEN_GP).pk, meeting_form="physical", phone="91234567"
    )

    def aborted(**fields: object) -> Appointment:
        cause = Deadlock()
        cause.sqlstate = sqlstate
        raise OperationalError("deadlock detected" if refused else "too many connections") from cause

    monkeypatch.setattr(Appointment.objects, "create", aborted)
    book = lambda: services.answer_request(  # noqa: E731
        lars,
        request.pk,
        meeting_form="physical",
        starts_at=at(3, 10),
        ends_at=at(3, 10, 20),
        practitioner_id=practitioner(personas.LARS).pk,
    )
    if refused:
        with pytest.raises(Refused) as refusal:
            book()
        assert refusal.value.message == "Tiden er ikke lenger ledig. Velg en annen tid."
    else:
        with pytest.raises(OperationalError):
            book()
    request.refresh_from_db()
    assert request.status == "pending"


# --- Concurrency ------------------------------------------------------------------------------------------


def book_at_once(threads: int, start: datetime.datetime) -> tuple[int, int, list[BaseException]]:
    """Let `threads` connections insert the same time at the same moment; count bookings and refusals."""
    barrier = threading.Barrier(threads)
    booked, refused_count, errors = [0], [0], []
    lock = threading.Lock()

    def attempt(who: personas.CitizenPersona) -> None:
        try:
            barrier.wait()
            with transaction.atomic():
                insert(start, start + MINUTES_20, who=who)
            with lock:
                booked[0] += 1
        except IntegrityError:
            with lock:
                refused_count[0] += 1
        except BaseException as error:
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    citizens = [personas.KARI, personas.PER, personas.OLA, personas.NORA]
    workers = [threading.Thread(target=attempt, args=(citizens[n % 4],)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return booked[0], refused_count[0], errors


@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_bookings_of_one_time_give_exactly_one_on_postgresql(demo_committed: None):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: the in-memory SQLite test database is not shared between threads")
    start = at(5, 10)
    booked, refusals, errors = book_at_once(20, start)
    assert errors == []
    assert (booked, refusals) == (1, 19)
    assert Appointment.objects.filter(starts_at=start).count() == 1


@pytest.mark.django_db(transaction=True)
def test_simultaneous_bookings_on_a_file_sqlite_give_exactly_one(demo_committed: None):
    if connection.vendor != "sqlite" or connection.is_in_memory_db():
        pytest.skip("needs a file SQLite database (SQLITE_TEST_NAME=…): in-memory SQLite is one connection")
    start = at(5, 10)
    booked, refusals, errors = book_at_once(8, start)
    assert errors == []
    assert (booked, refusals) == (1, 7)
    assert timezone.now() < start


def test_the_sqlite_triggers_hold_between_connections_to_one_file(tmp_path):
    """The migration's SQLite SQL on a file database, with eight connections inserting one time at once.

    Runs in every suite (the Django test above needs SQLITE_TEST_NAME): the table has just the columns the
    triggers read, and each connection opens its transaction with BEGIN IMMEDIATE, as the settings do.
    """
    path = tmp_path / "rule.sqlite3"
    with sqlite3.connect(path) as setup:
        setup.execute(
            "CREATE TABLE appointments_appointment (id INTEGER PRIMARY KEY, practitioner_id INTEGER, "
            "status TEXT, starts_at TEXT, ends_at TEXT)"
        )
        for sql in RULE.SQLITE:
            setup.execute(sql)
    barrier = threading.Barrier(8)
    outcomes: list[str] = []

    def attempt() -> None:
        db = sqlite3.connect(path, timeout=10, isolation_level=None)
        try:
            barrier.wait()
            db.execute("BEGIN IMMEDIATE")
            db.execute(
                "INSERT INTO appointments_appointment (practitioner_id, status, starts_at, ends_at) "
                "VALUES (1, 'booked', '2026-12-01 09:00:00', '2026-12-01 09:20:00')"
            )
            db.execute("COMMIT")
            outcomes.append("booked")
        except sqlite3.IntegrityError as error:
            db.execute("ROLLBACK")
            outcomes.append(str(error))
        finally:
            db.close()

    workers = [threading.Thread(target=attempt) for _ in range(8)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert sorted(outcomes) == ["appointments_no_double_booking"] * 7 + ["booked"]

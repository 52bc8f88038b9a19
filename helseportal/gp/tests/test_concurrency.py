"""Switches at the same moment, each on its own connection: the register's row locks (`LocalGpRegister.switch`)
let exactly one of them have a list's last place, and one of a person's two switches at once. PostgreSQL (or a file
SQLite, whose IMMEDIATE transactions take turns); the in-memory SQLite test database is one connection."""

import datetime
import threading
from collections.abc import Callable

import pytest
from django.db import close_old_connections, connection

from helseportal.access.tests.test_policy import person_born
from helseportal.demo import personas
from helseportal.demo.loader import load_demo
from helseportal.identity.models import Person
from helseportal.organisations.gp_register import GpSwitchRefused, LocalGpRegister
from helseportal.organisations.models import GpListMembership, MembershipReason, RegisteredGpList

pytestmark = pytest.mark.django_db(transaction=True)
DAY = datetime.date(2026, 6, 10)


@pytest.fixture
def demo_committed(transactional_db: None) -> None:
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("needs PostgreSQL or a file SQLite database: in-memory SQLite is one connection")
    load_demo()


def at_once(attempts: list[Callable[[], object]]) -> tuple[int, int, list[BaseException]]:
    """Run the attempts on threads of their own connections at the same moment; count the done and the refused."""
    barrier = threading.Barrier(len(attempts))
    done, refused, errors = [0], [0], []
    lock = threading.Lock()

    def run(attempt: Callable[[], object]) -> None:
        try:
            barrier.wait()
            attempt()
            with lock:
                done[0] += 1
        except GpSwitchRefused:
            with lock:
                refused[0] += 1
        except BaseException as error:
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    workers = [threading.Thread(target=run, args=(attempt,)) for attempt in attempts]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return done[0], refused[0], errors


def test_eight_people_at_once_for_the_last_place_give_exactly_one(demo_committed: None):
    last = RegisteredGpList.objects.get(list_id="100105")
    last.other_members = last.capacity - 1
    last.save()
    people = [person_born(datetime.date(1980 + n, 1, 1), f"Person{n}") for n in range(8)]
    register = LocalGpRegister()
    attempts = [lambda p=p: register.switch(p.pid, "100105", DAY, MembershipReason.SWITCH) for p in people]
    done, refused, errors = at_once(attempts)
    assert errors == []
    assert (done, refused) == (1, 7)
    assert GpListMembership.objects.filter(gp_list=last).count() == 1


def test_one_persons_two_switches_at_once_give_one(demo_committed: None):
    kari = Person.objects.get(pid=personas.KARI.pid)
    register = LocalGpRegister()
    attempts = [
        lambda list_id=list_id: register.switch(kari.pid, list_id, DAY, MembershipReason.SWITCH)
        for list_id in ("100103", "100104", "100105")
    ]
    done, refused, errors = at_once(attempts)
    assert errors == []
    assert (done, refused) == (1, 2)  # the others find her switch waiting to take effect
    assert GpListMembership.objects.filter(person=kari, until__isnull=True).count() == 1

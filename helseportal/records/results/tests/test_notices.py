"""«Nytt prøvesvar»: who is told, once, without content, and when (at receipt or at the release time)."""

import datetime
from typing import Any

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from helseportal.access import youth_access
from helseportal.core.actor import Actor
from helseportal.core.ids import FNR_SYSTEM, parse_pid, synthetic_fnr
from helseportal.core.time import OSLO
from helseportal.demo import actors, personas
from helseportal.fhir import provider
from helseportal.identity.models import Person
from helseportal.notify import tasks
from helseportal.notify.events import Event
from helseportal.notify.models import Delivery, OutboxMessage, Status
from helseportal.notify.texts import text_for
from helseportal.records.models import Record
from helseportal.records.results.tests.conftest import held_until, observation, reachable, send
from helseportal.records.tests.conftest import person


def _told() -> list[tuple[int, str]]:
    return sorted(Delivery.objects.values_list("person_id", "event"))


def _everyone_reachable() -> None:
    for who in (personas.KARI, personas.OLA, personas.NORA):
        reachable(who)


def test_a_new_result_tells_her_once_with_the_fixed_text_only(gp: Actor):
    _everyone_reachable()
    send(gp, [observation("a", personas.KARI), observation("b", personas.KARI, 11.0)])
    assert _told() == [(person(personas.KARI).pk, Event.NEW_RESULT)]
    assert text_for(Event.NEW_RESULT).body == "Du har fått et nytt prøvesvar på helseportalen. Logg inn for å se det."
    delivery = Delivery.objects.get()
    tasks.send(delivery.pk)
    sent = OutboxMessage.objects.get()
    assert sent.text == text_for(Event.NEW_RESULT).body  # nothing of the result: no analysis, value, unit or place
    assert "Hemoglobin" not in sent.text
    assert "11" not in sent.text


def test_ola_s_result_tells_kari_his_parent_at_his_address_not_ola(gp: Actor):
    _everyone_reachable()
    send(gp, [observation("ola", personas.OLA)])
    assert _told() == [(person(personas.KARI).pk, Event.NEW_RESULT)]


def test_nora_s_result_tells_nobody_with_or_without_youth_access(gp: Actor):
    _everyone_reachable()
    send(gp, [observation("nora-1", personas.NORA)])  # 12–15: parents see no results; nor does she (rules)
    youth_access.give(actors.citizen(personas.KARI), person(personas.NORA).pk)
    send(gp, [observation("nora-2", personas.NORA)])
    assert _told() == []


def test_a_reserved_result_tells_no_parent(gp: Actor):
    _everyone_reachable()
    reserved = {"meta": {"security": [{"system": "urn:helseportal:security-label", "code": "vergeinnsynsreservasjon"}]}}
    send(gp, [observation("ola-reserved", personas.OLA, **reserved)])
    assert _told() == []


def test_a_resend_a_correction_or_an_entered_in_error_tells_nobody_again(gp: Actor):
    _everyone_reachable()
    send(gp, [observation("once", personas.KARI)])
    send(gp, [observation("once", personas.KARI)])  # the same again
    send(gp, [observation("once", personas.KARI, 12.5, status="amended")])  # a correction
    send(gp, [observation("withdrawn", personas.KARI, status="entered-in-error")])
    assert Delivery.objects.count() == 1


def test_a_report_and_its_results_in_one_send_are_one_notification(gp: Actor):
    _everyone_reachable()
    written = send(gp, [observation("r1", personas.KARI), observation("r2", personas.KARI)])
    report = {
        "resourceType": "DiagnosticReport",
        "identifier": [{"system": "urn:ietf:rfc:3986", "value": "urn:uuid:7d1f0c52-1c1e-4d55-9d0e-9b1f2b0a0001"}],
        "status": "final",
        "code": {"text": "Blodprøver"},
        "subject": observation("x", personas.KARI)["subject"],
        "effectiveDateTime": "2026-06-01T08:30:00+02:00",
        "result": [{"reference": f"Observation/{w.row.pk}"} for w in written],
    }
    send(gp, [report])
    assert Delivery.objects.count() == 1


def test_a_thousand_results_resent_under_new_ids_make_no_duplicate_and_no_second_notification(gp: Actor):
    _everyone_reachable()
    first = [observation(f"bulk-{n}", personas.KARI, 12 + n % 30 / 10) for n in range(1000)]
    send(gp, first)
    assert Record.objects.count() == 1000
    assert Delivery.objects.count() == 1
    again = [r | {"id": f"migrated-{n}"} for n, r in enumerate(first)]  # a new key (id, fullUrl), the same identifier
    outcomes = {w.outcome for w in send(gp, again)}
    assert outcomes == {"unchanged"}
    assert Record.objects.count() == 1000
    assert Delivery.objects.count() == 1


def test_a_held_result_is_told_by_the_worker_at_its_release_time(gp: Actor):
    reachable(personas.KARI)
    release = timezone.now().astimezone(OSLO).replace(microsecond=0) + datetime.timedelta(days=2)
    send(gp, [observation("held", personas.KARI, extension=held_until(release))])
    delivery = Delivery.objects.get()
    assert delivery.run_after == release
    assert tasks.send(delivery.pk) is None  # not due: the worker sends nothing before the release
    assert Delivery.objects.get().status == Status.QUEUED
    assert not OutboxMessage.objects.exists()
    with time_machine.travel(release + datetime.timedelta(minutes=1)):
        tasks.send(delivery.pk)
    assert Delivery.objects.get().status == Status.SENT


def _adults(count: int, first: int) -> list[Person]:
    """`count` new adults with SMS on (not personas), each a notification's recipient."""
    made = []
    for n in range(first, first + count):
        pid = synthetic_fnr(datetime.date(1980, 1, 1) + datetime.timedelta(days=n), 100 + n)
        born = parse_pid(pid, allow_synthetic=True).birth_date
        made.append(
            Person.objects.create(pid=pid, given_name="Voksen", family_name=f"Nr {n}", birth_date=born,
                                  mobile="41234567", notify_by_sms=True)
        )  # fmt: skip
    return made


def _results_for(persons: list[Person], label: str) -> list[dict[str, Any]]:
    subject = {"system": FNR_SYSTEM}
    return [
        observation(f"{label}-{n}", personas.KARI) | {"subject": {"identifier": subject | {"value": who.pid}}}
        for n, who in enumerate(persons)
    ]


def _reads(queries: CaptureQueriesContext) -> list[str]:
    """The statements but each delivery's own (its key looked up, its insert in a savepoint: `notify`)."""
    own = ('"notify_delivery"', "SAVEPOINT")
    return [q["sql"] for q in queries.captured_queries if not any(part in q["sql"] for part in own)]


def test_a_bundle_for_many_persons_asks_who_to_tell_in_the_same_queries_as_for_two(gp: Actor):
    """Who may be told is read for all of a write's persons at once (`records.notices.received`), not per person:
    a source's Bundle of a hundred persons' results is not four hundred queries."""
    few, many = _adults(2, 0), _adults(12, 10)
    with provider.one_request(), CaptureQueriesContext(connection) as two:
        send(gp, _results_for(few, "few"))
    with provider.one_request(), CaptureQueriesContext(connection) as twelve:
        send(gp, _results_for(many, "many"))
    assert sorted(Delivery.objects.values_list("person_id", flat=True)) == sorted(p.pk for p in few + many)
    assert len(_reads(twelve)) == len(_reads(two))

"""«Nytt prøvesvar»: who is told, once, without content, and when (at receipt or at the release time)."""

import datetime

import time_machine
from django.utils import timezone

from helseportal.access import youth_access
from helseportal.core.actor import Actor
from helseportal.core.time import OSLO
from helseportal.demo import actors, personas
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

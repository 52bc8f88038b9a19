"""Counting: on commit only, aggregated, nothing about a person."""

import time

import pytest
from django.db import transaction

from helseportal.stats import services
from helseportal.stats.events import Event
from helseportal.stats.models import Counter
from helseportal.stats.suppression import shown, text

pytestmark = pytest.mark.django_db(transaction=True)


class _Unit:
    orgnr = "974589095"
    municipality_number = "0301"


@pytest.fixture(autouse=True)
def _empty_buffer():
    services.discard()
    yield
    services.discard()


def test_a_count_is_written_when_its_transaction_commits_and_adds_up():
    with transaction.atomic():
        services.count(Event.MESSAGE_SENT, "messages", unit=_Unit(), detail="citizen")
        services.count(Event.MESSAGE_SENT, "messages", unit=_Unit(), detail="citizen")
        assert not Counter.objects.exists()
    services.count(Event.MESSAGE_SENT, "messages", unit=_Unit(), detail="citizen")
    cell = Counter.objects.get()
    assert (cell.event, cell.service, cell.unit_orgnr, cell.municipality, cell.detail, cell.count) == (
        "message_sent",
        "messages",
        "974589095",
        "0301",
        "citizen",
        3,
    )


def test_a_rolled_back_transaction_counts_nothing():
    def fail() -> None:
        with transaction.atomic():
            services.count(Event.VIEW, "pregnancy")
            raise RuntimeError

    with pytest.raises(RuntimeError):
        fail()
    assert not Counter.objects.exists()
    assert services.pending() == 0


def test_counts_wait_in_the_buffer_until_the_flush_is_due(settings):
    settings.HELSEPORTAL_STATS_FLUSH_SECONDS = 3600
    services.flush()
    for _ in range(7):
        services.count(Event.VIEW, "pregnancy")
    assert services.pending() == 7
    assert not Counter.objects.exists()
    assert services.flush() == 1
    assert Counter.objects.get().count == 7


def test_counting_can_be_switched_off(settings):
    settings.HELSEPORTAL_STATS_ENABLED = False
    services.count(Event.VIEW, "pregnancy")
    assert not Counter.objects.exists()


def test_a_small_number_is_suppressed():
    assert [shown(n) for n in (0, 1, 4, 5, 12)] == [0, None, None, 5, 12]
    assert text(3) == "< 5"
    assert text(1234) == "1\u00a0234"


def test_the_operators_gauge_follows_the_buffer(settings):
    from helseportal.core.metrics import STATS_PENDING

    settings.HELSEPORTAL_STATS_FLUSH_SECONDS = 3600
    services.flush()
    before = STATS_PENDING._value.get()
    for _ in range(3):
        services.count(Event.VIEW, "pregnancy")
    assert STATS_PENDING._value.get() == before + 3
    services.flush()
    assert STATS_PENDING._value.get() == before


def test_a_long_detail_keeps_a_stable_hash_so_two_long_form_urls_never_share_a_cell():
    from helseportal.stats.services import detail_key

    base = "http://helsedirektoratet.no/fhir/Questionnaire/sdc-test-questionnaire-with-a-long-name"
    one, two = detail_key(base + "-1"), detail_key(base + "-2")
    assert one != two
    assert len(one) == len(two) == 64
    assert one == detail_key(base + "-1")  # the same url, the same cell, in every process
    assert detail_key("citizen") == "citizen"
    assert detail_key("x" * 64) == "x" * 64


def test_a_process_that_goes_quiet_still_writes_its_counts(settings):
    """No later count is needed: the buffer's timer flushes what waits once it is due (the review's C6)."""
    services.flush()
    settings.HELSEPORTAL_STATS_FLUSH_SECONDS = 0.2
    services.count(Event.VIEW, "pregnancy")
    assert services.pending() == 1
    deadline = time.monotonic() + 10  # a bound for a loaded machine, not a timing assertion
    while not Counter.objects.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert Counter.objects.get().count == 1
    assert services.pending() == 0

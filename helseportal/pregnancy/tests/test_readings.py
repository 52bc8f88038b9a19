"""Blood pressures and weights by date and time: "Siste målinger" shows the latest, the tables say who measured."""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from helseportal.core.actor import Actor
from helseportal.core.time import OSLO, today
from helseportal.pregnancy import queries, services
from helseportal.pregnancy.models import AuthorKind, OwnMeasurement, Pregnancy
from helseportal.pregnancy.presentation.readings import charts_for, latest_reading, readings
from helseportal.pregnancy.tests.test_card_views import client_for, share_with_mette, start_at

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=OSLO)


def bp(kari: Actor, pregnancy: Pregnancy, when: datetime.datetime, systolic: int, diastolic: int) -> None:
    with transaction.atomic():
        services.add_own_measurement(
            kari, pregnancy, kind="bp", measured_at=when, systolic=systolic, diastolic=diastolic
        )


@pytest.fixture
def pregnancy(kari: Actor) -> Pregnancy:
    return start_at(kari)


def test_the_overview_shows_the_days_latest_reading_not_its_first(kari: Actor, pregnancy: Pregnancy):
    yesterday = today() - datetime.timedelta(days=1)
    bp(kari, pregnancy, at(yesterday, 8), 124, 78)
    bp(kari, pregnancy, at(yesterday, 20, 15), 148, 96)
    html = client_for(kari).get(reverse("pregnancy:overview")).content.decode()
    assert "148/96 mmHg" in html
    assert "124/78" not in html
    assert "kl. 20:15, egen måling" in html


def test_a_reading_registered_late_still_counts_by_when_it_was_measured(kari: Actor, pregnancy: Pregnancy):
    yesterday = today() - datetime.timedelta(days=1)
    bp(kari, pregnancy, at(yesterday, 20), 148, 96)
    bp(kari, pregnancy, at(yesterday, 8), 124, 78)  # typed in afterwards: a higher key, an earlier time
    card = queries.card_for_rendering(pregnancy)
    latest = latest_reading(card, "bp")
    assert latest is not None
    assert (latest.systolic, latest.diastolic) == (148, 96)


def test_a_reading_at_home_that_evening_comes_after_the_days_consultation(
    kari: Actor, mette: Actor, pregnancy: Pregnancy
):
    share_with_mette(kari)
    yesterday = today() - datetime.timedelta(days=1)
    with transaction.atomic():
        services.add_consultation(mette, pregnancy, date=yesterday, systolic=150, diastolic=100)
    bp(kari, pregnancy, at(yesterday, 21), 126, 80)
    card = queries.card_for_rendering(pregnancy)
    latest = latest_reading(card, "bp")
    assert latest is not None
    assert latest.systolic == 126
    assert latest.self_reported


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 23), st.integers(0, 59), st.integers(90, 170)), min_size=1, max_size=6))
def test_the_latest_reading_is_the_one_measured_last_whatever_the_order_typed(typed):
    """No database: the readings as typed (key = order typed), each measured at some time two days ago."""
    day = today() - datetime.timedelta(days=2)
    pregnancy = Pregnancy(due_date_lmp=today() + datetime.timedelta(days=100))
    own = [
        OwnMeasurement(
            pk=key,
            kind="bp",
            measured_at=at(day, hour, minute),
            systolic=systolic,
            diastolic=70,
            author_kind=AuthorKind.WOMAN,
        )
        for key, (hour, minute, systolic) in enumerate(typed, start=1)
    ]
    own.sort(key=lambda m: (m.measured_at, m.pk))  # as the card loads them
    latest = latest_reading(queries.Card(pregnancy=pregnancy, on=today(), own=own), "bp")
    last_time = max((hour, minute) for hour, minute, _ in typed)
    candidates = [s for hour, minute, s in typed if (hour, minute) == last_time]
    assert latest is not None
    assert latest.systolic == candidates[-1]


def test_the_blood_pressure_table_is_by_date_and_time_and_says_who_measured(
    kari: Actor, mette: Actor, pregnancy: Pregnancy
):
    share_with_mette(kari)
    yesterday = today() - datetime.timedelta(days=1)
    bp(kari, pregnancy, at(yesterday, 7), 150, 95)  # a higher value first: sorting by value put it last
    bp(kari, pregnancy, at(yesterday, 19), 121, 79)
    with transaction.atomic():
        services.add_consultation(
            mette, pregnancy, date=yesterday - datetime.timedelta(days=3), systolic=130, diastolic=80
        )
        services.add_own_measurement(
            kari, pregnancy, kind="weight", measured_at=at(yesterday, 7, 5), value=Decimal("71.2")
        )
    rows = charts_for(queries.card_for_rendering(pregnancy))["bp_rows"]
    assert [r.systolic for r in rows] == [130, 150, 121]  # type: ignore[attr-defined]
    html = client_for(kari).get(reverse("pregnancy:history")).content.decode()
    table = html[html.index("Blodtrykk etter dato og klokkeslett") :]
    table = table[: table.index("</table>")]
    assert table.index("150") < table.index("121")
    assert "Egen måling hjemme" in table
    assert "Ved kontroll: Mette Berg (HPR 9144889), Frogner helsestasjon" in table
    assert f"{yesterday:%d.%m.%Y} 07:00" in table


def test_readings_leave_out_entries_marked_in_error(kari: Actor, pregnancy: Pregnancy):
    yesterday = today() - datetime.timedelta(days=1)
    bp(kari, pregnancy, at(yesterday, 8), 124, 78)
    bp(kari, pregnancy, at(yesterday, 20), 188, 120)
    wrong = pregnancy.own_measurements.get(systolic=188)
    with transaction.atomic():
        services.mark_in_error(kari, "maling", wrong.pk)
    card = queries.card_for_rendering(pregnancy)
    assert [r.systolic for r in readings(card, "bp")] == [124]

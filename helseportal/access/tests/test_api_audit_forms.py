"""The API auditor's insert for a read's own statement (`record_api_call_sql`): what it keeps per process between two
calls of one caller (`_Form`), and what it must never keep (a name or unit read from the database)."""

import datetime
from dataclasses import replace

import pytest
import time_machine

from helseportal.access.audit import api
from helseportal.access.audit.api import record_api_call_sql
from helseportal.access.tests.api_testing import Demo, demo_fixture, system, unit  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db

SUBJECT = "r.c1"  # the SQL expression of the person (never executed here)


def params(actor, resource: str) -> list:
    statement = record_api_call_sql(actor, "read", resource, SUBJECT)
    assert statement is not None
    return statement[1]


def settled(demo: Demo, **changes):
    """A record system's Actor as SMART makes it from its token: the unit's name and number read with it."""
    station = unit("health_station")
    fields = {"unit_name": station.shown_name, "unit_orgnr": station.orgnr} | changes
    return replace(system(station, name="Frogner EPJ"), **fields)


def test_two_reads_by_one_client_differ_only_in_the_time_and_the_resource(demo: Demo):
    actor = settled(demo)
    api._FORMS.clear()
    first = params(actor, f"Patient/{demo.kari.pk}")
    assert len(api._FORMS) == 1
    second = params(actor, f"Patient/{demo.nora.pk}")
    assert len(api._FORMS) == 1  # the same form, filled in again
    differ = [i for i, (a, b) in enumerate(zip(first, second, strict=True)) if a != b and str(a) != str(b)]
    form = next(iter(api._FORMS.values()))[1]
    assert set(differ) <= {form.at, form.resources}
    assert str(second[form.resources]) != str(first[form.resources])
    assert f"Patient/{demo.nora.pk}" in str(getattr(second[form.resources], "obj", second[form.resources]))


def test_the_time_and_youth_range_follow_the_clock_not_the_first_call(demo: Demo):
    actor = settled(demo)
    api._FORMS.clear()
    with time_machine.travel(datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC), tick=False):
        early = params(actor, f"Patient/{demo.kari.pk}")
    with time_machine.travel(datetime.datetime(2026, 9, 2, 10, 0, tzinfo=datetime.UTC), tick=False):
        late = params(actor, f"Patient/{demo.kari.pk}")
    form = next(iter(api._FORMS.values()))[1]
    assert form.youth is not None
    youth = slice(form.youth + form.marked, form.youth + form.marked + 2)
    assert early[youth] != late[youth]  # the birth-date range of a 13–15-year-old on each day
    assert all(isinstance(day, datetime.date) for day in early[youth])
    assert early[form.at] < late[form.at]


def test_a_changed_client_or_unit_is_a_new_form_with_the_new_values(demo: Demo):
    api._FORMS.clear()
    before = params(settled(demo), f"Patient/{demo.kari.pk}")
    after = params(
        settled(demo, display_name="Frogner EPJ 2", unit_name="Frogner helsestasjon vest"), f"Patient/{demo.kari.pk}"
    )
    assert "Frogner EPJ" in before
    assert "Frogner EPJ 2" not in before
    assert "Frogner EPJ 2" in after
    assert "Frogner helsestasjon vest" in after
    assert len(api._FORMS) == 2


def test_a_unit_read_from_the_database_is_read_again_on_each_call(demo: Demo):
    actor = system(unit("health_station"), name="Frogner EPJ")  # no unit name with it: the auditor reads the unit
    api._FORMS.clear()
    assert "Frogner helsestasjon" in params(actor, f"Patient/{demo.kari.pk}")
    station = unit("health_station")
    station.display_name = "Frogner helsestasjon, Majorstuen"
    station.save(update_fields=["display_name"])
    assert "Frogner helsestasjon, Majorstuen" in params(actor, f"Patient/{demo.kari.pk}")
    assert not api._FORMS


def test_a_marked_sources_form_checks_each_reads_own_row(demo: Demo):
    """A record may carry *vergeinnsynsreservasjon* (`Source.hidden`): the event's youth flag asks that row, so each
    read binds its own key, never the first read's."""
    actor = settled(demo)
    api._FORMS.clear()
    first, second = params(actor, "Observation/101"), params(actor, "Observation/202")
    form = next(iter(api._FORMS.values()))[1]
    assert form.marked
    assert form.youth is not None
    assert (first[form.youth], second[form.youth]) == (101, 202)

"""The window of Legemidler (valid prescriptions and those ended in the last 12 months) at its edges, on any day; the
withdrawals left and the states as pure functions (Hypothesis); the overview's queries do not grow with the number of
prescriptions and dispensings on the page."""

import datetime
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st

from helseportal.core.time import OSLO, today
from helseportal.demo import personas
from helseportal.organisations.models import Unit
from helseportal.records import reservation
from helseportal.records.medicines.prescriptions import Dispensing, State, _state, prescription, window_start
from helseportal.records.medicines.tests.conftest import medication_request
from helseportal.records.models import Record
from helseportal.records.tests.family import Family, citizen, client_for

DAY = datetime.timedelta(days=1)


@given(st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2100, 12, 31)))
def test_the_window_starts_the_same_day_a_year_earlier(day: datetime.date):
    start = window_start(day)
    assert 365 <= (day - start).days <= 366
    assert (start.year, start.month) == (day.year - 1, day.month)
    assert start.day == day.day or (day.month, day.day, start.day) == (2, 29, 28)


@given(
    repeats=st.integers(min_value=0, max_value=20),
    dispensed=st.integers(min_value=0, max_value=25),
    status=st.sampled_from(["active", "completed", "cancelled", "stopped", "on-hold"]),
    ends_in=st.integers(min_value=-400, max_value=400),
)
def test_the_state_follows_status_count_and_validity(repeats: int, dispensed: int, status: str, ends_in: int):
    day = datetime.date(2026, 6, 10)
    left = repeats + 1 - dispensed
    state = _state(status, day + datetime.timedelta(days=ends_in), left, day)
    if status == "completed" or (status == "active" and left <= 0):
        assert state == State.USED
    elif status != "active":
        assert state == State.STOPPED
    else:
        assert state == (State.EXPIRED if ends_in < 0 else State.ACTIVE)


@given(repeats=st.integers(min_value=0, max_value=10), completed=st.integers(0, 15), other=st.integers(0, 5))
def test_the_withdrawals_left_count_only_completed_dispensings_and_never_go_below_zero(
    repeats: int, completed: int, other: int
):
    row = Record(
        resource_type="MedicationRequest",
        resource={"dispenseRequest": {"numberOfRepeatsAllowed": repeats}},
        status="active",
        effective=datetime.datetime(2026, 1, 1, tzinfo=OSLO),
    )
    made = [Dispensing(row, "", None, "", "", True)] * completed + [Dispensing(row, "", None, "", "", False)] * other
    item = prescription(row, made, datetime.date(2026, 6, 10))
    assert item.withdrawals == repeats + 1
    assert item.remaining == max(repeats + 1 - completed, 0)


@pytest.mark.dates
def test_the_window_s_edges_on_the_day_the_page_is_read(family: Family):
    day, start = today(), window_start(today())
    shown = {
        "Slutter i dag": medication_request(family.per, "Slutter i dag", day - 300 * DAY, day),
        "Sluttet første dag": medication_request(family.per, "Sluttet første dag", start - 300 * DAY, start),
        "Aktiv uten slutt": medication_request(family.per, "Aktiv uten slutt", day - 800 * DAY, None),
        "Stoppet nylig uten slutt": medication_request(
            family.per, "Stoppet nylig uten slutt", start + DAY, None, status="stopped"
        ),
    }
    hidden = {
        "Sluttet dagen før": medication_request(family.per, "Sluttet dagen før", start - 300 * DAY, start - DAY),
        "Stoppet for lenge siden": medication_request(
            family.per, "Stoppet for lenge siden", start - 10 * DAY, None, status="stopped"
        ),
    }
    per = client_for(citizen(family.per))
    body = per.get("/legemidler/").content.decode()
    for name, row in shown.items():
        assert name in body
        assert per.get(f"/legemidler/resept/{row.pk}/").status_code == 200
    for name, row in hidden.items():
        assert name not in body
        assert per.get(f"/legemidler/resept/{row.pk}/").status_code == 404
    assert "Slutter i dag</a>" in body[body.index("Gyldige resepter") : body.index("Utløpte og avsluttede")]


def _with_dispensings(family: Family, count: int) -> None:
    unit = Unit.objects.get(orgnr=personas.MAJORSTUEN_GP.orgnr)
    for n in range(count):
        row = medication_request(family.per, f"Nr {n}", today() - (n + 1) * DAY, today() + 200 * DAY)
        dispensed = Record.objects.create(
            person=family.per,
            resource_type="MedicationDispense",
            resource={
                "resourceType": "MedicationDispense",
                "status": "completed",
                "authorizingPrescription": [{"reference": f"MedicationRequest/{row.pk}"}],
            },
            effective=row.effective + DAY,
            status="completed",
            identifier_system="urn:ietf:rfc:3986",
            identifier_value=f"urn:uuid:{uuid.uuid4()}",
            source_unit=unit,
            source_client="pharmacy",
        )
        reservation.relink([dispensed])  # the reference the store keeps, as `services._store` writes it


def test_the_overview_s_queries_do_not_grow_with_what_is_on_it(family: Family):
    per = client_for(citizen(family.per))
    _with_dispensings(family, 3)
    per.get("/legemidler/")
    with CaptureQueriesContext(connection) as few:
        assert per.get("/legemidler/").status_code == 200
    counted = len(few)  # now: the connection's query log is bounded, and a context reads it when asked
    _with_dispensings(family, 40)
    with CaptureQueriesContext(connection) as many:
        body = per.get("/legemidler/").content.decode()
    assert body.count("Uttak igjen") == 43
    assert body.count("<dd>2 av 3</dd>") == 43  # each one's dispensing found (by the reference the store keeps)
    assert len(many) == counted
    _with_dispensings(family, 60)
    token = per.get("/legemidler/").context["listing"].next_token
    assert token  # 103 prescriptions: a second page, whose dispensings are read as the first page's
    with CaptureQueriesContext(connection) as later:
        body = per.get("/legemidler/", {"etter": token}).content.decode()
    assert body.count("<dd>2 av 3</dd>") == 50  # 50 a page
    assert len(later) == counted - 1  # a later page reads no GP list

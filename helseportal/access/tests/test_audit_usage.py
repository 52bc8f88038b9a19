"""The usage statistics' practitioner counts from the audit log: numbers, per unit kind, for the month asked."""

import datetime

import pytest

from helseportal.access.audit.chain import record
from helseportal.access.audit.usage import (
    LOGIN,
    practitioners_logged_in,
    practitioners_logged_in_by_unit_kind,
)
from helseportal.access.models import Outcome
from helseportal.core.time import today
from helseportal.demo import actors, personas
from helseportal.demo.loader import load_demo

pytestmark = pytest.mark.django_db


def test_practitioners_are_counted_once_each_per_kind_of_their_units():
    load_demo()
    lars = actors.clinician(personas.LARS)
    for _ in range(3):  # three logins of one GP: one practitioner
        record(lars, LOGIN, subject_id=None)
    record(actors.clinician(personas.METTE), LOGIN, subject_id=None)
    record(actors.clinician(personas.INGRID), LOGIN, subject_id=None, outcome=Outcome.DENIED)  # refused: not counted
    day = today()
    assert practitioners_logged_in(day, day) == 2
    kinds = practitioners_logged_in_by_unit_kind(day, day)
    assert kinds == {"gp_office": 1, "health_station": 1}  # Ingrid's login was refused: no sht, no hfu
    assert practitioners_logged_in_by_unit_kind(day, day, municipality="9999") == {}
    yesterday = day - datetime.timedelta(days=1)
    assert practitioners_logged_in_by_unit_kind(yesterday, yesterday) == {}

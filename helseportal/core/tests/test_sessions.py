"""The session's read as one fixed statement (core/sessions.py) finds what Django's would, and nothing expired."""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from helseportal.core.sessions import SessionStore

pytestmark = pytest.mark.django_db


def test_a_live_session_is_read_and_an_expired_or_unknown_one_is_not() -> None:
    store = SessionStore()
    store["actor"] = {"role": "citizen"}
    store.create()
    key = store.session_key
    assert SessionStore(key).load() == {"actor": {"role": "citizen"}}
    unknown = SessionStore("x" * 32)
    assert unknown.load() == {}
    assert unknown.session_key is None  # as Django's: a new key is made if it is saved
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    expired = SessionStore(key)
    assert expired.load() == {}
    assert expired.session_key is None

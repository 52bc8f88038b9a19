"""The demo thread: Kari at her GP office, two messages and the office's reply, loaded once."""

import pytest

from helseportal.demo.loader import load_demo
from helseportal.demo.messaging import load_messaging
from helseportal.messaging.models import Message, Side, Thread

pytestmark = pytest.mark.django_db


def test_it_loads_karis_thread_once():
    load_demo()
    assert load_messaging() is True
    assert load_messaging() is False
    thread = Thread.objects.get()
    assert thread.unit.kind == "gp_office"
    sides = list(Message.objects.filter(thread=thread).order_by("sent_at", "pk").values_list("side", flat=True))
    assert sides == [Side.CITIZEN, Side.CITIZEN, Side.UNIT]
    assert thread.unread_by_citizen

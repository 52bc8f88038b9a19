"""Oslo time: the portal shows and reasons about dates in Norway's time zone, whatever the server's."""

import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

OSLO = ZoneInfo("Europe/Oslo")


def now() -> datetime.datetime:
    return timezone.now()


def today() -> datetime.date:
    """Today's date in Oslo (not UTC: at 00:30 in Oslo it is already tomorrow)."""
    return timezone.now().astimezone(OSLO).date()

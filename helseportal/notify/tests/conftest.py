import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from helseportal.demo import personas
from helseportal.identity.models import Person
from helseportal.notify.models import Delivery


@pytest.fixture
def person(db: None) -> Person:
    """Per, with a mobile number and SMS on, an e-mail address and e-mail off (the defaults of the profile)."""
    return Person.objects.create(
        pid=personas.PER.pid,
        given_name="Per",
        family_name="Hansen",
        birth_date=datetime.date(1980, 1, 15),
        mobile="41234567",
        email="per@example.no",
        notify_by_sms=True,
        notify_by_email=False,
    )


def run_worker() -> None:
    """The real task worker, in this process, until no task is ready."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", "--no-reload", verbosity=0)


def let_time_pass() -> None:
    """Make everything scheduled for later due now (instead of waiting for it)."""
    past = timezone.now() - datetime.timedelta(seconds=1)
    DBTaskResult.objects.filter(run_after__gt=past).exclude(run_after__year=9999).update(run_after=past)
    Delivery.objects.filter(run_after__gt=past).update(run_after=past)

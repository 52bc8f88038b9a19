"""«Nytt om en henvisning»: a notification without content when a referral of hers reaches a step that matters.

The rules are the record services' (`records.notices`: who, when, once). Henvisninger's part is which writes are
news (`status.progress`, read from what the source sent): a referral *received*, her *right to health care* with
its deadline (*frist for helsehjelp*), and an *appointment given*, each once per referral, whether the referral
arrives at that step or moves to it by a later send (a correction, a PUT). Our choices: a new deadline or a new
appointment time is news again (the name of the news holds the date); a referral assessed without a right to care,
completed or withdrawn is not told (the page says so when she looks). A re-send or a re-keyed copy (`UNCHANGED`)
tells nobody, and the same step is never told twice (the delivery's key names the referral and its step).
The text is `notify`'s fixed one (Event.REFERRAL_UPDATED): nothing of the reason, the unit, the deadline or the time.
Told to those `access` lets use `referrals` for her today: she herself from 16, a parent of a child under 16 at her
address (from 12 never of a referral she reserved), never the youth of 13–15 by consent (referrals are not among its
areas).
"""

import datetime
from collections.abc import Sequence

from helseportal.access.models import ServiceArea
from helseportal.fhir.provider import Outcome, Written
from helseportal.notify.services import Event
from helseportal.records import notices
from helseportal.records.models import Record
from helseportal.records.referrals.status import Step, progress


def news(item: Written) -> str | None:
    """The name of the step the write brought the referral to, if it is one she is told of; None otherwise."""
    row = item.row
    if item.outcome == Outcome.UNCHANGED or not isinstance(row, Record):
        return None
    step, deadline, appointment = progress(row.status, row.resource)
    if step == Step.RECEIVED:
        return f"{row.pk}-received"
    if step == Step.RIGHT:
        return f"{row.pk}-right-{deadline.isoformat() if deadline else ''}"
    if step == Step.APPOINTMENT and appointment is not None:
        return f"{row.pk}-appointment-{appointment.astimezone(datetime.UTC):%Y%m%d%H%M}"
    return None


NOTICE = notices.Notice(ServiceArea.REFERRALS.value, Event.REFERRAL_UPDATED, frozenset({"ServiceRequest"}), news)


def received(written: Sequence[Written]) -> None:
    """Tell of the steps a source's write brought her referrals to (`records.notices.received`)."""
    notices.received(NOTICE, written)

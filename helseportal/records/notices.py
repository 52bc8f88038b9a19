"""Notifications of what sources send (issue 11): a text without content when a record of hers becomes news.

A family says what it tells with a `Notice` (its access area, `notify`'s Event, its types, and `news`: which writes
are news, and under which name), and its types' writers (`records.fhir`) call `received(notice, written)` in the
transaction that stores the records. The rules, the same for every family:

- **What**: `notify`'s fixed text for the Event (no analysis, vaccine, unit, place, value or time reaches it).
- **When**: at receipt, or, for a record the source holds back (`Record.released` in the future), at its release
  time: the delivery is queued with `run_after` and the task worker sends it then (`notify`'s own scheduling).
- **Who**: each of the person herself, her parents (`identity.ParentalResponsibility`) and the receivers of her
  powers of attorney, if `access.policy.check` lets them use the family's area for her today (the parent table by
  age band, the address rule, youth access by consent, powers of attorney: the same decision her pages make). An
  item with *vergeinnsynsreservasjon* is told to no representative (`policy.item_visible`). Decided at receipt.
- **Once**: only what `news` names is told; a record entered in error never is. Prøvesvar and Vaksiner tell a
  record the write *created* (a re-send, a re-keyed copy with the same identifier, or a correction is
  `UPDATED`/`UNCHANGED`: not news); Henvisninger tells a step of the referral (`referrals.notices`). The delivery's
  key names the family, the news, the person, the recipient and the minute of release, so a Bundle of new records
  (or two sends in the same minute) makes one notification, and the same news is never told twice (`notify` is
  idempotent by the key).
"""

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils import timezone

from helseportal.access import policy
from helseportal.access.models import PowerOfAttorney
from helseportal.core.actor import Actor, Assurance, Role
from helseportal.fhir.provider import Outcome, Written
from helseportal.identity.models import ParentalResponsibility, Person
from helseportal.notify.services import Event, notify
from helseportal.records.models import Record

NEW = "new"  # the news of a created record (`created`)


def created(item: Written) -> str | None:
    """`Notice.news` of the families that tell a new record: "new" for a row the write created, else nothing."""
    return NEW if item.outcome == Outcome.CREATED else None


@dataclass(frozen=True)
class Notice:
    """What one family tells: the access area that decides who may be told, `notify`'s Event, the types, and
    `news`: the name of what one write of a record makes news of (part of the delivery's key), None when nothing."""

    area: str  # an access.models.ServiceArea value
    event: Event
    types: frozenset[str]
    news: Callable[[Written], str | None] = created


def received(notice: Notice, written: Sequence[Written]) -> None:
    """Tell of the news in a source's write (see the module's rules)."""
    groups: dict[tuple[int, bool, str, str], datetime.datetime] = {}
    for item in written:
        row = item.row
        if not isinstance(row, Record) or row.entered_in_error or row.resource_type not in notice.types:
            continue
        news = notice.news(item)
        if news is None:
            continue
        minute = f"{row.released.astimezone(datetime.UTC):%Y%m%d%H%M}"
        group = (row.person_id, row.guardian_reserved, news, minute)
        groups[group] = max(groups.get(group, row.released), row.released)  # told when the last of them is out
    if not groups:
        return
    # What each person's decision reads, read for all of them at once (a Bundle names up to a hundred persons).
    persons = sorted({person_id for person_id, _reserved, _news, _minute in groups})
    policy.read_own_ahead(persons)
    acting = _representatives(persons)
    told = {
        (person_id, reserved): recipients(notice.area, person_id, reserved=reserved, representatives=acting[person_id])
        for person_id, reserved, _news, _minute in groups
    }
    found = Person.objects.in_bulk(sorted({pk for told_of in told.values() for pk in told_of}))
    now = timezone.now()
    for (person_id, reserved, news, minute), released in sorted(groups.items()):
        for recipient in told[(person_id, reserved)]:
            key = f"records:{notice.area}:{news}:{person_id}:{recipient}:{minute}"
            later = released if released > now else None
            notify(recipient, notice.event, run_after=later, key=key, person=found.get(recipient))


def recipients(
    area: str, person_id: int, *, reserved: bool, representatives: list[tuple[int, Role]] | None = None
) -> list[int]:
    """Who may be told of news of the person in `area`: those `access` lets use it for her, today. Her
    `representatives` as `_representatives` reads them, when the caller read them already."""
    found = []
    herself = Actor(role=Role.CITIZEN, assurance=Assurance.HIGH, person_id=person_id, subject_id=person_id)
    if policy.check(herself, subject_id=person_id, area=area):
        found.append(person_id)
    if representatives is None:
        representatives = _representatives([person_id])[person_id]
    for representative, role in representatives:
        actor = Actor(role=role, assurance=Assurance.HIGH, person_id=representative, subject_id=person_id)
        if policy.check(actor, subject_id=person_id, area=area) and policy.item_visible(actor, reserved=reserved):
            found.append(representative)
    return found


def _representatives(person_ids: Sequence[int]) -> dict[int, list[tuple[int, Role]]]:
    """Everyone who might act for each of them: her parents and the receivers of her powers of attorney (access
    decides), in two queries for all of them."""
    found: dict[int, dict[int, Role]] = {pk: {} for pk in person_ids}
    parents = ParentalResponsibility.objects.filter(child_id__in=person_ids).values_list("child_id", "parent_id")
    for child, parent in parents:
        found[child][parent] = Role.PARENT
    powers = PowerOfAttorney.objects.filter(giver_id__in=person_ids, revoked_at__isnull=True)
    for giver, receiver in powers.values_list("giver_id", "receiver_id").distinct():
        found[giver].setdefault(receiver, Role.PROXY)
    return {pk: sorted(acting.items()) for pk, acting in found.items()}

"""«Nytt prøvesvar»: a notification without content when a result becomes visible to the person.

When a source's write creates results (`records.fhir` calls `received` in the same transaction), the person and
whoever `access` lets use `results` for her are told, through `notify`, with its fixed text (Event.NEW_RESULT: that
there is a new result on helseportalen, nothing else). Our rules:

- **When**: at receipt, or, for a result the source holds back (`Record.released` in the future), at its release
  time: the delivery is queued with `run_after` and the task worker sends it then (`notify`'s own scheduling).
- **Who**: each of the person herself, her parents (`identity.ParentalResponsibility`) and the receivers of her
  powers of attorney, if `access.policy.check` lets them use `results` for her today (a parent of a child under
  12 at her address: yes; of a child of 12–15: no, the parent table closes results; a youth of 13–15 herself: no,
  youth access does not open results, so she is not told of what she cannot see). An item with
  *vergeinnsynsreservasjon* is told to no representative (`policy.item_visible`). Decided at receipt, as the
  pages decide when they are read.
- **Once**: only a result *created* by the write is told (a re-send, a re-keyed copy with the same identifier, or a
  correction is not: `Outcome.UPDATED` or `UNCHANGED`); a result entered in error is not told. The delivery's key
  names the person, the recipient and the minute of release, so a Bundle's results, a report and its results, or
  two sends in the same minute make one notification, never one per result.
- A DiagnosticReport is a result like an Observation: a report with its results in one Bundle is one notification.
"""

import datetime
from collections.abc import Sequence

from django.utils import timezone

from helseportal.access import policy
from helseportal.access.models import PowerOfAttorney, ServiceArea
from helseportal.core.actor import Actor, Assurance, Role
from helseportal.fhir.provider import Outcome, Written
from helseportal.identity.models import ParentalResponsibility
from helseportal.notify.services import Event, notify
from helseportal.records.models import Record

AREA = ServiceArea.RESULTS.value
RESULT_TYPES = frozenset({"Observation", "DiagnosticReport"})


def received(written: Sequence[Written]) -> None:
    """Tell of the results a source's write created (see the module's rules)."""
    groups: dict[tuple[int, bool, str], datetime.datetime] = {}
    for item in written:
        row = item.row
        if item.outcome != Outcome.CREATED or not isinstance(row, Record) or row.entered_in_error:
            continue
        if row.resource_type not in RESULT_TYPES:
            continue
        group = (row.person_id, row.guardian_reserved, f"{row.released.astimezone(datetime.UTC):%Y%m%d%H%M}")
        groups[group] = max(groups.get(group, row.released), row.released)  # told when the last of them is out
    for (person_id, reserved, minute), released in sorted(groups.items()):
        for recipient in recipients(person_id, reserved=reserved):
            tell(f"records:results:new:{person_id}:{recipient}:{minute}", recipient, released)


def tell(key: str, recipient: int, released: datetime.datetime) -> None:
    """Queue the notification, to be sent at the release (now, when that has passed)."""
    notify(recipient, Event.NEW_RESULT, run_after=released if released > timezone.now() else None, key=key)


def recipients(person_id: int, *, reserved: bool) -> list[int]:
    """Who may be told of a new result of the person: those `access` lets use `results` for her, today."""
    found = []
    herself = Actor(role=Role.CITIZEN, assurance=Assurance.HIGH, person_id=person_id, subject_id=person_id)
    if policy.check(herself, subject_id=person_id, area=AREA):
        found.append(person_id)
    for representative, role in _representatives(person_id):
        actor = Actor(role=role, assurance=Assurance.HIGH, person_id=representative, subject_id=person_id)
        if policy.check(actor, subject_id=person_id, area=AREA) and policy.item_visible(actor, reserved=reserved):
            found.append(representative)
    return found


def _representatives(person_id: int) -> list[tuple[int, Role]]:
    """Everyone who might act for her: her parents and the receivers of her powers of attorney (access decides)."""
    parents = ParentalResponsibility.objects.filter(child_id=person_id).values_list("parent_id", flat=True)
    powers = PowerOfAttorney.objects.filter(giver_id=person_id, revoked_at__isnull=True)
    proxies = powers.values_list("receiver_id", flat=True).distinct()
    found = dict.fromkeys(parents, Role.PARENT)
    found |= {pk: Role.PROXY for pk in proxies if pk not in found}
    return sorted(found.items())

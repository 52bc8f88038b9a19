"""«Nytt prøvesvar»: a notification without content when a result becomes visible to the person.

The rules are the record services' (`records.notices`: who, when, once); Prøvesvar's part is which records and
which text. When a source's write creates results (Observation or DiagnosticReport: a report with its results in
one Bundle is one notification), the person and whoever `access` lets use `results` for her today are told, with
`notify`'s fixed text (Event.NEW_RESULT: that there is a new result on helseportalen, nothing else): a parent of a
child under 12 at her address, never a parent of a child of 12–15 (the parent table closes results), not a youth of
13–15 herself (youth access does not open results, so she is not told of what she cannot see); a reserved result to
no representative. A re-send, a re-keyed copy, a correction or an entered-in-error tells nobody.
"""

from collections.abc import Sequence

from helseportal.access.models import ServiceArea
from helseportal.fhir.provider import Written
from helseportal.notify.services import Event
from helseportal.records import notices

AREA = ServiceArea.RESULTS.value
RESULT_TYPES = frozenset({"Observation", "DiagnosticReport"})
NOTICE = notices.Notice(AREA, Event.NEW_RESULT, RESULT_TYPES)


def received(written: Sequence[Written]) -> None:
    """Tell of the results a source's write created (`records.notices.received`)."""
    notices.received(NOTICE, written)


def recipients(person_id: int, *, reserved: bool) -> list[int]:
    """Who may be told of a new result of the person (`records.notices.recipients` for `results`)."""
    return notices.recipients(AREA, person_id, reserved=reserved)

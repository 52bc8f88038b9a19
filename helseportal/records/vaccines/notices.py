"""«Ny vaksine»: a notification without content when a vaccination of hers is registered.

The rules are the record services' (`records.notices`: who, when, once). Vaksiner's part: a vaccination the write
*created* (Immunization; one registered as not given, `not-done`, is not news) is told with `notify`'s fixed text
(Event.NEW_VACCINE: that a vaccine is registered, nothing of which, when or where) to those `access` lets use
`vaccines` for her today: she herself from 16, or from 13 to 15 while a parent's youth-access consent is in force; a
parent of a child under 16 at her address; from 16 the receiver of a power of attorney. A vaccine with
*vergeinnsynsreservasjon* is told to no representative. The register sending its whole history again, under new ids,
tells nobody.
"""

from collections.abc import Sequence

from helseportal.access.models import ServiceArea
from helseportal.fhir.provider import Written
from helseportal.notify.services import Event
from helseportal.records import notices
from helseportal.records.models import Record

NOT_DONE = "not-done"


def _news(item: Written) -> str | None:
    row = item.row
    if isinstance(row, Record) and row.status == NOT_DONE:
        return None
    return notices.created(item)


NOTICE = notices.Notice(ServiceArea.VACCINES.value, Event.NEW_VACCINE, frozenset({"Immunization"}), _news)


def received(written: Sequence[Written]) -> None:
    """Tell of the vaccinations a source's write created (`records.notices.received`)."""
    notices.received(NOTICE, written)

"""Every write in organisations: the units import and the postcode import, from the operator's commands.

Units and postcodes are master data, not personal data: no Actor and no audit record. Each unit row is written in
its own savepoint (the unit, its weekly hours and its dated exceptions together or not at all), so running the
same file twice changes nothing ("unchanged"); the postcode register is written in one transaction.
"""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import DatabaseError, IntegrityError, transaction
from django.utils.translation import gettext as _

from helseportal.organisations import hours
from helseportal.organisations import hours_notation as notation
from helseportal.organisations.importing import FIELDS, RowRejected, ValidRow, one_line, orgnr_of, validate_row
from helseportal.organisations.models import OpeningException, OpeningHours, Postcode, Unit
from helseportal.organisations.postcodes import reason_to_reject

# --- units ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowOutcome:
    row: int  # the data row's number in the file, from 1
    orgnr: str
    status: str  # "created", "updated", "unchanged" or "rejected"
    reason: str = ""  # why it was rejected, in bokmål


@dataclass
class ImportReport:
    outcomes: list[RowOutcome] = field(default_factory=list)

    def _with(self, status: str) -> list[RowOutcome]:
        return [o for o in self.outcomes if o.status == status]

    @property
    def created(self) -> list[RowOutcome]:
        return self._with("created")

    @property
    def updated(self) -> list[RowOutcome]:
        return self._with("updated")

    @property
    def unchanged(self) -> list[RowOutcome]:
        return self._with("unchanged")

    @property
    def rejected(self) -> list[RowOutcome]:
        return self._with("rejected")


def import_units(rows: Iterable[Mapping[str, Any]]) -> ImportReport:
    """Create or update one unit per row (matched on orgnr); report every row, rejected ones with a reason."""
    report = ImportReport()
    seen: dict[str, int] = {}
    for number, row in enumerate(rows, start=1):
        orgnr = orgnr_of(row)
        try:
            if orgnr in seen:
                raise RowRejected(_("Samme organisasjonsnummer som rad %(row)s.") % {"row": seen[orgnr]})
            valid = validate_row(orgnr, row)
            seen[orgnr] = number
            try:
                with transaction.atomic():
                    status = _write(valid)
            except IntegrityError:  # another import or an operator wrote the same orgnr in between
                raise RowRejected(_("Enheten ble endret samtidig av noen andre. Kjør importen igjen.")) from None
            except DatabaseError as error:  # what validation missed: the row is refused, the file goes on
                raise RowRejected(_("Databasen avviste raden: %(error)s") % {"error": one_line(error)}) from None
        except RowRejected as rejection:
            report.outcomes.append(RowOutcome(number, orgnr, "rejected", str(rejection)))
        else:
            report.outcomes.append(RowOutcome(number, orgnr, status))
    return report


def _write(valid: ValidRow) -> str:
    unit = Unit.objects.filter(orgnr=valid.orgnr).prefetch_related("opening_hours", "opening_exceptions").first()
    if unit is None:
        unit = Unit.objects.create(orgnr=valid.orgnr, **valid.values)
        _replace_hours(unit, valid.weekly or [])
        _replace_exceptions(unit, valid.exceptions or [])
        return "created"
    changed = [name for name in FIELDS if getattr(unit, name) != valid.values[name]]
    hours_changed = valid.weekly is not None and hours.weekly_of(unit) != valid.weekly
    exceptions_changed = valid.exceptions is not None and _exceptions_of(unit) != valid.exceptions
    if not changed and not hours_changed and not exceptions_changed:
        return "unchanged"
    for name in changed:
        setattr(unit, name, valid.values[name])
    unit.save(update_fields=changed or None)
    if hours_changed:
        _replace_hours(unit, valid.weekly or [])
    if exceptions_changed:
        _replace_exceptions(unit, valid.exceptions or [])
    return "updated"


def _exceptions_of(unit: Unit) -> list[notation.DatedException]:
    return sorted(
        (
            notation.DatedException(
                item.date,
                hours.Interval(item.opens, item.closes) if item.opens is not None and item.closes is not None else None,
                item.note,
            )
            for item in unit.opening_exceptions.all()
        ),
        key=lambda item: (item.date, item.interval.opens if item.interval else datetime.time()),
    )


def _replace_exceptions(unit: Unit, exceptions: list[notation.DatedException]) -> None:
    unit.opening_exceptions.all().delete()
    OpeningException.objects.bulk_create(
        OpeningException(
            unit=unit,
            date=item.date,
            opens=item.interval.opens if item.interval else None,
            closes=item.interval.closes if item.interval else None,
            note=item.note[:200],
        )
        for item in exceptions
    )


def _replace_hours(unit: Unit, weekly: list[hours.WeeklyInterval]) -> None:
    unit.opening_hours.all().delete()
    OpeningHours.objects.bulk_create(
        OpeningHours(unit=unit, weekday=item.weekday, opens=item.interval.opens, closes=item.interval.closes)
        for item in weekly
    )


# --- postcodes --------------------------------------------------------------------------------------------------


@dataclass
class PostcodeImport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)


@transaction.atomic
def import_postcodes(rows: Iterable[list[str]]) -> PostcodeImport:
    """Create or update one Postcode per row; a row that is not a postcode is rejected with its reason."""
    report = PostcodeImport()
    existing = {p.code: p for p in Postcode.objects.all()}
    for number, row in enumerate(rows, start=1):
        cells = [cell.strip() for cell in row]
        if reason := reason_to_reject(cells):
            report.rejected.append((number, reason))
            continue
        values = {
            "place": cells[1],
            "municipality_number": cells[2],
            "municipality_name": cells[3],
            "category": cells[4][:1] if len(cells) > 4 else "",
        }
        current = existing.get(cells[0])
        if current is None:
            existing[cells[0]] = Postcode.objects.create(code=cells[0], **values)
            report.created += 1
        elif any(getattr(current, key) != value for key, value in values.items()):
            Postcode.objects.filter(code=cells[0]).update(**values)
            for key, value in values.items():
                setattr(current, key, value)
            report.updated += 1
        else:
            report.unchanged += 1
    return report

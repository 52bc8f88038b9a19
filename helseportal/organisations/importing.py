"""Import units from the registry file: validate each row completely, then write it in its own savepoint.

A row is matched on its orgnr, so running the same file twice changes nothing ("unchanged"). A rejected row
never stops the others, and a row is never half-written: the unit, its weekly hours and its dated exceptions go
in together or not at all. The file formats and the hours notation are in docs/units.md.
"""

import contextlib
import csv
import datetime
import io
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.utils.translation import gettext as _
from stdnum.no import orgnr as orgnr_number

from helseportal.core.phone import normalise_mobile
from helseportal.organisations import hours
from helseportal.organisations.models import OpeningException, OpeningHours, Unit, UnitKind
from helseportal.organisations.postcodes import postcode_directory

COLUMNS = (
    "orgnr", "kind", "name", "display_name", "street_address", "postcode", "post_place", "municipality_number",
    "municipality_name", "latitude", "longitude", "phone", "parent_orgnr", "opening_hours", "opening_exceptions",
)  # fmt: skip
# Mainland Norway, Svalbard and Jan Mayen; swapped latitude and longitude fall outside.
LATITUDES = (Decimal("57.5"), Decimal("81.5"))
LONGITUDES = (Decimal("-9.5"), Decimal("33.5"))
_FIELDS = (
    "kind", "name", "display_name", "street_address", "postcode", "post_place", "municipality_number",
    "municipality_name", "latitude", "longitude", "phone", "parent_id",
)  # fmt: skip


HOURS_COLUMNS = ("opening_hours", "opening_exceptions")  # a string, or in JSON a list of strings or flat objects
# Where the CSV reader could not make a row of a line, that row carries only why (see `_read_csv`).
UNPARSEABLE = "__unparseable__"


class UnreadableFile(Exception):
    """The file cannot be read as a units file at all (exit code 2)."""


class RowRejected(Exception):
    pass


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


@dataclass
class _ValidRow:
    orgnr: str
    values: dict[str, Any]
    weekly: list[hours.WeeklyInterval] | None  # None: the row says nothing about hours, leave them
    exceptions: list[hours.DatedException] | None = None  # None: leave the unit's exceptions as they are


def import_units(rows: Iterable[Mapping[str, Any]]) -> ImportReport:
    """Create or update one unit per row (matched on orgnr); report every row, rejected ones with a reason."""
    report = ImportReport()
    seen: dict[str, int] = {}
    for number, row in enumerate(rows, start=1):
        orgnr = _text(row.get("orgnr")).replace(" ", "")
        try:
            if orgnr in seen:
                raise RowRejected(_("Samme organisasjonsnummer som rad %(row)s.") % {"row": seen[orgnr]})
            valid = _validate(orgnr, row)
            seen[orgnr] = number
            try:
                with transaction.atomic():
                    status = _write(valid)
            except IntegrityError:  # another import or an operator wrote the same orgnr in between
                raise RowRejected(_("Enheten ble endret samtidig av noen andre. Kjør importen igjen.")) from None
            except DatabaseError as error:  # what validation missed: the row is refused, the file goes on
                raise RowRejected(_("Databasen avviste raden: %(error)s") % {"error": _one_line(error)}) from None
        except RowRejected as rejection:
            report.outcomes.append(RowOutcome(number, orgnr, "rejected", str(rejection)))
        else:
            report.outcomes.append(RowOutcome(number, orgnr, status))
    return report


def _validate(orgnr: str, row: Mapping[str, Any]) -> _ValidRow:
    if UNPARSEABLE in row:
        raise RowRejected(row[UNPARSEABLE])
    _check_storable(row)
    if not orgnr:
        raise RowRejected(_("Organisasjonsnummer mangler."))
    if not (orgnr.isascii() and orgnr_number.is_valid(orgnr)):
        raise RowRejected(
            _("Organisasjonsnummeret %(orgnr)s er ugyldig (9 sifre med kontrollsiffer).") % {"orgnr": orgnr}
        )
    kind = _text(row.get("kind"))
    if kind not in UnitKind.values:
        raise RowRejected(
            _("Ukjent type «%(kind)s». Gyldige typer: %(kinds)s.") % {"kind": kind, "kinds": ", ".join(UnitKind.values)}
        )
    name = _text(row.get("name"))
    if not name:
        raise RowRejected(_("Navn mangler."))
    values: dict[str, Any] = {
        "kind": kind,
        "name": name,
        "display_name": _text(row.get("display_name")),
        "street_address": _text(row.get("street_address")),
        "postcode": _text(row.get("postcode")),
        "post_place": _text(row.get("post_place")),
        "latitude": _coordinate(row.get("latitude"), LATITUDES, _("Breddegrad")),
        "longitude": _coordinate(row.get("longitude"), LONGITUDES, _("Lengdegrad")),
        "phone": _phone(_text(row.get("phone"))),
        "parent_id": _parent(_text(row.get("parent_orgnr")).replace(" ", ""), orgnr),
        **_municipality(row),
    }
    if values["postcode"] and not _digits(values["postcode"], 4):
        raise RowRejected(_("Postnummeret må ha fire sifre."))
    _check_lengths(orgnr, values)
    return _ValidRow(orgnr, values, _weekly(row), _exceptions(row))


def _write(valid: _ValidRow) -> str:
    unit = Unit.objects.filter(orgnr=valid.orgnr).prefetch_related("opening_hours", "opening_exceptions").first()
    if unit is None:
        unit = Unit.objects.create(orgnr=valid.orgnr, **valid.values)
        _replace_hours(unit, valid.weekly or [])
        _replace_exceptions(unit, valid.exceptions or [])
        return "created"
    changed = [name for name in _FIELDS if getattr(unit, name) != valid.values[name]]
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


def _exceptions_of(unit: Unit) -> list[hours.DatedException]:
    return sorted(
        (
            hours.DatedException(
                item.date,
                hours.Interval(item.opens, item.closes) if item.opens is not None and item.closes is not None else None,
                item.note,
            )
            for item in unit.opening_exceptions.all()
        ),
        key=lambda item: (item.date, item.interval.opens if item.interval else datetime.time()),
    )


def _replace_exceptions(unit: Unit, exceptions: list[hours.DatedException]) -> None:
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


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _digits(text: str, count: int) -> bool:
    """`count` ASCII digits: `isdigit()` alone also takes Arabic-Indic and other scripts' digits."""
    return len(text) == count and text.isascii() and text.isdigit()


def _one_line(error: Exception) -> str:
    return " ".join(str(error).split())[:200]


def _check_storable(row: Mapping[str, Any]) -> None:
    """Refuse a row with a value no database column can hold: a nested value, a NUL, a lone surrogate."""
    for name in COLUMNS:
        value = row.get(name)
        if name in HOURS_COLUMNS and isinstance(value, list):
            items = [part for entry in value for part in (entry.values() if isinstance(entry, dict) else [entry])]
        else:
            items = [value]
        for item in items:
            if not (item is None or isinstance(item, str | int | float)):
                raise RowRejected(_("«%(column)s» må være tekst eller et tall.") % {"column": name})
            if isinstance(item, str) and not _storable(item):
                raise RowRejected(
                    _("«%(column)s» har et tegn som ikke kan lagres (NUL eller ugyldig Unicode).") % {"column": name}
                )


def _storable(text: str) -> bool:
    try:
        text.encode("utf-8")  # a lone surrogate (JSON's "\\ud800") has no UTF-8
    except UnicodeEncodeError:
        return False
    return "\x00" not in text  # PostgreSQL's text cannot hold NUL


def _coordinate(value: Any, bounds: tuple[Decimal, Decimal], label: str) -> Decimal:
    text = _text(value).replace(",", ".")
    if not text:
        raise RowRejected(_("%(label)s mangler.") % {"label": label})
    try:
        number = Decimal(text)
        if not number.is_finite():  # NaN compares with nothing, and would raise below
            raise InvalidOperation
        number = number.quantize(Decimal("0.00001"))
    except InvalidOperation:
        raise RowRejected(_("%(label)s «%(value)s» er ikke et tall.") % {"label": label, "value": text[:40]}) from None
    if not bounds[0] <= number <= bounds[1]:
        raise RowRejected(
            _("%(label)s %(value)s er utenfor Norge (%(low)s til %(high)s).")
            % {"label": label, "value": text, "low": bounds[0], "high": bounds[1]}
        )
    return number


def _phone(text: str) -> str:
    """Return the number written as Norwegians do (mobile "912 34 567", landline "22 46 00 00"); "" stays ""."""
    if not text:
        return ""
    mobile = normalise_mobile(text)
    if mobile:
        return f"{mobile[:3]} {mobile[3:5]} {mobile[5:]}"
    # Landlines also have eight digits, starting with 2, 3, 5, 6 or 7 (4 and 9 are mobiles, checked above).
    digits = "".join(ch for ch in text if ch not in " ()-.")
    digits = digits.removeprefix("+47") if digits.startswith("+47") else digits.removeprefix("0047")
    if len(digits) == 8 and digits.isascii() and digits.isdigit() and digits[0] in "23567":
        return " ".join(digits[i : i + 2] for i in range(0, 8, 2))
    raise RowRejected(_("Telefonnummeret «%(phone)s» er ikke et norsk nummer med åtte sifre.") % {"phone": text})


def _parent(parent_orgnr: str, orgnr: str) -> int | None:
    if not parent_orgnr:
        return None
    if parent_orgnr == orgnr:
        raise RowRejected(_("En enhet kan ikke være sin egen overordnede enhet."))
    parent_id = Unit.objects.filter(orgnr=parent_orgnr).values_list("pk", flat=True).first()
    if parent_id is None:
        raise RowRejected(
            _("Ukjent overordnet enhet %(orgnr)s (den må finnes fra før eller stå tidligere i filen).")
            % {"orgnr": parent_orgnr}
        )
    return parent_id


def _municipality(row: Mapping[str, Any]) -> dict[str, str]:
    number, name = _text(row.get("municipality_number")), _text(row.get("municipality_name"))
    if not number and _text(row.get("postcode")):
        entry = postcode_directory().lookup(_text(row.get("postcode")))
        if entry is not None:
            number, name = entry.municipality_number, name or entry.municipality_name
    if not _digits(number, 4):
        raise RowRejected(_("Kommunenummeret må ha fire sifre."))
    if not name:
        raise RowRejected(_("Kommunenavn mangler."))
    return {"municipality_number": number, "municipality_name": name}


def _weekly(row: Mapping[str, Any]) -> list[hours.WeeklyInterval] | None:
    value = row.get("opening_hours")
    if value is None:
        return None
    try:
        if isinstance(value, list):
            return hours.parse_entries(value)
        return hours.parse_hours(str(value))
    except hours.HoursSyntaxError as error:
        raise RowRejected(_("Åpningstidene er feil: %(error)s") % {"error": error}) from None


def _exceptions(row: Mapping[str, Any]) -> list[hours.DatedException] | None:
    value = row.get("opening_exceptions")
    if value is None:
        return None
    try:
        if isinstance(value, list):
            return hours.parse_exception_entries(value)
        return hours.parse_exceptions(str(value))
    except hours.HoursSyntaxError as error:
        raise RowRejected(_("De avvikende åpningstidene er feil: %(error)s") % {"error": error}) from None


def _check_lengths(orgnr: str, values: dict[str, Any]) -> None:
    unit = Unit(orgnr=orgnr, **values)
    try:
        unit.clean_fields(exclude=["orgnr", "parent", "latitude", "longitude"])
    except ValidationError as error:
        messages = [f"{name}: {' '.join(errors)}" for name, errors in error.message_dict.items()]
        raise RowRejected("; ".join(messages)) from None


# --- reading the file ---------------------------------------------------------------------------------------


def read_units_file(path: Path) -> list[dict[str, Any]]:
    """Read a CSV or JSON units file (chosen by extension); raise UnreadableFile when it cannot be read."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise UnreadableFile(_("Kan ikke lese %(path)s: %(error)s") % {"path": path, "error": error}) from None
    suffix = path.suffix.lower()
    if suffix == ".json":
        return _read_json(text)
    if suffix in (".csv", ".txt"):
        return _read_csv(text)
    raise UnreadableFile(_("Filen må slutte på .csv eller .json."))


def _read_json(text: str) -> list[dict[str, Any]]:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as error:  # bad syntax, an integer of over 4300 digits, nested too deep
        raise UnreadableFile(_("Ugyldig JSON: %(error)s") % {"error": _one_line(error)}) from None
    if isinstance(data, dict):
        data = data.get("units")
    if not isinstance(data, list):
        raise UnreadableFile(_('JSON-filen må være en liste med enheter, eller {"units": [...]}.'))
    return [item if isinstance(item, dict) else {} for item in data]


def _read_csv(text: str) -> list[dict[str, Any]]:
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [name for name in ("orgnr", "kind", "name", "latitude", "longitude") if name not in header]
    if missing:
        raise UnreadableFile(_("CSV-filen mangler kolonnene %(columns)s.") % {"columns": ", ".join(missing)})
    reader.fieldnames = header
    rows: list[dict[str, Any]] = []
    with _field_limit(len(text)):  # a long field is the row's length check's to refuse, not the reader's
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return rows
            except csv.Error as error:  # e.g. a bare carriage return inside a field: that line is refused
                rows.append({UNPARSEABLE: _("Linjen kan ikke leses som CSV: %(error)s") % {"error": _one_line(error)}})
            else:
                rows.append({key: value for key, value in row.items() if key in COLUMNS})


@contextlib.contextmanager
def _field_limit(size: int) -> Iterator[None]:
    """Let the csv module read a field as long as the file (its limit is process-wide; it is put back after)."""
    before = csv.field_size_limit()
    csv.field_size_limit(max(before, size + 1))
    try:
        yield
    finally:
        csv.field_size_limit(before)

"""Check each row of a units file completely before anything is written (`services.import_units` writes it).

A row is rejected with a reason in bokmål, and a rejected row never stops the others. The file formats and the
hours notation are in docs/units.md; reading the file is `files.py`'s.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.no import orgnr as orgnr_number

from helseportal.core.phone import normalise_mobile
from helseportal.organisations import hours
from helseportal.organisations import hours_notation as notation
from helseportal.organisations.models import Unit, UnitKind
from helseportal.organisations.postcodes import postcode_directory

COLUMNS = (
    "orgnr", "kind", "name", "display_name", "street_address", "postcode", "post_place", "municipality_number",
    "municipality_name", "latitude", "longitude", "phone", "parent_orgnr", "opening_hours", "opening_exceptions",
)  # fmt: skip
# Mainland Norway, Svalbard and Jan Mayen; swapped latitude and longitude fall outside.
LATITUDES = (Decimal("57.5"), Decimal("81.5"))
LONGITUDES = (Decimal("-9.5"), Decimal("33.5"))
# The Unit fields a row sets: the keys of ValidRow.values.
FIELDS = (
    "kind", "name", "display_name", "street_address", "postcode", "post_place", "municipality_number",
    "municipality_name", "latitude", "longitude", "phone", "parent_id",
)  # fmt: skip
HOURS_COLUMNS = ("opening_hours", "opening_exceptions")  # a string, or in JSON a list of strings or flat objects
# Where the CSV reader could not make a row of a line, that row carries only why (`files.read_units_file`).
UNPARSEABLE = "__unparseable__"


class RowRejected(Exception):
    """The row cannot be imported; the message says why, in bokmål."""


@dataclass
class ValidRow:
    """A row that passed every check: what `services.import_units` writes."""

    orgnr: str
    values: dict[str, Any]
    weekly: list[hours.WeeklyInterval] | None  # None: the row says nothing about hours, leave them
    exceptions: list[notation.DatedException] | None = None  # None: leave the unit's exceptions as they are


def orgnr_of(row: Mapping[str, Any]) -> str:
    """The row's organisasjonsnummer as written, without spaces (the key a row is matched on)."""
    return _text(row.get("orgnr")).replace(" ", "")


def validate_row(orgnr: str, row: Mapping[str, Any]) -> ValidRow:
    """Check a row completely, before anything is written; `RowRejected` says what is wrong, in bokmål."""
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
    return ValidRow(orgnr, values, _weekly(row), _exceptions(row))


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _digits(text: str, count: int) -> bool:
    """`count` ASCII digits: `isdigit()` alone also takes Arabic-Indic and other scripts' digits."""
    return len(text) == count and text.isascii() and text.isdigit()


def one_line(error: Exception) -> str:
    """An error's text on one line, at most 200 characters: for a rejected row's reason."""
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
    problem = _("Åpningstidene er feil: %(error)s")
    return _parse_column(row.get("opening_hours"), notation.parse_entries, notation.parse_hours, problem)


def _exceptions(row: Mapping[str, Any]) -> list[notation.DatedException] | None:
    problem = _("De avvikende åpningstidene er feil: %(error)s")
    return _parse_column(
        row.get("opening_exceptions"), notation.parse_exception_entries, notation.parse_exceptions, problem
    )


def _parse_column[T](
    value: Any, from_list: Callable[[list[Any]], T], from_text: Callable[[str], T], problem: str
) -> T | None:
    """Parse an hours column (None: the row says nothing, leave the unit's as they are); a syntax error rejects it."""
    if value is None:
        return None
    try:
        return from_list(value) if isinstance(value, list) else from_text(str(value))
    except notation.HoursSyntaxError as error:
        raise RowRejected(problem % {"error": error}) from None


def _check_lengths(orgnr: str, values: dict[str, Any]) -> None:
    unit = Unit(orgnr=orgnr, **values)
    try:
        unit.clean_fields(exclude=["orgnr", "parent", "latitude", "longitude"])
    except ValidationError as error:
        messages = [f"{name}: {' '.join(errors)}" for name, errors in error.message_dict.items()]
        raise RowRejected("; ".join(messages)) from None

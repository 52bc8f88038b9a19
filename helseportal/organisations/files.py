"""Reading the registry files the import commands take: units (CSV or JSON) and Posten/Bring's postcode register
(tab-separated). Nothing here checks a row (`importing.py`, `postcodes.py`) or writes one (`services.py`).
"""

import contextlib
import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from helseportal.organisations.importing import COLUMNS, UNPARSEABLE, one_line


class UnreadableFile(Exception):
    """The file cannot be read as a units file at all (exit code 2)."""


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
        raise UnreadableFile(_("Ugyldig JSON: %(error)s") % {"error": one_line(error)}) from None
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
                rows.append({UNPARSEABLE: _("Linjen kan ikke leses som CSV: %(error)s") % {"error": one_line(error)}})
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


def read_register_file(path: Path) -> list[list[str]]:
    """Read Bring's register file: tab-separated, no header, no quoting, in UTF-8 (older files are ISO-8859-1).

    Split by hand, not with the csv module: the format has no quoting to undo, and the csv module would stop the
    whole file at a field over 131,072 characters or a stray quote. Every line becomes a row for the import to
    accept or reject.
    """
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("iso-8859-1")
    return [line.split("\t") for line in text.splitlines() if line.strip()]

"""The postcode directory behind an interface: postcode → place and municipality.

`DatabasePostcodes` reads the `Postcode` table, filled from Posten/Bring's public register file
(postnummerregisteret: tab-separated postnummer, poststed, kommunenummer, kommunenavn, kategori) with
`helseportal import-postcodes FILE`. The demo ships a small subset (`demo/data/postcodes.tsv`).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from django.db import transaction
from django.utils.translation import gettext as _

from helseportal.organisations.models import Postcode


@dataclass(frozen=True)
class PostcodeEntry:
    postcode: str
    place: str
    municipality_number: str
    municipality_name: str


class PostcodeDirectory(Protocol):
    def lookup(self, postcode: str) -> PostcodeEntry | None: ...


class DatabasePostcodes:
    def lookup(self, postcode: str) -> PostcodeEntry | None:
        code = (postcode or "").strip()
        if len(code) != 4 or not code.isdigit():
            return None
        row = Postcode.objects.filter(code=code).first()
        if row is None:
            return None
        return PostcodeEntry(row.code, row.place, row.municipality_number, row.municipality_name)


def postcode_directory() -> PostcodeDirectory:
    return DatabasePostcodes()


PLACE_LENGTH = 100  # Postcode.place and .municipality_name


@dataclass
class PostcodeImport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)


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


def _reason(cells: list[str]) -> str:
    """Why a row cannot be a postcode, in bokmål; "" when it can."""
    if len(cells) < 4:
        return _("ventet postnummer, poststed, kommunenummer, kommunenavn, kategori (tabulatorseparert)")
    code, place, number, name = cells[:4]
    if not _digits(code, 4):
        return _("Postnummeret må ha fire sifre.")
    if not _digits(number, 4):
        return _("Kommunenummeret må ha fire sifre.")
    if not place or not name:
        return _("Poststed og kommunenavn må være fylt ut.")
    if len(place) > PLACE_LENGTH or len(name) > PLACE_LENGTH:
        return _("Poststed og kommunenavn kan ha høyst %(max)s tegn.") % {"max": PLACE_LENGTH}
    if any("\x00" in cell for cell in cells):
        return _("Raden har et NUL-tegn, som ikke kan lagres.")
    return ""


def _digits(text: str, count: int) -> bool:
    return len(text) == count and text.isascii() and text.isdigit()


@transaction.atomic
def import_postcodes(rows: Iterable[list[str]]) -> PostcodeImport:
    """Create or update one Postcode per row; a row that is not a postcode is rejected with its reason."""
    report = PostcodeImport()
    existing = {p.code: p for p in Postcode.objects.all()}
    for number, row in enumerate(rows, start=1):
        cells = [cell.strip() for cell in row]
        if reason := _reason(cells):
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

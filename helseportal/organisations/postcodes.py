"""The postcode directory behind an interface: postcode → place and municipality.

`DatabasePostcodes` reads the `Postcode` table, filled from Posten/Bring's public register file
(postnummerregisteret: tab-separated postnummer, poststed, kommunenummer, kommunenavn, kategori) with
`helseportal import-postcodes FILE`. The demo ships a small subset (`demo/data/postcodes.tsv`).
"""

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from django.db import transaction

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


@dataclass
class PostcodeImport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)


def read_register_file(path: Path) -> list[list[str]]:
    """Read Bring's register file: tab-separated, no header, in UTF-8 (older files are ISO-8859-1)."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("iso-8859-1")
    return [row for row in csv.reader(text.splitlines(), delimiter="\t") if any(cell.strip() for cell in row)]


@transaction.atomic
def import_postcodes(rows: Iterable[list[str]]) -> PostcodeImport:
    """Create or update one Postcode per row; rows that are not five columns with a four-digit code are rejected."""
    report = PostcodeImport()
    existing = {p.code: p for p in Postcode.objects.all()}
    for number, row in enumerate(rows, start=1):
        cells = [cell.strip() for cell in row]
        if len(cells) < 4 or not (len(cells[0]) == 4 and cells[0].isdigit()) or len(cells[2]) != 4:
            report.rejected.append(
                (number, "ventet postnummer, poststed, kommunenummer, kommunenavn, kategori (tabulatorseparert)")
            )
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
            report.updated += 1
        else:
            report.unchanged += 1
    return report

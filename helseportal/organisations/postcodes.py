"""The postcode directory behind an interface: postcode → place and municipality.

`DatabasePostcodes` reads the `Postcode` table, filled from Posten/Bring's public register file
(postnummerregisteret: tab-separated postnummer, poststed, kommunenummer, kommunenavn, kategori) with
`helseportal import-postcodes FILE` (`services.import_postcodes`, each row checked by `reason_to_reject`). The
demo ships a small subset (`demo/data/postcodes.tsv`).
"""

from dataclasses import dataclass
from typing import Protocol

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


def reason_to_reject(cells: list[str]) -> str:
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

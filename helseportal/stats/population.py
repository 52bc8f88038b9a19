"""Population per municipality (issue 13 item 2: the share of the population the youth services cover), imported from
Statistics Norway's table 07459 (*Befolkning, etter region, kjønn, alder, statistikkvariabel og år*: the population
on 1 January; https://www.ssb.no/statbank/table/07459).

`helseportal stats population import <file>` reads the table as Statistikkbanken downloads it as CSV, in long form,
with the municipalities as the region, every age and both sexes summed (or left in: rows of one municipality and year
are added up), one row per region and year::

    "region";"år";"Personer"
    "0301 Oslo";"2025";717710

What is read: an optional title line or two, then a header with a column whose name starts with `region`, one named
`år` (or `year`/`tid`), and the figure in the last column. The region is "<number> <name>" (a `K-` prefix is
allowed); a four-digit number is a municipality, anything else (the country, a county) is skipped, as are missing
figures (`..`, `:`, `.`, `-`). `;`, `,` and tab separate fields. An import replaces the years it holds. Our choices:
the header check and the separators are lenient because the download's exact heading varies with what is chosen in
Statistikkbanken (and we could not fetch one here: the demo's file is synthetic, and says so).
"""

import csv
import io
import re
from collections import Counter as Tally
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.db.models import Max

from helseportal.core.errors import Invalid
from helseportal.stats.models import Population

__all__ = ["Imported", "coverage", "import_file", "import_text", "latest"]

_REGION = re.compile(r"^(?:K-)?([0-9]{4})\s+(.+)$")
_DIGITS = re.compile(r"[0-9]+")  # ASCII digits only: str.isdigit() takes "²" and "①", which int() refuses
MOST = 2**31 - 1  # the column's limit (PositiveIntegerField); no municipality comes near it
NAME_LENGTH = 100  # `Population.name`
_MISSING = {"", "..", ":", ".", "-"}
_YEAR_NAMES = ("år", "year", "tid")
DEMO_FILE = Path(__file__).parent / "data" / "population-demo.csv"


@dataclass(frozen=True)
class Imported:
    rows: int
    years: tuple[int, ...]
    skipped: int


def _header(rows: list[list[str]]) -> tuple[int, int, int]:
    """The header's line and the region's and the year's columns (the figure is the last column)."""
    for number, row in enumerate(rows[:5]):
        names = [cell.strip().strip('"').lower() for cell in row]
        region = next((i for i, name in enumerate(names) if name.startswith("region")), None)
        year = next((i for i, name in enumerate(names) if name in _YEAR_NAMES), None)
        if region is not None and year is not None and len(names) >= 3:
            return number, region, year
    raise Invalid("Fant ikke overskriftene «region» og «år» i filen (SSB tabell 07459 som CSV).")


def _rows(text: str) -> list[list[str]]:
    text = text.lstrip("\ufeff")
    sample = "\n".join(text.splitlines()[:6])
    delimiter = max(";,\t", key=sample.count)
    return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter) if any(cell.strip() for cell in row)]


def import_text(text: str) -> Imported:
    """Import table 07459 from its CSV text; `Invalid` with the line when a row cannot be read."""
    rows = _rows(text)
    at, region_column, year_column = _header(rows)
    if not rows[at][-1].strip():  # every line ends with a separator (an empty last column): the figure is before it
        rows = [row[:-1] if row and not row[-1].strip() else row for row in rows]
    totals: Tally[tuple[str, int]] = Tally()
    names: dict[str, str] = {}
    skipped = 0
    for line, row in enumerate(rows[at + 1 :], start=at + 2):
        if len(row) <= max(region_column, year_column):
            raise Invalid(f"Linje {line} har for få felt.")
        region = _REGION.match(row[region_column].strip())
        figure = row[-1].strip().replace("\u00a0", "").replace(" ", "")
        if region is None or figure in _MISSING:
            skipped += 1
            continue
        year, value = row[year_column].strip(), figure
        if not (re.fullmatch(r"[0-9]{4}", year) and _DIGITS.fullmatch(value)):
            raise Invalid(f"Linje {line}: året og folkemengden må være hele tall (sifrene 0–9).")
        number, name = region.groups()
        if len(name.strip()) > NAME_LENGTH:
            raise Invalid(f"Linje {line}: kommunenavnet er lengre enn {NAME_LENGTH} tegn.")
        if len(value) > len(str(MOST)):  # before int(): a figure of a thousand digits is refused as it is
            raise Invalid(f"Linje {line}: folkemengden er for stor (høyst {MOST:,}).".replace(",", "\u00a0"))
        totals[(number, int(year))] += int(value)
        if totals[(number, int(year))] > MOST:
            raise Invalid(f"Linje {line}: folkemengden er for stor (høyst {MOST:,}).".replace(",", "\u00a0"))
        names[number] = name.strip()
    if not totals:
        raise Invalid("Filen har ingen kommuner med folkemengde.")
    years = tuple(sorted({year for _number, year in totals}))
    with transaction.atomic():
        Population.objects.filter(year__in=years).delete()
        Population.objects.bulk_create(
            Population(municipality=number, name=names[number], year=year, population=value)
            for (number, year), value in sorted(totals.items())
        )
    return Imported(len(totals), years, skipped)


def import_file(path: Path) -> Imported:
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise Invalid(f"Kunne ikke lese {path}: {error.strerror}.") from None
    for encoding in ("utf-8", "cp1252"):  # Statistikkbanken offers both; Excel saves the second
        try:
            return import_text(raw.decode(encoding))
        except UnicodeDecodeError:
            continue
    raise Invalid("Filen er verken UTF-8 eller Windows-1252.")


def latest(year: int) -> dict[str, tuple[str, int]]:
    """Each municipality's (name, population) in the latest year imported up to `year` (else the earliest there is)."""
    newest = Population.objects.filter(year__lte=year).aggregate(y=Max("year"))["y"]
    if newest is None:
        newest = Population.objects.order_by("year").values_list("year", flat=True).first()
    if newest is None:
        return {}
    return {row.municipality: (row.name, row.population) for row in Population.objects.filter(year=newest)}


def coverage(municipalities: set[str], year: int) -> tuple[int, int]:
    """(people living in `municipalities`, people in every imported municipality), from `latest(year)`."""
    known = latest(year)
    return sum(known[m][1] for m in municipalities if m in known), sum(p for _name, p in known.values())

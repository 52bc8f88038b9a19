"""Norwegian person identifiers: fødselsnummer, D-nummer and synthetic (Tenor) test numbers.

python-stdnum checks the two mod-11 check digits; it does not know Skatteetaten's synthetic numbers (month + 80),
so the birth date is derived here. Synthetic numbers are only accepted when test identities are enabled.
"""

import datetime
import enum
from dataclasses import dataclass

from django.utils.translation import gettext as _
from stdnum.no import fodselsnummer

FNR_SYSTEM = "urn:oid:2.16.578.1.12.4.1.4.1"
DNR_SYSTEM = "urn:oid:2.16.578.1.12.4.1.4.2"
HPR_SYSTEM = "urn:oid:2.16.578.1.12.4.1.4.4"
ORGNR_SYSTEM = "urn:oid:2.16.578.1.12.4.1.4.101"

SYNTHETIC_MONTH_OFFSET = 80


class InvalidPersonId(ValueError):
    """The text is not a valid Norwegian person identifier; `message` says why in Norwegian."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class PidKind(enum.StrEnum):
    FNR = "fnr"
    DNR = "dnr"


@dataclass(frozen=True)
class PersonId:
    value: str
    kind: PidKind
    synthetic: bool
    birth_date: datetime.date

    @property
    def system(self) -> str:
        return FNR_SYSTEM if self.kind == PidKind.FNR else DNR_SYSTEM

    @property
    def masked(self) -> str:
        """The form shown to others and written in logs: birth date digits only (`010190*****`)."""
        return self.value[:6] + "*****"


def parse_pid(text: str, *, allow_synthetic: bool) -> PersonId:
    """Validate a fødselsnummer or D-nummer and derive its birth date."""
    value = fodselsnummer.compact(text or "")
    if len(value) != 11 or not value.isdigit():
        raise InvalidPersonId(_("Fødselsnummeret må ha 11 sifre."))
    if value[9] != fodselsnummer.calc_check_digit1(value) or value[10] != fodselsnummer.calc_check_digit2(value):
        raise InvalidPersonId(_("Kontrollsifrene i fødselsnummeret stemmer ikke."))
    day, month = int(value[0:2]), int(value[2:4])
    kind = PidKind.DNR if day > 40 else PidKind.FNR
    synthetic = month > SYNTHETIC_MONTH_OFFSET
    if synthetic and not allow_synthetic:
        raise InvalidPersonId(_("Syntetiske testnummer kan ikke brukes her."))
    if kind == PidKind.DNR:
        day -= 40
    if synthetic:
        month -= SYNTHETIC_MONTH_OFFSET
    birth_date = _birth_date(day, month, int(value[4:6]), int(value[6:9]))
    return PersonId(value=value, kind=kind, synthetic=synthetic, birth_date=birth_date)


def _birth_date(day: int, month: int, year2: int, individual: int) -> datetime.date:
    # The individual number gives the century (Skatteetaten's table, as in python-stdnum).
    if individual < 500:
        year = 1900 + year2
    elif individual < 750 and year2 >= 54:
        year = 1800 + year2
    elif year2 < 40:
        year = 2000 + year2
    elif individual >= 900:
        year = 1900 + year2
    else:
        raise InvalidPersonId(_("Fødselsnummeret har et ugyldig individnummer."))
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise InvalidPersonId(_("Fødselsnummeret inneholder ikke en gyldig fødselsdato.")) from None


def synthetic_fnr(birth_date: datetime.date, individual: int) -> str:
    """Make a synthetic (Tenor-style) fødselsnummer: month + 80 and valid check digits.

    Some individual numbers give check digit 10, which no valid number can have; the next one is tried.
    """
    for candidate in range(individual, individual + 50):
        base = f"{birth_date:%d}{birth_date.month + SYNTHETIC_MONTH_OFFSET:02d}{birth_date:%y}{candidate:03d}"
        k1 = fodselsnummer.calc_check_digit1(base)
        if len(k1) != 1:
            continue
        k2 = fodselsnummer.calc_check_digit2(base + k1)
        if len(k2) != 1:
            continue
        return base + k1 + k2
    raise ValueError(f"no valid synthetic number near individual number {individual}")


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    """Age in whole years on `day`; someone born 29 February turns a year older on 1 March in common years."""
    years = day.year - birth_date.year
    if (day.month, day.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years

"""What a piece of advice is: how urgent, its text and its source; and a symptom as she reported it."""

import enum
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from helseportal.pregnancy.dates import GestationalAge

# The sources shown under each piece of advice ("Kilde: …"): names of publications, not translated.
GUIDELINE = "Helsedirektoratet: Nasjonal faglig retningslinje for svangerskapsomsorgen (IS-2735)"
WHO = "WHO: danger signs in pregnancy"
SF_GUIDANCE = "Kunskapsstöd för vårdgivare (Sverige): SF-mått; referanse INTERGROWTH-21st"
FETAL_MOVEMENTS = "Norsk gynekologisk forening: Veileder i fødselshjelp, «Lite liv» (2024); IS-2735"
PRE_ECLAMPSIA = "NHI.no: Svangerskapsforgiftning (preeklampsi)"
PRETERM_LABOUR = "Helsenorge: Prematur/for tidlig fødsel"
WATERS_BREAKING = "Helsenorge: Når fostervannet går"
LABOUR = "Helse Førde: Fødsel og barsel"
CHOLESTASIS = (
    "Norsk gynekologisk forening: Veileder i fødselshjelp, «Intrahepatisk svangerskapskolestase»; "
    "NHI.no: Gallestase hos gravide"
)
ECLAMPSIA = "NHI.no: Svangerskapsforgiftning (eklampsi: kramper); WHO: danger signs in pregnancy"
FIGO_CTG = "FIGO 2015: Consensus guidelines on intrapartum fetal monitoring, cardiotocography"

Number = Decimal | float | int


class Level(enum.IntEnum):
    """How soon to act; ordered, so the most urgent of several pieces of advice is `max()`."""

    INFO = 1
    CONTACT = 2
    CONTACT_NOW = 3


@dataclass(frozen=True)
class Advice:
    level: Level
    key: str
    text: str
    source: str
    phone: str = ""  # a number the page makes a link of, where it stands in the text (or after it)

    @property
    def parts(self) -> tuple[str, str, str]:
        """The text split around its phone number, so the page shows the number once, as a link."""
        if self.phone and self.phone in self.text:
            before, _sep, after = self.text.partition(self.phone)
            return before, self.phone, after
        if self.phone:
            return f"{self.text} ", self.phone, ""
        return self.text, "", ""

    @property
    def tel(self) -> str:
        """The phone number for a `tel:` link: digits only."""
        return "".join(ch for ch in self.phone if ch.isdigit() or ch == "+")


class Reported(NamedTuple):
    """A symptom she registered: its key (pregnancy.sections.SYMPTOMS), how bad, and her week that day."""

    key: str
    severity: str = "mild"
    ga: GestationalAge | None = None  # None when unknown: rules with a week limit then err on the safe side


def as_decimal(value: Number) -> Decimal:
    # str() first: Decimal(5.3) is 5.2999…, which would slip under a 5.3 threshold.
    return value if isinstance(value, Decimal) else Decimal(str(value))

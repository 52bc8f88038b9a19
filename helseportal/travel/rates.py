"""The rates of Pasientreiser as yearly data, each with its source (pasientreiseforskriften, read on pasientreiser.no
and helsenorge.no).

The Storting sets the rates for each calendar year («Satsene … og egenandelen du selv må betale, fastsettes årlig av
Stortinget», helsenorge.no, «Egenandel og satser»); the trip's date decides which year's rate applies (reiser
«gjennomført fra og med 1. januar»). Two values per year, each found on its own:

- the standard rate per kilometre (*standardsats*, forskriften § 21 første ledd), for trips under 300 km each way;
- the patient's own share per single trip, each way (*egenandel*, § 24).

A year whose value no source here gives takes the newest earlier year's value, **marked unsourced** (our choice): the
case officer's proposal then says so, and the officer checks the amount before deciding. No 2025 or 2026 source was
found in session 23: **verify** at https://www.pasientreiser.no/ and add the year with its source.
"""

import datetime
from dataclasses import dataclass

READ_ON = datetime.date(2026, 12, 5)  # when the sources below were read (session 23)

VEILEDER = "https://www.pasientreiser.no/pasientreiseordningen/nasjonal-veileder-regelverk/veileder/"
SATSER = "https://helsenorge.no/rettigheter/pasientreiser/rettigheter/egenandel-og-satser"


@dataclass(frozen=True)
class Sourced:
    """One value of one year: in øre, with where it was read and whether that source is primary."""

    year: int
    ore: int
    source: str
    verified: bool  # True: Pasientreiser HF, helsenorge.no or Lovdata; False: a secondary page quoting them


# Standardsats per kilometer (pasientreiseforskriften § 21 første ledd).
PER_KM: tuple[Sourced, ...] = (
    Sourced(2018, 240, f"{SATSER}: «Satser for 2018 … Standardsats 2,40 kr per kilometer»", verified=True),
    Sourced(2019, 250, f"{SATSER}: «Satser for 2019 … Standardsats 2,50 kr per kilometer»", verified=True),
    Sourced(
        2024,
        300,
        f"{VEILEDER}-21.-beregningen-av-reiseutgiftene: § 21 «dekkes reiseutgiftene med kr 3,00 per kilometer» "
        "(forskriften som endret 19. des. 2023 nr. 2234, i kraft 1. jan. 2024)",
        verified=True,
    ),
)

# Egenandel per enkeltreise, hver vei (pasientreiseforskriften § 24 første ledd).
OWN_SHARE: tuple[Sourced, ...] = (
    Sourced(
        2016,
        14_600,
        "tts.as, «Auke i eigendelar frå 1. januar 2016», quoting Pasientreiser's newsletter of 17.12.2015: «Eigendelen "
        "ved pasientreiser stig frå 135 kroner til 146 kroner» (a secondary page)",
        verified=False,
    ),
    Sourced(
        2024,
        17_100,
        f"{VEILEDER}-24.-egenandel: § 24 «en egenandel på kr 171 hver vei (kr 342 tur/retur)» (forskriften som endret "
        "19. des. 2023 nr. 2234, i kraft 1. jan. 2024)",
        verified=True,
    ),
)

# § 21 første ledd: the standard rate is for trips «kortere enn 300 kilometer hver vei»; longer ones are paid by the
# cheapest scheduled transport, which the case officer works out.
STANDARD_RATE_BELOW_KM = 300
# The trip must be «lenger enn ti kilometer hver vei» (Helfo, «Endring i ordningen for pasientreiser», 2016; Larvik
# kommune, «Pasientreiser»).
MINIMUM_KM = 10
# § 24 annet ledd bokstav b: no own share «for barn under 16 år».
OWN_SHARE_FROM_AGE = 16
# The own share counts towards the egenandelstak, and a frikort frees her from it for the rest of the calendar year:
# «Ved alle pasientreiser må du betale en egenandel … Egenandelen legges til grunn for frikort» (pasientreiser.no,
# «Frikort og egenandeler», updated 31.01.2016; egenandelstak 1 then, since 2021 the one common cap: copayments/caps);
# «Med frikort slipper du å betale egenandeler for resten av kalenderåret» (helsenorge.no, «Frikort for
# helsetjenester»). The higher own share for a freely chosen hospital outside her region (§ 24, kr 400) does not count
# towards the frikort; the portal does not offer that kind of claim.
FRIKORT_SOURCE = "pasientreiser.no «Frikort og egenandeler»; helsenorge.no «Frikort for helsetjenester»"
# «Beløp som er mindre enn 100 kroner blir i utgangspunktet ikke utbetalt» unless trips within six months add up to
# 100 kr (helsenorge.no, «Egenandel og satser»): the proposal says so; the officer decides.
SMALL_AMOUNT_ORE = 10_000
# § 25: the claim «senest seks måneder etter» it could first be made (Helsedirektoratet, rundskriv til pasient- og
# brukerrettighetsloven § 2-6). Months, counted from the trip's date (our reading).
CLAIM_WITHIN_MONTHS = 6
# Our own limits against a misplaced digit: a trip is at most 5,000 km each way, expenses at most 100,000 kr.
MAX_KM = 5000
MAX_EXPENSES_ORE = 10_000_000


@dataclass(frozen=True)
class YearRates:
    """The rates a trip in `year` is paid by; `exact` when both values are sourced for that very year."""

    year: int
    per_km: Sourced
    own_share: Sourced

    @property
    def exact(self) -> bool:
        return self.per_km.year == self.year and self.own_share.year == self.year


def _for(values: tuple[Sourced, ...], year: int) -> Sourced:
    earlier = [value for value in values if value.year <= year]
    return max(earlier, key=lambda value: value.year) if earlier else min(values, key=lambda value: value.year)


def rates_for(year: int) -> YearRates:
    """The rates of the trip's calendar year: each value of that year, or of the newest year before it with a source
    (the oldest we have for a year before all of them)."""
    return YearRates(year, _for(PER_KM, year), _for(OWN_SHARE, year))

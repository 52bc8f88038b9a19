"""The rules of the exemption card as data, each with its source and the date we read it (DOMAIN.md §2).

The cap (*egenandelstak*) is set by the Storting for each calendar year (folketrygdloven § 5-3); since 1 January 2021
there is one common cap (egenandelstak 1 and 2 merged). A year missing here has no cap the portal knows: its sum is
shown, no card is issued, and the page says the cap is unknown. Add a year only with a source.

Whether a source is primary (Helsedirektoratet, Helfo, regjeringen) or a provider's public page quoting it is said in
`verified`: **2026 is not verified against a primary source** (only a provider's page was found; the issue's
3,278 kr agrees with it). Check https://www.helfo.no/ or https://www.helsenorge.no/betaling-for-helsetjenester/
before relying on it, and change `verified` with the source.
"""

import datetime
from dataclasses import dataclass

READ_ON = datetime.date(2026, 12, 5)  # when the sources below were read (session 22)


@dataclass(frozen=True)
class Cap:
    year: int
    amount_ore: int
    source: str
    verified: bool  # True: a primary source (Helsedirektoratet, Helfo, regjeringen); False: a secondary one

    @property
    def kroner(self) -> int:
        return self.amount_ore // 100


CAPS: dict[int, Cap] = {
    cap.year: cap
    for cap in (
        Cap(
            2023,
            304_000,
            "Helsedirektoratet, rundskriv til folketrygdloven § 5-3, kap. 2 «Egenandelstaket og rammene for "
            "frikortordningen» (sist endret 01/23): «Egenandelstaket for 2023 er 3040 kroner.»",
            verified=True,
        ),
        Cap(
            2024,
            316_500,
            "unicare.no/helsefort, «Egenandel og frikort»: «Egenandelstaket for 2024 er kr. 3165.» (a provider's page)",
            verified=False,
        ),
        # 2025: no source found in session 22; left out rather than guessed.
        Cap(
            2026,
            327_800,
            "unicare.no/landaasen, «Egenandel og frikort»: «Egenandelstaket for 2026 er kr 3278.» (a provider's page; "
            "issue 12 and DOMAIN.md §2 give the same amount, «verify»)",
            verified=False,
        ),
    )
}

# Children under 16 pay no co-payments and are therefore outside the exemption card scheme: Helsedirektoratet,
# rundskriv til folketrygdloven § 5-3, kap. 2: «Barn under 16 år skal ikke betale egenandel og er derfor ikke en del
# av frikortordningen.» Their age on the date of the service decides (our reading: the rule speaks of the payment).
PAYS_FROM_AGE = 16
CHILD_SOURCE = "Helsedirektoratet, rundskriv til folketrygdloven § 5-3, kap. 2"

# Everything paid above the cap is paid back: the minimum of 200 kr (*bagatellgrensen*, folketrygdloven § 22-19
# andre ledd) was removed from 1 January 2022 (Sør-Fron kommune, «Frikort», quoting Helfo: «slik at alle overskytende
# beløp utbetales»; NTB 12.10.2021 on the budget proposal). So the refund is the year's sum less the cap, to the øre.
REFUND_SOURCE = "folketrygdloven § 22-19 (bagatellgrensen fjernet fra 1.1.2022)"


def cap_for(year: int) -> Cap | None:
    return CAPS.get(year)

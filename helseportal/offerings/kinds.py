"""The service kinds a unit may offer on the portal (*produktkatalog*): a registry in code, one entry per kind.

A kind is known by its `code`, which a unit's choice (`models.Offering.kind`) stores: a code is never renamed nor
reused. A kind taken out of `KINDS` while a unit still offers it would make that unit's choice vanish without a
word (Helsenorge's lesson with the booking type "Annet", issue 12), so the portal refuses: the system check
`offerings.E001` (`checks.py`) stops every command, and a migration that retires a kind runs `RetireKinds`
(`retiring.py`), which refuses while a unit uses it, naming the units. To retire a kind, first move the units off it.

The rules a unit's choice must keep are data here, each with its source or marked "our choice":
- the answer time (`answer_days`: working days), within `max_answer_days`: an e-consultation is answered within
  five working days (DOMAIN.md §1, Helsenorge's Fastlegetjenester; GP offices' own pages say "innan 5 virkedagar",
  sogndallegesenter.no/e-konsultasjon/); the same bound for the other written services is our choice;
- the price (`price`, whole kroner), at most `max_price`: an e-consultation's co-payment is the GP tariff's
  (*normaltariffen*, takst 2ae, "egenandel tilsvarande vanleg konsultasjon"): 224 kr by day and 320 kr in the
  evening from a specialist in general practice, as an office quotes the tariff (vinderenlegekontor.no/
  tjenester-og-priser). **Verify** against normaltariffen.legeforeningen.no for the tariff year in force; a unit may
  charge less, never more (we hold it to the evening amount, the highest).
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from helseportal.organisations.models import UnitKind

WRITTEN_ANSWER_MAX_DAYS = 5  # DOMAIN.md §1: an e-consultation is answered within 5 working days
E_CONSULTATION_MAX_PRICE = 320  # normaltariffen 2ae, evening, specialist (see above): verify each tariff year


@dataclass(frozen=True)
class Kind:
    """One kind of service a unit may offer."""

    code: str
    unit_kind: str  # the kind of unit that may offer it (`organisations.UnitKind`)
    name: Promise
    summary: Promise  # the portal's own text, shown when the unit writes none
    max_answer_days: int | None = None  # None: no answer time applies
    max_price: int | None = None  # whole kroner; None: no price applies

    @property
    def has_answer_time(self) -> bool:
        return self.max_answer_days is not None

    @property
    def has_price(self) -> bool:
        return self.max_price is not None


GP = UnitKind.GP_OFFICE.value
HEALTH_STATION = UnitKind.HEALTH_STATION.value
HFU = UnitKind.YOUTH_HEALTH_STATION.value

# The GP office's five (DOMAIN.md §1, "Fastlegetjenester: up to five GP-office services").
GP_BOOKING = "gp_booking"
GP_RENEWAL = "gp_renewal"
GP_E_CONSULTATION = "gp_e_consultation"
GP_CONTACT = "gp_contact"
GP_FLU_VACCINE = "gp_flu_vaccine"

KINDS: dict[str, Kind] = {
    kind.code: kind
    for kind in (
        Kind(GP_BOOKING, GP, _("Bestille time"), _("Be om time hos fastlegen. Kontoret svarer med et tidspunkt.")),
        Kind(
            GP_RENEWAL,
            GP,
            _("Fornye resept"),
            _("Be om fornyelse av en resept fra Legemidler."),
            max_answer_days=WRITTEN_ANSWER_MAX_DAYS,
        ),
        Kind(
            GP_E_CONSULTATION,
            GP,
            _("E-konsultasjon"),
            _("Skriv til legen om noe som ikke haster, og få svar i Meldinger."),
            max_answer_days=WRITTEN_ANSWER_MAX_DAYS,
            max_price=E_CONSULTATION_MAX_PRICE,
        ),
        Kind(
            GP_CONTACT,
            GP,
            _("Kontakt legekontoret"),
            _("Send en melding til legekontoret om praktiske ting, for eksempel timer og attester."),
            max_answer_days=WRITTEN_ANSWER_MAX_DAYS,
        ),
        Kind(GP_FLU_VACCINE, GP, _("Influensavaksine"), _("Be om time til influensavaksine hos legekontoret.")),
        # The health station's and HFU's own lists (issue 12 item 1).
        Kind("hs_booking", HEALTH_STATION, _("Bestille time"), _("Be om time på helsestasjonen.")),
        Kind(
            "hs_contact",
            HEALTH_STATION,
            _("Kontakt helsestasjonen"),
            _("Send en melding til helsestasjonen."),
            max_answer_days=WRITTEN_ANSWER_MAX_DAYS,
        ),
        Kind("hs_pregnancy_card", HEALTH_STATION, _("Helsekort for gravide"), _("Del helsekortet med jordmor.")),
        Kind("hfu_booking", HFU, _("Be om time"), _("Be om time hos helsestasjon for ungdom.")),
        Kind(
            "hfu_contact",
            HFU,
            _("Kontakt helsestasjon for ungdom"),
            _("Send en melding til helsestasjon for ungdom."),
            max_answer_days=WRITTEN_ANSWER_MAX_DAYS,
        ),
    )
}


def kinds_for(unit_kind: str) -> list[Kind]:
    """The kinds a unit of `unit_kind` may offer, in the registry's order."""
    return [kind for kind in KINDS.values() if kind.unit_kind == unit_kind]


def known(code: str) -> Kind | None:
    return KINDS.get(code)

"""The service catalogue's demo (issue 12 item 1): what each unit offers on the portal.

Kari's GP office (Kirkeveien legesenter, the persona `MAJORSTUEN_GP`) offers all five GP services, with an
e-consultation at the tariff's daytime co-payment (offerings/kinds.py, "verify") answered within three working days,
and imports the e-consultation form (Fastlegetjenester, `gpservices`). The health station offers fewer (booking and
contact), the HFU in Oslo only booking. Safe to run again: each choice is matched on (unit, kind).
"""

from helseportal.demo import personas
from helseportal.forms.services import load_shipped
from helseportal.gpservices.survey import SHIPPED_NAME
from helseportal.offerings import kinds
from helseportal.offerings.models import Offering
from helseportal.organisations.models import Unit

# (unit, kind, own text, price in kroner, answer time in working days)
OFFERS = (
    (personas.MAJORSTUEN_GP, kinds.GP_BOOKING, "", None, None),
    (personas.MAJORSTUEN_GP, kinds.GP_RENEWAL, "Vi fornyer faste resepter innen to virkedager.", None, 2),
    (
        personas.MAJORSTUEN_GP,
        kinds.GP_E_CONSULTATION,
        "Skriv til fastlegen din om noe som ikke haster, for eksempel kontroll av en kjent plage eller spørsmål om "
        "et prøvesvar. Legen svarer i Meldinger.",
        224,
        3,
    ),
    (personas.MAJORSTUEN_GP, kinds.GP_CONTACT, "", None, 2),
    (
        personas.MAJORSTUEN_GP,
        kinds.GP_FLU_VACCINE,
        "Influensavaksine fra oktober. Be om time, så setter vi deg opp.",
        None,
        None,
    ),
    (personas.HEALTH_STATION, "hs_booking", "", None, None),
    (personas.HEALTH_STATION, "hs_contact", "", None, 3),
    (personas.HFU_OSLO, "hfu_booking", "", None, None),
)


def load_offerings() -> int:
    """The demo units' choices and the GP office's e-consultation form; how many choices there are."""
    for persona, code, text, price, answer_days in OFFERS:
        Offering.objects.update_or_create(
            unit=Unit.objects.get(orgnr=persona.orgnr),
            kind=code,
            defaults={"enabled": True, "text": text, "price": price, "answer_days": answer_days},
        )
    load_shipped(SHIPPED_NAME, unit=Unit.objects.get(orgnr=personas.MAJORSTUEN_GP.orgnr))
    return len(OFFERS)

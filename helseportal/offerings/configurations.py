"""The service kinds as a configuration family for usage statistics' "who uses this" (issue 13 item 3).

A unit has a kind configured when it has chosen it in the catalogue (`Offering`), turned on or not: a unit that
turned a kind off still has its text and terms, and is hit when the kind is retired. Public master data, no person.
"""

from django.utils.translation import gettext_lazy as _

from helseportal.offerings.kinds import KINDS
from helseportal.offerings.models import Offering
from helseportal.stats import services as stats

FAMILY = "service_kind"


def service_kinds() -> list[stats.Configuration]:
    units: dict[str, set[str]] = {code: set() for code in KINDS}
    for orgnr, kind in Offering.objects.values_list("unit__orgnr", "kind"):
        units.setdefault(kind, set()).add(orgnr)
    return [
        stats.Configuration(code, KINDS[code].name if code in KINDS else code, frozenset(orgnrs))
        for code, orgnrs in units.items()
    ]


def register() -> None:
    """Counted by the counters' `detail`: an event that used a service kind names its code."""
    stats.register_configurations(FAMILY, _("Tjenestetyper"), service_kinds, counted=stats.BY_DETAIL)

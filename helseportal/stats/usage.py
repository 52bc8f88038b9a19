"""Who uses this (issue 13 item 3): for one unit configuration, the units that have it and their recent use.

Before a change to a configuration (retiring a booking type, a service kind, a kind of unit) the operator asks who
would be hit: the units that have it configured, each with its counted use in the last `days` days (90 by
default), most used first, and the units that have it but never used it listed with 0 (they are hit too). Units
whose counters use it while it is no longer configured for them are listed as well, marked (`configured=False`):
Helsenorge's «Annet» booking type was in use at GP offices nobody had looked at (the seed's status report, Sak 3).

Counted use is read from the aggregate counters only (`configurations.py` says how per family); no person.
The numbers leave through `suppression` like every other figure.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from helseportal.access import audit
from helseportal.access.policy import has_staff_role
from helseportal.core.actor import Actor
from helseportal.core.errors import Invalid, NotFound
from helseportal.core.time import today
from helseportal.organisations.models import Unit, UnitKind
from helseportal.stats import configurations, operators, suppression
from helseportal.stats.configurations import BY_UNIT, Configuration
from helseportal.stats.models import Counter
from helseportal.stats.services import detail_key

READ = "stats:usage:read"
DEFAULT_DAYS = 90  # issue 13 item 3: "the last 90 days' use"
MAX_DAYS = 3660  # our choice: ten years, a guard against a typo


@dataclass(frozen=True)
class UnitUse:
    orgnr: str
    name: str
    kind: str
    municipality: str
    use: int  # raw: for sorting only; shown through `shown`/`text`
    configured: bool

    @property
    def shown(self) -> int | None:
        return suppression.shown(self.use)

    @property
    def text(self) -> str:
        return suppression.text(self.use)


@dataclass(frozen=True)
class Answer:
    family: configurations.Family
    configuration: Configuration
    since: datetime.date
    until: datetime.date
    units: tuple[UnitUse, ...]

    @property
    def days(self) -> int:
        return (self.until - self.since).days + 1

    @property
    def used_by(self) -> tuple[UnitUse, ...]:
        return tuple(u for u in self.units if u.use > 0)

    @property
    def unused(self) -> tuple[UnitUse, ...]:
        return tuple(u for u in self.units if u.use == 0)

    def as_json(self) -> dict[str, object]:
        """For scripts (`helseportal stats_usage … --json`): every number suppressed, `null` with its text."""
        return {
            "family": self.family.key,
            "code": self.configuration.code,
            "label": str(self.configuration.label),
            "from": self.since.isoformat(),
            "to": self.until.isoformat(),
            "days": self.days,
            "suppression_threshold": suppression.THRESHOLD,
            "units": [
                {
                    "orgnr": u.orgnr,
                    "name": u.name,
                    "kind": u.kind,
                    "municipality": u.municipality,
                    "configured": u.configured,
                    "use": u.shown,
                    "use_text": u.text,
                }
                for u in self.units
            ],
        }


def parse_days(text: str | int | None) -> int:
    if text in (None, ""):
        return DEFAULT_DAYS
    try:
        days = int(text)
    except (TypeError, ValueError):
        raise Invalid(str(_("Oppgi antall dager som et helt tall, for eksempel 90."))) from None
    if not 1 <= days <= MAX_DAYS:
        raise Invalid(str(_("Antall dager må være mellom 1 og %(max)d.")) % {"max": MAX_DAYS})
    return days


def who_uses(family_key: str, code: str, *, days: int = DEFAULT_DAYS) -> Answer:
    """The units that have `code` of `family_key` configured or used it in the last `days` days, most used first."""
    family = configurations.family(family_key)
    configuration = family.configuration(code)
    until = today()
    since = until - datetime.timedelta(days=days - 1)
    counters = Counter.objects.filter(day__gte=since, day__lte=until).exclude(unit_orgnr="")
    if family.counted == BY_UNIT:
        counters = counters.filter(unit_orgnr__in=list(configuration.units))
    else:
        counters = counters.filter(detail=detail_key(configuration.code))  # as `count` stored it (a long url hashed)
    use = dict(counters.values("unit_orgnr").annotate(n=Sum("count")).order_by().values_list("unit_orgnr", "n"))
    orgnrs = set(configuration.units) | set(use)
    units = {u.orgnr: u for u in Unit.objects.filter(orgnr__in=orgnrs)}
    found = [
        UnitUse(
            orgnr=orgnr,
            name=units[orgnr].shown_name if orgnr in units else orgnr,
            kind=units[orgnr].kind if orgnr in units else "",
            municipality=units[orgnr].municipality_number if orgnr in units else "",
            use=int(use.get(orgnr) or 0),
            configured=orgnr in configuration.units,
        )
        for orgnr in orgnrs
    ]
    found.sort(key=order)
    return Answer(family, configuration, since, until, tuple(found))


def order(unit: UnitUse) -> tuple[bool, int, str, str]:
    """Most use first by the shown figure, the hidden ones last by name: the order tells no hidden one's size."""
    return (*suppression.order(unit.use, unit.name), unit.orgnr)


def for_operator(actor: Actor, family_key: str, code: str, *, days: int = DEFAULT_DAYS) -> Answer:
    """`who_uses` for the staff page: an operator only (anyone else: `NotFound`, the 404 page), audited."""
    if not has_staff_role(actor, operators.ROLE):
        raise NotFound
    with transaction.atomic():
        answer = who_uses(family_key, code, days=days)
        audit.record(actor, READ, subject_id=None, resources=[f"StatsConfiguration/{family_key}:{code}"])
    return answer


def require_operator(actor: Actor) -> None:
    if not has_staff_role(actor, operators.ROLE):
        raise NotFound


# -- the unit kinds: organisations is below stats, so stats lists them itself -----------------------------------------


def _unit_kinds() -> list[Configuration]:
    by_kind: dict[str, set[str]] = {kind: set() for kind in UnitKind.values}
    for orgnr, kind in Unit.objects.values_list("orgnr", "kind"):
        by_kind.setdefault(kind, set()).add(orgnr)
    return [Configuration(kind.value, kind.label, frozenset(by_kind[kind.value])) for kind in UnitKind]


def register_unit_kinds() -> None:
    configurations.register("unit_kind", _("Enhetstyper"), _unit_kinds, counted=BY_UNIT)

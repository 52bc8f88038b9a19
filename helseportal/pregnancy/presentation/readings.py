"""Readings: blood pressure and weight, at home and at consultations, in one order; and the history charts."""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from helseportal.core.time import OSLO
from helseportal.pregnancy import charts, queries
from helseportal.pregnancy.dates import GestationalAge

# A consultation has a date but no time of day. It sorts at the time it was written down when that was on the
# same day, else at noon of its day: our own choice, so that a reading at home that evening comes after it.
CONSULTATION_HOUR = datetime.time(12, 0)


@dataclass(frozen=True)
class Reading:
    """One blood pressure or weight as the tables show it: when, in which week, the values and who measured."""

    entry: Any  # an OwnMeasurement (she, at home) or a Consultation (health personnel)
    day: datetime.date
    time: datetime.time | None  # None for a consultation: it records the date only
    ga: GestationalAge | None
    systolic: int | None = None
    diastolic: int | None = None
    value: Decimal | None = None

    @property
    def self_reported(self) -> bool:
        return bool(self.entry.self_reported)

    @property
    def order(self) -> tuple[datetime.date, datetime.time, int, int]:
        """By date and time; a consultation without a time of day as CONSULTATION_HOUR says; then by entry."""
        when = self.time if self.time is not None else _consultation_time(self.entry, self.day)
        return (self.day, when, 0 if self.self_reported else 1, self.entry.pk or 0)

    @property
    def weeks(self) -> float:
        return self.ga.as_decimal_weeks() if self.ga else 0.0

    @property
    def measured_by(self) -> str:
        if self.self_reported:
            return _("Egen måling hjemme")
        entry = self.entry
        author = _("%(name)s (HPR %(hpr)s)") % {"name": entry.author_name, "hpr": entry.author_hpr_number}
        if entry.author_unit_name:
            author = f"{author}, {entry.author_unit_name}"
        return _("Ved kontroll: %(author)s") % {"author": author}


def _consultation_time(consultation: Any, day: datetime.date) -> datetime.time:
    written = consultation.recorded_at.astimezone(OSLO) if consultation.recorded_at else None
    return written.time() if written is not None and written.date() == day else CONSULTATION_HOUR


def readings(card: queries.Card, kind: str) -> list[Reading]:
    """Every blood pressure ("bp") or weight ("weight") on the card, hers and the clinicians', oldest first."""
    found = []
    for m in card.own:
        at = m.measured_at.astimezone(OSLO)
        if m.kind == kind and (m.value is not None or (m.systolic and m.diastolic)):
            found.append(
                Reading(m, at.date(), at.time(), card.ga_on(at.date()), m.systolic, m.diastolic, value=m.value)
            )
    for c in card.consultations:
        if kind == "bp" and c.systolic and c.diastolic:
            found.append(Reading(c, c.date, None, card.ga_on(c.date), c.systolic, c.diastolic))
        if kind == "weight" and c.weight_kg:
            found.append(Reading(c, c.date, None, card.ga_on(c.date), value=c.weight_kg))
    return sorted(found, key=lambda reading: reading.order)


def own_measurements(card: queries.Card) -> list[tuple[Any, GestationalAge | None]]:
    """Her own measurements, newest first, each with the week of pregnancy on the day she measured it."""
    rows = [(m, card.ga_on(m.measured_at.astimezone(OSLO).date())) for m in card.own]
    return sorted(rows, key=lambda row: (row[0].measured_at, row[0].pk or 0), reverse=True)


def latest_reading(card: queries.Card, kind: str) -> Reading | None:
    """Her newest blood pressure or weight by date and time, whether she measured it at home or the midwife did."""
    found = readings(card, kind)
    return found[-1] if found else None


def charts_for(card: queries.Card) -> dict[str, object]:
    """The three history charts and the rows of their tables (by date and time); shared by the page and the PDF."""

    def ga(day: datetime.date) -> float:
        age = card.ga_on(day)
        return age.as_decimal_weeks() if age else 0.0

    sf_clin = [(ga(m.date), m.cm) for m in card.sf if not m.self_reported]
    sf_self = [(ga(m.date), m.cm) for m in card.sf if m.self_reported]
    bp, weight = readings(card, "bp"), readings(card, "weight")
    bp_points = sorted((r.weeks, r.systolic or 0, r.diastolic or 0) for r in bp)
    weight_points = sorted((r.weeks, float(r.value or 0)) for r in weight)
    return {
        "sf_svg": charts.sf_chart(sf_clin, sf_self, chart_id="sf"),
        "bp_svg": charts.blood_pressure_chart(bp_points, chart_id="bp"),
        "weight_svg": charts.weight_chart(weight_points, chart_id="weight"),
        "bp_rows": bp,
        "weight_rows": weight,
    }

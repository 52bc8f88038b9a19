"""Put the guideline's advice together for one card: what she should do now, most urgent first."""

import datetime
from typing import Any

from helseportal.core.time import OSLO
from helseportal.organisations.models import Unit, UnitKind
from helseportal.pregnancy import advice
from helseportal.pregnancy.advice import Advice, RiskFactors
from helseportal.pregnancy.dates import GestationalAge
from helseportal.pregnancy.queries import Card

RECENT_BP_DAYS = 7  # house choice: two high readings count when both fall within the last week
RECENT_SYMPTOM_DAYS = 2  # house choice: a danger sign registered in the last two days is still current


def birth_unit(card: Card) -> Unit | None:
    """Her birth unit: the one named in her points of contact, else one in her municipality."""
    contacts = card.sections.get("contacts")
    named = str(contacts.data.get("birth_institution", "")) if contacts else ""
    units = Unit.objects.filter(kind=UnitKind.BIRTH_UNIT)
    return (
        (units.filter(name__iexact=named).first() if named else None)
        or units.filter(municipality_number=card.pregnancy.person.municipality_number).first()
        or units.first()
    )


def risk_factors(card: Card, age: int) -> RiskFactors:
    previous = card.sections.get("previous")
    count = int(previous.data.get("count", 0) or 0) if previous else 0
    births = int(previous.data.get("live_births", 0) or 0) if previous else 0
    form = next((f for f in card.forms if f.status == "submitted"), None)
    risk: dict[str, Any] = (form.answers.get("risk", {}) if form else {}) or {}
    return RiskFactors(
        age=age,
        first_pregnancy=previous is not None and count == 0,
        earlier_births=births > 0,
        pre_pregnancy_bmi=card.bmi,
        **{
            k: bool(risk.get(k))
            for k in (
                "asian_or_african_background",
                "earlier_gdm",
                "earlier_child_over_4500_g",
                "earlier_shoulder_dystocia",
                "earlier_pre_eclampsia",
                "parent_or_sibling_with_diabetes",
                "known_impaired_glucose_tolerance",
            )
        },
    )


def sf_series(card: Card) -> list[tuple[GestationalAge, int]]:
    """The clinicians' SF-mål by gestational age; self-measured values are shown, not judged."""
    series = [(card.ga_on(m.date), m.cm) for m in card.sf if not m.self_reported]
    return [(ga, cm) for ga, cm in series if ga is not None]


def advice_for(card: Card, age: int) -> list[Advice]:
    since_bp = card.on - datetime.timedelta(days=RECENT_BP_DAYS)
    readings = [
        (m.systolic, m.diastolic)
        for m in card.own
        if m.kind == "bp" and m.systolic and m.diastolic and m.measured_at.astimezone(OSLO).date() >= since_bp
    ]
    since_symptom = card.on - datetime.timedelta(days=RECENT_SYMPTOM_DAYS)
    recent = [(s.kind, s.severity) for s in card.symptoms if s.date >= since_symptom]
    unit = birth_unit(card)
    found = [
        advice.blood_pressure_advice(readings),
        advice.danger_sign_advice(recent),
        advice.fetal_movement_advice(
            [k for k, _ in recent], unit.shown_name if unit else "", unit.phone if unit else ""
        ),
        advice.ogtt_offer(risk_factors(card, age), card.ga) if card.ga else None,
        advice.sf_advice(advice.sf_flags(sf_series(card))),
    ]
    return sorted((a for a in found if a is not None), key=lambda a: a.level, reverse=True)

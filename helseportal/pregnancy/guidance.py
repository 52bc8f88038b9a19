"""Put the guideline's advice together for one card: what she should do now, most urgent first."""

import datetime
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from helseportal.core.time import OSLO
from helseportal.organisations.models import Unit, UnitKind
from helseportal.pregnancy import advice
from helseportal.pregnancy.advice import Advice, Reported, RiskFactors
from helseportal.pregnancy.dates import GestationalAge
from helseportal.pregnancy.models import ClinicalTest, SectionEntry
from helseportal.pregnancy.queries import Card

RECENT_BP_DAYS = 7  # house choice: two high readings count when both fall within the last week
RECENT_SYMPTOM_DAYS = 2  # house choice: a danger sign registered in the last two days is still current
OGTT_TESTS = ("ogtt_fasting", "ogtt_2h")  # the card's test keys (pregnancy.sections.TESTS)
RISK_ANSWERS = (
    "asian_or_african_background",
    "earlier_gdm",
    "earlier_child_over_4500_g",
    "earlier_shoulder_dystocia",
    "earlier_pre_eclampsia",
    "parent_or_sibling_with_diabetes",
    "known_impaired_glucose_tolerance",
)


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


def _count(entry: SectionEntry | None, key: str) -> int:
    try:
        return int(entry.data.get(key, 0) or 0) if entry else 0
    except (TypeError, ValueError):
        return 0


def risk_factors(card: Card, age: int) -> RiskFactors:
    """Her risk groups for gestational diabetes, from the card and the answers she gave before the first visit.

    "Førstegangsfødende" counts births, not pregnancies: a woman whose earlier pregnancies ended in a
    miscarriage, a termination or an ectopic pregnancy is giving birth for the first time. A stillbirth after
    week 22 is a birth. Without the section on earlier pregnancies, it is not known, and not assumed.
    """
    previous = card.sections.get("previous")
    births = _count(previous, "live_births") + _count(previous, "stillbirths")
    form = next((f for f in card.forms if f.status == "submitted"), None)
    risk: dict[str, Any] = (form.answers.get("risk", {}) if form else {}) or {}
    return RiskFactors(
        age=age,
        first_birth=previous is not None and births == 0,
        earlier_births=births > 0,
        pre_pregnancy_bmi=card.bmi,
        **{k: bool(risk.get(k)) for k in RISK_ANSWERS},
    )


def known_diabetes(card: Card) -> bool:
    """Diabetes among her known conditions (the card's section on conditions)."""
    conditions = card.sections.get("conditions")
    return bool(conditions and conditions.data.get("diabetes") in (True, "true", "on", "yes"))


def _mmol(value: str) -> Decimal | None:
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def ogtt_values(tests: Iterable[ClinicalTest]) -> tuple[Decimal | None, Decimal | None] | None:
    """The latest glucose tolerance test on the card, (fasting, 2 hours) of its day; None when there is none."""
    ogtt = [t for t in tests if t.test in OGTT_TESTS and _mmol(t.value) is not None]
    if not ogtt:
        return None
    day = max(t.taken_on for t in ogtt)
    values = {t.test: _mmol(t.value) for t in sorted(ogtt, key=lambda t: (t.taken_on, t.pk)) if t.taken_on == day}
    return values.get("ogtt_fasting"), values.get("ogtt_2h")


def sf_series(card: Card) -> list[tuple[GestationalAge, int]]:
    """The clinicians' SF-mål by gestational age; self-measured values are shown, not judged."""
    series = [(card.ga_on(m.date), m.cm) for m in card.sf if not m.self_reported]
    return [(ga, cm) for ga, cm in series if ga is not None]


def recent_symptoms(card: Card) -> list[Reported]:
    """The symptoms she registered in the last days, each with her week on the day she had it."""
    since = card.on - datetime.timedelta(days=RECENT_SYMPTOM_DAYS)
    return [Reported(s.kind, s.severity, card.ga_on(s.date)) for s in card.symptoms if s.date >= since]


def _ogtt_advice(card: Card, age: int) -> list[Advice | None]:
    """The result of her glucose tolerance test when there is one; else the offer of it, if she is at risk."""
    ogtt = ogtt_values(card.tests)
    if ogtt is not None:
        return [advice.ogtt_result(*ogtt)]
    if card.ga is None:
        return []
    return [advice.ogtt_offer(risk_factors(card, age), card.ga, known_diabetes=known_diabetes(card))]


def advice_for(card: Card, age: int) -> list[Advice]:
    since_bp = card.on - datetime.timedelta(days=RECENT_BP_DAYS)
    readings = [
        (m.systolic, m.diastolic)
        for m in card.own
        if m.kind == "bp" and m.systolic and m.diastolic and m.measured_at.astimezone(OSLO).date() >= since_bp
    ]
    recent = recent_symptoms(card)
    # Only the advice on a recent symptom names her birth unit: without one, it is not read.
    unit = birth_unit(card) if recent else None
    name, phone = (unit.shown_name, unit.phone) if unit else ("", "")
    found = [
        advice.blood_pressure_advice(readings),
        advice.convulsion_advice(recent),
        advice.danger_sign_advice(recent),
        advice.fetal_movement_advice(recent, name, phone),
        advice.labour_advice(recent, name, phone),
        advice.itching_advice(recent),
        *_ogtt_advice(card, age),
        advice.sf_advice(advice.sf_flags(sf_series(card))),
    ]
    return sorted((a for a in found if a is not None), key=lambda a: a.level, reverse=True)

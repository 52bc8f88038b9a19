"""Kari's pregnancy in week 24+3, with the history a real card would have by then (issue: pregnancy card).

First form, consultations at weeks 8, 12 (early ultrasound, due date confirmed) and 18 (routine ultrasound)
by midwife Mette, nausea and fatigue in week 11, home blood pressures, SF-mål from week 24 — shared with
Mette (read and write) and not with GP Lars. Written through the services, so it is audited like real use.
"""

import datetime
from decimal import Decimal

from django.db import transaction

from helseportal.access import sharing
from helseportal.core.actor import Actor
from helseportal.core.time import OSLO, today
from helseportal.demo import actors, personas
from helseportal.pregnancy import services
from helseportal.pregnancy.dates import PREGNANCY_DAYS, GestationalAge, date_at
from helseportal.pregnancy.models import Pregnancy

GA_TODAY = 24 * 7 + 3


def _actors() -> tuple[Actor, Actor]:
    return actors.citizen(personas.KARI), actors.clinician(personas.METTE, personas.HEALTH_STATION)


def share_with_mette(woman: Actor, *, until: datetime.date) -> None:
    """The woman shares her card with midwife Mette, to read and write, until the given day (the demo, the
    benchmarks and the tests all share with her)."""
    sharing.share_with_practitioner(
        woman,
        area="pregnancy",
        hpr_number=personas.METTE.hpr_number,
        family_name=personas.METTE.family_name,
        permission="read_write",
        valid_to=until,
    )


@transaction.atomic
def load_pregnancy() -> bool:
    """Create Kari's pregnancy unless she already has one; True when it was created."""
    woman, midwife = _actors()
    if Pregnancy.objects.filter(person_id=woman.own_person_id).exists():
        return False
    due = today() + datetime.timedelta(days=PREGNANCY_DAYS - GA_TODAY)  # 283 days: the Norwegian count
    lmp = due - datetime.timedelta(days=PREGNANCY_DAYS + 2)  # her period date gave a due date two days later
    pregnancy = services.start_pregnancy(woman, subject_id=woman.own_person_id, lmp=lmp)
    share_with_mette(woman, until=due + datetime.timedelta(days=60))
    _first_form(woman, pregnancy)
    _consultations(midwife, pregnancy, due)
    _symptoms_and_measurements(woman, pregnancy, due)
    return True


def _on(due: datetime.date, weeks: int, days: int = 0) -> datetime.date:
    return date_at(due, GestationalAge(weeks, days))


def _first_form(woman: Actor, pregnancy: Pregnancy) -> None:
    answers = {
        "mother": {
            "occupation": "Lærer",
            "employment_last_6_months": "yes",
            "employment_percent": 100,
            "language": "Norsk",
            "country_of_birth": "Norge",
            "cohabiting_co_parent": "yes",
        },
        "previous": {"count": 0, "live_births": 0, "miscarriages": 0, "stillbirths": 0, "ectopic": 0},
        "lifestyle": {
            "tobacco_first": "no",
            "snus_first": "stopped",
            "alcohol_first": "stopped",
            "other_substances_first": "no",
        },
        "medication": {"folic_acid_before": True, "folic_acid_during": True},
        "before": {"height_cm": 168, "weight_kg": "64.0"},
        "genetic": {"none_known": True},
        "risk": {},
        "urine": {"taken": "yes"},
    }
    services.save_first_form(woman, pregnancy, answers, submit=True)


def _consultations(midwife: Actor, pregnancy: Pregnancy, due: datetime.date) -> None:
    rows = [
        (8, 2, "64.5", 112, 70, [], "Første kontroll. Blodprøver tatt."),
        (
            12,
            4,
            "65.1",
            110,
            68,
            [{"n": 1, "heart_rate": 158, "presentation": "unknown", "movements": False}],
            "Tidlig ultralyd: ett foster, termin bekreftet.",
        ),
        (
            18,
            3,
            "67.0",
            115,
            72,
            [{"n": 1, "heart_rate": 148, "presentation": "unknown", "movements": False}],
            "Rutineultralyd uten funn.",
        ),
        (
            24,
            0,
            "69.0",
            118,
            74,
            [{"n": 1, "heart_rate": 142, "presentation": "cephalic", "movements": True}],
            "Alt ser fint ut.",
        ),
    ]
    for weeks, days, weight, sys, dia, fetuses, note in rows:
        services.add_consultation(
            midwife,
            pregnancy,
            date=_on(due, weeks, days),
            weight_kg=Decimal(weight),
            systolic=sys,
            diastolic=dia,
            urine_protein="neg",
            fetuses=fetuses,
            note=note,
        )
    services.add_sf(midwife, pregnancy, date=_on(due, 24, 0), cm=23)
    services.update_pregnancy(midwife, pregnancy, due_date_ultrasound=due)
    for key, value, unit, weeks in (
        ("hb_t1", "12.8", "g/dL", 8),
        ("abo_rhd", "A RhD positiv", "", 8),
        ("rubella", "Immun", "", 8),
        ("hiv", "Negativ", "", 8),
    ):
        services.add_test(midwife, pregnancy, test=key, value=value, unit=unit, taken_on=_on(due, weeks, 2))
    services.write_section(
        midwife,
        pregnancy,
        "contacts",
        {
            "midwife_name": "Mette Berg",
            "midwife_organisation": personas.HEALTH_STATION.name,
            "midwife_orgnr": personas.HEALTH_STATION.orgnr,
            "midwife_hpr": personas.METTE.hpr_number,
            "gp_name": "Lars Bakken",
            "gp_organisation": personas.MAJORSTUEN_GP.name,
            "birth_institution": personas.BIRTH_UNIT.name,
        },
    )


def _symptoms_and_measurements(woman: Actor, pregnancy: Pregnancy, due: datetime.date) -> None:
    services.add_symptom(
        woman, pregnancy, date=_on(due, 11, 1), kind="nausea", severity="moderate", note="Verst om morgenen"
    )
    services.add_symptom(woman, pregnancy, date=_on(due, 11, 3), kind="fatigue", severity="mild", note="")
    for days_ago, sys, dia in ((20, 118, 74), (13, 121, 76), (6, 119, 75)):
        at = datetime.datetime.combine(today() - datetime.timedelta(days=days_ago), datetime.time(7, 30), OSLO)
        services.add_own_measurement(woman, pregnancy, kind="bp", measured_at=at, systolic=sys, diastolic=dia)
    at = datetime.datetime.combine(today() - datetime.timedelta(days=6), datetime.time(7, 35), OSLO)
    services.add_own_measurement(woman, pregnancy, kind="weight", measured_at=at, value=Decimal("69.4"))
    services.add_note(woman, pregnancy, "Spørre om kosttilskudd og jern")
    services.add_sf(woman, pregnancy, date=today() - datetime.timedelta(days=1), cm=24)

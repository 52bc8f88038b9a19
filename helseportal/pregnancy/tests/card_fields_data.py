"""Kari's card with every field issue 16 added, written by whoever writes it on the paper card (shared by the
card-field tests of the pages, the PDF and FHIR)."""

import datetime

from django.db import transaction

from helseportal.core.actor import Actor
from helseportal.core.time import OSLO, today
from helseportal.demo import personas
from helseportal.pregnancy import services
from helseportal.pregnancy.dates import GestationalAge, date_at
from helseportal.pregnancy.models import Pregnancy
from helseportal.pregnancy.tests.test_card_views import share_with_mette

BORN_AT = datetime.datetime.combine(today(), datetime.time(3, 12), tzinfo=OSLO)


def on(pregnancy: Pregnancy, weeks: int, days: int = 0) -> datetime.date:
    return date_at(pregnancy.due_date, GestationalAge(weeks, days))


def fill(kari: Actor, mette: Actor, pregnancy: Pregnancy) -> Pregnancy:
    """Every new field written once, by whoever writes it on the paper card."""
    share_with_mette(kari)
    with transaction.atomic():
        due = pregnancy.due_date  # 24+3 today; the ultrasound said a day later, the correction puts it back
        services.update_pregnancy(mette, pregnancy, due_date_ultrasound=due + datetime.timedelta(1))
        services.correct_due_date(mette, pregnancy, due_date=due, reason="assisted_conception")
        services.add_earlier_birth(
            kari, pregnancy, year=2016, weeks=38, mode="vacuum", birth_weight_g=3720, complications="Langvarig fødsel"
        )
        services.add_ultrasound(
            mette,
            pregnancy,
            kind="early",
            date=on(pregnancy, 12, 4),
            ga_days=12 * 7 + 4,
            fetuses=1,
            placenta="posterior",
            findings="Ett levende foster",
        )
        services.add_nipt(mette, pregnancy, date=on(pregnancy, 11), result="low")
        services.add_consultation(mette, pregnancy, date=today(), systolic=118, diastolic=74, urine_glucose="trace")
        services.add_vaccination(mette, pregnancy, vaccine="pertussis", date=today())
        services.add_vaccination(kari, pregnancy, vaccine="influenza", date=on(pregnancy, 14), place="Apotek")
        services.add_birth_outcome(mette, pregnancy, fetus=1, status="live", born_at=BORN_AT)
        plan = {
            "plan": "Badekar og lystgass",
            "birth_unit": personas.BIRTH_UNIT.name,
            "applied_on": on(pregnancy, 20).isoformat(),
            "application_status": "accepted",
        }
        services.write_section(kari, pregnancy, "birth_plan", plan)
        co_parent = {"name": "Jonas Nordmann", "phone": "+4791234567", "relationship": "cohabitant"}
        services.write_section(kari, pregnancy, "co_parent", co_parent)
        rhd = {"anti_d_dose_iu": 1500, "anti_d_date": on(pregnancy, 28).isoformat(), "prophylaxis_week28": True}
        services.write_section(mette, pregnancy, "rhd", rhd)
        services.save_first_form(
            kari, pregnancy, {"risk": {"earlier_gdm": True, "earlier_pre_eclampsia": False}}, submit=True
        )
    return pregnancy

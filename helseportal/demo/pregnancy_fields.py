"""The fields issue 16 added to Kari's card: her two earlier births (Nora and Ola), the early and the routine
ultrasound by midwife Mette, the whooping-cough vaccine at week 24 and a flu vaccine she registered herself, her
birth plan with the application to the birth unit, and the co-parent. Through the services, audited as real use.
"""

import datetime

from django.db import transaction

from helseportal.core.actor import Actor
from helseportal.demo import actors, personas
from helseportal.identity.models import Person
from helseportal.pregnancy import services
from helseportal.pregnancy.dates import GestationalAge, date_at
from helseportal.pregnancy.models import Pregnancy, PregnancyStatus


@transaction.atomic
def load_pregnancy_fields() -> bool:
    """Add the fields to Kari's ongoing card unless they are there; True when they were added."""
    woman, midwife = actors.citizen(personas.KARI), actors.clinician(personas.METTE, personas.HEALTH_STATION)
    pregnancy = Pregnancy.objects.filter(person_id=woman.own_person_id, status=PregnancyStatus.ONGOING).first()
    if pregnancy is None or pregnancy.ultrasounds.exists():
        return False
    _earlier_births(woman, pregnancy)
    _ultrasounds(midwife, pregnancy)
    _vaccines(woman, midwife, pregnancy)
    _birth_plan_and_co_parent(woman, pregnancy)
    return True


def _on(pregnancy: Pregnancy, weeks: int, days: int = 0) -> datetime.date:
    return date_at(pregnancy.due_date, GestationalAge(weeks, days))


def _earlier_births(woman: Actor, pregnancy: Pregnancy) -> None:
    nora, ola = (Person.objects.get(pid=p.pid).birth_date.year for p in (personas.NORA, personas.OLA))
    services.add_earlier_birth(woman, pregnancy, year=nora, weeks=40, mode="vaginal", birth_weight_g=3450)
    services.add_earlier_birth(
        woman, pregnancy, year=ola, weeks=38, mode="vacuum", birth_weight_g=3720, complications="Langvarig fødsel"
    )
    # Her children Nora and Ola are her two earlier pregnancies; the counts follow the rows.
    services.write_section(woman, pregnancy, "previous", {"count": 2, "live_births": 2}, partial=True)


def _ultrasounds(midwife: Actor, pregnancy: Pregnancy) -> None:
    scans = (
        ("early", GestationalAge(12, 4), "posterior", "Ett levende foster. Termin satt etter eSnurra."),
        ("routine", GestationalAge(18, 3), "anterior", "Normal anatomi og fostervannsmengde."),
    )
    for kind, age, placenta, findings in scans:
        services.add_ultrasound(
            midwife,
            pregnancy,
            kind=kind,
            date=_on(pregnancy, age.weeks, age.days),
            ga_days=age.total_days,
            fetuses=1,
            placenta=placenta,
            findings=findings,
        )


def _vaccines(woman: Actor, midwife: Actor, pregnancy: Pregnancy) -> None:
    services.add_vaccination(woman, pregnancy, vaccine="influenza", date=_on(pregnancy, 14, 2), place="Apotek")
    services.add_vaccination(midwife, pregnancy, vaccine="pertussis", date=_on(pregnancy, 24), place="")


def _birth_plan_and_co_parent(woman: Actor, pregnancy: Pregnancy) -> None:
    plan = {
        "plan": "Ønsker å prøve badekar og lystgass. Jonas skal være med under fødselen.",
        "birth_unit": personas.BIRTH_UNIT.name,
        "applied_on": _on(pregnancy, 20).isoformat(),
        "application_status": "accepted",
    }
    services.write_section(woman, pregnancy, "birth_plan", plan)
    services.write_section(woman, pregnancy, "co_parent", {"name": "Jonas Nordmann", "relationship": "cohabitant"})

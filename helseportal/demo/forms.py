"""The GP office's two forms (Skjemaer, issue 17): an e-consultation and a symptom triage form, public, shipped as
Questionnaire JSON with the forms app; and the pregnancy card's survey before the first consultation, sent to the
health station where the demo's midwife works, in the card's area (its age rules); and Pasientreiser's claim, for
the hospital's patient travel office, in the travel area. Safe to run again (`load_shipped`
keeps a version that is there)."""

from helseportal.access.models import ServiceArea
from helseportal.demo import personas
from helseportal.forms.services import load_shipped
from helseportal.organisations.models import Unit

SHIPPED = ("e_konsultasjon", "symptomsjekk")


def load_forms() -> None:
    gp_office = Unit.objects.get(orgnr=personas.MAJORSTUEN_GP.orgnr)
    for shipped in SHIPPED:
        load_shipped(shipped, unit=gp_office, public=True)
    health_station = Unit.objects.get(orgnr=personas.HEALTH_STATION.orgnr)
    load_shipped("svangerskap_kartlegging", unit=health_station, area=ServiceArea.PREGNANCY)
    # Pasientreiser's claim (issue 12 items 5, 6): published by the hospital's patient travel office, travel area.
    travel_office = Unit.objects.get(orgnr=personas.TRAVEL_OFFICE.orgnr)
    load_shipped("pasientreise", unit=travel_office, public=True, area=ServiceArea.PATIENT_TRAVEL)

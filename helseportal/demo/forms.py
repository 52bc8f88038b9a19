"""The GP office's two forms (Skjemaer, issue 17): an e-consultation and a symptom triage form, public, shipped as
Questionnaire JSON with the forms app; safe to run again (`load_shipped` keeps a version that is there)."""

from helseportal.demo import personas
from helseportal.forms.services import load_shipped
from helseportal.organisations.models import Unit

SHIPPED = ("e_konsultasjon", "symptomsjekk")


def load_forms() -> None:
    gp_office = Unit.objects.get(orgnr=personas.MAJORSTUEN_GP.orgnr)
    for shipped in SHIPPED:
        load_shipped(shipped, unit=gp_office, public=True)

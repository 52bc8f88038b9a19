"""Pasientreiser's demo data (issue 12 item 5): Kari's claims, one paid and one under processing, so /pasientreiser/
and the patient travel office's queue are filled in `make run`.

Each claim is made by the travel app's own service from a sent claim form's answers (as the forms engine hands them
over), and the case officer Siv takes the steps through the services, so the audit and the notifications are the
real ones. Trip dates are counted back from today. Synthetic places and distances. Safe to run again: Kari's claims
are made once.
"""

import datetime
from typing import Any

from django.db import transaction

from helseportal.core.time import today
from helseportal.demo import actors, personas
from helseportal.fhir import JSON
from helseportal.identity.models import Person
from helseportal.travel import services, survey

CODES = "urn:helseportal:forms:pasientreise:"


def _answer(link: str, value: Any) -> JSON:
    answer: JSON
    if isinstance(value, bool):
        answer = {"valueBoolean": value}
    elif isinstance(value, int):
        answer = {"valueInteger": value}
    elif isinstance(value, datetime.date):
        answer = {"valueDate": value.isoformat()}
    elif isinstance(value, tuple):
        answer = {"valueCoding": {"system": CODES + value[0], "code": value[1]}}
    else:
        answer = {"valueString": value}
    return {"linkId": link, "answer": [answer]}


def response(answers: dict[str, Any]) -> JSON:
    """A sent claim form as the engine hands it over: the answers, and the office it was sent to."""
    return {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": f"{survey.CLAIM_URL}|1.0.0",
        "status": "completed",
        "extension": [
            {
                "url": survey.RECIPIENT,
                "valueReference": {
                    "identifier": {"system": "urn:oid:2.16.578.1.12.4.1.4.101", "value": personas.TRAVEL_OFFICE.orgnr}
                },
            }
        ],
        "item": [_answer(link, value) for link, value in answers.items()],
    }


def trip_answers(days_ago: int, km: int) -> dict[str, Any]:
    return {
        "trip.date": today() - datetime.timedelta(days=days_ago),
        "trip.place": "Sykehuset i Vestfold, Tønsberg",
        "trip.from": f"{personas.KARI.street_address}, {personas.KARI.post_place}",
        "trip.round": True,
        "trip.kind": ("kind", "standard"),
        "standard.km": km,
        "standard.transport": ("transport", "car"),
    }


@transaction.atomic
def load_travel() -> int:
    """Kari's two claims, made once; how many were made now."""
    kari = Person.objects.get(pid=personas.KARI.pid)
    if services.TravelClaim.objects.filter(person=kari).exists():
        return 0
    citizen = actors.citizen(personas.KARI)
    officer = actors.case_officer(personas.SIV, personas.TRAVEL_OFFICE)
    paid = services.receive(citizen, response(trip_answers(40, 104)))
    services.take(officer, paid.pk)
    services.decide(
        officer,
        paid.pk,
        approved=True,
        amount_ore=paid.proposed_ore,
        reasons="Reisen er lenger enn 10 km hver vei og dekkes med standardsats per kilometer, minus egenandel "
        "hver vei.",
    )
    services.pay(officer, paid.pk)
    processing = services.receive(citizen, response(trip_answers(8, 104)))
    services.take(officer, processing.pk)
    return 2

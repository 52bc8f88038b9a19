"""The travel claim on the forms engine (issue 12 item 6): the Questionnaire and how its answers become a claim.

The form is shipped (`forms/data/pasientreise.json`, canonical URL `CLAIM_URL`) and imported for a pasientreisekontor,
which may publish new versions of it like any unit's form (docs/forms.md, "Publishing"); a new version keeps the
linkIds below, or its answers cannot make a claim (`Invalid`, shown on the summary: nothing is sent). This app
registers at `ready()` (`fhir.questionnaires`): `on_submit` makes the claim in the engine's transaction, and `takes`:
the claim is the one record of her answers, which the office reads in its queue (not in the forms inbox).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from helseportal.core.errors import Invalid
from helseportal.fhir import JSON, codes
from helseportal.travel import rates
from helseportal.travel.rules import Kind, Trip

CLAIM_URL = codes.LOCAL + "questionnaire:pasientreise"
SHIPPED_NAME = "pasientreise"  # forms/data/<name>.json
RECIPIENT = codes.LOCAL + "forms:recipient"  # the engine's extension naming the unit (forms.services.RECIPIENT)
RECEIVER = gettext_lazy("pasientreisekontoret")


@dataclass(frozen=True)
class Claimed:
    """What the sent form says, read and checked."""

    trip: Trip
    place: str
    from_address: str
    transport: str
    note: str
    office_orgnr: str


def answers_of(response: JSON) -> dict[str, Any]:
    """The first answer of each question, by linkId, as a plain value (a choice by its code)."""
    found: dict[str, Any] = {}

    def walk(items: list[JSON]) -> None:
        for item in items:
            answers = item.get("answer") or []
            if answers:
                found[str(item.get("linkId"))] = _value(answers[0])
            walk(item.get("item") or [])

    walk(response.get("item") or [])
    return found


def _value(answer: JSON) -> Any:
    for key, value in answer.items():
        if key == "valueCoding":
            return value.get("code")
        if key.startswith("value"):
            return value
    return None


def parse(response: JSON) -> Claimed:
    """The claim in a sent response; `Invalid` (in Norwegian) when a version of the form lacks what a claim needs."""
    answers = answers_of(response)
    try:
        day = datetime.date.fromisoformat(str(answers.get("trip.date")))
        kind = Kind(str(answers.get("trip.kind")))
    except ValueError:
        raise Invalid(_("Skjemaet mangler dato for behandlingen eller hva du søker om.")) from None
    round_trip = answers.get("trip.round") is True
    if kind == Kind.STANDARD:
        km = answers.get("standard.km")
        if not isinstance(km, int) or not 0 < km <= rates.MAX_KM:
            raise Invalid(_("Skriv avstanden hver vei i hele kilometer, fra 1 til %(max)s.") % {"max": rates.MAX_KM})
        trip = Trip(day, kind, round_trip, km=km)
        transport = str(answers.get("standard.transport") or "")
    else:
        trip = Trip(day, kind, round_trip, expenses_ore=_ore(answers.get("expenses.amount")))
        transport = str(answers.get("expenses.transport") or "")
    return Claimed(
        trip,
        str(answers.get("trip.place") or "")[:200],
        str(answers.get("trip.from") or "")[:200],
        transport[:40],
        str(answers.get("other.note") or ""),
        _office_orgnr(response),
    )


def _ore(amount: object) -> int:
    try:
        kroner = Decimal(str(amount))
    except InvalidOperation:
        kroner = Decimal(-1)
    ore = kroner * 100
    if not kroner.is_finite() or kroner < 0 or ore > rates.MAX_EXPENSES_ORE or ore != ore.to_integral_value():
        raise Invalid(
            _("Skriv utgiftene i kroner, fra 0 til %(max)s, med høyst to desimaler.")
            % {"max": rates.MAX_EXPENSES_ORE // 100}
        )
    return int(ore)


def _office_orgnr(response: JSON) -> str:
    for extension in response.get("extension") or []:
        if extension.get("url") == RECIPIENT:
            return str(((extension.get("valueReference") or {}).get("identifier") or {}).get("value") or "")
    return ""


def receipts_of(response: JSON) -> list[JSON]:
    """The attachments of the sent form, in the order of its items (the number in the office's download address)."""
    found: list[JSON] = []

    def walk(items: list[JSON]) -> None:
        for item in items:
            found.extend(a["valueAttachment"] for a in item.get("answer") or () if "valueAttachment" in a)
            walk(item.get("item") or [])

    walk(response.get("item") or [])
    return found

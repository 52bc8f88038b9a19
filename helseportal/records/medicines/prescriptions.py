"""What a prescription, a dispensing and an entry of the GP's medication list say, in the citizen's words, read from
the resources the sources sent; and which prescriptions the pages show (`in_window`).

The FHIR R4 elements (https://hl7.org/fhir/R4/medicationrequest.html):

- the medication: `medicationCodeableConcept` (its text, else its first coding's display); its strength from a
  contained Medication's `ingredient.strength` when `medicationReference` names one (`#id`); otherwise the name
  alone, which in e-resept carries the strength («Levaxin 50 mikrog tabletter»);
- the dosage as the prescriber wrote it: `dosageInstruction[].text` (e-resept's «dosering i klartekst»);
- the prescriber: `requester.display`;
- the validity: `dispenseRequest.validityPeriod`, its `end` the last day it may be dispensed;
- the withdrawals: `dispenseRequest.numberOfRepeatsAllowed`, R4: "the number of times, in addition to the original
  dispense, (aka refills or repeats) that the patient can receive the prescribed medication", so one more than
  that in all, less the completed dispensings made on it. No Norwegian FHIR expression of e-resept's *reit* was
  found: HL7 Norway's MedicationRequest profile for the medicines register (github.com/HL7Norway/LMDI,
  `lmdi-MedicationRequest.fsh`) leaves `dispenseRequest` out, and e-resept itself is KITH XML (M1 «Resept»); so
  the R4 element, as R4 defines it (docs/fhir-api.md says so to source systems).

A dispensing (https://hl7.org/fhir/R4/medicationdispense.html) names its prescription in `authorizingPrescription`:
by our id (`MedicationRequest/17`), or as the pharmacy knows it, by the prescription's business identifier (a
logical reference, `{"identifier": {"system": …, "value": …}}`: e-resept's ReseptID). An entry of the GP's list is
a MedicationStatement (https://hl7.org/fhir/R4/medicationstatement.html) with status `active`.
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db.models import CharField, Q, QuerySet
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from helseportal.core.time import OSLO
from helseportal.fhir import JSON
from helseportal.records.models import Record

# Issue 11 item 1 ("the last 12 months") and NHN's youth access ("oversikt over aktive resepter og resepter de siste
# 12 månedene", access/rules.py): the pages show the prescriptions still valid and those ended in the last 12 months.
WINDOW_MONTHS = 12
# «Be om fornyelse» is offered on a valid prescription, one whose withdrawals are all taken, and one expired less than
# this many days ago: our own choice of "recently" (the GP may renew an older one too, but then she writes herself).
RENEW_WITHIN_DAYS = 90


class State(StrEnum):
    ACTIVE = "active"
    USED = "used"
    EXPIRED = "expired"
    STOPPED = "stopped"


WORDS: dict[State, Promise] = {
    State.ACTIVE: _("Gyldig"),
    State.USED: _("Alt er hentet"),
    State.EXPIRED: _("Utløpt"),
    State.STOPPED: _("Avsluttet av legen"),
}


@dataclass(frozen=True)
class Dispensing:
    row: Record
    medication: str
    handed_over: datetime.date | None
    quantity: str
    pharmacy: str
    completed: bool


@dataclass(frozen=True)
class Prescription:
    row: Record
    medication: str
    strength: str
    dosage: str
    prescriber: str
    authored: datetime.date | None
    valid_to: datetime.date | None
    repeats: int | None  # numberOfRepeatsAllowed; None when the source did not say
    dispensings: tuple[Dispensing, ...]
    state: State

    @property
    def words(self) -> Promise:
        return WORDS[self.state]

    @property
    def withdrawals(self) -> int | None:
        """How many times it may be dispensed in all (the first and the repeats), None when not said."""
        return None if self.repeats is None else self.repeats + 1

    @property
    def remaining(self) -> int | None:
        """Withdrawals left: all of them less the completed dispensings; None when the source did not say."""
        if self.withdrawals is None:
            return None
        return max(self.withdrawals - sum(1 for d in self.dispensings if d.completed), 0)

    def renewable(self, day: datetime.date) -> bool:
        """Whether «Be om fornyelse» is offered: valid, all taken, or expired less than `RENEW_WITHIN_DAYS` ago."""
        if self.state in (State.ACTIVE, State.USED):
            return True
        recent = day - datetime.timedelta(days=RENEW_WITHIN_DAYS)
        return self.state == State.EXPIRED and self.valid_to is not None and self.valid_to >= recent


@dataclass(frozen=True)
class ListEntry:
    """One medication on the GP's list."""

    row: Record
    medication: str
    dosage: str
    since: datetime.date | None


def window_start(day: datetime.date) -> datetime.date:
    """The first day of the window: the same day `WINDOW_MONTHS` ago (28 February for a 29th)."""
    year, month = divmod(day.year * 12 + day.month - 1 - WINDOW_MONTHS, 12)
    for last in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month + 1, last)
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has a 28th")


def in_window(rows: QuerySet[Record], day: datetime.date) -> QuerySet[Record]:
    """The prescriptions the pages show on `day`: valid ones, and those ended in the window (by their validity's
    end, or, when the source sent none, by when they were written; one still active without an end is valid)."""
    start = window_start(day)
    # As text, so the lookups compare the ISO strings (a JSON key lookup would compare JSON values).
    rows = rows.alias(valid_to=Cast(KT("resource__dispenseRequest__validityPeriod__end"), CharField()))
    no_end = Q(valid_to__isnull=True) | Q(valid_to="")
    written = datetime.datetime.combine(start, datetime.time(), OSLO)
    return rows.filter(Q(valid_to__gte=start.isoformat()) | (no_end & (Q(status="active") | Q(effective__gte=written))))


def prescription(row: Record, dispensings: Sequence[Dispensing], day: datetime.date) -> Prescription:
    resource = row.resource
    request = _object(resource.get("dispenseRequest"))
    validity = _object(request.get("validityPeriod"))
    repeats = request.get("numberOfRepeatsAllowed")
    repeats = repeats if isinstance(repeats, int) and not isinstance(repeats, bool) and repeats >= 0 else None
    valid_to = _date(validity.get("end"))
    completed = sum(1 for d in dispensings if d.completed)
    return Prescription(
        row=row,
        medication=medication(resource),
        strength=_strength(resource),
        dosage=_dosage(resource.get("dosageInstruction")),
        prescriber=_display(resource.get("requester")),
        authored=_date(resource.get("authoredOn")),
        valid_to=valid_to,
        repeats=repeats,
        dispensings=tuple(dispensings),
        state=_state(row.status, valid_to, None if repeats is None else repeats + 1 - completed, day),
    )


def _state(status: str, valid_to: datetime.date | None, left: int | None, day: datetime.date) -> State:
    if status == "completed" or (status == "active" and left is not None and left <= 0):
        return State.USED
    if status != "active":
        return State.STOPPED  # cancelled, stopped, on-hold, draft, unknown: not to be dispensed now
    return State.EXPIRED if valid_to is not None and valid_to < day else State.ACTIVE


def dispensing(row: Record) -> Dispensing:
    resource = row.resource
    performer = _first(resource.get("performer"))
    pharmacy = _display(performer.get("actor")) if isinstance(performer, dict) else ""
    return Dispensing(
        row=row,
        medication=medication(resource),
        handed_over=_date(resource.get("whenHandedOver")),
        quantity=_quantity(resource.get("quantity")),
        pharmacy=pharmacy or row.source_unit.shown_name,
        completed=row.status == "completed",
    )


def list_entry(row: Record) -> ListEntry:
    resource = row.resource
    period = resource.get("effectivePeriod")
    since = resource.get("effectiveDateTime") or (period.get("start") if isinstance(period, dict) else None)
    return ListEntry(row, medication(resource), _dosage(resource.get("dosage")), _date(since))


def linked(prescriptions: Iterable[Record], dispensings: Iterable[Record]) -> dict[int, list[Dispensing]]:
    """The dispensings made on each prescription (by its row key), newest first, matched by `authorizingPrescription`:
    our reference or the prescription's business identifier."""
    by_key: dict[tuple[str, str], int] = {}
    for row in prescriptions:
        by_key[("ref", f"MedicationRequest/{row.pk}")] = row.pk
        by_key[(row.identifier_system, row.identifier_value)] = row.pk
    found: dict[int, list[Dispensing]] = {pk: [] for pk in by_key.values()}
    for row in dispensings:
        for key in _authorizing(row.resource):
            if key in by_key:
                found[by_key[key]].append(dispensing(row))
                break
    return found


def _authorizing(resource: JSON) -> Iterable[tuple[str, str]]:
    references = resource.get("authorizingPrescription")
    for reference in references if isinstance(references, list) else []:
        if not isinstance(reference, dict):
            continue
        if reference.get("reference"):
            yield "ref", str(reference["reference"])
        named = reference.get("identifier")
        if isinstance(named, dict) and named.get("system") and named.get("value"):
            yield str(named["system"]), str(named["value"])


def medication(resource: JSON) -> str:
    """The medication's name as the source wrote it: the concept's text, else a coding's display."""
    concept = resource.get("medicationCodeableConcept")
    if isinstance(concept, dict):
        return _text(concept)
    contained = _contained_medication(resource)
    return _text(contained.get("code")) if contained else ""


def _strength(resource: JSON) -> str:
    contained = _contained_medication(resource)
    ingredient = _first(contained.get("ingredient")) if contained else None
    strength = ingredient.get("strength") if isinstance(ingredient, dict) else None
    if not isinstance(strength, dict):
        return ""
    amount = _quantity(strength.get("numerator"))
    per = strength.get("denominator")
    per_one = isinstance(per, dict) and per.get("value") in (1, None)
    return amount if per_one or not amount else f"{amount}/{_quantity(per)}"


def _contained_medication(resource: JSON) -> JSON | None:
    reference = resource.get("medicationReference")
    target = str(reference.get("reference") or "") if isinstance(reference, dict) else ""
    if not target.startswith("#"):
        return None
    contained = resource.get("contained")
    for item in contained if isinstance(contained, list) else []:
        if isinstance(item, dict) and item.get("resourceType") == "Medication" and item.get("id") == target[1:]:
            return item
    return None


def _dosage(instructions: Any) -> str:
    texts = (
        [str(d.get("text")) for d in instructions if isinstance(d, dict) and d.get("text")]
        if isinstance(instructions, list)
        else []
    )
    return " ".join(texts)


def _quantity(value: Any) -> str:
    if not isinstance(value, dict) or value.get("value") is None:
        return ""
    number = value["value"]
    shown = f"{number:g}".replace(".", ",") if isinstance(number, (int, float)) else str(number)
    unit = str(value.get("unit") or value.get("code") or "")
    return f"{shown} {unit}".strip()


def _display(reference: Any) -> str:
    return str(reference.get("display") or "") if isinstance(reference, dict) else ""


def _text(concept: Any) -> str:
    if not isinstance(concept, dict):
        return ""
    codings = concept.get("coding")
    displays = [c.get("display") for c in codings if isinstance(c, dict)] if isinstance(codings, list) else []
    return str(concept.get("text") or next((d for d in displays if d), "") or "")


def _object(value: Any) -> JSON:
    return value if isinstance(value, dict) else {}


def _first(value: Any) -> Any:
    return value[0] if isinstance(value, list) and value else None


def _date(value: Any) -> datetime.date | None:
    """The day of a FHIR date or dateTime, in Oslo; None for what is missing or not a full date."""
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        if len(value) == 10:
            return datetime.date.fromisoformat(value)
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment.astimezone(OSLO).date() if moment.tzinfo is not None else moment.date()

"""Every write of Frikort og egenandeler: a provider's co-payment in, and the exemption card kept in step with the sum.

Who may send, and for whom: only a system client that belongs to a unit (a provider's record system), and only for
a person already tied to that unit (`access.policy.api_persons`: an appointment, a thread, a record it sent; as
messaging does). Anyone else is `NotFound`, as a missing person: a co-payment never makes the tie itself.

Idempotent by the provider's business identifier (unit, identifier system, value): the same co-payment sent again,
also under a new id (a re-keyed system), changes nothing; a changed one under the same identifier is a **correction
and replaces** the row's amount, date and service (the sum takes the latest amount, never both); `entered-in-error`
withdraws it (the row kept, marked, out of the sum). The versions are the FHIR engine's (`ResourceVersion`).

After each write the years it touched are summed again (`rules.summarise`) and the card follows (`keep_card`):
issued when the sum reaches the cap, its date moved when a correction moves the day the cap was reached, withdrawn
(kept, marked) when a correction takes the sum below the cap (our choice: a card the registered co-payments no
longer support does not hold; it is issued again if the sum reaches the cap again). Each change of the card is
audited for the person in the same transaction and told to her, without content, through `notify`. The write of
the co-payment itself is audited by the API engine (`api:copayments:create|update`), once per request.
"""

import datetime
import secrets
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from helseportal.access import audit, policy
from helseportal.copayments import rules
from helseportal.copayments.caps import cap_for
from helseportal.copayments.models import CoPayment, ExemptionCard
from helseportal.core import time
from helseportal.core.actor import Actor, Role
from helseportal.core.errors import Invalid, NotFound, Refused
from helseportal.core.ids import DNR_SYSTEM, FNR_SYSTEM, ORGNR_SYSTEM, InvalidPersonId, parse_pid
from helseportal.fhir import JSON
from helseportal.fhir.provider import Outcome, Written
from helseportal.identity.models import Person
from helseportal.notify.services import Event, notify
from helseportal.organisations.models import Unit

__all__ = ["CoPayment", "ExemptionCard", "keep_card", "receive", "register_own", "revise"]

STATUSES = {"billable": False, "billed": False, "entered-in-error": True}  # status → withdrawn
MAX_AMOUNT = Decimal("100000")  # kroner: far above any single co-payment (our limit against a misplaced decimal)
MAX_IDENTIFIER = 200
CARD_ISSUED = "copayments:card:issued"
CARD_CHANGED = "copayments:card:changed"
CARD_WITHDRAWN = "copayments:card:withdrawn"
REGISTERED = "copayments:copayment:registered"


@dataclass(frozen=True)
class Parsed:
    """What a ChargeItem states, read and checked."""

    identifier: tuple[str, str]
    status: str
    patient_key: int | None
    patient_pid: str
    occurred_at: datetime.datetime
    service_date: datetime.date
    amount_ore: int
    code_system: str
    code: str
    service: str
    resource: JSON


def receive(actor: Actor, resource: JSON) -> Written:
    """Store a co-payment a provider's system sent (`POST ChargeItem`), idempotent by its identifier."""
    unit = _client_unit(actor)
    parsed = parse(resource, unit)
    person_id = _patient(actor, parsed)
    try:
        with transaction.atomic():
            return _store(actor, unit, parsed, person_id, None)
    except IntegrityError:  # the same new co-payment sent twice at once: the other insert won
        with transaction.atomic():
            return _store(actor, unit, parsed, person_id, None)


def revise(actor: Actor, row: CoPayment, resource: JSON) -> Written:
    """Correct a co-payment the unit sent (`PUT ChargeItem/<id>`): it keeps its identifier."""
    unit = _client_unit(actor)
    if row.unit_id != unit.pk:  # the engine's scope already says so; never write another unit's row
        raise NotFound
    parsed = parse(resource, unit)
    if parsed.identifier != (row.identifier_system, row.identifier_value):
        raise Invalid(_("Identifikatoren kan ikke endres. Send egenandelen som ny, med den nye identifikatoren."))
    person_id = _patient(actor, parsed)
    with transaction.atomic():
        return _store(actor, unit, parsed, person_id, row.pk)


def _store(actor: Actor, unit: Unit, parsed: Parsed, person_id: int, pk: int | None) -> Written:
    rows = CoPayment.objects.select_for_update()
    system, value = parsed.identifier
    row = (
        rows.filter(pk=pk).first()
        if pk
        else rows.filter(unit=unit, identifier_system=system, identifier_value=value).first()
    )
    if row is None:
        row = CoPayment(unit=unit, identifier_system=system, identifier_value=value)
        outcome = Outcome.CREATED
    elif row.person_id != person_id:
        raise Refused(_("Identifikatoren hører til en egenandel for en annen pasient."))
    elif row.resource == _normalised(parsed, person_id):
        return Written(row, Outcome.UNCHANGED)
    else:
        outcome = Outcome.UPDATED
    years = {row.service_date.year} if row.pk else set()
    _fill(row, parsed, person_id, actor)
    row.save()
    for year in sorted(years | {row.service_date.year}):
        keep_card(actor, person_id, year)
    return Written(row, outcome)


def _fill(row: CoPayment, parsed: Parsed, person_id: int, actor: Actor) -> None:
    row.person_id = person_id
    row.occurred_at, row.service_date = parsed.occurred_at, parsed.service_date
    row.amount_ore = parsed.amount_ore
    row.code_system, row.code, row.service = parsed.code_system, parsed.code, parsed.service
    row.status, row.entered_in_error = parsed.status, STATUSES[parsed.status]
    row.resource = _normalised(parsed, person_id)
    row.source_client = actor.client_id or ""


def _normalised(parsed: Parsed, person_id: int) -> JSON:
    """As we keep it: without the sender's `id` and `meta`, the patient as our key (name and number added when
    served)."""
    kept = {name: value for name, value in parsed.resource.items() if name not in ("id", "meta")}
    return kept | {"subject": {"reference": f"Patient/{person_id}"}}


def register_own(
    actor: Actor,
    *,
    unit: Unit,
    person_id: int,
    identifier: tuple[str, str],
    service_date: datetime.date,
    amount_ore: int,
    service: str,
) -> Written:
    """A co-payment a service of the portal itself took for one of its units: Pasientreiser's own share, registered
    when the pasientreisekontor pays the claim (review finding 7; «Egenandelen legges til grunn for frikort»,
    pasientreiser.no, «Frikort og egenandeler»). The same path as a provider's ChargeItem (`parse`, `_store`):
    idempotent by `identifier` (a claim paid again after a complaint changes nothing), the card kept in step.

    The caller has checked who may act (the case officer of `unit`); the write is audited here for the person
    (`copayments:copayment:registered`), in the caller's transaction."""
    resource: JSON = {
        "resourceType": "ChargeItem",
        "identifier": [{"system": identifier[0], "value": identifier[1]}],
        "status": "billed",
        "code": {"text": service},
        "subject": {"reference": f"Patient/{person_id}"},
        "occurrenceDateTime": service_date.isoformat(),
        "performingOrganization": {"identifier": {"system": ORGNR_SYSTEM, "value": unit.orgnr}},
        "priceOverride": {"value": amount_ore / 100, "currency": "NOK"},
    }
    parsed = parse(resource, unit)
    with transaction.atomic():
        written = _store(actor, unit, parsed, person_id, None)
        if written.outcome != Outcome.UNCHANGED:
            audit.record(actor, REGISTERED, subject_id=person_id, resources=[str(written.row)])
    return written


# --- The card ----------------------------------------------------------------------------------------------------


def summary(person: Person, year: int) -> rules.Year:
    """The person's year: every co-payment with a service date in it, against the year's cap."""
    rows = CoPayment.objects.filter(person=person, service_date__year=year)
    charges = [rules.Charge(r.pk, r.service_date, r.amount_ore, r.entered_in_error) for r in rows]
    return rules.summarise(year, charges, person.birth_date, cap_for(year))


def keep_card(actor: Actor, person_id: int, year: int) -> ExemptionCard | None:
    """Bring the year's card in step with its sum (see the module's rules); the card, or None when there is none."""
    person = Person.objects.get(pk=person_id)
    found = summary(person, year)
    card = ExemptionCard.objects.select_for_update().filter(person=person, year=year).first()
    now = timezone.now()
    if found.card_from is None:
        if card is not None and card.in_force:
            card.withdrawn_at = now
            card.save(update_fields=["withdrawn_at"])
            _told(actor, card, CARD_WITHDRAWN, Event.EXEMPTION_CARD_WITHDRAWN)
        return card
    if card is None:
        card = ExemptionCard.objects.create(
            person=person, year=year, number=_new_number(year), valid_from=found.card_from, issued_at=now
        )
        _told(actor, card, CARD_ISSUED, Event.EXEMPTION_CARD_ISSUED)
    elif not card.in_force:
        card.withdrawn_at, card.valid_from, card.issued_at = None, found.card_from, now
        card.save(update_fields=["withdrawn_at", "valid_from", "issued_at"])
        _told(actor, card, CARD_ISSUED, Event.EXEMPTION_CARD_ISSUED)
    elif card.valid_from != found.card_from:
        card.valid_from = found.card_from
        card.save(update_fields=["valid_from"])
        audit.record(actor, CARD_CHANGED, subject_id=person_id, resources=[f"ExemptionCard/{card.pk}"])
    return card


def _told(actor: Actor, card: ExemptionCard, code: str, event: Event) -> None:
    audit.record(actor, code, subject_id=card.person_id, resources=[f"ExemptionCard/{card.pk}"])
    key = f"copayments:card:{card.pk}:{event}:{card.valid_from.isoformat()}:{timezone.now():%Y%m%d%H%M%S%f}"
    notify(card.person_id, event, key=key)


def _new_number(year: int) -> str:
    """A card number that tells nothing of the person: the year and ten random digits."""
    for _attempt in range(10):
        number = f"{year}-{secrets.randbelow(10**10):010d}"
        if not ExemptionCard.objects.filter(number=number).exists():
            return number
    raise RuntimeError("no free exemption card number")  # pragma: no cover: 10^10 numbers a year


# --- Reading a ChargeItem ----------------------------------------------------------------------------------------


def _client_unit(actor: Actor) -> Unit:
    if actor.role != Role.SYSTEM or actor.unit_id is None or not actor.client_id:
        raise Refused(_("Bare kildesystemer som hører til en virksomhet, kan registrere egenandeler."))
    unit = Unit.objects.filter(pk=actor.unit_id).first()
    if unit is None:
        raise NotFound
    return unit


def parse(resource: JSON, unit: Unit) -> Parsed:
    """A ChargeItem as a co-payment: refused with a Norwegian reason when it cannot be one."""
    if resource.get("resourceType") != "ChargeItem":
        raise Invalid(_("Ressurstypen i innholdet stemmer ikke med adressen."))
    status = str(resource.get("status") or "")
    if status not in STATUSES:
        raise Invalid(_("En egenandel må ha status «billable», «billed» eller «entered-in-error»."))
    _check_provider(resource, unit)
    key, pid = _subject(resource.get("subject"))
    occurred_at = _occurrence(resource)
    system, code, service = _code(resource.get("code"))
    return Parsed(
        _identifier(resource),
        status,
        key,
        pid,
        occurred_at,
        occurred_at.astimezone(time.OSLO).date(),
        _amount(resource.get("priceOverride")),
        system,
        code,
        service,
        resource,
    )


def _identifier(resource: JSON) -> tuple[str, str]:
    for candidate in resource.get("identifier") or []:
        if isinstance(candidate, dict) and candidate.get("system") and candidate.get("value"):
            system, value = str(candidate["system"]), str(candidate["value"])
            if len(system) > MAX_IDENTIFIER or len(value) > MAX_IDENTIFIER:
                raise Invalid(_("Identifikatoren er for lang (høyst %(max)s tegn).") % {"max": MAX_IDENTIFIER})
            return system, value
    raise Invalid(
        _(
            "En egenandel må ha kildesystemets identifikator (identifier med system og value), så en ny sending "
            "av samme egenandel ikke telles to ganger."
        )
    )


def _check_provider(resource: JSON, unit: Unit) -> None:
    named = (resource.get("performingOrganization") or {}).get("identifier") or {}
    if named.get("system") == ORGNR_SYSTEM and str(named.get("value") or "") != unit.orgnr:
        raise Refused(_("Klienten kan bare registrere egenandeler for sin egen virksomhet."))


def _subject(reference: object) -> tuple[int | None, str]:
    if not isinstance(reference, dict):
        raise Invalid(_("Egenandelen må si hvilken pasient den gjelder (subject)."))
    target = str(reference.get("reference") or "")
    named = reference.get("identifier") or {}
    pid = str(named.get("value") or "") if named.get("system") in (FNR_SYSTEM, DNR_SYSTEM) else ""
    if pid:
        try:
            parse_pid(pid, allow_synthetic=settings.HELSEPORTAL_TEST_IDENTITIES)
        except InvalidPersonId as error:
            raise Invalid(str(error)) from None
    key = None
    if target:
        kind, _slash, value = target.partition("/")
        if kind != "Patient" or not value.isdigit() or len(value) > 18:
            raise Invalid(_("Fant ingen pasient med denne referansen."))
        key = int(value)
    if key is None and not pid:
        raise Invalid(_("Egenandelen må si hvilken pasient den gjelder (subject med fødselsnummer eller D-nummer)."))
    return key, pid


def _patient(actor: Actor, parsed: Parsed) -> int:
    """The person: one tied to the client's unit; anyone else is unknown to it (404)."""
    rows = Person.objects.filter(pid=parsed.patient_pid) if parsed.patient_pid else Person.objects.all()
    if parsed.patient_key is not None:
        rows = rows.filter(pk=parsed.patient_key)
    found = rows.filter(pk__in=policy.api_persons(actor)).values_list("pk", flat=True).first()
    if found is None:
        raise NotFound
    return found


def _occurrence(resource: JSON) -> datetime.datetime:
    value = resource.get("occurrenceDateTime") or (resource.get("occurrencePeriod") or {}).get("start")
    if not value:
        raise Invalid(_("Egenandelen må ha datoen tjenesten ble gitt (occurrenceDateTime eller occurrencePeriod)."))
    text = str(value)
    try:
        if len(text) == 10:
            day = datetime.date.fromisoformat(text)
            moment = datetime.datetime.combine(day, datetime.time(), tzinfo=time.OSLO)
        else:
            moment = datetime.datetime.fromisoformat(text)
            moment = moment if moment.tzinfo else moment.replace(tzinfo=time.OSLO)
    except ValueError:
        raise Invalid(_("Datoen tjenesten ble gitt, må være en hel dato (ÅÅÅÅ-MM-DD) eller et tidspunkt.")) from None
    if moment.astimezone(time.OSLO).date() > time.today():
        raise Invalid(_("Datoen tjenesten ble gitt, kan ikke være fram i tid."))
    return moment


def _amount(money: object) -> int:
    if not isinstance(money, dict) or money.get("value") is None:
        raise Invalid(_("Egenandelen må ha beløpet pasienten betalte (priceOverride med value og currency NOK)."))
    if money.get("currency") != "NOK":
        raise Invalid(_("Beløpet må være i norske kroner (currency NOK)."))
    try:
        amount = Decimal(str(money["value"]))
    except InvalidOperation:
        raise Invalid(_("Beløpet er ikke et tall.")) from None
    if not amount.is_finite() or amount < 0 or amount > MAX_AMOUNT or amount != amount.quantize(Decimal("0.01")):
        raise Invalid(
            _("Beløpet må være mellom 0 og %(max)s kroner, med høyst to desimaler.") % {"max": int(MAX_AMOUNT)}
        )
    return int(amount * 100)


def _code(concept: object) -> tuple[str, str, str]:
    concept = concept if isinstance(concept, dict) else {}
    codings = [c for c in concept.get("coding") or [] if isinstance(c, dict)]
    first = codings[0] if codings else {}
    service = str(concept.get("text") or first.get("display") or first.get("code") or "")
    if not service:
        raise Invalid(_("Egenandelen må si hvilken tjeneste den gjelder (code med text eller coding)."))
    return str(first.get("system") or "")[:200], str(first.get("code") or "")[:100], service[:300]

"""Every write of the forms: a Questionnaire imported (one row per version), a step of a draft saved, a response sent.

The citizen's writes ask `access.policy` for the form's area first (`queries.form_for`), and write their audit
record in the same transaction; a form to the youth services is hidden from representatives in the log.
Sending builds the QuestionnaireResponse from the answers of the enabled items only, validates it with
`fhir.resources` and against the form (`logic.mismatches`), works out the triage outcome, stores it, and tells the
unit's subscribers (`subscriptions.services.announce`).
"""

import json
import logging
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from pydantic import ValidationError

from helseportal.access import audit
from helseportal.access.models import ServiceArea
from helseportal.core.actor import Actor
from helseportal.core.errors import Invalid, NotFound
from helseportal.fhir import JSON, codes, questionnaires, references
from helseportal.forms import logic
from helseportal.forms.definition import Definition, load
from helseportal.forms.models import Form, FormResponse, FormStatus, ResponseStatus
from helseportal.forms.owned import prefill
from helseportal.forms.queries import definition_of, event_code, form_for, stats_service
from helseportal.identity.models import Person
from helseportal.organisations.models import Unit, UnitKind
from helseportal.stats import services as stats
from helseportal.subscriptions import services as subscriptions

YOUTH_UNIT_KINDS = (UnitKind.SCHOOL_HEALTH_SERVICE, UnitKind.YOUTH_HEALTH_STATION)
logger = logging.getLogger(__name__)
SHIPPED = Path(__file__).parent / "data"
RESPONSE_PREFIX = "form-"  # the logical id of a response in the FHIR API: QuestionnaireResponse/form-<pk>


def area_for(unit: Unit) -> ServiceArea:
    """The access area of a unit's forms: the youth services' (as in the youth pages), else messages."""
    return ServiceArea.YOUTH if unit.kind in YOUTH_UNIT_KINDS else ServiceArea.MESSAGES


def import_form(
    resource: Any, *, unit: Unit, public: bool = False, status: str = FormStatus.ACTIVE, area: str | None = None
) -> Form:
    """Import one Questionnaire version for `unit`; `Invalid` (in Norwegian) if the engine cannot render it or the
    version is already there with other content (a published version never changes). The same content again
    returns the row it made. Editors' import and approval come with issue 17's publishing step; until then the
    demo loader and operators call this. `area` overrides the unit's (a domain's own form: the pregnancy card's
    survey is in the card's area, with its age rules)."""
    definition = load(resource)
    existing = Form.objects.filter(url=definition.url, version=definition.version).first()
    if existing is not None:
        if existing.resource != resource or existing.unit_id != unit.pk:
            raise Invalid(
                _("Versjon %(version)s av dette skjemaet finnes allerede med annet innhold. Gi den nye en ny versjon.")
                % {"version": definition.version}
            )
        return existing
    return Form.objects.create(
        url=definition.url,
        version=definition.version,
        title=definition.title.nb[:255],
        unit=unit,
        area=area or area_for(unit),
        public=public,
        status=status,
        resource=resource,
    )


def load_shipped(name: str, *, unit: Unit, public: bool = False, area: str | None = None) -> Form:
    """One of the forms shipped with the app (`data/<name>.json`) for `unit`: the demo's, the pregnancy survey."""
    resource = json.loads((SHIPPED / f"{name}.json").read_text(encoding="utf-8"))
    return import_form(resource, unit=unit, public=public, area=area)


def _draft(actor: Actor, form: Form, subject_id: int) -> FormResponse:
    """Her draft of this form version, started with the form's initial values if there is none."""
    found = FormResponse.objects.select_for_update().filter(
        person_id=subject_id, form=form, status=ResponseStatus.IN_PROGRESS
    )
    draft = found.first()
    if draft is not None:
        return draft
    definition = definition_of(form)
    try:
        with transaction.atomic():
            started = FormResponse.objects.create(
                person_id=subject_id,
                author_id=actor.own_person_id,
                form=form,
                unit_id=form.unit_id,
                area=form.area,
                answers=logic.calculate(definition, initial_answers(definition) | prefill(actor, form.url, definition)),
            )
            _record(actor, "forms:draft:started", started)
            return started
    except IntegrityError:  # a second tab started it at the same moment
        return found.get()


def initial_answers(definition: Definition) -> dict[str, list[JSON]]:
    """The form's start values (a repeating group's instances get theirs when they are made)."""
    return logic.initial_answers(definition.items)


def gap_message(gap: logic.Gap) -> str:
    """What she has left out, in Norwegian, naming the instance («Legemiddel 2») when it is in a repeating group."""
    if gap.item.is_repeating_group:
        least = max(gap.item.min_occurs, 1)
        return _("Fyll ut «%(group)s» minst %(count)s ganger.") % {"group": gap.item.text, "count": least}
    if not gap.where:
        return _("Du har ikke svart på «%(question)s».") % {"question": gap.item.text}
    where = ", ".join(group.instance_label(number) for group, number in gap.where)
    return _("Du har ikke svart på «%(question)s» i «%(where)s».") % {"question": gap.item.text, "where": where}


def start(actor: Actor, form_id: int) -> FormResponse:
    """Her draft of the form (a new one if none): where a step page reads the answers so far."""
    form, subject_id = form_for(actor, form_id)
    with transaction.atomic():
        return _draft(actor, form, subject_id)


def save_step(actor: Actor, form_id: int, step: int, answers: dict[str, list[JSON]], shown: list[str]) -> FormResponse:
    """Save one step of her draft: the answers to the items `shown` on it replace the old ones (an item left
    empty loses its answer), the calculated items are worked out again, and the step is remembered."""
    form, subject_id = form_for(actor, form_id)
    definition = definition_of(form)
    with transaction.atomic():
        draft = _draft(actor, form, subject_id)
        merged = {link: given for link, given in draft.answers.items() if link not in shown}
        merged.update({link: given for link, given in answers.items() if given})
        draft.answers = logic.calculate(definition, merged)
        draft.step = max(0, min(step, len(definition.steps)))
        draft.author_id = actor.own_person_id
        draft.save()
        _record(actor, "forms:response:saved", draft)
    return draft


def submit(actor: Actor, form_id: int) -> FormResponse:
    """Send her draft: `Invalid` naming the first required question left unanswered; else the response stored,
    audited and announced to the unit's subscribers."""
    form, subject_id = form_for(actor, form_id)
    definition = definition_of(form)
    with transaction.atomic():
        draft = (
            FormResponse.objects.select_for_update()
            .filter(person_id=subject_id, form=form, status=ResponseStatus.IN_PROGRESS)
            .first()
        )
        if draft is None:
            raise NotFound
        failed: list[str] = []
        answers = logic.calculate(definition, draft.answers, failed)
        unanswered = logic.missing(definition, answers)
        if unanswered:
            raise Invalid(gap_message(unanswered[0]))
        draft.answers = answers
        draft.authored = timezone.now()
        draft.author_id = actor.own_person_id
        draft.resource = _response(definition, draft)
        outcome = logic.triage(definition, draft.resource, failed=bool(failed))
        if failed:
            logger.error("forms: calculatedExpression of %s failed in %s", ", ".join(failed), definition.canonical)
        if outcome is not None:
            draft.priority, draft.triage_rule = outcome.priority, outcome.rule
            draft.resource["extension"] += logic.outcome_extensions(outcome)
        _validate_or_refuse(definition, draft)
        draft.status = ResponseStatus.COMPLETED
        draft.save()
        # Counted here, once, whoever takes it next (the forms inbox or its owning domain): by the form's url.
        stats.count(stats.Event.FORM_SUBMITTED, stats_service(form.area), unit=form.unit, detail=form.url)
        if questionnaires.submitted(actor, form.url, draft.resource):  # its owner takes it: audited and sent there
            return draft
        _record(actor, "forms:response:submitted", draft)
        subscriptions.announce(
            "questionnaire-response-to-unit",
            draft.unit_id,
            "QuestionnaireResponse",
            f"{RESPONSE_PREFIX}{draft.pk}",
            draft.person_id,
        )
    return draft


RECIPIENT = codes.LOCAL + "forms:recipient"


def _response(definition: Definition, draft: FormResponse) -> JSON:
    """The QuestionnaireResponse as sent: answers of the enabled items, who it is about, who wrote it, and the unit
    it was sent to (R4 gives a response no recipient, so an extension of ours names it, by organisasjonsnummer)."""
    subject = Person.objects.get(pk=draft.person_id)
    author = subject if draft.author_id == subject.pk else Person.objects.get(pk=draft.author_id)
    unit = Unit.objects.get(pk=draft.unit_id)
    assert draft.authored is not None
    patient = references.patient(subject.pk, subject.pid, subject.full_name)
    answerer = patient if author is subject else references.patient(author.pk, author.pid, author.full_name)
    return (
        {
            "resourceType": "QuestionnaireResponse",
            "extension": [
                {"url": RECIPIENT, "valueReference": references.organization(unit.orgnr, unit.shown_name, key=unit.pk)}
            ],
            "identifier": {"system": codes.LOCAL + "forms:response", "value": str(draft.pk)},
        }
        | logic.response_resource(definition, draft.answers)
        | {
            "subject": patient,
            "authored": codes.instant(draft.authored),
            # Who answered, also when a parent or proxy did for her (R4 `source` may be a Patient): the person as a
            # Patient reference by fødselsnummer, as `author` (the one who sent it).
            "author": answerer,
            "source": answerer,
        }
    )


def _validate_or_refuse(definition: Definition, draft: FormResponse) -> None:
    """`_validate`, and when it fails (our bug, or a form that slipped past the import's checks) the log says which
    form and response, without her answers, and she gets a Norwegian refusal instead of a 500: the draft stays."""
    try:
        _validate(definition, draft.resource or {})
    except AssertionError as error:
        logger.error(
            "forms: response %s to %s could not be sent: %s",
            draft.pk,
            definition.canonical,
            str(error).split(": ", 1)[0],  # what failed, not the answers (those follow the colon)
        )
        raise Invalid(
            _(
                "Skjemaet kan ikke sendes nå fordi det har en feil. Svarene dine er lagret som utkast. "
                "Prøv igjen senere, eller kontakt %(unit)s på en annen måte."
            )
            % {"unit": Unit.objects.get(pk=draft.unit_id).shown_name}
        ) from None


def _validate(definition: Definition, resource: JSON) -> None:
    """The response must be a valid QuestionnaireResponse and fit its form; a failure here is our bug, not hers."""
    try:
        QuestionnaireResponse.model_validate(resource)
    except (ValidationError, ValueError) as error:
        raise AssertionError(f"the engine built an invalid QuestionnaireResponse: {error}") from error
    problems = logic.mismatches(definition, resource)
    if problems:
        raise AssertionError(f"the response does not fit {definition.canonical}: {problems}")


def _record(actor: Actor, action: str, response: FormResponse) -> None:
    audit.record(
        actor,
        event_code(action, response.area),
        subject_id=response.person_id,
        resources=[f"QuestionnaireResponse/{RESPONSE_PREFIX}{response.pk}"],
        hidden_from_representatives=response.hidden_from_representatives,
    )

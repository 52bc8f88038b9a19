"""Every read of the forms: which forms a citizen is offered, one form she may fill in, her draft, and the
responses she has sent (each read of a response audited, the youth services' hidden from representatives).

Who fills a form in is the actor for the subject, as `access.policy` decides for the form's area: herself, a parent
for a child within the age rules, a proxy by a power of attorney; a form to the school health service or a youth
health station is in the youth area, which no representative reaches (the youth pages' rule). A form she may not
use, and one that is not there, are both `NotFound`.
"""

import functools

from django.db import transaction
from django.db.models import Q, QuerySet

from helseportal.access import audit, policy
from helseportal.access.models import ServiceArea
from helseportal.access.reads import audited_read
from helseportal.core.actor import Actor
from helseportal.core.errors import NotFound
from helseportal.core.time import today
from helseportal.fhir import questionnaires
from helseportal.forms.definition import Definition, load
from helseportal.forms.models import Form, FormResponse, FormStatus, ResponseStatus
from helseportal.organisations.schools import school_health_service, school_register

LIST_LIMIT = 200

# A form's audit events carry its area's codes where the area has its own (the log shows an event to a representative
# by its code's area, `access.audit.codes.AREA_BY_PREFIX`, and `forms:` is the messages area): the pregnancy survey's
# events are the card's, so that a representative without the pregnancy area never sees them. The youth services'
# keep the `forms:` codes, hidden from representatives on every event.
AREA_CODES: dict[str, dict[str, str]] = {
    ServiceArea.PREGNANCY: {
        "forms:response:saved": "pregnancy:form:saved",
        "forms:response:submitted": "pregnancy:form:submitted",
        "forms:response:read": "pregnancy:form:read",
        "forms:response:exported": "pregnancy:form:exported",
        "forms:draft:read": "pregnancy:form:draft_read",
        "forms:draft:started": "pregnancy:form:started",
    },
    # Pasientreiser's claim (travel/survey.py): its draft and copy in the travel area, with its age rules and powers.
    ServiceArea.PATIENT_TRAVEL: {
        "forms:response:saved": "travel:form:saved",
        "forms:response:read": "travel:form:read",
        "forms:response:exported": "travel:form:exported",
        "forms:draft:read": "travel:form:draft_read",
        "forms:draft:started": "travel:form:started",
    },
}
DRAFT_READ = "forms:draft:read"

# The usage statistics' service of a form (catalogue.py keys): a domain's own form counts under its service (the
# pregnancy survey, the travel claim, the e-consultation, the youth services'), any other under Skjemaer.
STATS_SERVICES: dict[str, str] = {
    ServiceArea.PREGNANCY: "pregnancy",
    ServiceArea.PATIENT_TRAVEL: "travel",
    ServiceArea.GP: "gpservices",
    ServiceArea.YOUTH: "youth",
}


def stats_service(area: str) -> str:
    return STATS_SERVICES.get(area, "forms")


def event_code(code: str, area: str) -> str:
    """The audit code of a form event (`forms:response:saved`) for a response in `area`."""
    return AREA_CODES.get(area, {}).get(code, code)


@functools.lru_cache(maxsize=256)
def _definition(form_id: int, canonical: str) -> Definition:
    found = Form.objects.get(pk=form_id)
    return load(found.resource)


def definition_of(form: Form) -> Definition:
    """The form's Definition; read once per process per version (a published version never changes)."""
    return _definition(form.pk, form.canonical)


def received() -> Q:
    """The responses a unit receives: all but those to a form whose owning domain takes them (`fhir.questionnaires`
    `takes`: the pregnancy card's survey reaches the units she shares the card with, as the card's own response). Such
    a response stays hers (her sent forms, the receipt, the PDF), and is no unit's inbox row, FHIR resource or tie."""
    taken = questionnaires.taken_urls()
    return ~Q(form__url__in=taken) if taken else Q()


def sent_to(form: Form) -> str:
    """Whom a response to the form reaches, as her receipt names it: the owning domain's words for a form it takes
    (the pregnancy survey: those she shares the card with), else the unit the form belongs to."""
    return questionnaires.receiver_of(form.url) or form.unit.shown_name


def _receivers(rows: list[FormResponse]) -> list[FormResponse]:
    """Her responses, each with `sent_to` for her pages and PDF (`{{ response.sent_to }}`)."""
    for row in rows:
        setattr(row, "sent_to", sent_to(row.form))  # noqa: B010 (an attribute for the templates, not a model field)
    return rows


def _first(rows: QuerySet[FormResponse]) -> FormResponse | None:
    found = _receivers(list(rows[:1]))
    return found[0] if found else None


def _tied_units(subject_id: int, areas: frozenset[str]) -> list[int]:
    """The units whose forms for "the unit's own" (`Form.public` false) she is offered: her school's health service
    (the school register), and the units she has been in contact with (`access.policy.is_tied`: an appointment, a
    thread, a record, a form sent or a draft). There is no GP list in the portal's data, so a GP office's own are
    those in contact with it."""
    enrolment = school_register().enrolment(subject_id, today())
    service = school_health_service(enrolment.school) if enrolment is not None else None
    candidates = (
        Form.objects.filter(status=FormStatus.ACTIVE, public=False, area__in=areas)
        .values_list("unit_id", flat=True)
        .distinct()
        .order_by()
    )
    known = set(
        FormResponse.objects.filter(received(), person_id=subject_id).values_list("unit_id", flat=True).order_by()
    )
    known |= {service.pk} if service is not None else set()
    return [unit for unit in candidates if unit in known or policy.is_tied(unit, subject_id)]


def _offered(actor: Actor) -> Q:
    if actor.subject_id is None or not actor.is_citizen:
        return Q(pk__in=[])
    areas = policy.offered_areas(actor)
    listed = Q(public=True) | Q(unit_id__in=_tied_units(actor.subject_id, areas))
    return Q(status=FormStatus.ACTIVE, area__in=areas) & listed & ~Q(url__in=questionnaires.owned_urls())


def _opened_by_owner(actor: Actor) -> Q:
    """A domain's own form (`fhir.questionnaires`): not listed, but open when its owner says so (at the units it
    names), in its area."""
    if actor.subject_id is None or not actor.is_citizen:
        return Q(pk__in=[])
    opened = Q(pk__in=[])
    for url, units in questionnaires.open_forms(actor):
        opened |= Q(url=url) if units is None else Q(url=url, unit_id__in=list(units))
    return Q(status=FormStatus.ACTIVE, area__in=policy.offered_areas(actor)) & opened


def offered(actor: Actor) -> list[Form]:
    """The forms the subject may fill in, newest version of each, by title (public master data: not audited)."""
    forms = Form.objects.filter(_offered(actor)).select_related("unit").order_by("title", "url", "-imported_at")
    newest: dict[str, Form] = {}
    for form in forms:
        newest.setdefault(form.url, form)
    return list(newest.values())


def form_for(actor: Actor, form_id: int) -> tuple[Form, int]:
    """A form she is offered, and the subject's key; `NotFound` otherwise (also when the area is closed to her)."""
    form = Form.objects.filter(_offered(actor) | _opened_by_owner(actor), pk=form_id).select_related("unit").first()
    if form is None:
        raise NotFound
    return form, policy.require_subject(actor, form.area, write=True)


def draft_of(actor: Actor, form_id: int, *, shown: bool = False) -> FormResponse | None:
    """Her draft of the form, if she has started one (her own typing, shown back to her on the steps). `shown`: the
    page shows its answers; read by someone acting for her (a parent, a proxy), that is audited (`forms:draft:read`);
    her own reads of her own typing are not (every step and summary page would be one)."""
    form, subject_id = form_for(actor, form_id)
    with transaction.atomic():
        draft = FormResponse.objects.filter(person_id=subject_id, form=form, status=ResponseStatus.IN_PROGRESS).first()
        if draft is not None and shown and actor.acts_for_other:
            audit.record(
                actor,
                event_code(DRAFT_READ, draft.area),
                subject_id=subject_id,
                resources=[f"QuestionnaireResponse/form-{draft.pk}"],
                hidden_from_representatives=draft.hidden_from_representatives,
            )
    return draft


def earlier_draft(actor: Actor, url: str, version: str) -> FormResponse | None:
    """Her latest draft of another version of the same form (`url`), published or since retired: a new version
    starts from its answers (`owned.prefill`), so nothing she typed is lost when the unit publishes a new one. Only
    for the subject the actor may fill the form in for (`form_for` has asked)."""
    if actor.subject_id is None:
        return None
    return (
        FormResponse.objects.filter(person_id=actor.subject_id, form__url=url, status=ResponseStatus.IN_PROGRESS)
        .exclude(form__version=version)
        .select_related("form")
        .order_by("-updated_at", "-pk")
        .first()
    )


def _open_areas(actor: Actor) -> frozenset[str]:
    return policy.open_areas(actor) if actor.is_citizen and actor.subject_id is not None else frozenset()


def responses_for(actor: Actor) -> list[FormResponse]:
    """The responses she has sent, newest first, in the areas the actor may use for her (a parent never sees the
    youth services' forms); the read is audited."""
    areas = _open_areas(actor)
    if not areas:
        raise NotFound
    subject_id = actor.subject_key
    return audited_read(
        actor,
        "forms:list:read",
        lambda: _receivers(
            list(
                FormResponse.objects.filter(person_id=subject_id, status=ResponseStatus.COMPLETED, area__in=areas)
                .select_related("form", "unit")
                .order_by("-authored")[:LIST_LIMIT]
            )
        ),
        subject_id=subject_id,
        resources=lambda rows: [f"QuestionnaireResponse/form-{row.pk}" for row in rows],
        hidden=lambda rows: any(row.hidden_from_representatives for row in rows),
    )


def response_for(actor: Actor, response_id: int, action: str = "forms:response:read") -> FormResponse:
    """One response she has sent; `NotFound` if it is not hers or its area is closed to the actor (`action`: the
    audit code, `forms:response:exported` for its PDF)."""
    areas = _open_areas(actor)
    if not areas:
        raise NotFound
    subject_id = actor.subject_key
    area = FormResponse.objects.filter(pk=response_id, person_id=subject_id).values_list("area", flat=True).first()
    return audited_read(
        actor,
        event_code(action, area or ""),
        lambda: _first(
            FormResponse.objects.filter(
                pk=response_id, person_id=subject_id, status=ResponseStatus.COMPLETED, area__in=areas
            ).select_related("form", "unit")
        ),
        subject_id=subject_id,
        resources=lambda row: [f"QuestionnaireResponse/form-{row.pk}"],
        hidden=lambda row: row.hidden_from_representatives,
    )

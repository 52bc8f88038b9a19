"""What the FHIR API serves of the forms: the sent responses as `QuestionnaireResponse/form-<id>` (a source added to
the type pregnancy provides), and the forms themselves as `Questionnaire` (read, and search by url and version).

Who sees which responses (brief decision 4, asked of `access.policy`): a system client the responses sent to its own
unit, never another unit's of the same person (a school nurse's form is not the GP's business); a citizen's app the
subject's responses in the areas the rule table lets it read for her, and never the youth services' (no app reaches
those). A draft is never served: it is hers until she sends it. Nor is a response to a form whose owning domain takes
it (`fhir.questionnaires`, `takes`: the pregnancy survey): the domain serves its own record of the answers (the card's
`QuestionnaireResponse/<id>`, to the units she shares the card with), and the engine's row is her copy only, so it
ties her to no unit either. A Questionnaire is public, like the unit directory.

`register()` (at `FormsConfig.ready()`) adds the source, provides `Questionnaire`, and ties the persons who sent a
form to a unit to that unit (`access.policy.register_tie`), so the unit's system client reaches them.
"""

from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse

from helseportal.access import policy
from helseportal.access.models import ServiceArea
from helseportal.core.actor import Actor, Role
from helseportal.fhir import JSON, provider, questionnaires
from helseportal.fhir.provider import Kind, Param, ResourceType, Source
from helseportal.forms.models import Form, FormResponse, FormStatus, ResponseStatus
from helseportal.forms.queries import received

RESPONSE_PREFIX = "form-"
NOTHING = Q(pk__in=[])


def tied_by_responses(unit_id: int) -> QuerySet[Any]:
    """The persons who sent a form to the unit (a tie for `access.policy.api_persons`)."""
    return FormResponse.objects.filter(received(), unit_id=unit_id, status=ResponseStatus.COMPLETED).values("person_id")


def responses_in_scope(actor: Actor) -> QuerySet[FormResponse]:
    rows = FormResponse.objects.filter(received(), status=ResponseStatus.COMPLETED)
    if actor.role == Role.SYSTEM:
        own = policy.api_may_read(actor, ServiceArea.MESSAGES)  # a registered client with a unit
        return rows.filter(unit_id=actor.unit_id) if own and actor.unit_id is not None else rows.none()
    areas = [area for area in (ServiceArea.MESSAGES, ServiceArea.YOUTH) if policy.api_may_read(actor, area)]
    if not areas:
        return rows.none()
    return rows.filter(person_id__in=policy.api_persons(actor), area__in=areas)


def questionnaire_response(row: FormResponse) -> JSON:
    resource: JSON = dict(row.resource or {})
    return resource | {"id": f"{RESPONSE_PREFIX}{row.pk}"}


def by_questionnaire(values: Iterable[Any]) -> Q:
    """`questionnaire=<url>|<version>` (or the url alone: every version)."""
    match = NOTHING
    for value in values:
        url, _bar, version = str(value).partition("|")
        match |= Q(form__url=url, form__version=version) if version else Q(form__url=url)
    return match


PATIENT = Param(Kind.REFERENCE, field="person", target="Patient", description="Who the answers are about.")

RESPONSES = Source(
    model=FormResponse,
    scope=responses_in_scope,
    to_fhir=questionnaire_response,
    params={
        "patient": PATIENT,
        "subject": PATIENT,
        "authored": Param(Kind.DATE, field="authored", description="When it was sent."),
        "questionnaire": Param(Kind.URI, filter=by_questionnaire, description="The form: url|version, or url."),
        "status": Param(Kind.TOKEN, field="status", values={"completed": ("completed",)}),
    },
    sort={"authored": "authored"},
    last_updated="updated_at",
    id_prefix=RESPONSE_PREFIX,
    # A form to a unit is a structured message (docs/forms.md), so its reads are audited as messages, not as the
    # pregnancy card's (the type's area, from its first source). A youth's form is hidden from her parents by her
    # age band, as every event about a 13–15-year-old read through the API is (access/audit/api.py).
    area=ServiceArea.MESSAGES,
)


def forms_in_scope(actor: Actor) -> QuerySet[Form]:
    """Every published or retired form version, for any API caller: the forms are public, like the directory."""
    if not actor.is_authenticated:
        return Form.objects.none()
    return Form.objects.filter(status__in=(FormStatus.ACTIVE, FormStatus.RETIRED))  # not drafts nor pending ones


def questionnaire(form: Form) -> JSON:
    resource: JSON = dict(form.resource)
    return resource | {"id": str(form.pk), "status": "retired" if form.status == FormStatus.RETIRED else "active"}


QUESTIONNAIRE = ResourceType(
    name="Questionnaire",
    sources=(
        Source(
            model=Form,
            scope=forms_in_scope,
            to_fhir=questionnaire,
            params={
                "url": Param(Kind.URI, field="url", description="The form's canonical URL."),
                "version": Param(Kind.TOKEN, field="version", description="The version."),
                "title": Param(Kind.STRING, field="title", description="Title (starts with)."),
                "status": Param(
                    Kind.TOKEN,
                    field="status",
                    values={"active": (FormStatus.ACTIVE.value,), "retired": (FormStatus.RETIRED.value,)},
                ),
            },
            sort={"title": "title"},
            last_updated="updated_at",
            person="",
        ),
    ),
    documentation="The forms units publish (Skjema), one Questionnaire per version; responses point at url|version.",
)


def register() -> None:
    """Add the response source, provide Questionnaire and register the tie (once, at the app's `ready()`)."""
    provider.add_source("QuestionnaireResponse", RESPONSES)
    provider.provide(QUESTIONNAIRE)
    policy.register_tie(tied_by_responses)
    questionnaires.serve_pages(start_page)


def start_page(url: str, unit_id: int | None = None) -> str | None:
    """The start page of the newest published version of the form with this canonical URL, of `unit_id`'s copy when
    given (for a domain that owns the form and links to it: `fhir.questionnaires`)."""
    published = Form.objects.filter(url=url, status=FormStatus.ACTIVE)
    if unit_id is not None:
        published = published.filter(unit_id=unit_id)
    found = published.order_by("-imported_at", "-pk").first()
    return reverse("forms:start", args=[found.pk]) if found is not None else None

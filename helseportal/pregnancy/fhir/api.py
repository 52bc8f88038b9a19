"""What the FHIR API serves of the pregnancy card: its measurements as Observation (added to the type records
provides), the pregnancy as EpisodeOfCare and her submitted form as QuestionnaireResponse.

Who sees the card (brief decision 4, asked of `access.policy`): a system client only a card shared with its unit
by a sharing grant in force (`api_shared`), never because the woman is its patient otherwise; a citizen's app the
subject's card where the rule table lets it read the pregnancy area for her (`api_may_read`).

Each measurement is one row of one table, so each is a source of its own, with the id `<value>-<row>` the mapping
gives (`consultation-bp-7`): a consultation's blood pressure, weight, urine protein and urine glucose, SF-mål, her
own measurements and the clinical tests. Not served yet, since no row holds them alone: a fetus's heart rate and
presentation (a list inside the consultation), gestational age (derived each day), the due dates and the last
period (columns of the pregnancy, set by entries), the values before the pregnancy (a section's current version),
and the issue-16 findings (ultrasound, NIPT, earlier births, the birth); the card's mappers map them all
(`observations(card)`, `card_resources(card)`).

Entries are never changed, only marked as entered in error (then served with that status): the last change is
that mark, else when the entry was written (`changed_at`, annotated in the scope).
"""

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.db.models import Model, Q, QuerySet
from django.db.models.functions import Coalesce

from helseportal.access import policy
from helseportal.core.actor import Actor, Role
from helseportal.fhir import JSON, codes
from helseportal.fhir.provider import Kind, Param, ResourceType, Source, once
from helseportal.pregnancy.fhir.episode import QUESTIONNAIRE, episode_of_care, questionnaire_response
from helseportal.pregnancy.fhir.fields import URINE_GLUCOSE_DIPSTICK, urine_glucose_observation
from helseportal.pregnancy.fhir.observations import (
    consultation_bp,
    consultation_urine_protein,
    consultation_weight,
    own_measurement_observations,
    sf_observation,
    test_observation,
)
from helseportal.pregnancy.fhir.values import (
    BP_PANEL,
    FUNDAL_HEIGHT,
    OWN_MEASUREMENTS,
    URINE_PROTEIN_DIPSTICK,
    WEIGHT,
    Code,
    patient_reference,
)
from helseportal.pregnancy.models import (
    ClinicalTest,
    Consultation,
    FirstConsultationForm,
    FormStatus,
    OwnMeasurement,
    Pregnancy,
    PregnancyStatus,
    SfMeasurement,
)
from helseportal.pregnancy.rules import AREA

CATEGORY = codes.TERMINOLOGY + "observation-category"
OBSERVATION_STATUS = "http://hl7.org/fhir/observation-status"
EPISODE_STATUS = "http://hl7.org/fhir/episode-of-care-status"
TEST_SYSTEM = codes.LOCAL + "pregnancy-test"
NOTHING = Q(pk__in=[])
Matches = Mapping[tuple[str, str], Q]  # (system, code) → the rows that have it


def reach[M: Model](actor: Actor, rows: QuerySet[M]) -> QuerySet[M]:
    """The card's rows this API caller may see: shared with a system client's unit, or the subject's own."""
    if not _reaches_any(actor):
        return rows.none()
    if actor.role == Role.SYSTEM:
        return rows.filter(person_id__in=policy.api_shared(actor, AREA))
    return rows.filter(person_id__in=policy.api_persons(actor))


def _reaches_any(actor: Actor) -> bool:
    """Whether the caller may see any card at all: a grant in force to a system client's unit, or the rule table's
    yes for a citizen's app. Asked once per API request (`provider.once`), not once per source of the card's nine,
    and a scope that reaches nothing costs the search no query (most of a record system's patients share none, and
    most persons an app is connected for have no card)."""
    if actor.role == Role.SYSTEM:
        return once((AREA, "shared", actor), lambda: policy.api_shared(actor, AREA).exists())
    return once((AREA, "may-read", actor), lambda: policy.api_may_read(actor, AREA) and _has_card(actor))


def _has_card(actor: Actor) -> bool:
    """Whether the app's subject has a card at all (a child, a man: none), so that her parent's app's search costs
    no query per source of the card."""
    return Pregnancy.objects.filter(person_id__in=policy.api_persons(actor)).exists()


def _tokens(values: Iterable[Any], matches: Matches) -> Q:
    """Parsed tokens (`system` None: any system, "": none; `code` "": any) against what each row has."""
    found = [
        rows
        for token in values
        for (system, code), rows in matches.items()
        if token.system in (None, system) and token.code in ("", code)
    ]
    return any_rows(found)


def any_rows(found: list[Q]) -> Q:
    """The rows any of these select. (`Q(pk__in=[]) | Q()` is Django's `Q(pk__in=[])`: an empty Q is no "all".)"""
    if not found:
        return NOTHING
    if any(not q for q in found):
        return Q()
    combined = found[0]
    for q in found[1:]:
        combined |= q
    return combined


def _token_filter(matches: Matches) -> Callable[[Iterable[Any]], Q]:
    return lambda values: _tokens(values, matches)


def _code_of(code: Code) -> Matches:
    return {(code.system, code.code): Q()}


def _category_of(*found: Code) -> Matches:
    return {(CATEGORY, code.category): Q() for code in found if code.category}


def _tests(values: Iterable[Any]) -> Q:
    """A clinical test by its key in the card's local system (`urn:helseportal:pregnancy-test|hb`)."""
    return any_rows([Q(test=t.code) if t.code else Q() for t in values if t.system in (None, TEST_SYSTEM)])


STATUS = Param(
    Kind.TOKEN,
    filter=_token_filter(
        {
            (OBSERVATION_STATUS, "final"): Q(entered_in_error_at__isnull=True),
            (OBSERVATION_STATUS, "entered-in-error"): Q(entered_in_error_at__isnull=False),
        }
    ),
)
PATIENT = Param(Kind.REFERENCE, field="person", target="Patient", description="The woman the card is about.")


def measurements(
    model: type[Model],
    prefix: str,
    mapper: Callable[[Any, JSON], JSON | list[JSON] | None],
    *,
    has: Q,
    date: str | None,
    code: Callable[[Iterable[Any]], Q],
    category: Callable[[Iterable[Any]], Q],
    changed: Callable[[], Any] | None = None,
    annotate: Mapping[str, Callable[[], Any]] | None = None,
    related: tuple[str, ...] = (),
    prefetch: tuple[str, ...] = (),
) -> Source:
    """One kind of value on the card as a source of Observation: the rows that have it (`has`), one each.

    `changed` builds the row's last change when it is not the entry's own (its mark in error, else when it was
    written), `annotate` what `date` names when it is no column; both at each request (they may hold today).
    `date` None: the value has no day to search by (an earlier birth's year)."""

    def scope(actor: Actor) -> QuerySet[Any]:
        if not _reaches_any(actor):  # before building the query: dozens of sources are asked on every search
            return model._default_manager.none()
        last = changed() if changed is not None else Coalesce("entered_in_error_at", "recorded_at")
        more = {name: build() for name, build in (annotate or {}).items()}
        return reach(actor, model._default_manager.filter(has).annotate(changed_at=last, **more))

    @codes.in_bokmal
    def to_fhir(entry: Any) -> JSON:
        found = mapper(entry, patient_reference(entry.person))
        return found[0] if isinstance(found, list) else found  # type: ignore[return-value]  # `has` keeps None out

    dated = {"date": Param(Kind.DATE, field=date, description="When it was measured.")} if date else {}
    return Source(
        model=model,
        scope=scope,
        to_fhir=to_fhir,
        params={
            "patient": PATIENT,
            "subject": PATIENT,
            **dated,
            "code": Param(Kind.TOKEN, filter=code, description="LOINC, or the card's local test codes."),
            "category": Param(Kind.TOKEN, filter=category),
            "status": STATUS,
        },
        sort={"date": date} if date else {},
        last_updated="changed_at",
        id_prefix=prefix,
        select_related=("person", *related),
        prefetch_related=prefetch,
    )


def fixed(
    model: type[Model], prefix: str, mapper: Any, value: Code, *, has: Q, date: str | None = "date", **more: Any
) -> Source:
    """A source of one kind of value with one code (`more`: `changed`, `related`, `prefetch` of `_measurements`)."""
    return measurements(
        model,
        prefix,
        mapper,
        has=has,
        date=date,
        code=_token_filter(_code_of(value)),
        category=_token_filter(_category_of(value)),
        **more,
    )


_OWN_KINDS = {"bp": BP_PANEL, **OWN_MEASUREMENTS}

OBSERVATIONS = (
    fixed(
        Consultation,
        "consultation-bp-",
        consultation_bp,
        BP_PANEL,
        has=Q(systolic__isnull=False) | Q(diastolic__isnull=False),
    ),
    fixed(Consultation, "consultation-weight-", consultation_weight, WEIGHT, has=Q(weight_kg__isnull=False)),
    fixed(
        Consultation,
        "consultation-urine-protein-",
        consultation_urine_protein,
        URINE_PROTEIN_DIPSTICK,
        has=~Q(urine_protein=""),
    ),
    fixed(
        Consultation,
        "consultation-urine-glucose-",
        urine_glucose_observation,
        URINE_GLUCOSE_DIPSTICK,
        has=~Q(urine_glucose=""),
    ),
    fixed(SfMeasurement, "sf-", sf_observation, FUNDAL_HEIGHT, has=Q()),
    measurements(
        OwnMeasurement,
        "own-",
        own_measurement_observations,
        has=Q(kind="bp") | Q(kind__in=list(OWN_MEASUREMENTS), value__isnull=False),
        date="measured_at",
        code=_token_filter({(code.system, code.code): Q(kind=kind) for kind, code in _OWN_KINDS.items()}),
        category=_token_filter(
            {
                (CATEGORY, category): Q(kind__in=[k for k, c in _OWN_KINDS.items() if c.category == category])
                for category in {code.category for code in _OWN_KINDS.values()}
            }
        ),
    ),
    measurements(
        ClinicalTest,
        "test-",
        test_observation,
        has=Q(),
        date="taken_on",
        code=_tests,
        category=_token_filter({(CATEGORY, "laboratory"): Q()}),
    ),
)


def _episodes_in_scope(actor: Actor) -> QuerySet[Pregnancy]:
    return reach(actor, Pregnancy.objects.all())


EPISODE_OF_CARE = ResourceType(
    name="EpisodeOfCare",
    sources=(
        Source(
            model=Pregnancy,
            scope=_episodes_in_scope,
            to_fhir=episode_of_care,
            params={
                "patient": PATIENT,
                "status": Param(
                    Kind.TOKEN,
                    field="status",
                    system=EPISODE_STATUS,
                    values={
                        "active": (PregnancyStatus.ONGOING.value,),
                        "finished": tuple(s.value for s in PregnancyStatus if s != PregnancyStatus.ONGOING),
                    },
                ),
            },
            sort={"date": "recorded_at"},
            last_updated="updated_at",
            select_related=("person",),
        ),
    ),
    area=AREA,
    documentation="The pregnancy on the pregnancy card (Helsekort for gravide), as an episode of care.",
)


def _forms_in_scope(actor: Actor) -> QuerySet[FirstConsultationForm]:
    """Submitted forms only: a draft is hers until she sends it (and it changes in place while she writes)."""
    return reach(actor, FirstConsultationForm.objects.filter(status=FormStatus.SUBMITTED))


def _by_questionnaire(values: Iterable[Any]) -> Q:
    """`questionnaire=<url>|<version>` or the url alone (every version; also a form sent before the survey had
    versions, which names the url alone), as the forms engine's responses are searched."""
    found = []
    for value in values:
        url, _bar, version = str(value).partition("|")
        if url != QUESTIONNAIRE:
            continue
        found.append(
            Q(questionnaire=f"{url}|{version}")
            if version
            else Q(questionnaire="") | Q(questionnaire__startswith=f"{url}|")
        )
    return any_rows(found)


QUESTIONNAIRE_RESPONSE = ResourceType(
    name="QuestionnaireResponse",
    sources=(
        Source(
            model=FirstConsultationForm,
            scope=_forms_in_scope,
            to_fhir=questionnaire_response,
            params={
                "patient": PATIENT,
                "subject": PATIENT,
                "authored": Param(Kind.DATE, field="submitted_at", description="When she sent it."),
                "questionnaire": Param(
                    Kind.URI, filter=_by_questionnaire, description="The form: url|version, or url."
                ),
                "status": Param(Kind.TOKEN, field="status", values={"completed": (FormStatus.SUBMITTED.value,)}),
            },
            sort={"authored": "submitted_at"},
            last_updated="submitted_at",
            select_related=("person",),
        ),
    ),
    area=AREA,
    documentation="Her form before the first pregnancy consultation (Kartlegging før første svangerskapskontroll).",
)
